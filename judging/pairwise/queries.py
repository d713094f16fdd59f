"""Reads of a pairwise round, each in a constant number of queries."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from judging.models import Comparison, ExpoTable, ExpoWalk
from judging.queries import conflict_map, round_submissions

from .choice import Candidate, next_project
from .fitting import fit, rank_pairwise


@dataclass(frozen=True)
class CountedComparison:
    judge: int
    winner: int
    loser: int
    at: object  # datetime


def counted_comparisons(round) -> list[CountedComparison]:
    """The verdicts that count, in the order they were given: skips never count, nor a
    verdict by a judge who has (since) a conflict of interest with either team, as a
    recused review never counts in a scored round. Five queries."""
    conflicts = conflict_map(round.edition)
    rows = (
        Comparison.objects.filter(round=round, skipped=None)
        .order_by("at", "pk")
        .values_list("judge_id", "winner_id", "loser_id", "winner__team_id", "loser__team_id", "at")
    )
    return [
        CountedComparison(judge, winner, loser, at)
        for judge, winner, loser, winner_team, loser_team, at in rows
        if (judge, winner_team) not in conflicts and (judge, loser_team) not in conflicts
    ]


def pairwise_rankings(round) -> dict:
    """{"pairwise": RankingResult}: the shape `round_rankings` gives for scored rounds, keyed
    by the round's method, so results, prizes and advancement read it unchanged."""
    pairs = [(c.winner, c.loser) for c in counted_comparisons(round)]
    unseen = list(round_submissions(round).values_list("pk", flat=True))
    return {"pairwise": rank_pairwise(pairs, round.pairwise_alpha, unseen=unseen)}


def comparisons_digest(round) -> str:
    """SHA-256 of the verdicts that count: changes whenever the ranking's input does."""
    data = [[c.judge, c.winner, c.loser] for c in counted_comparisons(round)]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def table_numbers(round) -> dict[int, int]:
    """{submission id: table number} of the round's expo."""
    return dict(ExpoTable.objects.filter(round=round).values_list("submission_id", "number"))


# The estimates that pick the next project are refitted after this many new verdicts (or
# 5 % more), not at every step: a fit of a 500-project expo takes about half a second, and
# the choice only needs a recent estimate (the published ranking is always fitted afresh).
REFIT_EVERY = 20


def choice_scores(round, pairs) -> dict[int, float]:
    """The Bradley-Terry estimates used to choose the next project, cached per round."""
    key = f"pairwise-choice:{round.pk}:{round.pairwise_alpha}"
    cached = cache.get(key)
    if cached is not None:
        count, scores = cached
        if count <= len(pairs) < count + max(REFIT_EVERY, count // 20):
            return scores
    scores = fit(pairs, round.pairwise_alpha) if pairs else {}
    cache.set(key, (len(pairs), scores), timeout=3600)
    return scores


def choose_next(round, judge, *, previous: int | None, exclude=()) -> int | None:
    """The next project for `judge` (see `choice`): not seen or skipped by them, no conflict
    of interest, not `exclude`; None when every project has been seen."""
    tables = table_numbers(round)
    eligible = dict(round_submissions(round).values_list("pk", "team_id"))
    conflicts = conflict_map(round.edition)
    seen = set()
    for winner, loser, skipped in Comparison.objects.filter(round=round, judge=judge).values_list(
        "winner_id", "loser_id", "skipped_id"
    ):
        seen.update((winner, loser, skipped))
    seen.update(exclude)
    if previous is not None:
        seen.add(previous)
    candidates = [
        Candidate(sid, tables.get(sid, 0))
        for sid, team in eligible.items()
        if sid not in seen and (judge.pk, team) not in conflicts
    ]
    if not candidates:
        return None
    pairs = list(
        Comparison.objects.filter(round=round, skipped=None).values_list("winner_id", "loser_id")
    )
    counts = Counter(s for pair in pairs for s in pair)
    busy = Counter(
        ExpoWalk.objects.filter(round=round)
        .exclude(judge=judge)
        .exclude(current=None)
        .values_list("current_id", flat=True)
    )
    scores = choice_scores(round, pairs)
    prev = Candidate(previous, tables.get(previous, 0)) if previous is not None else None
    return next_project(candidates, previous=prev, scores=scores, counts=counts, busy=busy)
