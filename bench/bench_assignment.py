"""Time solve_assignment: 50 judges, 500 submissions, k = 3, ~5 % conflicts, preferences.

Run from the repository root: ``python bench/bench_assignment.py``; ``--judges 200
--submissions 2000`` for the size issue 18 budgets (< 10 s); ``--scarce`` gives each judge
one preferred challenge, most of them the least submitted ones, so that preferences compete
and the preference step needs several phases; add ``--networkx`` to time networkx's
max_flow_min_cost on the same graph at the optimal load, for comparison. Prints the solve
time and the memory it took (the peak of the process, and the peak Python allocations
during the solve).
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging.assignment_solver import solve_assignment

SUBMISSIONS, JUDGES, K, CHALLENGES = 500, 50, 3, 10


def make_round(seed: int = 2024, *, submissions_n=None, judges_n=None, scarce=False):
    rng = np.random.default_rng(seed)
    submissions = list(range(1, (submissions_n or SUBMISSIONS) + 1))
    judges = list(range(1001, 1001 + (judges_n or JUDGES)))
    conflicts = {(j, s) for j in judges for s in submissions if rng.random() < 0.05}
    challenge_of = {s: int(rng.integers(CHALLENGES)) for s in submissions}
    # Skewed popularity so that preferences compete for the same challenges.
    popularity = np.linspace(3, 1, CHALLENGES)
    popularity /= popularity.sum()
    liked = popularity[::-1] if scarce else popularity
    preferences = {
        j: {int(c) for c in rng.choice(CHALLENGES, size=1 if scarce else 2, replace=False, p=liked)}
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--judges", type=int, default=JUDGES)
    parser.add_argument("--submissions", type=int, default=SUBMISSIONS)
    parser.add_argument("--scarce", action="store_true")
    parser.add_argument("--networkx", action="store_true")
    args = parser.parse_args()
    submissions, judges, conflicts, challenge_of, preferences = make_round(
        submissions_n=args.submissions, judges_n=args.judges, scarce=args.scarce
    )

    def solve():
        return solve_assignment(
            submissions,
            judges,
            k=K,
            conflicts=conflicts,
            preferences=preferences,
            challenge_of=challenge_of,
        )

    start = time.perf_counter()
    result = solve()
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a second run for the memory: tracing slows Python allocations
    solve()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(judges)} judges x {len(submissions)} submissions, k={K}, {len(conflicts)} conflicts"
    )
    print(f"solve time: {elapsed:.3f} s")
    print(f"memory: process peak {rss:.0f} MB, solve's peak allocations {peak / 2**20:.0f} MB")
    print(f"optimal max load: {result.max_load} (lower bound {result.lower_bound})")
    print(f"preferred matches: {result.preferred_matches} of {len(result.pairs)} pairs")
    loads = sorted(result.loads.values())
    print(f"loads: min {loads[0]}, max {loads[-1]}")
    if args.networkx:
        networkx_time(submissions, judges, conflicts, challenge_of, preferences, result.max_load)


README_SECTION = "assignment-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
