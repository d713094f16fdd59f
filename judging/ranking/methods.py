"""The three aggregation methods: mean (or median), per-judge z-score, judge-bias model.

Each returns per-submission scores plus the per-review values whose average is that score, so
that the ordering code can derive a standard error in the unit of the score.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .models import RankingWarning
from .scoring import ScoredReviews

# A judge whose review scores differ by less than this has, in practice, no spread: dividing
# by a floating-point residue would turn rounding noise into large z-scores.
ZERO_SPREAD = 1e-9


@dataclass(frozen=True)
class MethodOutput:
    scores: np.ndarray  # one per submission index
    per_review: np.ndarray  # per-review contributions averaged into the score
    component: np.ndarray  # 1-based component of each submission index
    components: int = 1
    judge_bias: dict[int, float] = field(default_factory=dict)
    warnings: tuple[RankingWarning, ...] = ()


def _group_mean(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(index, weights=values, minlength=size) / np.bincount(index, minlength=size)


def mean_method(sc: ScoredReviews, *, median: bool) -> MethodOutput:
    n_sub = len(sc.submission_ids)
    if median:
        order = np.lexsort((sc.r, sc.s))
        counts = np.bincount(sc.s, minlength=n_sub)
        groups = np.split(sc.r[order], np.cumsum(counts)[:-1])
        scores = np.array([np.median(g) for g in groups], dtype=float).reshape(n_sub)
    else:
        scores = _group_mean(sc.s, sc.r, n_sub)
    return MethodOutput(scores=scores, per_review=sc.r, component=np.ones(n_sub, dtype=int))


def zscore_method(sc: ScoredReviews) -> MethodOutput:
    n_judge, n_sub = len(sc.judge_ids), len(sc.submission_ids)
    n_j = np.bincount(sc.j, minlength=n_judge)
    deviation = sc.r - _group_mean(sc.j, sc.r, n_judge)[sc.j]
    sigma = np.sqrt(np.bincount(sc.j, weights=deviation**2, minlength=n_judge) / n_j)
    one_review = n_j == 1
    flat = ~one_review & (sigma < ZERO_SPREAD)
    usable = ~(one_review | flat)
    safe_sigma = np.where(usable, sigma, 1.0)
    z = np.where(usable[sc.j], deviation / safe_sigma[sc.j], 0.0)
    warnings = tuple(
        RankingWarning(code, judges=tuple(int(x) for x in sc.judge_ids[mask]))
        for code, mask in (("one_review_judge", one_review), ("zero_spread_judge", flat))
        if mask.any()
    )
    return MethodOutput(
        scores=_group_mean(sc.s, z, n_sub),
        per_review=z,
        component=np.ones(n_sub, dtype=int),
        warnings=warnings,
    )


def _components(sc: ScoredReviews) -> tuple[int, np.ndarray, np.ndarray]:
    """Label the parts of the judge-submission graph, largest part first.

    Parts are ordered by number of submissions (descending), then by smallest submission id,
    so that part 1 is the main ranking and the numbering does not depend on input order.
    Returns (count, 1-based part of each submission, 1-based part of each judge).
    """
    n_judge, n_sub = len(sc.judge_ids), len(sc.submission_ids)
    graph = sparse.coo_matrix(
        (np.ones(len(sc.r)), (sc.s, n_sub + sc.j)), shape=(n_sub + n_judge,) * 2
    )
    count, labels = connected_components(graph, directed=False)
    sub_labels = labels[:n_sub]
    sizes = np.bincount(sub_labels, minlength=count)
    first_sub = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(first_sub, sub_labels, sc.submission_ids)
    order = np.lexsort((first_sub, -sizes))
    relabel = np.empty(count, dtype=int)
    relabel[order] = np.arange(1, count + 1)
    return count, relabel[sub_labels], relabel[labels[n_sub:]]


def bias_method(sc: ScoredReviews, *, bias_lambda: float) -> MethodOutput:
    """Least squares for R_js = q_s + b_j with penalty lambda*sum(b_j^2), sum(b_j) = 0.

    q is eliminated first: its normal equation gives q_s = mean over s's reviews of
    (R_js - b_j), leaving a judges-by-judges system (L + lambda*I) b = rhs in which L is the
    Laplacian of the judge graph. L is singular along the all-ones vector of each part; adding
    P = 1_C 1_C^T / |C| for each part C makes the system regular and, because rhs sums to 0
    over each part, forces sum(b_j) = 0 within each part without changing the fit.
    """
    n_judge, n_sub = len(sc.judge_ids), len(sc.submission_ids)
    count, sub_part, judge_part = _components(sc)
    design = sparse.csr_matrix((np.ones(len(sc.r)), (sc.s, sc.j)), shape=(n_sub, n_judge))
    n_s = np.bincount(sc.s, minlength=n_sub).astype(float)
    n_j = np.bincount(sc.j, minlength=n_judge).astype(float)
    sum_s = np.bincount(sc.s, weights=sc.r, minlength=n_sub)
    sum_j = np.bincount(sc.j, weights=sc.r, minlength=n_judge)

    per_sub = sparse.diags(1.0 / n_s) @ design
    laplacian = np.diag(n_j) - (design.T @ per_sub).toarray()
    same_part = judge_part[:, None] == judge_part[None, :]
    part_size = np.bincount(judge_part)[judge_part]
    gauge = same_part / part_size[:, None]
    rhs = sum_j - design.T @ (sum_s / n_s)
    bias = np.linalg.solve(laplacian + bias_lambda * np.eye(n_judge) + gauge, rhs)
    quality = (sum_s - design @ bias) / n_s

    warnings: tuple[RankingWarning, ...] = ()
    if count > 1:
        warnings = (
            RankingWarning(
                "disconnected_graph",
                judges=tuple(int(x) for x in sc.judge_ids[judge_part > 1]),
                submissions=tuple(int(x) for x in sc.submission_ids[sub_part > 1]),
            ),
        )
    return MethodOutput(
        scores=quality,
        per_review=sc.r - bias[sc.j],
        component=sub_part,
        components=count,
        judge_bias={int(jid): float(b) for jid, b in zip(sc.judge_ids, bias, strict=True)},
        warnings=warnings,
    )
