"""Prizes and the award policy (conditions a winner must meet)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.service import service

from ..errors import ResultsError
from ..models import AwardPolicy, Prize

PRIZE_CREATED = audit.action("prize.created", gettext_lazy("Created a prize"))
PRIZE_CHANGED = audit.action("prize.changed", gettext_lazy("Changed a prize"))
PRIZE_DELETED = audit.action("prize.deleted", gettext_lazy("Deleted a prize"))
AWARD_POLICY_CHANGED = audit.action(
    "prize.conditions_changed", gettext_lazy("Changed the award conditions")
)

# Prizes and award conditions ---------------------------------------------------------------


def award_policy(edition) -> AwardPolicy:
    """The edition's award conditions; the default (repository and licence) until saved."""
    policy = AwardPolicy.objects.filter(edition=edition).first()
    return policy or AwardPolicy(edition=edition)


@service
def update_award_policy(
    edition, *, by, require_repository, require_licence, ranking_round=None
) -> AwardPolicy:
    """Saves the award conditions and the choice of the published ranking (None: default)."""
    if ranking_round is not None and ranking_round.edition_id != edition.pk:
        raise ResultsError(_("Choose something from this edition."), field="ranking_round")
    policy, _created = AwardPolicy.objects.update_or_create(
        edition=edition,
        defaults={
            "require_repository": require_repository,
            "require_licence": require_licence,
            "ranking_round": ranking_round,
        },
    )
    audit.record(
        AWARD_POLICY_CHANGED,
        actor=by,
        edition=edition,
        require_repository=require_repository,
        require_licence=require_licence,
        ranking_round=ranking_round.number if ranking_round else None,
    )
    return policy


@service
def save_prize(prize: Prize, *, by) -> Prize:
    """Creates or updates a prize after checking it belongs with its edition's objects."""
    if prize.eligibility != Prize.Eligibility.CHALLENGE:
        prize.challenge = None
    if prize.eligibility != Prize.Eligibility.HOST_SITE:
        prize.host_site = None
    try:
        prize.full_clean()
    except ValidationError as error:
        raise ResultsError(" ".join(error.messages)) from error
    for related in (prize.challenge, prize.host_site, prize.round):
        if related is not None and related.edition_id != prize.edition_id:
            raise ResultsError(_("Choose something from this edition."))
    created = prize.pk is None
    prize.save()
    audit.record(
        PRIZE_CREATED if created else PRIZE_CHANGED,
        actor=by,
        edition=prize.edition,
        target=prize,
        places=prize.places,
        eligibility=prize.eligibility,
        round=prize.round.number if prize.round else None,
        priority=prize.priority,
    )
    return prize


@service
def delete_prize(prize: Prize, *, by) -> None:
    """Deletes a prize, with the awards of unpublished snapshots; refuses once published."""
    if prize.awards.filter(snapshot__published_at__isnull=False).exists():
        raise ResultsError(_("This prize is part of published results and cannot be deleted."))
    audit.record(PRIZE_DELETED, actor=by, edition=prize.edition, target=prize)
    prize.delete()


# Computing --------------------------------------------------------------------------------
