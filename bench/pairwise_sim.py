"""How many pairwise comparisons an expo needs: a simulation, no database.

N projects with known strengths (normal, sd 1, on the Bradley-Terry scale) and judges who
each see through their own noise (a verdict is won with probability sigmoid((θa-θb)/t_j), t_j
uniform in [0.7, 1.5]). Judges walk the expo as the site sends them
(`judging.pairwise.choice.next_project`: close in estimate, few comparisons, near tables,
not where another judge stands; refitted every REFIT verdicts), or compare random pairs.
At C comparisons per project, the ranking fitted by `judging.pairwise.fitting` is compared
with the truth: Kendall tau, the share of runs whose top 3 (and top 5) are exactly the true
ones, in order for the top 3. Prints, for each C, both methods, and the smallest C at which
the top 3 is right in at least 80 % of runs.

Run from the repository root: ``python bench/pairwise_sim.py [N] [RUNS]`` (defaults 60, 10).
"""

import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scipy.stats import kendalltau

from judging.pairwise.choice import Candidate, next_project
from judging.pairwise.fitting import fit, rank_pairwise

ALPHA = 0.01
JUDGES = 8
REFIT = 20
LEVELS = (2, 4, 6, 8, 10, 15, 20, 30, 45, 60)
TARGET = 0.8


def verdict(rng, strength, temperature, a, b):
    p = 1 / (1 + math.exp((strength[b] - strength[a]) / temperature))
    return (a, b) if rng.random() < p else (b, a)


def simulate(n, seed, active):
    """{C: (tau, top3 in order, top5 set)} for one expo."""
    rng = random.Random(seed)
    strength = {i: rng.gauss(0, 1) for i in range(n)}
    temperature = [rng.uniform(0.7, 1.5) for _ in range(JUDGES)]
    truth = sorted(strength, key=strength.get, reverse=True)
    tables = {i: i + 1 for i in range(n)}  # table order says nothing of strength
    seen = {j: set() for j in range(JUDGES)}
    at = dict.fromkeys(range(JUDGES))
    comparisons, scores, out = [], {}, {}
    counts = dict.fromkeys(range(n), 0)
    for level in LEVELS:
        while len(comparisons) < level * n // 2:
            j = len(comparisons) % JUDGES
            if active:
                if len(comparisons) % REFIT == 0:
                    scores = fit(comparisons, ALPHA) if comparisons else {}
                if at[j] is None or len(seen[j]) >= n - 1:
                    seen[j] = set()
                    at[j] = rng.randrange(n)
                    seen[j].add(at[j])
                busy = {p: 1 for k, p in at.items() if k != j and p is not None}
                free = [Candidate(i, tables[i]) for i in range(n) if i not in seen[j]]
                prev = Candidate(at[j], tables[at[j]])
                b = next_project(free, previous=prev, scores=scores, counts=counts, busy=busy)
                a = at[j]
                seen[j].add(b)
                at[j] = b
            else:
                a, b = rng.sample(range(n), 2)
            comparisons.append(verdict(rng, strength, temperature[j], a, b))
            counts[a] += 1
            counts[b] += 1
        ranked = [e.submission for e in rank_pairwise(comparisons, ALPHA).entries]
        ranked += [i for i in truth if i not in ranked]
        position = {s: k for k, s in enumerate(ranked)}
        tau = kendalltau([position[s] for s in truth], list(range(n))).statistic
        top3 = len(set(ranked[:3]) & set(truth[:3])) / 3
        top5 = len(set(ranked[:5]) & set(truth[:5])) / 5
        out[level] = (tau, top3, top5, top3 == 1)
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(f"{n} projects, {JUDGES} judges, {runs} runs per method, alpha {ALPHA}")
    print("C/project  method   Kendall tau  top-3 acc.  top-5 acc.  top-3 exact")
    first = {}
    for active in (True, False):
        name = "walk" if active else "random"
        start = time.perf_counter()
        results = [simulate(n, seed, active) for seed in range(runs)]
        for level in LEVELS:
            taus = [r[level][0] for r in results]
            top3 = sum(r[level][1] for r in results) / runs
            top5 = sum(r[level][2] for r in results) / runs
            exact = sum(r[level][3] for r in results) / runs
            print(
                f"{level:9d}  {name:7s}  {sum(taus) / runs:11.3f}  {top3:10.0%}  {top5:10.0%}"
                f"  {exact:11.0%}"
            )
            if top5 >= TARGET and name not in first:
                first[name] = level
        print(f"           ({name}: {time.perf_counter() - start:.1f} s)")
    for name in ("walk", "random"):
        level = first.get(name)
        text = f"{level} comparisons per project" if level else f"more than {LEVELS[-1]}"
        print(f"Mean top-5 accuracy >= {TARGET:.0%} ({name}): {text}")


README_SECTION = "pairwise-simulation"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
