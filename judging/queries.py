"""Reads shared by the jury's views, services and commands, each in a constant number of queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.queries import judgeable_submissions
from teams.models import Membership, Registration

from .models import Assignment, Conflict, Judge, Review, Round


def normalise_organisation(name: str) -> str:
    """Organisations are compared trimmed, case-insensitively, with inner spaces collapsed."""
    return " ".join((name or "").split()).casefold()


# --- Submissions --------------------------------------------------------------------------


def round_submissions(round):
    """The submissions `round` includes, according to its scope."""
    qs = judgeable_submissions(round.edition)
    if round.scope == Round.Scope.CHALLENGE:
        qs = qs.filter(challenge=round.scope_challenge_id)
    elif round.scope == Round.Scope.FINALISTS:
        qs = qs.filter(pk__in=round.finalists.values("submission"))
    return qs


# --- Conflicts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictReason:
    kind: str  # "member", "organisation", or a Conflict.Kind value
    label: str
    conflict_id: int | None = None  # the Conflict row, for declared/added/recusal ones


AUTOMATIC_LABELS = {
    "member": _("Member of the team"),
    "organisation": _("Same organisation as a team member"),
}


def _team_organisations(edition, team=None):
    """({team id: {organisation}}, {organisation: {team id}}, {user id: team id}) of the
    edition's teams, or of `team` only; 2 queries."""
    memberships = Membership.objects.filter(edition=edition)
    if team is not None:
        memberships = memberships.filter(team=team)
    team_of = dict(memberships.values_list("user_id", "team_id"))
    orgs_of_team = defaultdict(set)
    teams_of_org = defaultdict(set)
    for user_id, organisation in Registration.objects.filter(
        edition=edition, user_id__in=list(team_of)
    ).values_list("user_id", "organisation"):
        org = normalise_organisation(organisation)
        if org:
            orgs_of_team[team_of[user_id]].add(org)
            teams_of_org[org].add(team_of[user_id])
    return orgs_of_team, teams_of_org, team_of


def conflict_map(edition, *, judge=None, team=None) -> dict[tuple[int, int], list[ConflictReason]]:
    """Every effective conflict of `edition`'s judges: {(judge id, team id): reasons}; with
    `judge` and `team`, those of that pair only (what saving one review asks: reading the
    whole edition's teams cost a review save ~10 ms on hackathon day).

    Automatic conflicts (member of the team, same organisation as a member) unless an
    organizer waived them for that team, plus active declared, added and recusal conflicts.
    Four queries whatever the size of the edition.
    """
    _orgs, teams_of_org, team_of = _team_organisations(edition, team)
    judges = Judge.objects.filter(edition=edition)
    conflicts = Conflict.objects.filter(judge__edition=edition, lifted_at=None)
    if judge is not None:
        judges = judges.filter(pk=judge.pk)
        conflicts = conflicts.filter(judge=judge)
    if team is not None:
        conflicts = conflicts.filter(Q(team=team) | Q(team=None))
    judges = list(judges.values_list("pk", "user_id", "organisation"))
    rows = list(conflicts.values_list("pk", "judge_id", "team_id", "organisation", "kind"))
    waived = {(judge, team) for _pk, judge, team, _org, kind in rows if kind == "waiver"}
    result: dict[tuple[int, int], list[ConflictReason]] = defaultdict(list)
    for judge_id, user_id, organisation in judges:
        automatic = []
        if user_id in team_of:
            automatic.append((team_of[user_id], "member"))
        for team in teams_of_org.get(normalise_organisation(organisation), ()):
            automatic.append((team, "organisation"))
        for team, kind in automatic:
            if (judge_id, team) not in waived:
                result[judge_id, team].append(ConflictReason(kind, AUTOMATIC_LABELS[kind]))
    labels = dict(Conflict.Kind.choices)
    for pk, judge_id, team_id, organisation, kind in rows:
        if kind == "waiver":
            continue
        teams = [team_id] if team_id else teams_of_org.get(normalise_organisation(organisation), ())
        for team in teams:
            result[judge_id, team].append(ConflictReason(kind, labels[kind], pk))
    return dict(result)


def waivable_conflicts(edition) -> dict[tuple[int, int], list[str]]:
    """Automatic conflicts before waivers, to show organizers what a waiver lifted."""
    _orgs, teams_of_org, team_of = _team_organisations(edition)
    result = defaultdict(list)
    for judge_id, user_id, organisation in Judge.objects.filter(edition=edition).values_list(
        "pk", "user_id", "organisation"
    ):
        if user_id in team_of:
            result[judge_id, team_of[user_id]].append("member")
        for team in teams_of_org.get(normalise_organisation(organisation), ()):
            result[judge_id, team].append("organisation")
    return dict(result)


def has_conflict(judge, team) -> bool:
    return (judge.pk, team.pk) in conflict_map(judge.edition, judge=judge, team=team)


# --- Judges and progress --------------------------------------------------------------------


def round_judges(round):
    """Judges who may score `round`: accepted, of its sponsor (or general), not withdrawn."""
    return (
        Judge.objects.filter(edition=round.edition, sponsor=round.sponsor)
        .exclude(accepted_at=None)
        .exclude(blocks__round=round, blocks__submission=None)
    )


