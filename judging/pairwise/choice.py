"""Which project a judge is sent to next in a pairwise round (pure, no Django).

Informative and walkable, as Gavel does it: among the projects the judge has not yet seen
(nor skipped, nor has a conflict with), the next one minimises

    |θ_c - θ_prev|                    close to the project just seen in the current fit,
  + COUNT_WEIGHT · (n_c - n_min)      fewer comparisons so far than the others,
  + TABLE_WEIGHT · min(|t_c - t_prev| / TABLE_SPAN, 1)   a few steps away,
  + BUSY_WEIGHT · judges now at c     not where other judges are standing,

ties going to the lower table number, then the lower id. θ are Bradley-Terry scores
(log-odds), so a difference of 1 is a 73 % / 27 % expected verdict: a pair that close is
worth comparing; an extra comparison already made, or ten tables' walk, weigh half as much.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COUNT_WEIGHT = 0.5
TABLE_WEIGHT = 0.5
TABLE_SPAN = 10
BUSY_WEIGHT = 1.0


@dataclass(frozen=True)
class Candidate:
    submission: int
    table: int


def next_project(
    candidates: Sequence[Candidate],
    *,
    previous: Candidate | None,
    scores: Mapping[int, float],
    counts: Mapping[int, int],
    busy: Mapping[int, int],
) -> int | None:
    """The submission id of the next project to see, or None when none is left."""
    if not candidates:
        return None
    least = min(counts.get(c.submission, 0) for c in candidates)
    base = scores.get(previous.submission, 0.0) if previous else 0.0

    def cost(c: Candidate) -> tuple:
        value = COUNT_WEIGHT * (counts.get(c.submission, 0) - least)
        value += BUSY_WEIGHT * busy.get(c.submission, 0)
        if previous is not None:
            value += abs(scores.get(c.submission, 0.0) - base)
            value += TABLE_WEIGHT * min(abs(c.table - previous.table) / TABLE_SPAN, 1.0)
        return (round(value, 9), c.table, c.submission)

    return min(candidates, key=cost).submission
