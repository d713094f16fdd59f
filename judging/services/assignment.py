"""Assigning judges to submissions: the exact solver, pins, removals and drop-outs."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hackqc import audit
from hackqc.service import service
from judging.assignment_solver import (
    AssignmentResult,
    InfeasibleAssignment,
    assign_everyone,
    connect_assignment,
    solve_assignment,
)
from judging.errors import AssignmentError, ConflictOfInterestError
from judging.models import Assignment, AssignmentBlock, Judge, Review, Round
from judging.queries import conflict_map, round_judges, round_submissions

ASSIGNMENT_RUN = audit.action("assignment.run", gettext_lazy("Assigned the judges of a round"))
ASSIGNMENT_PINNED = audit.action("assignment.pinned", gettext_lazy("Assigned a judge by hand"))
ASSIGNMENT_REMOVED = audit.action(
    "assignment.removed", gettext_lazy("Removed a judge's assignment")
)
JUDGE_WITHDRAWN = audit.action(
    "assignment.judge_withdrawn", gettext_lazy("Withdrew a judge from a round")
)

SHORTFALL_REASONS = {
    "too_few_eligible_judges": lambda n, k: (
        ngettext(
            "only %(n)s judge without a conflict of interest, %(k)s needed",
            "only %(n)s judges without a conflict of interest, %(k)s needed",
            n,
        )
        % {"n": n, "k": k}
    ),
    "capacity": lambda n, k: (
        _("%(n)s judges without a conflict, but they cannot take more (load limit or pins)")
        % {"n": n}
    ),
}


@dataclass(frozen=True)
class ShortfallInfo:
    submission_id: int
    title: str
    eligible_judges: int
    reason: str


@dataclass(frozen=True)
class AssignmentOutcome:
    result: AssignmentResult
    created: int
    removed: int
    kept: int


def _check_round_editable(round):
    if round.closed_at is not None:
        raise AssignmentError(_("This round is closed: its assignments can no longer change."))


def _problem(round):
    """Ids, preferences, conflicts and fixed pairs of the round, in a constant number of queries."""
    subs = list(round_submissions(round).values_list("pk", "team_id", "challenge_id", "title"))
    judges = list(round_judges(round).values_list("pk", flat=True))
    prefs: dict[int, set[int]] = {j: set() for j in judges}
    for j, c in Judge.preferred_challenges.through.objects.filter(judge_id__in=judges).values_list(
        "judge_id", "challenge_id"
    ):
        prefs[j].add(c)
    conflicts_by_team = conflict_map(round.edition)
    judge_set = set(judges)
    conflicts = {
        (j, s) for s, team, _c, _t in subs for j in judges if (j, team) in conflicts_by_team
    }
    blocks = set(
        AssignmentBlock.objects.filter(round=round, submission__isnull=False).values_list(
            "judge_id", "submission_id"
        )
    )
    existing = list(
        Assignment.objects.filter(round=round).values_list(
            "pk", "judge_id", "submission_id", "pinned"
        )
    )
    states = {
        (j, s): st
        for j, s, st in Review.objects.filter(round=round).values_list(
            "judge_id", "submission_id", "state"
        )
    }
    sub_ids = {s for s, *_rest in subs}
    recused = {pair for pair, st in states.items() if st == Review.State.RECUSED}
    kept = {
        (j, s)
        for _pk, j, s, pinned in existing
        if (pinned or states.get((j, s)) in (Review.State.DRAFT, Review.State.SUBMITTED))
        and j in judge_set
        and s in sub_ids
        and (j, s) not in conflicts
        and (j, s) not in recused
    }
    return subs, judges, prefs, conflicts, blocks | recused, existing, kept


def _shortfall_infos(exc, subs, k) -> list[ShortfallInfo]:
    titles = {s: title for s, _team, _c, title in subs}
    return [
        ShortfallInfo(
            submission_id=sf.submission,
            title=titles.get(sf.submission, str(sf.submission)),
            eligible_judges=sf.eligible_judges,
            reason=SHORTFALL_REASONS[sf.reason](sf.eligible_judges, k),
        )
        for sf in exc.shortfalls
    ]


def _notify_judges(round, assignments):
    """Each judge with new assignments gets one mail (through the outbox, with the write)."""
    from ..mails import mail_judge_assigned

    by_judge = {}
    for assignment in assignments:
        by_judge.setdefault(assignment.judge_id, []).append(assignment)
    judges = Judge.objects.select_related("user", "edition").in_bulk(list(by_judge))
    for judge_id, batch in by_judge.items():
        mail_judge_assigned(round, judge=judges[judge_id], assignments=batch)


@service
def run_assignment(round, *, by) -> AssignmentOutcome:
    """Give each included submission `k` judges with the exact solver, keeping fixed pairs.

    Pinned assignments and those a judge has started (draft or submitted review) are kept;
    recused, blocked and conflicting pairs are never chosen; other assignments are replaced
    by the solver's. Raises AssignmentError listing each submission that cannot be covered
    (nothing changes then).
    """
    _check_round_editable(round)
    k = round.judges_per_submission
    subs, judges, prefs, conflicts, forbidden, existing, kept = _problem(round)
    kept_per_sub: dict[int, int] = {}
    for _j, s in kept:
        kept_per_sub[s] = kept_per_sub.get(s, 0) + 1
    # A final: every judge on every finalist, so the judges' severities can be compared.
    everyone = round.assignment_mode == Round.AssignmentMode.EVERYONE
    solve = assign_everyone if everyone else solve_assignment
    try:
        result = solve(
            [s for s, *_rest in subs],
            judges,
            k=k,
            conflicts=conflicts,
            preferences=prefs,
            challenge_of={s: c for s, _team, c, _t in subs if c is not None},
            pinned=kept,
            forbidden=forbidden - kept,
        )
        if round.assignment_mode == Round.AssignmentMode.CONNECTED:
            # A final with a capacity: the same loads, judges exchanged until every project
            # is linked to every other through shared judges (the judge-bias model needs it).
            result = connect_assignment(
                result,
                conflicts=conflicts,
                pinned=kept,
                forbidden=forbidden - kept,
                preferences=prefs,
                challenge_of={s: c for s, _team, c, _t in subs if c is not None},
            )
    except InfeasibleAssignment as exc:
        raise AssignmentError(
            _("Some projects cannot get %(k)s judges without a conflict of interest.") % {"k": k},
            shortfalls=_shortfall_infos(exc, subs, k),
        ) from exc
    except ValueError as exc:  # more pinned or started judges than k on a project
        raise AssignmentError(
            _(
                "Some projects already have more than %(k)s judges (pinned or started): raise "
                "the number of judges per project or remove assignments."
            )
            % {"k": k}
        ) from exc
    wanted = result.pairs
    keep_rows = {(j, s) for _pk, j, s, _p in existing if (j, s) in wanted or (j, s) in forbidden}
    stale = [pk for pk, j, s, _p in existing if (j, s) not in keep_rows]
    Assignment.objects.filter(pk__in=stale).delete()
    have = {(j, s) for _pk, j, s, _p in existing}
    new = [Assignment(round=round, judge_id=j, submission_id=s) for j, s in sorted(wanted - have)]
    _notify_judges(round, Assignment.objects.bulk_create(new))
    audit.record(
        ASSIGNMENT_RUN, actor=by, edition=round.edition, target=round, round=round.number,
        created=len(new), removed=len(stale), kept=len(kept),
    )  # fmt: skip
    return AssignmentOutcome(result=result, created=len(new), removed=len(stale), kept=len(kept))


def _record(code, round, judge, *, by, **details) -> None:
    """A judge is a person: the entry's target is their account (a key, resolved when the log
    is shown), never their name."""
    audit.record(
        code, actor=by, edition=round.edition, target=judge.user, round=round.number, **details
    )


@service
def pin_assignment(round, *, judge, submission, by) -> Assignment:
    """Assign `judge` to `submission` by hand and keep it through re-runs.

    Lifts an earlier removal of that pair. Raises ConflictOfInterestError on a conflict.
    """
    _check_round_editable(round)
    if (judge.pk, submission.team_id) in conflict_map(
        round.edition, judge=judge, team=submission.team
    ):
        raise ConflictOfInterestError(
            _("%(judge)s has a conflict of interest with this team.") % {"judge": judge}
        )
    AssignmentBlock.objects.filter(round=round, judge=judge, submission=submission).delete()
    assignment, created = Assignment.objects.update_or_create(
        round=round, judge=judge, submission=submission, defaults={"pinned": True}
    )
    if created:
        _notify_judges(round, [assignment])
    _record(ASSIGNMENT_PINNED, round, judge, by=by, submission=submission.pk)
    return assignment


@service
def remove_assignment(round, *, judge, submission, by, reason="") -> None:
    """Remove one assignment and keep the pair out of later runs.

    Refused once the judge has submitted that review (it would still count).
    """
    _check_round_editable(round)
    if Review.objects.filter(
        round=round, judge=judge, submission=submission, state=Review.State.SUBMITTED
    ).exists():
        raise AssignmentError(_("This judge has already submitted the review."))
    Assignment.objects.filter(round=round, judge=judge, submission=submission).delete()
    AssignmentBlock.objects.get_or_create(
        round=round,
        judge=judge,
        submission=submission,
        defaults={"reason": reason.strip(), "created_by": by},
    )
    _record(ASSIGNMENT_REMOVED, round, judge, by=by, submission=submission.pk)


@service
def withdraw_judge(round, *, judge, by, reason="") -> int:
    """A judge drops out of `round`: remove their assignments not yet submitted.

    Their submitted reviews still count. Returns how many assignments were removed; a
    re-run then tops up the submissions they leave short.
    """
    _check_round_editable(round)
    AssignmentBlock.objects.get_or_create(
        round=round,
        judge=judge,
        submission=None,
        defaults={"reason": reason.strip(), "created_by": by},
    )
    submitted = Review.objects.filter(round=round, judge=judge, state=Review.State.SUBMITTED)
    removed, _detail = (
        Assignment.objects.filter(round=round, judge=judge)
        .exclude(Q(submission__in=submitted.values("submission")))
        .delete()
    )
    _record(JUDGE_WITHDRAWN, round, judge, by=by, assignments_removed=removed)
    return removed
