"""Exact assignment of judges to submissions.

Objective, in this order: every submission gets ``k`` judges without conflict; the maximum
judge load is as small as possible; then the number of pairs where the submission's challenge
is one the judge prefers is as large as possible.

The smallest feasible maximum load L is found by max-flows (source -> submission, capacity k;
submission -> judge, capacity 1 where allowed; judge -> sink, capacity L): feasibility is
monotone in L, and the lower bound ceil(k * S / J) is tried first, then L + 1, + 2, + 4, ...
and a binary search below the first feasible load, so the search is exact and usually one
max-flow. For that L the preference matches are maximised by a minimum-cost flow on the same
network (a pair outside the judge's preferences costs 1) with the primal-dual method: each
phase a Dijkstra on reduced costs and a max-flow on the zero-cost arcs, all in SciPy's
compiled csgraph. Costs being 0 or 1, a few phases suffice: 200 judges x 2,000 submissions
in about 0.3-0.6 s and 60 MB, where the integer program HiGHS solved before took 14 s and
643 MB (bench/bench_assignment.py --judges 200 --submissions 2000 [--scarce]).

A final with more finalists than every judge can review (``connect_assignment``) starts from
that assignment and exchanges judges between pairs of projects (project A's judge a and
project B's judge b become B's and A's), which keeps every project's k judges and every
judge's load: first until the judge-project graph is connected (one such exchange between
two groups joins them whenever one of the two pairs lies on a cycle), then while it raises
the overlap, the number of pairs of projects that share a judge. The judge-bias model can
then compare every finalist with every other.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from judging.assignment_flow import Network, bipartite_network, max_flow, min_cost_flow

_EMPTY: Mapping = MappingProxyType({})

Pair = tuple[int, int]  # (judge, submission)


@dataclass(frozen=True)
class Shortfall:
    submission: int
    eligible_judges: int  # judges neither in conflict nor forbidden, pinned ones included
    reason: str  # "too_few_eligible_judges" or "capacity"


class InfeasibleAssignment(Exception):
    """No assignment gives every submission ``k`` judges; ``shortfalls`` says which and why."""

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        self.shortfalls = list(shortfalls)
        names = ", ".join(f"{s.submission} ({s.reason})" for s in self.shortfalls)
        super().__init__(f"cannot give every submission its judges: {names}")


@dataclass(frozen=True)
class AssignmentResult:
    pairs: set[Pair]  # (judge, submission)
    max_load: int
    lower_bound: int  # ceil(k * S / J)
    preferred_matches: int  # pinned pairs included
    loads: dict[int, int]  # every judge, 0 included
    groups: int | None = None  # connected groups of the judge-project graph (when measured)
    overlap: int | None = None  # pairs of projects sharing a judge (when measured)


@dataclass(frozen=True)
class _Problem:
    submissions: list[int]
    judges: list[int]
    edge_judge: np.ndarray  # judge index of each free pair the solver may choose
    edge_sub: np.ndarray  # submission index of each free pair
    demand: np.ndarray  # judges still needed per submission (k minus pinned)
    pinned_load: np.ndarray
    capacity: np.ndarray  # per-judge cap, a large number when none
    eligible: np.ndarray  # judges per submission neither in conflict nor forbidden
    preferred: np.ndarray  # True where a free pair matches the judge's preferences


def _check_inputs(submissions, judges, k, pinned, conflicts, forbidden) -> None:
    if k < 0:
        raise ValueError("k must be >= 0")
    if len(set(submissions)) != len(submissions) or len(set(judges)) != len(judges):
        raise ValueError("submission and judge ids must be unique")
    known_j, known_s = set(judges), set(submissions)
    for j, s in pinned:
        if j not in known_j or s not in known_s:
            raise ValueError(f"pinned pair ({j}, {s}) names an unknown judge or submission")
    clash = set(pinned) & (set(conflicts) | set(forbidden))
    if clash:
        raise ValueError(f"pinned pairs are in conflict or forbidden: {sorted(clash)}")
    over = [s for s, n in Counter(s for _, s in pinned).items() if n > k]
    if over:
        raise ValueError(f"more than k pinned judges on submissions {sorted(over)}")


def _index_pairs(pairs, judge_index, sub_index) -> tuple[np.ndarray, np.ndarray]:
    known = [
        (judge_index[j], sub_index[s]) for j, s in pairs if j in judge_index and s in sub_index
    ]
    if not known:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rows, cols = zip(*known, strict=True)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


def _build(submissions, judges, k, conflicts, preferences, challenge_of, pinned, forbidden, cap):
    # Vectorised over the judge x submission grid: at 200 x 2,000 a Python loop over the
    # 400,000 pairs alone costs more than the whole solve.
    judge_index = {j: i for i, j in enumerate(judges)}
    sub_index = {s: i for i, s in enumerate(submissions)}
    n_judge, n_sub = len(judges), len(submissions)
    blocked = np.zeros((n_judge, n_sub), dtype=bool)
    blocked[_index_pairs(set(conflicts) | set(forbidden), judge_index, sub_index)] = True
    pinned_grid = np.zeros((n_judge, n_sub), dtype=bool)
    pinned_grid[_index_pairs(pinned, judge_index, sub_index)] = True
    challenges = sorted({c for c in (challenge_of.get(s) for s in submissions) if c is not None})
    challenge_index = {c: i for i, c in enumerate(challenges)}
    likes = np.zeros((n_judge, len(challenges) + 1), dtype=bool)  # last column: no challenge
    for j, wanted in preferences.items():
        for c in wanted:
            if j in judge_index and c in challenge_index:
                likes[judge_index[j], challenge_index[c]] = True
    sub_challenge = np.array(
        [challenge_index.get(challenge_of.get(s), len(challenges)) for s in submissions],
        dtype=np.int64,
    )
    edge_judge, edge_sub = np.nonzero(~blocked & ~pinned_grid)
    pinned_per_sub = pinned_grid.sum(axis=0)
    return _Problem(
        submissions=list(submissions),
        judges=list(judges),
        edge_judge=edge_judge,
        edge_sub=edge_sub,
        demand=(k - pinned_per_sub).astype(np.int64),
        pinned_load=pinned_grid.sum(axis=1).astype(np.int64),
        capacity=np.array([cap.get(j, n_sub) for j in judges], dtype=np.int64),
        eligible=(~blocked).sum(axis=0),
        preferred=likes[edge_judge, sub_challenge[edge_sub]],
    )


def _free_capacity(p: _Problem, load: int) -> np.ndarray:
    return np.minimum(load, p.capacity) - p.pinned_load


def _network(p: _Problem, load: int, *, preferences_matter: bool = False) -> Network:
    return bipartite_network(
        demand=p.demand,
        pair_sub=p.edge_sub,
        pair_judge=p.edge_judge,
        pair_cost=(~p.preferred).astype(np.int64)
        if preferences_matter
        else np.zeros(len(p.edge_sub), np.int64),
        judge_capacity=_free_capacity(p, load),
    )


def _max_flow(p: _Problem, load: int) -> np.ndarray:
    """Judges obtained by each submission in a maximum flow with every judge capped at load."""
    return max_flow(_network(p, load))[: len(p.submissions)]


def _feasible(p: _Problem, load: int) -> bool:
    if (_free_capacity(p, load) < 0).any():
        return False
    return bool((_max_flow(p, load) >= p.demand).all())


def _shortfalls(p: _Problem, load: int, k: int, pinned: set[Pair] | frozenset[Pair]):
    got = _max_flow(p, load)
    eligible = dict(zip(p.submissions, p.eligible.tolist(), strict=True))
    short = [
        Shortfall(
            submission=s,
            eligible_judges=eligible[s],
            reason="too_few_eligible_judges" if eligible[s] < k else "capacity",
        )
        for s, n, need in zip(p.submissions, got, p.demand, strict=True)
        if n < need or eligible[s] < k
    ]
    if short:
        return short
    # Every demand can be met, so the pinned pairs alone overload a judge: name their
    # submissions.
    over = {j for j, free in zip(p.judges, _free_capacity(p, load), strict=True) if free < 0}
    return [
        Shortfall(submission=s, eligible_judges=eligible[s], reason="capacity")
        for s in sorted({s for j, s in pinned if j in over})
    ]


def _smallest_feasible_load(p: _Problem, low: int, high: int, k: int, pinned) -> int:
    """The smallest load in [low, high] with a feasible assignment (raises if none).

    The lower bound is feasible in most rounds, so it is tried first; then loads low + 1,
    + 2, + 4, ... until one is feasible, then a binary search below it: a few max-flows
    instead of the dozen a binary search over [low, submissions] costs.
    """
    if _feasible(p, low):
        return low
    if not _feasible(p, high):
        raise InfeasibleAssignment(_shortfalls(p, max(high, 0), k, pinned))
    step, known_bad = 1, low
    while known_bad + step < high and not _feasible(p, known_bad + step):
        known_bad += step
        step *= 2
    low, high = known_bad + 1, min(known_bad + step, high)
    while low < high:
        middle = (low + high) // 2
        if _feasible(p, middle):
            high = middle
        else:
            low = middle + 1
    return low


def _best_preferences(p: _Problem, load: int) -> list[Pair]:
    """Among assignments with every judge at most ``load``, one with most preferred pairs:
    a cheapest flow where a pair outside the judge's preferences costs 1."""
    if not len(p.edge_sub):
        return []
    net = _network(p, load, preferences_matter=True)
    chosen = min_cost_flow(net, int(p.demand.sum()))[net.pairs] > 0
    return [
        (p.judges[j], p.submissions[s])
        for j, s in zip(p.edge_judge[chosen], p.edge_sub[chosen], strict=True)
    ]