def _review_state(round, judge_field="judge", submission_field="submission"):
    return Subquery(
        Review.objects.filter(
            round=round, judge=OuterRef(judge_field), submission=OuterRef(submission_field)
        ).values("state")[:1]
    )


def judge_assignments(judge, round):
    """The judge's assignments in `round`, each with its review's state and version (1 query)."""
    reviews = Review.objects.filter(round=round, judge=judge, submission=OuterRef("submission"))
    return (
        Assignment.objects.filter(round=round, judge=judge)
        .select_related("submission__challenge", "submission__team")
        .annotate(
            review_state=Subquery(reviews.values("state")[:1]),
            review_updated=Subquery(reviews.values("updated_at")[:1]),
        )
        .order_by("submission__title", "submission__pk")
    )


def _annotated_assignments(round):
    return Assignment.objects.filter(round=round).annotate(state=_review_state(round))


def _counts():
    return {
        "assigned": Count("pk"),
        "done": Count("pk", filter=Q(state=Review.State.SUBMITTED)),
        "drafts": Count("pk", filter=Q(state=Review.State.DRAFT)),
        "recused": Count("pk", filter=Q(state=Review.State.RECUSED)),
    }


# A judge with reviews still pending this close to the round's end (or after it) is late.
LATE_MARGIN = dt.timedelta(days=2)


def is_near_end(round, now=None) -> bool:
    """Whether pending reviews are late: the round closes within LATE_MARGIN, or closed."""
    now = now or timezone.now()
    return round.closed_at is not None or now >= round.closes_at - LATE_MARGIN


def judge_progress(round, now=None):
    """Per judge: assigned, submitted, drafts, recused, pending counts and `late` (2 queries).

    Late: reviews still pending when the round closes within LATE_MARGIN, or has closed.
    """
    near_end = is_near_end(round, now)
    counts = {
        row["judge"]: row
        for row in _annotated_assignments(round).values("judge").annotate(**_counts()).order_by()
    }
    rows = []
    for judge in Judge.objects.filter(pk__in=list(counts)).select_related("user"):
        row = counts[judge.pk]
        pending = row["assigned"] - row["done"] - row["recused"]
        rows.append({**row, "judge": judge, "pending": pending, "late": near_end and pending > 0})
    rows.sort(key=lambda row: (-row["pending"], str(row["judge"]).casefold()))
    return rows


def submission_progress(round):
    """Per included submission: active judges (not recused), submitted reviews (2 queries)."""
    subs = list(
        round_submissions(round).select_related("challenge", "team").order_by("title", "pk")
    )
    counts = {
        row["submission"]: row
        for row in _annotated_assignments(round)
        .values("submission")
        .annotate(**_counts())
        .order_by()
    }
    k = round.judges_per_submission
    rows = []
    for sub in subs:
        row = counts.get(sub.pk, {"assigned": 0, "done": 0, "drafts": 0, "recused": 0})
        active = row["assigned"] - row["recused"]
        rows.append({**row, "submission": sub, "active": active, "missing": max(k - active, 0)})
    return rows


def pending_judges(round) -> dict[int, int]:
    """{judge id: reviews still to submit} for judges with pending reviews (1 query)."""
    rows = (
        _annotated_assignments(round)
        .filter(Q(state=None) | Q(state=Review.State.DRAFT))
        .values("judge")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("judge", "n")
    )
    return dict(rows)


def active_team_conflict(judge, team):
    """Exists: an active conflict the judge declared (or an organizer added) with the team.
    `judge` and `team` are values or OuterRef expressions."""
    return Exists(
        Conflict.objects.filter(
            judge=judge,
            team=team,
            lifted_at=None,
            kind__in=[Conflict.Kind.DECLARED, Conflict.Kind.ADDED],
        )
    )


def reviews_to_recuse(judge):
    """The judge's reviews, in rounds not closed, of teams they declared a conflict with
    after scoring them: the judge is offered to step aside, organizers see a flag."""
    return (
        Review.objects.filter(judge=judge, round__closed_at=None)
        .exclude(state=Review.State.RECUSED)
        .filter(active_team_conflict(OuterRef("judge"), OuterRef("submission__team")))
        .select_related("round", "submission__team")
        .order_by("round__number", "pk")
    )


def round_assignments_by_submission(round, submission_ids=None) -> dict[int, list]:
    """{submission id: its assignments with judge, review id and state}, in one query; only
    those of `submission_ids` when given (a page of the progress table)."""
    reviews = Review.objects.filter(
        round=round, judge=OuterRef("judge"), submission=OuterRef("submission")
    )
    assignments = Assignment.objects.filter(round=round)
    if submission_ids is not None:
        assignments = assignments.filter(submission_id__in=submission_ids)
    rows = (
        assignments.select_related("judge__user")
        .annotate(
            review_id=Subquery(reviews.values("pk")[:1]),
            review_state=Subquery(reviews.values("state")[:1]),
            conflict_flag=active_team_conflict(OuterRef("judge"), OuterRef("submission__team")),
        )
        .order_by("judge__user__display_name", "pk")
    )
    grouped: dict[int, list] = defaultdict(list)
    for a in rows:
        grouped[a.submission_id].append(a)
    return dict(grouped)


def has_submitted_reviews(submission) -> bool:
    """Whether a judge has scored this project (its judged version is then fixed)."""
    return Review.objects.filter(submission=submission, state=Review.State.SUBMITTED).exists()
