import itertools
from collections import Counter

import numpy as np
import pytest

from judging.assignment_solver import InfeasibleAssignment, Shortfall, solve_assignment


def brute_force(subs, judges, k, conflicts, preferences, challenge_of, pinned, forbidden):
    """Best (max load, -preferred matches) over every assignment, or None if none exists."""
    options = []
    for s in subs:
        must = {j for j, t in pinned if t == s}
        allowed = [j for j in judges if (j, s) not in conflicts and (j, s) not in forbidden]
        options.append([set(c) for c in itertools.combinations(allowed, k) if must <= set(c)])
    best = None
    for choice in itertools.product(*options):
        pairs = {(j, s) for s, chosen in zip(subs, choice, strict=True) for j in chosen}
        load = max(Counter(j for j, _ in pairs).values(), default=0)
        prefs = sum(challenge_of[s] in preferences.get(j, set()) for j, s in pairs)
        if best is None or (load, -prefs) < best:
            best = (load, -prefs)
    return best


def random_case(seed):
    rng = np.random.default_rng(seed)
    subs, judges = [1, 2, 3, 4], [10, 11, 12, 13]
    all_pairs = [(j, s) for j in judges for s in subs]
    conflicts = {p for p in all_pairs if rng.random() < 0.15}
    forbidden = {p for p in all_pairs if p not in conflicts and rng.random() < 0.1}
    free = [p for p in all_pairs if p not in conflicts and p not in forbidden]
    pinned = {free[i] for i in rng.choice(len(free), size=int(rng.integers(0, 3)), replace=False)}
    challenge_of = {s: int(rng.integers(0, 3)) for s in subs}
    preferences = {j: {int(c) for c in rng.choice(3, size=int(rng.integers(0, 3)))} for j in judges}
    return {
        "subs": subs,
        "judges": judges,
        "conflicts": conflicts,
        "forbidden": forbidden,
        "pinned": pinned,
        "challenge_of": challenge_of,
        "preferences": preferences,
    }


def solve(case, k):
    return solve_assignment(
        case["subs"],
        case["judges"],
        k=k,
        conflicts=case["conflicts"],
        preferences=case["preferences"],
        challenge_of=case["challenge_of"],
        pinned=case["pinned"],
        forbidden=case["forbidden"],
    )


def check_valid(result, case, k):
    per_sub = Counter(s for _, s in result.pairs)
    assert per_sub == dict.fromkeys(case["subs"], k)
    assert not result.pairs & case["conflicts"]
    assert not result.pairs & case["forbidden"]
    assert case["pinned"] <= result.pairs
    loads = Counter(j for j, _ in result.pairs)
    assert result.loads == {j: loads[j] for j in case["judges"]}
    assert result.max_load == max(loads.values())


@pytest.mark.parametrize("seed", range(60))
def test_solve_assignment_matches_brute_force(seed):
    case = random_case(seed)
    pinned_per_sub = Counter(s for _, s in case["pinned"])
    if max(pinned_per_sub.values(), default=0) > 2:
        pytest.skip("more pinned pairs than k on one submission")

    best = brute_force(
        case["subs"],
        case["judges"],
        2,
        case["conflicts"],
        case["preferences"],
        case["challenge_of"],
        case["pinned"],
        case["forbidden"],
    )

    if best is None:
        with pytest.raises(InfeasibleAssignment):
            solve(case, 2)
        return
    result = solve(case, 2)
    check_valid(result, case, 2)
    assert (result.max_load, -result.preferred_matches) == best


def test_brute_force_cases_cover_preferences_and_infeasibility():
    # Guards the test above against a generator that never exercises what it claims to.
    outcomes = Counter()
    for seed in range(60):
        case = random_case(seed)
        try:
            result = solve(case, 2)
        except InfeasibleAssignment:
            outcomes["infeasible"] += 1
            continue
        outcomes["pinned"] += bool(case["pinned"])
        outcomes["preference_tradeoff"] += 0 < result.preferred_matches < 8
        outcomes["above_bound"] += result.max_load > result.lower_bound

    assert outcomes["infeasible"] > 0
    assert outcomes["pinned"] > 10
    assert outcomes["preference_tradeoff"] > 10
    assert outcomes["above_bound"] > 0


def test_lower_bound_reached_without_conflicts():
    # ceil(3 * 10 / 4) = 8
    result = solve_assignment(list(range(10)), [100, 101, 102, 103], k=3)

    assert result.lower_bound == 8
    assert result.max_load == 8
    assert len(result.pairs) == 30