def assign_everyone(
    submissions: Sequence[int],
    judges: Sequence[int],
    *,
    k: int,
    conflicts: set[Pair] | frozenset[Pair] = frozenset(),
    pinned: set[Pair] | frozenset[Pair] = frozenset(),
    forbidden: set[Pair] | frozenset[Pair] = frozenset(),
    preferences: Mapping[int, set[int]] = _EMPTY,
    challenge_of: Mapping[int, int] = _EMPTY,
) -> AssignmentResult:
    """Every judge on every submission, except conflicts and forbidden pairs (a final): the
    judge-submission graph is then as connected as conflicts allow, which the judge-bias
    model needs. ``k`` is the minimum each submission must still get; raises
    InfeasibleAssignment naming the submissions below it."""
    _check_inputs(submissions, judges, 0, (), conflicts, forbidden)
    blocked = set(conflicts) | set(forbidden)
    pairs = {(j, s) for s in submissions for j in judges if (j, s) not in blocked} | set(pinned)
    per_sub = Counter(s for _, s in pairs)
    short = [
        Shortfall(submission=s, eligible_judges=per_sub[s], reason="too_few_eligible_judges")
        for s in submissions
        if per_sub[s] < k
    ]
    if short:
        raise InfeasibleAssignment(short)
    loads = Counter(j for j, _ in pairs)
    return AssignmentResult(
        pairs=pairs,
        max_load=max(loads.values(), default=0),
        lower_bound=len(submissions),
        preferred_matches=sum(challenge_of.get(s) in preferences.get(j, ()) for j, s in pairs),
        loads={j: loads[j] for j in judges},
    )


