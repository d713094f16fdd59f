"""Organizers' changes to computed awards: overrides, swapped places, carried on recompute."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.models import Edition
from hackqc.service import service
from submissions.models import Submission

from .. import conditions
from ..errors import ResultsError
from ..models import Award, ResultSnapshot

AWARD_OVERRIDDEN = audit.action(
    "results.award_overridden", gettext_lazy("Changed the winner of a place")
)
PLACES_SWAPPED = audit.action("results.places_swapped", gettext_lazy("Swapped two places"))

LIVE_STATES = (
    ResultSnapshot.State.PROPOSED,
    ResultSnapshot.State.APPROVED,
    ResultSnapshot.State.PUBLISHED,
)


# Review -----------------------------------------------------------------------------------


def _lock(snapshot) -> ResultSnapshot:
    """Locks the snapshot's edition row (results steps of one edition run one at a time) and
    reloads `snapshot` in place, so the step is decided on its current state."""
    edition = Edition.objects.select_for_update().get(pk=snapshot.edition_id)
    snapshot.refresh_from_db()
    snapshot.edition = edition
    return snapshot


def _check_state(snapshot, *states):
    if snapshot.state not in states:
        raise ResultsError(
            _("These results are “%(state)s”: this step is not possible.")
            % {"state": snapshot.get_state_display()}
        )


def _check_override(award, submission, *, ignore=()):
    """Refuses a project that may not hold this place; `ignore`: awards changing with it."""
    if submission is None:
        return
    edition = award.snapshot.edition
    if submission.edition_id != edition.pk or submission.state != Submission.State.SUBMITTED:
        raise ResultsError(_("Choose a submitted project of this edition."))
    prize = award.prize
    if (prize.challenge_id and submission.challenge_id != prize.challenge_id) or (
        prize.host_site_id and conditions.host_site_id(submission) != prize.host_site_id
    ):
        raise ResultsError(_("This project is not eligible for this prize."))
    others = (
        Award.objects.filter(snapshot=award.snapshot, place__isnull=False)
        .exclude(pk=award.pk)
        .exclude(pk__in=[a.pk for a in ignore])
    )
    if others.filter(prize=award.prize, submission=submission).exists():
        raise ResultsError(_("This project already holds another place of this prize."))
    if (
        edition.one_prize_per_team
        and others.exclude(prize=award.prize).filter(submission__team=submission.team_id).exists()
    ):
        raise ResultsError(_("This team already wins another prize and may win only one."))


@service
def override_award(award, *, by, submission, reason) -> Award:
    """Replaces (or confirms) the winner of one place, keeping the written reason."""
    _check_state(award.snapshot, ResultSnapshot.State.PROPOSED)
    if award.place is None:
        raise ResultsError(_("Only a place can be overridden."))
    if not reason or not reason.strip():
        raise ResultsError(_("Explain why the award is overridden."), field="reason")
    _check_override(award, submission)
    before = award.submission_id
    _set_winner(award, submission, by=by, reason=reason)
    # The reason stays on the award (shown with the results), not copied into the log.
    audit.record(
        AWARD_OVERRIDDEN, actor=by, edition=award.snapshot.edition, target=award.prize,
        snapshot=award.snapshot_id, place=award.place, submission_before=before,
        submission_after=award.submission_id,
    )  # fmt: skip
    return award


def _standing(snapshot, round_id, submission_id) -> tuple[int | None, float | None]:
    """The project's rank and score in the round's frozen ranking (None, None if unranked)."""
    for entry in snapshot.rankings.get(str(round_id), {}).get("entries", []):
        if entry["submission"] == submission_id:
            return entry["rank"], entry["score"]
    return None, None


def _set_winner(award, submission, *, by, reason, at=None):
    """Puts `submission` on the place with its own rank and score, and the override's trace."""
    award.submission = submission
    award.rank, award.score = _standing(
        award.snapshot, award.prize.round_id, submission.pk if submission else None
    )
    award.override_reason = reason.strip()
    award.overridden_by = by
    award.overridden_at = at or timezone.now()
    award.needs_decision = False
    award.tied = False
    award.save()


@service
def swap_places(first, second, *, by, reason) -> tuple[Award, Award]:
    """Exchanges the winners of two places of one prize in one step, with one reason."""
    _check_state(first.snapshot, ResultSnapshot.State.PROPOSED)
    if first.snapshot_id != second.snapshot_id or first.prize_id != second.prize_id:
        raise ResultsError(_("Choose two places of the same prize."), field="other")
    if first.place is None or second.place is None or first.pk == second.pk:
        raise ResultsError(_("Choose two different places."), field="other")
    if not reason or not reason.strip():
        raise ResultsError(_("Explain why the places are swapped."), field="reason")
    a, b = first.submission, second.submission
    _check_override(first, b, ignore=[second])
    _check_override(second, a, ignore=[first])
    _set_winner(first, b, by=by, reason=reason)
    _set_winner(second, a, by=by, reason=reason)
    audit.record(
        PLACES_SWAPPED, actor=by, edition=first.snapshot.edition, target=first.prize,
        snapshot=first.snapshot_id, places=[first.place, second.place],
    )  # fmt: skip
    return first, second


def _carry_overrides(previous, snapshot) -> list[dict]:
    """Applies the overrides of `previous` to the same places of `snapshot` when their
    project may still hold them; returns each one, carried or dropped with why."""
    if previous is None:
        return []
    new = {
        (a.prize_id, a.place): a
        for a in Award.objects.filter(snapshot=snapshot, place__isnull=False).select_related(
            "prize", "snapshot__edition"
        )
    }
    notes = []
    old_awards = (
        Award.objects.filter(snapshot=previous, place__isnull=False)
        .exclude(override_reason="")
        .select_related("prize", "submission__team", "overridden_by")
        .order_by("prize__priority", "prize_id", "place")
    )
    for old in old_awards:
        note = {
            "prize": old.prize.name,
            "place": old.place,
            "title": old.submission.title if old.submission else "",
            "reason": old.override_reason,
            "carried": False,
            "why": "",
        }
        award = new.get((old.prize_id, old.place))
        try:
            if award is None:
                raise ResultsError(_("The place no longer exists."))
            _carry_one(award, old, new)
        except ResultsError as error:
            note["why"] = error.message
        else:
            note["carried"] = True
        notes.append(note)
    return notes


def _carry_one(award, old, new):
    """One earlier override onto `award`; a project computed on another place of the prize
    swaps with it, as the override had moved it."""
    holder = next(
        (
            a
            for a in new.values()
            if a.prize_id == award.prize_id
            and a.pk != award.pk
            and old.submission_id is not None
            and a.submission_id == old.submission_id
        ),
        None,
    )
    _check_override(award, old.submission, ignore=[holder] if holder else [])
    displaced = award.submission
    if holder is not None:
        _check_override(holder, displaced, ignore=[award])
        _set_winner(holder, displaced, by=old.overridden_by, reason=old.override_reason)
    _set_winner(
        award, old.submission, by=old.overridden_by, reason=old.override_reason,
        at=old.overridden_at,
    )  # fmt: skip
