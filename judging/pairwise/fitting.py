"""Bradley-Terry ranking of pairwise comparisons, fitted by `choix`; no Django import.

Anyone can refit a published ranking from the round's export: the projects that appear in a
comparison, in increasing id order, are the items 0…n-1 and each comparison is the tuple
(winner, loser), the data `choix.opt_pairwise(n, data, alpha=alpha)` takes. Its result is the
score of each project (log-strength, mean 0 over the projects compared).

The uncertainty comes from the Laplace approximation of the posterior the fit maximises:
`C = H⁻¹`, the inverse of the Hessian of the regularised negative log-likelihood,
`H = Σ p(1-p)(e_w - e_l)(e_w - e_l)ᵀ + alpha·I` with `p = sigmoid(θ_w - θ_l)`. Only differences of
scores mean anything (adding a constant to all changes no probability), so the standard
error of a project is that of its score minus the mean score, the square root of the
diagonal of `PCP` with `P = I - 11ᵀ/n`. Two neighbours in the ranking whose gap is smaller
than the standard error of their difference, `√(C_aa + C_bb - 2C_ab)`, are "too close to
call", the rule of scored rounds with the covariance the comparisons induce.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import choix
import numpy as np

from judging.ranking.models import RankedEntry, RankingResult, RankingWarning

METHOD = "pairwise"
# Ranks compare scores rounded this far, as in scored rounds, so float noise never decides.
DIGITS = 9


def items_of(comparisons: Sequence[tuple[int, int]]) -> list[int]:
    """The projects of the fit, in the order choix numbers them: increasing id."""
    return sorted({s for pair in comparisons for s in pair})


def fit(comparisons: Sequence[tuple[int, int]], alpha: float) -> dict[int, float]:
    """{project id: Bradley-Terry score} from (winner, loser) pairs, by `choix.opt_pairwise`."""
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError("alpha must be a finite number > 0")
    items = items_of(comparisons)
    if not items:
        return {}
    index = {sid: i for i, sid in enumerate(items)}
    data = [(index[w], index[lo]) for w, lo in comparisons]
    params = choix.opt_pairwise(len(items), data, alpha=alpha)
    return {sid: float(params[i]) for i, sid in enumerate(items)}


def covariance(
    scores: dict[int, float], comparisons: Sequence[tuple[int, int]], alpha: float
) -> tuple[dict[int, int], np.ndarray]:
    """({project: index}, C): the Laplace covariance of the scores (module docstring)."""
    items = sorted(scores)
    index = {sid: i for i, sid in enumerate(items)}
    hessian = alpha * np.eye(len(items))
    for w, lo in comparisons:
        i, j = index[w], index[lo]
        p = 1.0 / (1.0 + math.exp(scores[lo] - scores[w]))
        v = p * (1.0 - p)
        hessian[i, i] += v
        hessian[j, j] += v
        hessian[i, j] -= v
        hessian[j, i] -= v
    return index, np.linalg.inv(hessian)


def standard_errors(index: dict[int, int], cov: np.ndarray) -> dict[int, float]:
    """Standard error of each score relative to the mean score."""
    n = len(index)
    centre = np.eye(n) - np.full((n, n), 1.0 / n)
    centred = centre @ cov @ centre
    return {sid: float(math.sqrt(max(centred[i, i], 0.0))) for sid, i in index.items()}


def difference_error(index, cov, a: int, b: int) -> float:
    i, j = index[a], index[b]
    return float(math.sqrt(max(cov[i, i] + cov[j, j] - 2 * cov[i, j], 0.0)))


def rank_pairwise(
    comparisons: Sequence[tuple[int, int]],
    alpha: float,
    *,
    unseen: Sequence[int] = (),
) -> RankingResult:
    """The ranking of a pairwise round: competition ranks ("1224") on the fitted scores.

    `n_reviews` of an entry is its number of comparisons and `mean_review` its share of
    wins; `unseen` projects (in the round, never compared) are left unranked with a warning.
    """
    scores = fit(comparisons, alpha)
    warnings = []
    missing = tuple(sorted(set(unseen) - set(scores)))
    if missing:
        warnings.append(RankingWarning(code="unranked_submission", submissions=missing))
    if not scores:
        return RankingResult(method=METHOD, entries=[], warnings=warnings)
    index, cov = covariance(scores, comparisons, alpha)
    errors = standard_errors(index, cov)
    played = Counter(s for pair in comparisons for s in pair)
    wins = Counter(w for w, _lo in comparisons)
    order = sorted(scores, key=lambda s: (-round(scores[s], DIGITS), s))
    keys = [round(scores[s], DIGITS) for s in order]
    count = Counter(keys)
    entries: list[RankedEntry] = []
    for pos, sid in enumerate(order):
        rank = entries[-1].rank if pos and keys[pos] == keys[pos - 1] else pos + 1
        entries.append(
            RankedEntry(
                submission=sid,
                score=scores[sid],
                rank=rank,
                n_reviews=played[sid],
                spread=0.0,
                mean_review=wins[sid] / played[sid],
                tiebreak_value=None,
                std_error=errors[sid],
                tied=count[keys[pos]] > 1,
            )
        )
    entries = flag_close(entries, lambda a, b: difference_error(index, cov, a, b))
    return RankingResult(method=METHOD, entries=entries, warnings=warnings)


def flag_close(entries: list[RankedEntry], error) -> list[RankedEntry]:
    """Marks neighbours whose gap is within `error(a, b)`, the standard error of their
    difference."""
    close: dict[int, list[int]] = {i: [] for i in range(len(entries))}
    for i in range(len(entries) - 1):
        a, b = entries[i], entries[i + 1]
        if abs(round(a.score - b.score, DIGITS)) < error(a.submission, b.submission):
            close[i].append(b.submission)
            close[i + 1].append(a.submission)
    return [
        replace(e, too_close_to_call=bool(close[i]), close_to=tuple(close[i]))
        for i, e in enumerate(entries)
    ]
