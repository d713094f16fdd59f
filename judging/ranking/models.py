"""Value objects shared by the ranking code and its callers."""

from collections.abc import Mapping
from dataclasses import dataclass, field

POLICIES = ("renormalise", "zero", "drop")
METHODS = ("mean", "zscore", "bias")

# Names of the tie-break cascade steps, in the order they are tried.
CASCADE = ("tiebreak_criterion", "mean_review", "review_count")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: float
    min_value: float = 0
    max_value: float = 10
    is_tiebreak: bool = False


@dataclass(frozen=True)
class ReviewInput:
    judge: int
    submission: int
    values: Mapping[int, float | None]  # criterion id -> value, None when left empty


@dataclass(frozen=True)
class RankingWarning:
    """A machine-readable warning; the Django layer turns ``code`` into translated text.

    Codes: ``empty_review``, ``incomplete_review`` (ignored reviews, in ``reviews``),
    ``unranked_submission`` (every review of it was ignored), ``one_review_judge`` and
    ``zero_spread_judge`` (z-score set to 0 for these ``judges``), ``disconnected_graph``
    (the ``judges`` and ``submissions`` outside the first part).
    """

    code: str
    judges: tuple[int, ...] = ()
    submissions: tuple[int, ...] = ()
    reviews: tuple[tuple[int, int], ...] = ()  # (judge, submission)


@dataclass(frozen=True)
class RankedEntry:
    submission: int
    score: float
    rank: int  # competition rank ("1224") within its component
    n_reviews: int
    spread: float  # population standard deviation of the review scores R_js
    mean_review: float  # raw mean of the review scores R_js
    tiebreak_value: float | None  # mean of the tie-break criterion, None if never filled
    std_error: float | None  # standard error used by the too-close-to-call rule
    component: int = 1  # 1-based part of the judge-submission graph (bias method only)
    tied: bool = False  # a tie that survived the whole cascade: same rank as another entry
    tie_break: str | None = None  # deepest cascade step (see CASCADE) that placed this entry
    too_close_to_call: bool = False
    close_to: tuple[int, ...] = ()  # neighbouring submissions it is too close to call with


@dataclass(frozen=True)
class RankingResult:
    method: str
    entries: list[RankedEntry]  # sorted by (component, rank, submission)
    warnings: list[RankingWarning]
    judge_bias: dict[int, float] = field(default_factory=dict)  # bias method only
    components: int = 1  # number of separately ranked parts