def test_conflicts_raise_max_load_above_lower_bound():
    # Judges 2 and 3 conflict with every submission but 1: judge 1 must see s2, s3, s4.
    conflicts = {(j, s) for j in (2, 3) for s in (2, 3, 4)}

    result = solve_assignment([1, 2, 3, 4], [1, 2, 3], k=1, conflicts=conflicts)

    assert result.lower_bound == 2
    assert result.max_load == 3
    assert result.pairs >= {(1, 2), (1, 3), (1, 4)}


def test_preferences_maximised_at_minimal_load():
    # Two judges, two submissions, k = 1, load 1: each judge gets the challenge he prefers.
    result = solve_assignment(
        [1, 2],
        [10, 20],
        k=1,
        preferences={10: {"b"}, 20: {"a"}},
        challenge_of={1: "a", 2: "b"},
    )

    assert result.pairs == {(20, 1), (10, 2)}
    assert result.preferred_matches == 2
    assert result.max_load == 1


def test_preferences_never_raise_the_load():
    # Judge 10 prefers both challenges but taking both would give him load 2.
    result = solve_assignment(
        [1, 2], [10, 20], k=1, preferences={10: {"a", "b"}}, challenge_of={1: "a", 2: "b"}
    )

    assert result.max_load == 1
    assert result.preferred_matches == 1


def test_pinned_kept_and_counted_toward_k_and_load():
    result = solve_assignment([1, 2, 3], [10, 20, 30], k=2, pinned={(10, 1), (10, 2), (10, 3)})

    assert {(10, 1), (10, 2), (10, 3)} <= result.pairs
    assert Counter(s for _, s in result.pairs) == {1: 2, 2: 2, 3: 2}
    # The pinned load of 3 sets the optimum; the other judges share the 3 remaining pairs
    # in any way that keeps them at 3 or below.
    assert result.loads[10] == 3
    assert sum(result.loads.values()) == 6
    assert result.max_load == 3


def test_forbidden_pair_replaced_on_resolve():
    first = solve_assignment([1, 2], [10, 20, 30], k=2)
    dropped = {(10, s) for s in (1, 2)}  # judge 10 drops out

    second = solve_assignment(
        [1, 2], [10, 20, 30], k=2, forbidden=dropped, pinned=first.pairs - dropped
    )

    assert not second.pairs & dropped
    assert second.pairs == {(20, 1), (30, 1), (20, 2), (30, 2)}
    assert first.pairs - dropped <= second.pairs


def test_infeasible_too_few_eligible_judges_named():
    conflicts = {(10, 2), (20, 2)}

    with pytest.raises(InfeasibleAssignment) as caught:
        solve_assignment([1, 2, 3], [10, 20, 30], k=2, conflicts=conflicts)

    assert caught.value.shortfalls == [
        Shortfall(submission=2, eligible_judges=1, reason="too_few_eligible_judges")
    ]


def test_infeasible_capacity_named():
    # Four submissions, k = 2, two judges capped at 3: 8 pairs needed, 6 available.
    with pytest.raises(InfeasibleAssignment) as caught:
        solve_assignment([1, 2, 3, 4], [10, 20], k=2, max_load=3)

    shortfalls = caught.value.shortfalls
    assert {s.reason for s in shortfalls} == {"capacity"}
    assert {s.eligible_judges for s in shortfalls} == {2}
    assert 1 <= len(shortfalls) <= 2


def test_per_judge_capacity_respected():
    result = solve_assignment([1, 2, 3, 4], [10, 20, 30], k=1, capacity={10: 0})

    assert result.loads[10] == 0
    assert result.max_load == 2


def test_pinned_beyond_max_load_infeasible():
    with pytest.raises(InfeasibleAssignment) as caught:
        solve_assignment([1, 2], [10, 20], k=1, pinned={(10, 1), (10, 2)}, max_load=1)

    assert [s.submission for s in caught.value.shortfalls] == [1, 2]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pinned": {(10, 1)}, "conflicts": {(10, 1)}},
        {"pinned": {(10, 1)}, "forbidden": {(10, 1)}},
        {"pinned": {(99, 1)}},
        {"pinned": {(10, 1), (20, 1)}, "k": 1},
        {"k": -1},
    ],
)
def test_solve_assignment_rejects_contradictory_input(kwargs):
    kwargs = {"k": 1, **kwargs}
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        solve_assignment([1, 2], [10, 20], **kwargs)


def test_empty_round():
    result = solve_assignment([], [10, 20], k=3)

    assert result.pairs == set()
    assert result.max_load == 0
    assert result.loads == {10: 0, 20: 0}
