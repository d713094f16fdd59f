"""Computing a results snapshot from the closed rounds, and telling when it is stale."""

import hashlib
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.exceptions import HackQCError
from hackqc.models import Edition
from hackqc.service import service
from judging.models import Round
from judging.public_vote.results import people_choice
from judging.round_rankings import round_rankings, round_scores_digest
from submissions.models import Submission
from submissions.queries import show_judged_versions

from .. import conditions
from ..errors import ResultsError
from ..models import Award, Prize, ResultSnapshot
from ..parameters import round_parameters
from ..resolution import Candidate, PrizeSpec, RankRow, resolve_prizes
from .awards import LIVE_STATES, _carry_overrides
from .prizes import award_policy

RESULTS_COMPUTED = audit.action("results.computed", gettext_lazy("Computed the results"))


def _candidates(edition, policy) -> dict[int, Candidate]:
    submissions = show_judged_versions(
        Submission.objects.filter(edition=edition, state=Submission.State.SUBMITTED).select_related(
            "team"
        )
    )
    return {
        s.pk: Candidate(
            submission=s.pk,
            team=s.team_id,
            challenge=s.challenge_id,
            host_site=conditions.host_site_id(s),
            missing=conditions.missing_conditions(s, policy),
        )
        for s in submissions
    }


def _ranking_json(result) -> dict:
    return {
        "method": result.method,
        "components": result.components,
        "warnings": sorted({w.code for w in result.warnings}),
        "entries": [
            {
                "submission": e.submission,
                "rank": e.rank,
                "score": e.score,
                "n_reviews": e.n_reviews,
                "spread": e.spread,
                "mean_review": e.mean_review,
                "component": e.component,
                "tied": e.tied,
                "too_close_to_call": e.too_close_to_call,
                "tie_break": e.tie_break,
            }
            for e in result.entries
        ],
    }


def _rows(ranking: dict) -> list[RankRow]:
    return [
        RankRow(
            submission=e["submission"],
            rank=e["rank"],
            score=e["score"],
            component=e["component"],
            tied=e["tied"],
            too_close_to_call=e["too_close_to_call"],
        )
        for e in ranking["entries"]
    ]


def default_ranking_round(rounds):
    """The main jury round among `rounds`: the last one of the general jury (no sponsor).
    None when every round is a sponsor's: a sponsor's ranking is never the default."""
    general = [r for r in rounds if not r.sponsor]
    return max(general, key=lambda r: r.number, default=None)


def ranking_round(edition, deciding=()):
    """The round whose ranking the edition publishes as *the* ranking: the organizers' choice,
    else the main jury round among the deciding rounds, else among all the edition's rounds."""
    chosen = award_policy(edition).ranking_round
    if chosen is not None:
        return chosen
    return default_ranking_round(deciding) or default_ranking_round(
        Round.objects.filter(edition=edition)
    )


