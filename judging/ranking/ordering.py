"""Competition ranks, the tie-break cascade and the too-close-to-call rule."""

import math
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from .methods import MethodOutput
from .models import CASCADE, RankedEntry
from .scoring import ScoredReviews

# Scores are compared after rounding so that floating-point noise never decides a rank.
DIGITS = 9


@dataclass(frozen=True)
class _Stats:
    n: np.ndarray
    mean_r: np.ndarray
    spread: np.ndarray
    tiebreak: list[float | None]
    std_error: list[float | None]


def _stats(sc: ScoredReviews, out: MethodOutput) -> _Stats:
    size = len(sc.submission_ids)
    n = np.bincount(sc.s, minlength=size)
    mean_r = np.bincount(sc.s, weights=sc.r, minlength=size) / n
    spread = np.sqrt(np.bincount(sc.s, weights=(sc.r - mean_r[sc.s]) ** 2, minlength=size) / n)

    filled = ~np.isnan(sc.tiebreak)
    tb_n = np.bincount(sc.s, weights=filled, minlength=size)
    tb_sum = np.bincount(sc.s, weights=np.where(filled, sc.tiebreak, 0.0), minlength=size)
    tiebreak = [float(t / c) if c else None for t, c in zip(tb_sum, tb_n, strict=True)]

    # Standard error in the unit of the score: spread of the per-review contributions.
    contrib_mean = np.bincount(sc.s, weights=out.per_review, minlength=size) / n
    squares = (out.per_review - contrib_mean[sc.s]) ** 2
    contrib_var = np.bincount(sc.s, weights=squares, minlength=size) / n
    several = n >= 2
    # A single review has no spread of its own: borrow the spread pooled over submissions with
    # several reviews (review-weighted mean of their variances); with none, leave it undefined.
    pooled = math.sqrt(squares[several[sc.s]].sum() / n[several].sum()) if several.any() else None
    std_error = [
        float(math.sqrt(v / k)) if k >= 2 else pooled for v, k in zip(contrib_var, n, strict=True)
    ]
    return _Stats(n=n, mean_r=mean_r, spread=spread, tiebreak=tiebreak, std_error=std_error)


def _key(score: float, tiebreak: float | None, mean_r: float, n: int) -> tuple:
    tb = -math.inf if tiebreak is None else round(tiebreak, DIGITS)
    return (round(score, DIGITS), tb, round(mean_r, DIGITS), n)


def _rank_part(entries: list[RankedEntry]) -> list[RankedEntry]:
    keys = [_key(e.score, e.tiebreak_value, e.mean_review, e.n_reviews) for e in entries]
    # Stable sort: among entries whose tie survives, submission id only fixes display order.
    order = sorted(range(len(entries)), key=lambda i: entries[i].submission)
    order.sort(key=lambda i: keys[i], reverse=True)

    full = Counter(keys)
    prefixes = [Counter(k[:depth] for k in keys) for depth in (1, 2, 3)]
    ranked: list[RankedEntry] = []
    for pos, i in enumerate(order):
        rank = ranked[-1].rank if pos and keys[order[pos - 1]] == keys[i] else pos + 1
        # The deepest step that separated this entry from another with the same score: the
        # longest key prefix it shares with an entry whose full key differs.
        step = next(
            (
                CASCADE[depth - 1]
                for depth in (3, 2, 1)
                if prefixes[depth - 1][keys[i][:depth]] > full[keys[i]]
            ),
            None,
        )
        ranked.append(replace(entries[i], rank=rank, tied=full[keys[i]] > 1, tie_break=step))
    return _flag_close(ranked)


def _flag_close(ranked: list[RankedEntry]) -> list[RankedEntry]:
    close: dict[int, list[int]] = {i: [] for i in range(len(ranked))}
    for i in range(len(ranked) - 1):
        a, b = ranked[i], ranked[i + 1]
        if a.std_error is None or b.std_error is None:
            continue
        gap = abs(round(a.score, DIGITS) - round(b.score, DIGITS))
        if gap < math.hypot(a.std_error, b.std_error):
            close[i].append(b.submission)
            close[i + 1].append(a.submission)
    return [
        replace(e, too_close_to_call=bool(close[i]), close_to=tuple(close[i]))
        for i, e in enumerate(ranked)
    ]


def build_entries(sc: ScoredReviews, out: MethodOutput) -> list[RankedEntry]:
    st = _stats(sc, out)
    parts: dict[int, list[RankedEntry]] = {}
    for idx, sid in enumerate(sc.submission_ids):
        entry = RankedEntry(
            submission=int(sid),
            score=float(out.scores[idx]),
            rank=0,
            n_reviews=int(st.n[idx]),
            spread=float(st.spread[idx]),
            mean_review=float(st.mean_r[idx]),
            tiebreak_value=st.tiebreak[idx],
            std_error=st.std_error[idx],
            component=int(out.component[idx]),
        )
        parts.setdefault(entry.component, []).append(entry)
    return [entry for part in sorted(parts) for entry in _rank_part(parts[part])]
