"""Time rank_all on a large round: 500 submissions, 50 judges, 3 reviews each, 6 criteria.

Run from the repository root: ``python bench/bench_ranking.py``.
"""

import statistics
import time

import numpy as np

from judging.ranking import CriterionSpec, ReviewInput, rank_all

SUBMISSIONS, JUDGES, PER_SUBMISSION, RUNS = 500, 50, 3, 5


def make_round(seed: int = 2024) -> tuple[list[ReviewInput], list[CriterionSpec]]:
    rng = np.random.default_rng(seed)
    criteria = [
        CriterionSpec(id=c, weight=w, is_tiebreak=c == 2)
        for c, w in enumerate([3, 2, 2, 1, 1, 0], start=1)
    ]
    quality = rng.uniform(3, 8, SUBMISSIONS)
    bias = rng.normal(0, 1, JUDGES)
    reviews = []
    for s in range(SUBMISSIONS):
        for j in rng.choice(JUDGES, size=PER_SUBMISSION, replace=False):
            noise = rng.normal(0, 0.8, len(criteria))
            raw = np.clip(np.round(quality[s] + bias[j] + noise), 0, 10)
            values = {c.id: float(v) for c, v in zip(criteria, raw, strict=True)}
            reviews.append(ReviewInput(judge=int(j), submission=s, values=values))
    return reviews, criteria


def main() -> None:
    reviews, criteria = make_round()
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        results = rank_all(reviews, criteria)
        timings.append(time.perf_counter() - start)
    print(f"{SUBMISSIONS} submissions x {JUDGES} judges x {PER_SUBMISSION} reviews, 6 criteria")
    print(f"reviews: {len(reviews)}")
    median_ms = statistics.median(timings) * 1000
    print(f"rank_all (mean, zscore, bias), median of {RUNS}: {median_ms:.1f} ms")
    print(f"  min {min(timings) * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms")
    for method, result in results.items():
        close = sum(e.too_close_to_call for e in result.entries)
        codes = sorted({w.code for w in result.warnings})
        print(
            f"  {method:6} entries={len(result.entries)} components={result.components} "
            f"too_close={close} warnings={codes}"
        )


README_SECTION = "ranking-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
