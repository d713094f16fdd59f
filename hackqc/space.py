"""The personal space ("Mon espace"): where each signed-in person finds their work.

Each app contributes the cards of its own role (registration and team, project sheet, jury,
organizing) through a provider registered in its `AppConfig.ready()`: the core app draws the
page without importing the apps built on it, and each rule stays in the app that owns it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from hackqc.models import Edition


@dataclass
class Card:
    """One block of the space: a template and its context, for one edition or for none."""

    template: str
    context: dict = field(default_factory=dict)
    edition: Edition | None = None
    # Cards of one edition are shown in this order: registration, sheet, jury, organizing.
    order: int = 50


Provider = Callable[..., list[Card]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Adds a card provider: `provider(user, now) -> list[Card]`; safe to call twice."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def space_for(user, now=None) -> list[dict]:
    """The person's cards grouped by edition, newest edition first; cards with no edition
    (invitations to answer, say) come first."""
    now = now or timezone.now()
    cards = [card for provider in _providers for card in provider(user, now)]
    general = sorted((c for c in cards if c.edition is None), key=lambda c: c.order)
    editions: dict[int, dict] = {}
    for card in cards:
        if card.edition is not None:
            group = editions.setdefault(card.edition.pk, {"edition": card.edition, "cards": []})
            group["cards"].append(card)
    groups = sorted(
        editions.values(),
        key=lambda g: (g["edition"].registration_opens, g["edition"].pk),
        reverse=True,
    )
    for group in groups:
        group["cards"].sort(key=lambda c: c.order)
    return [{"edition": None, "cards": general}, *groups] if general else groups


def next_actions(edition, phase) -> list[tuple[str, str]]:
    """What an organizer of `edition` typically does next in `phase`: (label, URL) pairs."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from hackqc.models import Phase

    slug = {"slug": edition.slug}
    dashboard = (_("Edition dashboard"), reverse("organize:dashboard", kwargs=slug))
    registrations = (
        _("Registrations"),
        reverse("teams:organize_registrations", kwargs=slug),
    )
    teams = (_("Teams"), reverse("teams:organize_teams", kwargs=slug))
    jury = (_("Jury and invitations"), reverse("judging:organize", kwargs=slug))
    eligibility = (_("Eligibility of the sheets"), reverse("submissions:eligibility", kwargs=slug))
    results = (_("Compute and publish the results"), reverse("results:manage", kwargs=slug))
    by_phase = {
        Phase.UPCOMING: [dashboard, jury],
        Phase.REGISTRATION: [registrations, teams, jury],
        Phase.PREPARATION: [teams, jury, dashboard],
        Phase.HACKING: [teams, eligibility],
        Phase.JUDGING: [eligibility, jury],
        Phase.DELIBERATION: [results],
        Phase.RESULTS: [results, (_("Published results"), reverse("results:detail", kwargs=slug))],
    }
    return by_phase[phase]


def organizer_cards(user, now) -> list[Card]:
    from hackqc.phases import current_phase

    cards = []
    for edition in Edition.objects.organized_by(user).filter(is_synthetic=False):
        phase = current_phase(edition, now)
        cards.append(
            Card(
                template="hackqc/space_organizer.html",
                edition=edition,
                order=40,
                context={"phase": phase, "actions": next_actions(edition, phase)},
            )
        )
    return cards
