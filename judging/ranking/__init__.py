"""Judging mathematics: review scores, three aggregation methods, ranks and warnings.

Pure Python, NumPy and SciPy, with no Django import, so that a published ranking can be
recomputed offline from the exported raw scores. The method is explained for juries and
organizers in docs/judging-method.md.
"""

import math
from collections.abc import Sequence

from .methods import MethodOutput, bias_method, mean_method, zscore_method
from .models import (
    CASCADE,
    METHODS,
    POLICIES,
    CriterionSpec,
    RankedEntry,
    RankingResult,
    RankingWarning,
    ReviewInput,
)
from .ordering import build_entries
from .scoring import (
    COMMON_SCALE,
    MixedScalesError,
    ScoredReviews,
    mixed_scales,
    review_score,
    score_reviews,
    scores_digest,
)

__all__ = [
    "CASCADE",
    "COMMON_SCALE",
    "METHODS",
    "POLICIES",
    "CriterionSpec",
    "MixedScalesError",
    "RankedEntry",
    "RankingResult",
    "RankingWarning",
    "ReviewInput",
    "mixed_scales",
    "rank",
    "rank_all",
    "review_score",
    "scores_digest",
]


def _check_options(bias_lambda: float) -> None:
    if not (math.isfinite(bias_lambda) and bias_lambda >= 0):
        raise ValueError("bias_lambda must be a finite number >= 0")


def _run(sc: ScoredReviews, method: str, *, median: bool, bias_lambda: float) -> RankingResult:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}, expected one of {METHODS}")
    if len(sc.r) == 0:
        return RankingResult(method=method, entries=[], warnings=list(sc.warnings), components=0)
    out: MethodOutput
    if method == "mean":
        out = mean_method(sc, median=median)
    elif method == "zscore":
        out = zscore_method(sc)
    else:
        out = bias_method(sc, bias_lambda=bias_lambda)
    return RankingResult(
        method=method,
        entries=build_entries(sc, out),
        warnings=[*sc.warnings, *out.warnings],
        judge_bias=out.judge_bias,
        components=out.components,
    )


def rank(
    reviews: Sequence[ReviewInput],
    criteria: Sequence[CriterionSpec],
    *,
    method: str,
    policy: str = "renormalise",
    median: bool = False,
    bias_lambda: float = 0.0,
    normalise: bool = False,
) -> RankingResult:
    """Rank the reviewed submissions with ``method`` ("mean", "zscore" or "bias").

    ``median`` only affects the "mean" method; ``bias_lambda`` only the "bias" method;
    ``normalise`` brings every criterion to COMMON_SCALE before weighting.
    Raises ValueError on malformed input (unknown criterion, value off its scale, a judge
    reviewing the same submission twice) rather than ranking something wrong, and
    MixedScalesError when weighted criteria have different scales and ``normalise`` is off.
    """
    _check_options(bias_lambda)
    sc = score_reviews(reviews, criteria, policy, normalise=normalise)
    return _run(sc, method, median=median, bias_lambda=bias_lambda)


def rank_all(
    reviews: Sequence[ReviewInput],
    criteria: Sequence[CriterionSpec],
    *,
    policy: str = "renormalise",
    median: bool = False,
    bias_lambda: float = 0.0,
    normalise: bool = False,
) -> dict[str, RankingResult]:
    """The three methods side by side, keyed by method name; review scores computed once."""
    _check_options(bias_lambda)
    sc = score_reviews(reviews, criteria, policy, normalise=normalise)
    return {m: _run(sc, m, median=median, bias_lambda=bias_lambda) for m in METHODS}
