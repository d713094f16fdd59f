"""The synthetic edition's pairwise round (`generate_edition --pairwise C`)."""

import datetime as dt
import math

from judging.models import Comparison, ExpoTable, Round
from judging.queries import conflict_map

# Project strengths on the Bradley-Terry scale: a 2-point gap wins 88 % of comparisons.
STRENGTH_SPREAD = 1.0


def make_pairwise(round) -> None:
    Round.objects.filter(pk=round.pk).update(mode=Round.Mode.PAIRWISE, method=Round.Method.PAIRWISE)
    round.refresh_from_db()


def generate_comparisons(round, rng, subs, judges, per_project: int) -> int:
    """About `per_project` comparisons per project by judges walking neighbouring tables,
    each verdict drawn from a Bradley-Terry model of hidden strengths; no judge compares a
    team they have a conflict with, nor the same pair twice. Returns how many were made."""
    ExpoTable.objects.bulk_create(
        ExpoTable(round=round, submission=s, number=i) for i, s in enumerate(subs, start=1)
    )
    strength = rng.normal(0, STRENGTH_SPREAD, len(subs))
    conflicts = conflict_map(round.edition)
    wanted = per_project * len(subs) // 2
    seen, rows = set(), []
    at = round.opens_at + dt.timedelta(hours=1)
    attempts = 0
    while len(rows) < wanted and attempts < wanted * 20:
        attempts += 1
        judge = judges[int(rng.integers(len(judges)))]
        a = int(rng.integers(len(subs)))
        b = (a + int(rng.integers(1, 6)) * (1 if rng.random() < 0.5 else -1)) % len(subs)
        first, second = subs[a], subs[b]
        key = (judge.pk, min(first.pk, second.pk), max(first.pk, second.pk))
        if a == b or key in seen:
            continue
        if (judge.pk, first.team_id) in conflicts or (judge.pk, second.team_id) in conflicts:
            continue
        seen.add(key)
        p_first = 1.0 / (1.0 + math.exp(strength[b] - strength[a]))
        winner, loser = (first, second) if rng.random() < p_first else (second, first)
        at += dt.timedelta(seconds=int(rng.integers(20, 120)))
        rows.append(Comparison(round=round, judge=judge, winner=winner, loser=loser, at=at))
    Comparison.objects.bulk_create(rows)
    return len(rows)
