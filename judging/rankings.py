"""Rankings of a round, read from the database and computed by `judging.ranking`.

Stable API for other apps (results): `load_round_reviews`, `round_rankings`,
`round_scores_digest`. Every function runs a constant number of queries, whatever the size
of the round: one for the criteria, one for the reviews, one for their scores.
"""

from judging.ranking import CriterionSpec, RankingResult, ReviewInput, rank_all, scores_digest

from .models import Criterion, Review, Score


def criterion_specs(round) -> list[CriterionSpec]:
    """The rubric of `round` as the ranking library's value objects (one query)."""
    return [
        CriterionSpec(
            id=c["pk"],
            weight=c["weight"],
            min_value=c["min_value"],
            max_value=c["max_value"],
            is_tiebreak=c["is_tiebreak"],
        )
        for c in Criterion.objects.filter(round=round)
        .order_by("order", "pk")
        .values("pk", "weight", "min_value", "max_value", "is_tiebreak")
    ]


def load_round_reviews(round) -> tuple[list[ReviewInput], list[CriterionSpec]]:
    """The submitted reviews of `round` and its criteria; drafts and recusals never count.

    Three queries. A criterion a judge left empty, or that was added after the review was
    submitted, is a missing value (None) so the round's missing-value policy decides.
    """
    criteria = criterion_specs(round)
    reviews = list(
        Review.objects.filter(round=round, state=Review.State.SUBMITTED)
        .order_by("pk")
        .values_list("pk", "judge_id", "submission_id")
    )
    values: dict[int, dict[int, float | None]] = {pk: {} for pk, _j, _s in reviews}
    scores = Score.objects.filter(
        review__round=round, review__state=Review.State.SUBMITTED
    ).values_list("review_id", "criterion_id", "value")
    for review_id, criterion_id, value in scores:
        values[review_id][criterion_id] = value
    ids = [c.id for c in criteria]
    inputs = [
        ReviewInput(
            judge=judge,
            submission=submission,
            values={cid: values[pk].get(cid) for cid in ids},
        )
        for pk, judge, submission in reviews
    ]
    return inputs, criteria


def round_rankings(round) -> dict[str, RankingResult]:
    """The three methods side by side ("mean", "zscore", "bias") with the round's options."""
    reviews, criteria = load_round_reviews(round)
    return rank_all(
        reviews,
        criteria,
        policy=round.missing_policy,
        median=round.use_median,
        bias_lambda=round.bias_lambda,
    )


def round_scores_digest(round) -> str:
    """SHA-256 of the raw values of the submitted reviews: changes if any counted value does."""
    reviews, _criteria = load_round_reviews(round)
    return scores_digest(reviews)
