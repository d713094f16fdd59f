"""Writes of a pairwise round: table numbers and each step of a judge's walk."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError, HackQCError
from hackqc.service import service
from judging.errors import ConflictOfInterestError, NotAssignedError, ReviewStateError
from judging.models import Comparison, Conflict, ExpoTable, ExpoWalk, Round
from judging.queries import has_conflict, round_judges, round_submissions
from judging.services.reviews import check_round_open

from .queries import choose_next

# What a judge may answer on the expo page.
START, CURRENT, PREVIOUS, SKIP, RECUSE = "start", "current", "previous", "skip", "recuse"
ACTIONS = (START, CURRENT, PREVIOUS, SKIP, RECUSE)


class NotPairwiseError(HackQCError):
    pass


@service
def number_tables(round, *, by=None) -> int:
    """Gives every project of the round a table number, after the highest one already given,
    in the order the projects were created; returns how many were numbered. Locks the round
    so two judges arriving at once never number the same table twice."""
    Round.objects.select_for_update().filter(pk=round.pk).first()
    numbered = set(ExpoTable.objects.filter(round=round).values_list("submission_id", flat=True))
    top = ExpoTable.objects.filter(round=round).aggregate(top=Max("number"))["top"] or 0
    missing = [
        sid
        for sid in round_submissions(round).order_by("pk").values_list("pk", flat=True)
        if sid not in numbered
    ]
    ExpoTable.objects.bulk_create(
        ExpoTable(round=round, submission_id=sid, number=top + i)
        for i, sid in enumerate(missing, start=1)
    )
    return len(missing)


def _check(round, judge):
    if round.mode != Round.Mode.PAIRWISE:
        raise NotPairwiseError(_("This round is not judged by pairwise comparisons."))
    if not round_judges(round).filter(pk=judge.pk).exists():
        raise NotAssignedError(_("You do not judge in this round."))


@service
def start_walk(round, *, judge, by) -> ExpoWalk:
    """The judge's place in the round, created with a first project to see if they have none
    (tables are numbered first when needed)."""
    _check(round, judge)
    check_round_open(round)
    walk, _created = ExpoWalk.objects.get_or_create(round=round, judge=judge)
    walk = ExpoWalk.objects.select_for_update().get(pk=walk.pk)
    if walk.current_id is None and walk.previous_id is None:
        if not ExpoTable.objects.filter(round=round).exists():
            number_tables(round, by=by)
        walk.current_id = choose_next(round, judge, previous=None)
        walk.updated_at = timezone.now()
        walk.save(update_fields=["current", "updated_at"])
    return walk


@service
def walk_step(round, *, judge, by, action, shown, reason="", now=None) -> ExpoWalk:
    """One answer on the expo page about the project `shown` (the one the page displayed).

    `start`: the first project is seen, go to the next; `current` / `previous`: which of the
    two last projects was better (the judge then compares the next one with `shown`);
    `skip`: the table was empty, never offer it again; `recuse`: a conflict of interest with
    the team, recorded as in scored rounds, and its verdicts stop counting.
    A page answered twice (double submit, a stale tab) names a project that is no longer
    the current one: nothing is recorded and ConcurrentEditError says so.
    """
    now = now or timezone.now()
    if action not in ACTIONS:
        raise ReviewStateError(_("Unknown answer."))
    _check(round, judge)
    check_round_open(round, now)
    walk = ExpoWalk.objects.select_for_update().filter(round=round, judge=judge).first()
    if walk is None or walk.current_id is None or walk.current_id != shown:
        raise ConcurrentEditError(
            _("This answer was already recorded: here is the project to see now.")
        )
    current, previous = walk.current, walk.previous
    if action in (CURRENT, PREVIOUS) and previous is None:
        action = START
    for project in (current, previous):
        if project is not None and action != RECUSE and has_conflict(judge, project.team):
            raise ConflictOfInterestError(
                _("You have a conflict of interest with this team: you cannot judge its project.")
            )
    if action in (CURRENT, PREVIOUS):
        winner, loser = (current, previous) if action == CURRENT else (previous, current)
        try:
            with transaction.atomic():
                Comparison.objects.create(
                    round=round, judge=judge, winner=winner, loser=loser, at=now
                )
        except IntegrityError as error:  # the unique pair: compared already
            raise ConcurrentEditError(_("You already compared these two projects.")) from error
        walk.previous = current
    elif action == START:
        walk.previous = current
    elif action == SKIP:
        Comparison.objects.create(round=round, judge=judge, skipped=current, at=now)
    else:
        if not reason.strip():
            raise ReviewStateError(_("Please give a reason."), field="reason")
        Conflict.objects.create(
            judge=judge,
            team=current.team,
            kind=Conflict.Kind.RECUSAL,
            reason=reason.strip(),
            created_by=by,
            created_at=now,
        )
        Comparison.objects.create(round=round, judge=judge, skipped=current, at=now)
    walk.current_id = choose_next(round, judge, previous=walk.previous_id, exclude=[current.pk])
    walk.updated_at = now
    walk.save(update_fields=["previous", "current", "updated_at"])
    return walk
