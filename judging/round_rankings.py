"""Rankings of a round, read from the database and computed by `judging.ranking`.

Stable API for other apps (results): `load_round_reviews`, `round_rankings`,
`round_scores_digest`. Every function runs a constant number of queries, whatever the size
of the round: one for the criteria, one for the reviews, one for their scores (and, for a
round of finalists, one for their scores in the previous round).
"""

import math
from dataclasses import replace

from django.utils.translation import gettext as _

from judging.ranking import (
    CriterionSpec,
    RankingResult,
    ReviewInput,
    mixed_scales,
    rank_all,
    scores_digest,
)

from .errors import MixedScalesError
from .models import Criterion, Finalist, Review, Round, Score

# The step of the tie-break cascade added for a round of finalists (see judging.md: "the
# preliminary score is a tie-breaker"), tried after the library's CASCADE.
PREVIOUS_ROUND_STEP = "previous_round_score"


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
    """The three methods side by side ("mean", "zscore", "bias") with the round's options;
    for a pairwise round, its Bradley-Terry ranking alone ("pairwise").

    In a round of finalists, a tie that survives the whole cascade is then broken by the
    finalists' scores in the previous round.
    """
    if round.mode == Round.Mode.PAIRWISE:
        from judging.pairwise.queries import pairwise_rankings

        return pairwise_rankings(round)
    reviews, criteria = load_round_reviews(round)
    return rank_reviews(round, reviews, criteria)


def rank_reviews(round, reviews, criteria) -> dict[str, RankingResult]:
    """`round_rankings` on reviews already loaded (the export reuses them)."""
    check_scales(round, criteria)
    results = rank_all(
        reviews,
        criteria,
        policy=round.missing_policy,
        median=round.use_median,
        bias_lambda=round.bias_lambda,
        normalise=round.normalise_scales,
    )
    if round.scope != Round.Scope.FINALISTS:
        return results
    previous = dict(
        Finalist.objects.filter(round=round).values_list("submission_id", "source_score")
    )
    return {m: break_ties_by_previous(r, previous) for m, r in results.items()}


def break_ties_by_previous(result: RankingResult, previous: dict[int, float]) -> RankingResult:
    """Separate entries still tied after the cascade by their previous-round score.

    Higher first; an entry with no previous score comes last; equal previous scores stay
    tied (competition ranks). Other entries are unchanged.
    """
    entries, out, i = result.entries, [], 0
    while i < len(entries):
        j = i
        while (
            j + 1 < len(entries)
            and entries[j + 1].component == entries[i].component
            and entries[j + 1].rank == entries[i].rank
        ):
            j += 1
        group = entries[i : j + 1]
        out += _split_group(group, previous) if len(group) > 1 else group
        i = j + 1
    return replace(result, entries=out)


def _split_group(group, previous):
    def key(entry):
        value = previous.get(entry.submission)
        return -math.inf if value is None else round(value, 9)

    ordered = sorted(group, key=key, reverse=True)
    keys = [key(e) for e in ordered]
    base, out = ordered[0].rank, []
    for pos, entry in enumerate(ordered):
        rank = out[-1].rank if pos and keys[pos] == keys[pos - 1] else base + pos
        still_tied = keys.count(keys[pos]) > 1
        out.append(
            replace(
                entry,
                rank=rank,
                tied=still_tied,
                tie_break=entry.tie_break if still_tied else PREVIOUS_ROUND_STEP,
            )
        )
    return out


def check_scales(round, criteria) -> None:
    """Refuses to rank a round whose weighted criteria mix scales without normalising them:
    a 1-5 criterion beside 0-10 ones would silently weigh about half its weight."""
    if round.normalise_scales or not mixed_scales(criteria):
        return
    scales = sorted({(c.min_value, c.max_value) for c in criteria if c.weight > 0})
    raise MixedScalesError(
        _(
            "The weighted criteria of “%(round)s” use different scales (%(scales)s), so they "
            "would not weigh what their weights say. Tick “bring every criterion to a common "
            "scale” in the round's settings, or put them all on one scale."
        )
        % {"round": round.name, "scales": ", ".join(f"{lo}\N{EN DASH}{hi}" for lo, hi in scales)}
    )


def round_scores_digest(round) -> str:
    """SHA-256 of the raw values of the submitted reviews: changes if any counted value does
    (of the counted comparisons, in a pairwise round)."""
    if round.mode == Round.Mode.PAIRWISE:
        from judging.pairwise.queries import comparisons_digest

        return comparisons_digest(round)
    reviews, _criteria = load_round_reviews(round)
    return scores_digest(reviews)