def scores_hash(digests: dict) -> str:
    text = json.dumps(digests, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _award_rows(snapshot, outcomes, candidates) -> list[Award]:
    rows = []
    for outcome in outcomes:
        for p in outcome.placements:
            rows.append(
                Award(
                    snapshot=snapshot,
                    prize_id=outcome.prize,
                    place=p.place,
                    submission_id=p.submission,
                    proposed_submission_id=p.submission if p.place else None,
                    rank=p.rank,
                    score=p.score,
                    missing=list(p.missing),
                    tied=p.tied,
                    tied_with=list(p.tied_with),
                    too_close_to_call=p.too_close_to_call,
                    needs_decision=p.needs_decision,
                )
            )
    return rows


@service
def compute_results(edition, *, by) -> ResultSnapshot:
    """Freezes a new snapshot: rankings, parameters, score digests and proposed awards.

    The overrides of the snapshot it replaces are carried over where their project may
    still hold the place, and listed as dropped otherwise (`carried_overrides`).
    Earlier proposed or approved snapshots of the edition become superseded; a published
    snapshot stays published until it is withdrawn. Locks the edition row, like every other
    results step, so a computation never supersedes a snapshot being published.
    """
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    prizes = list(Prize.objects.filter(edition=edition).select_related("round"))
    if not prizes:
        raise ResultsError(_("Add at least one prize before computing the results."))
    rounds = {p.round.pk: p.round for p in prizes if p.round is not None}
    main_round = ranking_round(edition, list(rounds.values()))
    if main_round is not None:
        rounds.setdefault(main_round.pk, main_round)
    rankings, parameters, digests = {}, {}, {}
    for round_id, round_ in sorted(rounds.items()):
        try:
            ranked = round_rankings(round_)
        except HackQCError as error:  # e.g. mixed scales: the round says how to fix it
            raise ResultsError(error.message) from error
        rankings[str(round_id)] = _ranking_json(ranked[round_.method])
        parameters[str(round_id)] = round_parameters(round_)
        digests[str(round_id)] = round_scores_digest(round_)
    candidates = _candidates(edition, award_policy(edition))
    # The people's choice prize ranks by votes, under a key no round id takes (-prize id).
    vote_prize, vote_rows, public_votes = people_choice(edition)
    specs = [
        PrizeSpec(
            p.pk,
            p.places,
            p.priority,
            (-p.pk if vote_rows is not None else None) if p.pk == vote_prize else p.round_id,
            p.challenge_id,
            p.host_site_id,
        )
        for p in prizes
    ]
    resolved_rankings = {int(k): _rows(v) for k, v in rankings.items()}
    if vote_rows is not None:
        resolved_rankings[-vote_prize] = [RankRow(**row) for row in vote_rows]
    outcomes = resolve_prizes(
        specs,
        resolved_rankings,
        candidates,
        one_prize_per_team=edition.one_prize_per_team,
    )
    replaced = ResultSnapshot.objects.filter(
        edition=edition,
        state__in=[ResultSnapshot.State.PROPOSED, ResultSnapshot.State.APPROVED],
    )
    # The latest computation, whatever became of it (a withdrawn one included): its
    # overrides are the organizers' latest decisions.
    previous = (
        ResultSnapshot.objects.filter(edition=edition).order_by("-computed_at", "-pk").first()
    )
    replaced.update(state=ResultSnapshot.State.SUPERSEDED)
    snapshot = ResultSnapshot.objects.create(
        edition=edition,
        computed_by=by,
        main_round=main_round,
        parameters=parameters,
        rankings=rankings,
        digests=digests,
        scores_hash=scores_hash(digests),
        public_votes=public_votes,
    )
    awards = Award.objects.bulk_create(_award_rows(snapshot, outcomes, candidates))
    snapshot.carried_overrides = _carry_overrides(previous, snapshot)
    if snapshot.carried_overrides:
        snapshot.save(update_fields=["carried_overrides"])
    audit.record(
        RESULTS_COMPUTED, actor=by, edition=edition, target=snapshot, snapshot=snapshot.pk,
        rounds=sorted(r.number for r in rounds.values()), places=len(awards),
        overrides_carried=len(snapshot.carried_overrides),
    )  # fmt: skip
    return snapshot


def is_stale(snapshot) -> bool:
    """True when a raw score of a round it used changed since it was computed, or when a
    submission it awards has since been disqualified."""

    disqualified = Award.objects.filter(
        snapshot=snapshot, submission__state=Submission.State.DISQUALIFIED
    )
    if disqualified.exists():
        return True
    rounds = Round.objects.filter(pk__in=[int(k) for k in snapshot.digests])
    current = {str(r.pk): round_scores_digest(r) for r in rounds}
    return current != snapshot.digests


def stale_snapshot_ids(snapshots) -> set[int]:
    """`is_stale` for a list of snapshots at once: each round's digest is computed once and
    the disqualified winners are found in one query (for the snapshot list)."""

    live = [s for s in snapshots if s.state in LIVE_STATES]
    disqualified = set(
        Award.objects.filter(
            snapshot__in=live, submission__state=Submission.State.DISQUALIFIED
        ).values_list("snapshot_id", flat=True)
    )
    round_ids = {int(k) for s in live for k in s.digests}
    current = {str(r.pk): round_scores_digest(r) for r in Round.objects.filter(pk__in=round_ids)}
    return disqualified | {
        s.pk for s in live if any(current.get(k) != v for k, v in s.digests.items())
    }


# Snapshots whose staleness matters: the ones that are or may become public.
