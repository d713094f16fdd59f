"""Cloning an edition for next year: its setup copied, its people and projects not.

`clone_edition` creates the new edition through `create_edition` (so it starts as any new
edition does, with its creator as its only organizer), then asks each registered copier,
in order, to copy what its app owns: the core copies challenges, host sites and the agenda;
the jury (`judging.cloning`) its rounds and rubrics; the results (`judging.results.cloning`)
its prizes and award conditions. Copiers register here from their app's `ready()`, so the
core never imports the apps above it (docs/architecture.md).

Every date moves by the same whole number of weeks, in local time, so a Saturday stays a
Saturday and 9:00 stays 9:00 across daylight saving time. All of it is one transaction: a
copier that fails leaves no half-cloned edition.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.service import service
from hackqc.services import create_edition

EDITION_CLONED = audit.action("edition.cloned", gettext_lazy("Cloned the edition for next year"))

DEFAULT_SHIFT = datetime.timedelta(weeks=52)

# The edition's own settings carried over; its dates are shifted, its results never copied.
EDITION_SETTINGS = (
    "theme",
    "description",
    "team_size_min",
    "team_size_max",
    "min_datasets",
    "gallery_open_early",
    "one_prize_per_team",
    "show_full_ranking",
)
TIMELINE = (
    "registration_opens",
    "registration_closes",
    "hacking_starts",
    "submissions_close",
    "judging_ends",
)


@dataclass
class Clone:
    """What copiers share: the two editions, the shift, and the ids already copied."""

    source: object
    edition: object
    shift: datetime.timedelta
    by: object
    copied: dict[str, dict[int, int]] = field(default_factory=dict)

    def moved(self, moment):
        """`moment` moved by the shift in local wall-clock time (None stays None)."""
        if moment is None:
            return None
        local = timezone.localtime(moment)
        # Aware arithmetic keeps the wall-clock time; normalise the offset afterwards.
        return timezone.localtime(local + self.shift)

    def remember(self, label: str, originals, copies) -> None:
        """Records which copy (a saved row) is of which original, for `label`
        ("hackqc.challenge"), in the same order."""
        pairs = zip([o.pk for o in originals], [c.pk for c in copies], strict=True)
        self.copied.setdefault(label, {}).update(pairs)

    def new_id(self, label: str, old_id):
        """The copy's id of row `old_id` of `label`, or None (not copied, or None)."""
        if old_id is None:
            return None
        return self.copied.get(label, {}).get(old_id)


# (order, name, copier): copiers run by increasing order; a copier may use what ran before.
COPIERS: list[tuple[int, str, Callable[[Clone], None]]] = []


def register_copier(name: str, copier: Callable[[Clone], None], *, order: int) -> None:
    """Registers `copier(clone)`; registering the same name again replaces it."""
    COPIERS[:] = [entry for entry in COPIERS if entry[1] != name]
    COPIERS.append((order, name, copier))
    COPIERS.sort(key=lambda entry: (entry[0], entry[1]))


def shift_for(source, year: int) -> datetime.timedelta:
    """The whole number of weeks that brings the source's registration opening nearest to
    the same calendar day in `year` (52 weeks for the next year)."""
    years = year - source.year
    if years == 0:
        return datetime.timedelta(0)
    opens = timezone.localtime(source.registration_opens)
    try:
        target = opens.replace(year=opens.year + years)
    except ValueError:  # 29 February
        target = opens.replace(year=opens.year + years, day=28)
    weeks = round((target.date() - opens.date()).days / 7)
    return datetime.timedelta(weeks=weeks)


# An archive is the usual source: it is only read; the clone is a new draft.
@service(on_archived=True)
def clone_edition(source, *, by, year, slug, name, shift=None):
    """A new edition `slug` for `year`, copied from `source`: its settings and dates moved by
    `shift` (by default whole weeks towards the same days in `year`), and whatever the
    registered copiers copy (challenges, host sites, agenda, rounds and rubrics, prizes).
    No person comes along but `by`, its organizer; no team, project, review or result.
    Records `edition.cloned` in the audit log. Raises ValidationError (a taken slug, …)."""
    if shift is None:
        shift = shift_for(source, year)
    clone = Clone(source=source, edition=None, shift=shift, by=by)
    fields = {name: getattr(source, name) for name in EDITION_SETTINGS}
    fields |= {name: clone.moved(getattr(source, name)) for name in TIMELINE}
    try:
        clone.edition = create_edition(by=by, year=year, slug=slug, name=name, **fields)
    except IntegrityError:
        # Another clone took the slug between the form's check and this insert.
        raise ValidationError({"slug": _("Another edition already uses this address.")}) from None
    for _order, _name, copier in list(COPIERS):
        copier(clone)
    audit.record(
        EDITION_CLONED,
        actor=by,
        edition=clone.edition,
        target=clone.edition,
        source=source.slug,
        source_id=source.pk,
        shift_days=shift.days,
        copied={label: len(ids) for label, ids in sorted(clone.copied.items())},
    )
    return clone.edition


def copy_core(clone: Clone) -> None:
    """Challenges, host sites (with their capacity), the agenda, and the current rules and
    code of conduct (as version 1: nobody has accepted them in the new edition yet)."""
    from hackqc.models import AgendaItem, Challenge, EditionPage, HostSite
    from hackqc.pages import current_page

    edition, source = clone.edition, clone.source
    challenges = list(source.challenges.order_by("number"))
    copies = Challenge.objects.bulk_create(
        Challenge(
            edition=edition,
            number=c.number,
            title=c.title,
            description=c.description,
            partner=c.partner,
        )
        for c in challenges
    )
    clone.remember("hackqc.challenge", challenges, copies)
    sites = list(source.host_sites.order_by("name"))
    copies = HostSite.objects.bulk_create(
        HostSite(edition=edition, name=s.name, city=s.city, address=s.address, capacity=s.capacity)
        for s in sites
    )
    clone.remember("hackqc.hostsite", sites, copies)
    items = list(source.agenda_items.order_by("starts_at", "pk"))
    copies = AgendaItem.objects.bulk_create(
        AgendaItem(
            edition=edition,
            kind=item.kind,
            title=item.title,
            starts_at=clone.moved(item.starts_at),
            ends_at=clone.moved(item.ends_at),
            host_site_id=clone.new_id("hackqc.hostsite", item.host_site_id),
            location=item.location,
            description=item.description,
        )
        for item in items
    )
    clone.remember("hackqc.agendaitem", items, copies)
    pages = [current_page(source, kind) for kind in EditionPage.Kind.values]
    copies = EditionPage.objects.bulk_create(
        EditionPage(edition=edition, kind=page.kind, version=1, body=page.body, created_by=clone.by)
        for page in pages
        if page is not None
    )
    clone.remember("hackqc.editionpage", [p for p in pages if p is not None], copies)


register_copier("hackqc.core", copy_core, order=10)
