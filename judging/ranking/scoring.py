"""From raw criterion values to one review score R_js per review."""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .models import POLICIES, CriterionSpec, RankingWarning, ReviewInput


@dataclass(frozen=True)
class ScoredReviews:
    """Counted reviews as parallel arrays, indexed into sorted judge and submission ids."""

    judge_ids: np.ndarray
    submission_ids: np.ndarray
    j: np.ndarray  # judge index of each review
    s: np.ndarray  # submission index of each review
    r: np.ndarray  # review score R_js
    tiebreak: np.ndarray  # tie-break criterion value, NaN when empty
    warnings: tuple[RankingWarning, ...]


def check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}, expected one of {POLICIES}")


class MixedScalesError(ValueError):
    """Counted criteria on different scales, without the option to normalise them: each
    would silently weigh its weight times the width of its scale."""


def check_criteria(
    criteria: Sequence[CriterionSpec], *, normalise: bool = False
) -> dict[int, CriterionSpec]:
    if not normalise and mixed_scales(criteria):
        raise MixedScalesError(
            "criteria with a weight are on different scales: normalise them or use one scale"
        )
    by_id = {c.id: c for c in criteria}
    if len(by_id) != len(criteria):
        raise ValueError("criterion ids must be unique")
    for c in criteria:
        if not (math.isfinite(c.weight) and c.weight >= 0):
            raise ValueError(f"criterion {c.id}: weight must be a finite number >= 0")
        if not c.min_value <= c.max_value:
            raise ValueError(f"criterion {c.id}: min_value is above max_value")
        if normalise and c.weight > 0 and c.min_value == c.max_value:
            raise ValueError(f"criterion {c.id}: a scale of one value cannot be normalised")
    if sum(c.is_tiebreak for c in criteria) > 1:
        raise ValueError("a round has at most one tie-break criterion")
    return by_id


def _check_values(review: ReviewInput, by_id: dict[int, CriterionSpec]) -> None:
    for cid, value in review.values.items():
        spec = by_id.get(cid)
        if spec is None:
            raise ValueError(
                f"review ({review.judge}, {review.submission}) has unknown criterion {cid}"
            )
        # Written so that NaN fails too.
        if value is not None and not spec.min_value <= value <= spec.max_value:
            raise ValueError(
                f"review ({review.judge}, {review.submission}): criterion {cid} value "
                f"{value} is outside [{spec.min_value}, {spec.max_value}]"
            )


# The common scale criteria are brought to when a round normalises mixed scales.
COMMON_SCALE = (0.0, 10.0)


def mixed_scales(criteria: Sequence[CriterionSpec]) -> bool:
    """True when the counted criteria (weight > 0) do not all share one scale."""
    return len({(c.min_value, c.max_value) for c in criteria if c.weight > 0}) > 1


def _normalised(value: float | None, c: CriterionSpec) -> float | None:
    """`value` moved linearly from the criterion's scale to COMMON_SCALE."""
    if value is None:
        return None
    low, high = COMMON_SCALE
    return low + (value - c.min_value) * (high - low) / (c.max_value - c.min_value)


def _score_values(
    review: ReviewInput, counted: Sequence[CriterionSpec], policy: str, normalise: bool = False
) -> tuple[float | None, str | None]:
    """Return the review score, or None and the warning code explaining why it is ignored."""
    if not counted:
        return None, "empty_review"
    values = [review.values.get(c.id) for c in counted]
    if normalise:
        values = [_normalised(v, c) for v, c in zip(values, counted, strict=True)]
    if policy == "zero":
        total = sum(c.weight for c in counted)
        return sum(
            c.weight * (v or 0.0) for c, v in zip(counted, values, strict=True)
        ) / total, None
    if policy == "drop" and any(v is None for v in values):
        return None, "incomplete_review"
    present = [(c.weight, v) for c, v in zip(counted, values, strict=True) if v is not None]
    if not present:
        return None, "empty_review"
    return sum(w * v for w, v in present) / sum(w for w, _ in present), None


def review_score(
    review: ReviewInput,
    criteria: Sequence[CriterionSpec],
    policy: str = "renormalise",
    *,
    normalise: bool = False,
) -> float | None:
    """R_js under ``policy``; None when the review does not count (see docs/judging-method.md).

    ``normalise`` first brings every criterion to COMMON_SCALE (for mixed scales)."""
    check_policy(policy)
    by_id = check_criteria(criteria, normalise=normalise)
    _check_values(review, by_id)
    return _score_values(review, [c for c in criteria if c.weight > 0], policy, normalise)[0]


def score_reviews(
    reviews: Sequence[ReviewInput],
    criteria: Sequence[CriterionSpec],
    policy: str,
    *,
    normalise: bool = False,
) -> ScoredReviews:
    check_policy(policy)
    by_id = check_criteria(criteria, normalise=normalise)
    counted = [c for c in criteria if c.weight > 0]
    tiebreak = next((c.id for c in criteria if c.is_tiebreak), None)
    seen: set[tuple[int, int]] = set()
    ignored: dict[str, list[tuple[int, int]]] = {"empty_review": [], "incomplete_review": []}
    rows: list[tuple[int, int, float, float]] = []
    for review in reviews:
        key = (review.judge, review.submission)
        if key in seen:
            raise ValueError(f"judge {key[0]} reviewed submission {key[1]} twice")
        seen.add(key)
        _check_values(review, by_id)
        score, reason = _score_values(review, counted, policy, normalise)
        if score is None:
            ignored[reason or "empty_review"].append(key)
            continue
        tb = None if tiebreak is None else review.values.get(tiebreak)
        rows.append((review.judge, review.submission, score, math.nan if tb is None else tb))

    warnings = [
        RankingWarning(code, reviews=tuple(sorted(keys))) for code, keys in ignored.items() if keys
    ]
    unranked = sorted({s for _, s in seen} - {row[1] for row in rows})
    if unranked:
        warnings.append(RankingWarning("unranked_submission", submissions=tuple(unranked)))

    judge_ids, j = np.unique(
        np.array([row[0] for row in rows], dtype=np.int64), return_inverse=True
    )
    submission_ids, s = np.unique(
        np.array([row[1] for row in rows], dtype=np.int64), return_inverse=True
    )
    return ScoredReviews(
        judge_ids=judge_ids,
        submission_ids=submission_ids,
        j=j,
        s=s,
        r=np.array([row[2] for row in rows], dtype=float),
        tiebreak=np.array([row[3] for row in rows], dtype=float),
        warnings=tuple(warnings),
    )


def scores_digest(reviews: Sequence[ReviewInput]) -> str:
    """SHA-256 of every raw value in (judge, submission, criterion) order.

    Input order does not matter; any change of a value, including filling or emptying one,
    changes the digest, so a published snapshot can detect later edits.
    """
    # A line per review as well as per value: under the "zero" policy a review with no value
    # still counts, so its presence is part of what the ranking depends on.
    lines = sorted(
        [(review.judge, review.submission, 0, 0, "") for review in reviews]
        + [
            (review.judge, review.submission, 1, cid, "null" if v is None else repr(float(v)))
            for review in reviews
            for cid, v in review.values.items()
        ]
    )
    text = "".join(
        f"{j}\t{s}\n" if kind == 0 else f"{j}\t{s}\t{c}\t{v}\n" for j, s, kind, c, v in lines
    )
    return hashlib.sha256(text.encode()).hexdigest()
