"""Time solve_assignment: 50 judges, 500 submissions, k = 3, ~5 % conflicts, preferences.

Run from the repository root: ``python bench/bench_assignment.py``; add ``--networkx`` to time
networkx's max_flow_min_cost on the same graph at the optimal load, for comparison.
"""

import sys
import time

import numpy as np

from judging.assignment_solver import solve_assignment

SUBMISSIONS, JUDGES, K, CHALLENGES = 500, 50, 3, 10


def make_round(seed: int = 2024):
    rng = np.random.default_rng(seed)
    submissions = list(range(1, SUBMISSIONS + 1))
    judges = list(range(1001, 1001 + JUDGES))
    conflicts = {(j, s) for j in judges for s in submissions if rng.random() < 0.05}
    challenge_of = {s: int(rng.integers(CHALLENGES)) for s in submissions}
    # Skewed popularity so that preferences compete for the same challenges.
    popularity = np.linspace(3, 1, CHALLENGES)
    popularity /= popularity.sum()
    preferences = {
        j: {int(c) for c in rng.choice(CHALLENGES, size=2, replace=False, p=popularity)}
        for j in judges
    }
    return submissions, judges, conflicts, challenge_of, preferences


def networkx_time(submissions, judges, conflicts, challenge_of, preferences, load) -> float:
    import networkx as nx

    start = time.perf_counter()
    graph = nx.DiGraph()
    for s in submissions:
        graph.add_edge("source", ("s", s), capacity=K, weight=0)
        for j in judges:
            if (j, s) not in conflicts:
                preferred = challenge_of[s] in preferences[j]
                graph.add_edge(("s", s), ("j", j), capacity=1, weight=-1 if preferred else 0)
    for j in judges:
        graph.add_edge(("j", j), "sink", capacity=load, weight=0)
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    elapsed = time.perf_counter() - start
    matches = sum(
        flow[("s", s)][("j", j)]
        for s in submissions
        for j in judges
        if (j, s) not in conflicts and challenge_of[s] in preferences[j]
    )
    print(f"networkx max_flow_min_cost at load {load}: {elapsed:.2f} s, preferred {matches}")
    return elapsed


def main() -> None:
    submissions, judges, conflicts, challenge_of, preferences = make_round()
    start = time.perf_counter()
    result = solve_assignment(
        submissions,
        judges,
        k=K,
        conflicts=conflicts,
        preferences=preferences,
        challenge_of=challenge_of,
    )
    elapsed = time.perf_counter() - start
    print(f"{JUDGES} judges x {SUBMISSIONS} submissions, k={K}, {len(conflicts)} conflicts")
    print(f"solve time: {elapsed:.3f} s")
    print(f"optimal max load: {result.max_load} (lower bound {result.lower_bound})")
    print(f"preferred matches: {result.preferred_matches} of {len(result.pairs)} pairs")
    loads = sorted(result.loads.values())
    print(f"loads: min {loads[0]}, max {loads[-1]}")
    if "--networkx" in sys.argv:
        networkx_time(submissions, judges, conflicts, challenge_of, preferences, result.max_load)


if __name__ == "__main__":
    main()
