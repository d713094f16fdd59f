"""Prize resolution: a pure function from rankings and submission facts to awards.

No Django import, so the rules can be tested and re-run offline. Prizes are taken in
priority order; where a team may win only one prize, a team that already won is skipped.
A submission that misses an award condition is listed with what it misses and passed over,
never silently. A tie that straddles the last place is flagged and left for the organizers.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PrizeSpec:
    id: int
    places: int
    priority: int
    round: int | None  # None: the sponsor's own judges decide
    challenge: int | None = None
    host_site: int | None = None


@dataclass(frozen=True)
class Candidate:
    """What the rules need to know about a submission."""

    submission: int
    team: int
    challenge: int | None = None
    host_site: int | None = None
    missing: tuple[str, ...] = ()  # award conditions not met


@dataclass(frozen=True)
class RankRow:
    """One line of a round's ranking (a subset of `RankedEntry`)."""

    submission: int
    rank: int
    score: float
    component: int = 1
    tied: bool = False
    too_close_to_call: bool = False


@dataclass
class Placement:
    place: int | None  # None: passed over
    submission: int | None
    rank: int | None = None
    score: float | None = None
    missing: tuple[str, ...] = ()
    tied: bool = False
    tied_with: tuple[int, ...] = ()
    too_close_to_call: bool = False
    needs_decision: bool = False


@dataclass
class PrizeOutcome:
    prize: int
    placements: list[Placement] = field(default_factory=list)

    @property
    def winners(self) -> list[int]:
        return [p.submission for p in self.placements if p.place and p.submission]

    @property
    def boundary_tie(self) -> bool:
        return any(p.tied and p.place for p in self.placements)


def _eligible(prize: PrizeSpec, candidate: Candidate) -> bool:
    if prize.challenge is not None and candidate.challenge != prize.challenge:
        return False
    return not (prize.host_site is not None and candidate.host_site != prize.host_site)


def _rank_key(row: RankRow) -> tuple:
    return (row.rank, row.component, -row.score, row.submission)


def _boundary_ties(rows: list[RankRow], awarded: list[Placement], places: int) -> None:
    """Flags the last place when the next qualified entry shares its rank."""
    winners = [p for p in awarded if p.place]
    if len(winners) < places or not rows:
        return
    last = winners[-1]
    same = [r.submission for r in rows if r.rank == last.rank and r.submission != last.submission]
    outside = [s for s in same if s not in {w.submission for w in winners}]
    if outside:
        for placement in winners:
            if placement.rank == last.rank:
                placement.tied = True
                placement.tied_with = tuple(sorted(outside))
                placement.needs_decision = True


def _resolve_one(
    prize: PrizeSpec,
    rows: Sequence[RankRow],
    candidates: Mapping[int, Candidate],
    excluded_teams: set[int],
) -> PrizeOutcome:
    outcome = PrizeOutcome(prize=prize.id)
    if prize.round is None:
        outcome.placements = [
            Placement(place=n, submission=None, needs_decision=True)
            for n in range(1, prize.places + 1)
        ]
        return outcome
    qualified: list[RankRow] = []
    place = 0
    for row in sorted(rows, key=_rank_key):
        candidate = candidates.get(row.submission)
        if candidate is None or not _eligible(prize, candidate):
            continue
        if candidate.team in excluded_teams:
            continue
        if candidate.missing:
            if place < prize.places:
                outcome.placements.append(
                    Placement(None, row.submission, row.rank, row.score, candidate.missing)
                )
            continue
        qualified.append(row)
        if place < prize.places:
            place += 1
            outcome.placements.append(
                Placement(
                    place,
                    row.submission,
                    row.rank,
                    row.score,
                    too_close_to_call=row.too_close_to_call,
                )
            )
    _boundary_ties(qualified, outcome.placements, prize.places)
    for n in range(place + 1, prize.places + 1):
        outcome.placements.append(Placement(place=n, submission=None))
    return outcome


def resolve_prizes(
    prizes: Iterable[PrizeSpec],
    rankings: Mapping[int, Sequence[RankRow]],
    candidates: Mapping[int, Candidate],
    *,
    one_prize_per_team: bool,
) -> list[PrizeOutcome]:
    """Each prize's placements, in priority order.

    `rankings` maps a round id to its ranking; `candidates` holds every submission that may
    win (submitted, not disqualified) by id. Places left empty (too few qualified entries)
    are returned with no submission.
    """
    outcomes = []
    winning_teams: set[int] = set()
    for prize in sorted(prizes, key=lambda p: (p.priority, p.id)):
        excluded = winning_teams if one_prize_per_team else set()
        outcome = _resolve_one(prize, rankings.get(prize.round, ()), candidates, excluded)
        outcomes.append(outcome)
        winning_teams |= {candidates[s].team for s in outcome.winners}
    return outcomes