def solve_assignment(
    submissions: Sequence[int],
    judges: Sequence[int],
    *,
    k: int,
    conflicts: set[Pair] | frozenset[Pair] = frozenset(),
    preferences: Mapping[int, set[int]] = _EMPTY,
    challenge_of: Mapping[int, int] = _EMPTY,
    pinned: set[Pair] | frozenset[Pair] = frozenset(),
    forbidden: set[Pair] | frozenset[Pair] = frozenset(),
    max_load: int | None = None,
    capacity: Mapping[int, int] = _EMPTY,
) -> AssignmentResult:
    """Assign ``k`` judges per submission; see the module docstring for the objective.

    ``pinned`` pairs are kept and count toward k and the loads; ``forbidden`` and ``conflicts``
    pairs are never chosen; ``max_load`` caps every judge and ``capacity`` single judges.
    Raises InfeasibleAssignment listing each submission that cannot get k judges.
    """
    _check_inputs(submissions, judges, k, pinned, conflicts, forbidden)
    n_sub, n_judge = len(submissions), len(judges)
    lower_bound = -(-k * n_sub // n_judge) if n_judge else 0
    p = _build(
        submissions, judges, k, conflicts, preferences, challenge_of, pinned, forbidden, capacity
    )
    high = n_sub if max_load is None else max_load
    low = max(lower_bound, int(p.pinned_load.max(initial=0)))
    if low > high:
        raise InfeasibleAssignment(_shortfalls(p, max(high, 0), k, pinned))
    low = _smallest_feasible_load(p, low, high, k, pinned)

    pairs = set(pinned) | set(_best_preferences(p, low))
    loads = Counter(j for j, _ in pairs)
    prefs = sum(challenge_of.get(s) in preferences.get(j, ()) for j, s in pairs)
    return AssignmentResult(
        pairs=pairs,
        max_load=max(loads.values(), default=0),
        lower_bound=lower_bound,
        preferred_matches=prefs,
        loads={j: loads[j] for j in judges},
    )


# Connected finals ---------------------------------------------------------------------


def judge_project_groups(pairs) -> int:
    """Connected groups of the judge-project graph made of `pairs` (judge, project): 1 when
    every project is linked to every other through shared judges (union-find)."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for j, s in pairs:
        a, b = find(("j", j)), find(("s", s))
        if a != b:
            parent[a] = b
    return len({find(x) for x in parent})


def _shared(pairs) -> Counter:
    """For each pair of projects sharing judges, how many judges they share."""
    by_judge: dict[int, list[int]] = {}
    for j, s in pairs:
        by_judge.setdefault(j, []).append(s)
    shared: Counter = Counter()
    for subs in by_judge.values():
        subs.sort()
        for i, a in enumerate(subs):
            for b in subs[i + 1 :]:
                shared[a, b] += 1
    return shared


def _overlap_delta(by_judge, a, s1, b, s2) -> Counter:
    """How the judges shared by each pair of projects change if judge a leaves s1 for s2 and
    judge b leaves s2 for s1."""
    delta: Counter = Counter()
    for judge, old, new in ((a, s1, s2), (b, s2, s1)):
        for other in by_judge[judge]:
            if other in (old, new):
                continue
            delta[min(old, other), max(old, other)] -= 1
            delta[min(new, other), max(new, other)] += 1
    return delta


def _gain(shared, delta) -> int:
    """Change in the number of project pairs sharing at least one judge."""
    return sum(
        (shared.get(key, 0) + change > 0) - (shared.get(key, 0) > 0)
        for key, change in delta.items()
        if change
    )


def connect_assignment(
    result: AssignmentResult,
    *,
    conflicts: set[Pair] | frozenset[Pair] = frozenset(),
    pinned: set[Pair] | frozenset[Pair] = frozenset(),
    forbidden: set[Pair] | frozenset[Pair] = frozenset(),
    preferences: Mapping[int, set[int]] = _EMPTY,
    challenge_of: Mapping[int, int] = _EMPTY,
    max_tries: int = 20_000,
) -> AssignmentResult:
    """`result` with judges exchanged between projects until the judge-project graph is
    connected, then while the overlap grows; loads and judges per project unchanged, pinned
    pairs kept, conflicts and forbidden pairs never chosen. Deterministic; at most
    `max_tries` exchanges are examined. `groups` says whether it could connect (1): with
    one judge per project, or conflicts everywhere, it cannot."""
    blocked = set(conflicts) | set(forbidden)
    fixed = set(pinned)
    pairs = set(result.pairs)
    groups = judge_project_groups(pairs)
    shared = _shared(pairs)
    by_judge: dict[int, set[int]] = {}
    for j, s in pairs:
        by_judge.setdefault(j, set()).add(s)
    tries = 0

    def exchange(a, s1, b, s2):
        pairs.difference_update({(a, s1), (b, s2)})
        pairs.update({(a, s2), (b, s1)})
        by_judge[a].remove(s1)
        by_judge[a].add(s2)
        by_judge[b].remove(s2)
        by_judge[b].add(s1)

    improved = True
    while improved and tries < max_tries:
        improved = False
        movable = sorted(pairs - fixed)
        for i, (a, s1) in enumerate(movable):
            if tries >= max_tries:
                break
            for b, s2 in movable[i + 1 :]:
                if (a, s1) not in pairs:
                    break  # moved by an exchange of this pass
                if a == b or s1 == s2 or (b, s2) not in pairs:
                    continue
                if (a, s2) in pairs or (b, s1) in pairs:
                    continue
                if (a, s2) in blocked or (b, s1) in blocked:
                    continue
                tries += 1
                delta = _overlap_delta(by_judge, a, s1, b, s2)
                gain = _gain(shared, delta)
                if groups > 1 or gain > 0:
                    exchange(a, s1, b, s2)
                    after = judge_project_groups(pairs) if groups > 1 or gain > 0 else groups
                    if after < groups or (after == groups and gain > 0):
                        groups = after
                        shared.update(delta)
                        improved = True
                        continue
                    exchange(a, s2, b, s1)  # undo
                if tries >= max_tries:
                    break

    loads = Counter(j for j, _ in pairs)
    return AssignmentResult(
        pairs=pairs,
        max_load=max(loads.values(), default=0),
        lower_bound=result.lower_bound,
        preferred_matches=sum(challenge_of.get(s) in preferences.get(j, ()) for j, s in pairs),
        loads={j: loads[j] for j in result.loads},
        groups=groups,
        overlap=sum(1 for n in shared.values() if n > 0),
    )
