import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.ranking import (
    CriterionSpec,
    RankingWarning,
    ReviewInput,
    rank,
    rank_all,
    review_score,
    scores_digest,
)

ONE = [CriterionSpec(id=1, weight=1.0)]
# Weight 0 + tie-break: shown to the jury, never counted, only used to separate ties.
WITH_TIEBREAK = [CriterionSpec(id=1, weight=1.0), CriterionSpec(id=9, weight=0, is_tiebreak=True)]
WIDE = [CriterionSpec(id=1, weight=1.0, min_value=-100, max_value=100)]


def reviews_from(table: dict[tuple[int, int], float]) -> list[ReviewInput]:
    """(judge, submission) -> value on the single criterion 1."""
    return [ReviewInput(judge=j, submission=s, values={1: v}) for (j, s), v in table.items()]


def by_submission(result):
    return {e.submission: e for e in result.entries}


def order(result) -> list[int]:
    return [e.submission for e in result.entries]


# --- review score -------------------------------------------------------------------------

RUBRIC = [
    CriterionSpec(id=1, weight=2),
    CriterionSpec(id=2, weight=1),
    CriterionSpec(id=3, weight=0),
    CriterionSpec(id=4, weight=1),
]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # (2*8 + 1*5) / (2 + 1) = 21 / 3: the empty criterion 2 leaves numerator and denominator
        ("renormalise", 7.0),
        # (2*8 + 1*0 + 1*5) / (2 + 1 + 1) = 21 / 4
        ("zero", 5.25),
        ("drop", None),
    ],
)
def test_review_score_missing_value_per_policy(policy, expected):
    review = ReviewInput(judge=1, submission=1, values={1: 8, 2: None, 3: 10, 4: 5})

    assert review_score(review, RUBRIC, policy) == expected


@pytest.mark.parametrize("policy", ["renormalise", "zero", "drop"])
def test_review_score_weight_zero_criterion_not_counted(policy):
    low = ReviewInput(judge=1, submission=1, values={1: 8, 2: 6, 3: 0, 4: 5})
    high = ReviewInput(judge=1, submission=1, values={1: 8, 2: 6, 3: 10, 4: 5})

    # (2*8 + 1*6 + 1*5) / 4 = 27 / 4, whatever criterion 3 says
    assert review_score(low, RUBRIC, policy) == 6.75
    assert review_score(high, RUBRIC, policy) == 6.75


def test_review_score_drop_ignores_empty_weight_zero_criterion():
    review = ReviewInput(judge=1, submission=1, values={1: 8, 2: 6, 3: None, 4: 5})

    assert review_score(review, RUBRIC, "drop") == 6.75


def test_review_score_no_counted_value():
    review = ReviewInput(judge=1, submission=1, values={2: None, 3: 7})

    assert review_score(review, RUBRIC, "renormalise") is None
    assert review_score(review, RUBRIC, "drop") is None
    assert review_score(review, RUBRIC, "zero") == 0.0


@pytest.mark.parametrize(
    ("review", "criteria"),
    [
        (ReviewInput(1, 1, {7: 5}), ONE),  # unknown criterion
        (ReviewInput(1, 1, {1: 11}), ONE),  # above the scale
        (ReviewInput(1, 1, {1: -1}), ONE),  # below the scale
        (ReviewInput(1, 1, {1: math.nan}), ONE),
        (ReviewInput(1, 1, {1: 5}), [CriterionSpec(id=1, weight=-1)]),
        (ReviewInput(1, 1, {1: 5}), [CriterionSpec(1, 1), CriterionSpec(1, 2)]),
        (
            ReviewInput(1, 1, {1: 5}),
            [CriterionSpec(1, 1, is_tiebreak=True), CriterionSpec(2, 1, is_tiebreak=True)],
        ),
    ],
)
def test_review_score_rejects_malformed_input(review, criteria):
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        review_score(review, criteria)


def test_rank_rejects_bad_options_and_duplicates():
    reviews = reviews_from({(1, 1): 5})
    with pytest.raises(ValueError, match="method"):
        rank(reviews, ONE, method="borda")
    with pytest.raises(ValueError, match="policy"):
        rank(reviews, ONE, method="mean", policy="ignore")
    with pytest.raises(ValueError, match="bias_lambda"):
        rank(reviews, ONE, method="bias", bias_lambda=-1)
    with pytest.raises(ValueError, match="twice"):
        rank([*reviews, *reviews], ONE, method="mean")


# --- ignored reviews ----------------------------------------------------------------------


def test_rank_renormalise_empty_review_ignored_and_warned():
    reviews = [
        ReviewInput(1, 1, {1: 6}),
        ReviewInput(2, 1, {1: None}),
        ReviewInput(2, 2, {}),
        ReviewInput(1, 3, {1: 4}),
    ]

    result = rank(reviews, ONE, method="mean")

    assert by_submission(result)[1].n_reviews == 1
    assert set(by_submission(result)) == {1, 3}
    assert result.warnings == [
        RankingWarning("empty_review", reviews=((2, 1), (2, 2))),
        RankingWarning("unranked_submission", submissions=(2,)),
    ]


def test_rank_drop_incomplete_review_warned_zero_counts_it():
    criteria = [CriterionSpec(1, 1), CriterionSpec(2, 1)]
    reviews = [ReviewInput(1, 1, {1: 6, 2: 8}), ReviewInput(2, 1, {1: 10, 2: None})]

    dropped = rank(reviews, criteria, method="mean", policy="drop")
    zeroed = rank(reviews, criteria, method="mean", policy="zero")
    renormalised = rank(reviews, criteria, method="mean")

    # drop: only (6 + 8) / 2 = 7 counts
    assert by_submission(dropped)[1].score == 7.0
    assert dropped.warnings == [RankingWarning("incomplete_review", reviews=((2, 1),))]
    # zero: mean of 7 and (10 + 0) / 2 = 5 -> 6
    assert by_submission(zeroed)[1].score == 6.0
    # renormalise: mean of 7 and 10 / 1 = 10 -> 8.5
    assert by_submission(renormalised)[1].score == 8.5


def test_rank_no_counted_review_gives_empty_result():
    result = rank([ReviewInput(1, 1, {1: None})], ONE, method="bias")

    assert result.entries == []
    assert result.components == 0


# --- mean and median ----------------------------------------------------------------------


def test_mean_and_median_hand_computed():
    # s1: 2, 3, 10 -> mean 15 / 3 = 5, median 3; s2: 4, 4 -> 4 and 4
    reviews = reviews_from({(1, 1): 2, (2, 1): 3, (3, 1): 10, (1, 2): 4, (2, 2): 4})

    mean = rank(reviews, ONE, method="mean")
    median = rank(reviews, ONE, method="mean", median=True)

    assert [(e.submission, e.score, e.rank) for e in mean.entries] == [(1, 5.0, 1), (2, 4.0, 2)]
    assert [(e.submission, e.score, e.rank) for e in median.entries] == [(2, 4.0, 1), (1, 3.0, 2)]
    s1 = by_submission(mean)[1]
    # population std of 2, 3, 10 around 5: sqrt((9 + 4 + 25) / 3)
    assert s1.spread == pytest.approx(math.sqrt(38 / 3))
    assert s1.mean_review == 5.0
    assert by_submission(median)[1].mean_review == 5.0


# --- z-score ------------------------------------------------------------------------------


def test_zscore_hand_computed():
    # Judge 1: 8, 6, 4 -> mu 6, sigma sqrt(8/3), z = +-2/sqrt(8/3) = +-sqrt(3/2), 0
    # Judge 2: 9, 5 -> mu 7, sigma 2, z = +1, -1
    reviews = reviews_from({(1, 1): 8, (1, 2): 6, (1, 3): 4, (2, 1): 9, (2, 3): 5})

    result = rank(reviews, ONE, method="zscore")

    scores = {e.submission: e.score for e in result.entries}
    assert scores[1] == pytest.approx((math.sqrt(1.5) + 1) / 2)
    assert scores[2] == pytest.approx(0.0)
    assert scores[3] == pytest.approx(-(math.sqrt(1.5) + 1) / 2)
    assert order(result) == [1, 2, 3]
    assert result.warnings == []
    assert result.judge_bias == {}


def test_zscore_one_review_and_zero_spread_judges_warned():
    # Judge 3 reviews once, judge 4 gives 5 to everything: both contribute z = 0.
    # s1: (sqrt(3/2) + 0) / 2; s2: (0 + 0) / 2; s3: (-sqrt(3/2) + 0) / 2
    reviews = reviews_from({(1, 1): 8, (1, 2): 6, (1, 3): 4, (3, 2): 9, (4, 1): 5, (4, 3): 5})

    result = rank(reviews, ONE, method="zscore")

    scores = {e.submission: e.score for e in result.entries}
    assert scores == pytest.approx({1: math.sqrt(1.5) / 2, 2: 0.0, 3: -math.sqrt(1.5) / 2})
    assert result.warnings == [
        RankingWarning("one_review_judge", judges=(3,)),
        RankingWarning("zero_spread_judge", judges=(4,)),
    ]


# --- judge-bias model ---------------------------------------------------------------------


def test_bias_chain_design_hand_computed():
    # A: s1 8, s2 6; B: s2 7, s3 5. Four equations, four unknowns once bA = -bB:
    # q2 + bA = 6 and q2 + bB = 7 -> q2 = 6.5, bB = 0.5, bA = -0.5; q1 = 8.5, q3 = 4.5
    reviews = reviews_from({(1, 1): 8, (1, 2): 6, (2, 2): 7, (2, 3): 5})

    result = rank(reviews, ONE, method="bias")

    assert [e.submission for e in result.entries] == [1, 2, 3]
    assert [e.score for e in result.entries] == pytest.approx([8.5, 6.5, 4.5])
    assert result.judge_bias == pytest.approx({1: -0.5, 2: 0.5})
    assert result.components == 1


@pytest.mark.parametrize(
    ("bias_lambda", "expected_bias"),
    [
        # Balanced 2x2: b_j = n_j * (row mean - grand mean) / (n_j + lambda)
        # row means 7 and 5, grand mean 6, n_j = 2
        (0.0, 1.0),  # 2 * 1 / 2
        (2.0, 0.5),  # 2 * 1 / 4
        (6.0, 0.25),  # 2 * 1 / 8
    ],
)
def test_bias_lambda_shrinks_biases(bias_lambda, expected_bias):
    # A: s1 9, s2 5; B: s1 6, s2 4. q_s = column mean since sum(b) = 0: 7.5 and 4.5
    reviews = reviews_from({(1, 1): 9, (1, 2): 5, (2, 1): 6, (2, 2): 4})

    result = rank(reviews, ONE, method="bias", bias_lambda=bias_lambda)

    assert result.judge_bias == pytest.approx({1: expected_bias, 2: -expected_bias})
    assert [e.score for e in result.entries] == pytest.approx([7.5, 4.5])


TRUE_QUALITY = {1: 9, 2: 8, 3: 7, 4: 6, 5: 5, 6: 4}
TRUE_BIAS = {10: -2, 11: 1, 12: 1}
# The harsh judge 10 sees the three strongest projects; the design is connected through s1, s3
# and s5.
HARSH_DESIGN = {10: [1, 2, 3], 11: [3, 4, 5], 12: [1, 5, 6]}


def harsh_reviews():
    return reviews_from(
        {(j, s): TRUE_QUALITY[s] + TRUE_BIAS[j] for j, subs in HARSH_DESIGN.items() for s in subs}
    )


def test_bias_model_recovers_true_order_where_zscore_fails():
    results = rank_all(harsh_reviews(), ONE)

    truth = sorted(TRUE_QUALITY, key=TRUE_QUALITY.get, reverse=True)
    assert order(results["bias"]) == truth
    assert [e.score for e in results["bias"].entries] == pytest.approx([9, 8, 7, 6, 5, 4])
    assert results["bias"].judge_bias == pytest.approx(TRUE_BIAS)
    # The z-score centres the harsh judge on his own (strong) pool: s2 falls behind s4.
    assert order(results["zscore"]) != truth
    assert by_submission(results["zscore"])[4].rank < by_submission(results["zscore"])[2].rank


def test_bias_lambda_shrinks_harsh_judge():
    small = rank(harsh_reviews(), ONE, method="bias", bias_lambda=0.5).judge_bias
    large = rank(harsh_reviews(), ONE, method="bias", bias_lambda=5).judge_bias

    assert abs(large[10]) < abs(small[10]) < 2
    assert sum(small.values()) == pytest.approx(0, abs=1e-12)
    assert sum(large.values()) == pytest.approx(0, abs=1e-12)


def test_bias_disconnected_graph_ranked_per_component():
    # Part of judges 1, 2 (three submissions) and part of judge 3 (two submissions).
    reviews = reviews_from({(1, 1): 8, (1, 2): 6, (2, 2): 7, (2, 3): 5, (3, 4): 9, (3, 5): 3})

    result = rank(reviews, ONE, method="bias")

    assert result.components == 2
    assert result.warnings == [
        RankingWarning("disconnected_graph", judges=(3,), submissions=(4, 5))
    ]
    assert [(e.submission, e.component, e.rank) for e in result.entries] == [
        (1, 1, 1),
        (2, 1, 2),
        (3, 1, 3),
        (4, 2, 1),
        (5, 2, 2),
    ]
    # sum(b_j) = 0 holds within each part, so the lone judge of part 2 has bias 0.
    assert result.judge_bias == pytest.approx({1: -0.5, 2: 0.5, 3: 0.0})
    # Methods that need no connection rank everything together.
    mean = rank(reviews, ONE, method="mean")
    assert mean.components == 1
    assert [e.rank for e in mean.entries] == [1, 2, 3, 4, 5]


# --- ties ---------------------------------------------------------------------------------


def test_tie_broken_by_tiebreak_criterion():
    reviews = [
        ReviewInput(1, 1, {1: 7, 9: 9}),
        ReviewInput(1, 2, {1: 7, 9: 5}),
        ReviewInput(1, 3, {1: 9, 9: 0}),
    ]

    result = rank(reviews, WITH_TIEBREAK, method="mean")

    assert [(e.submission, e.rank, e.tied, e.tie_break) for e in result.entries] == [
        (3, 1, False, None),
        (1, 2, False, "tiebreak_criterion"),
        (2, 3, False, "tiebreak_criterion"),
    ]
    assert by_submission(result)[1].tiebreak_value == 9.0


def test_tie_filled_tiebreak_beats_empty_tiebreak():
    reviews = [ReviewInput(1, 1, {1: 7, 9: None}), ReviewInput(1, 2, {1: 7, 9: 0})]

    result = rank(reviews, WITH_TIEBREAK, method="mean")

    assert order(result) == [2, 1]
    assert by_submission(result)[1].tiebreak_value is None


def test_tie_broken_by_raw_mean():
    # Medians equal (6); means 18/3 = 6 and 19/3: the higher raw mean goes first.
    reviews = reviews_from({(1, 1): 5, (2, 1): 6, (3, 1): 7, (1, 2): 4, (2, 2): 6, (3, 2): 9})

    result = rank(reviews, ONE, method="mean", median=True)

    assert [(e.submission, e.rank, e.tie_break) for e in result.entries] == [
        (2, 1, "mean_review"),
        (1, 2, "mean_review"),
    ]


def test_tie_broken_by_review_count():
    # Means 12/2 = 6 and 18/3 = 6: more reviews go first.
    reviews = reviews_from({(1, 1): 6, (2, 1): 6, (1, 2): 5, (2, 2): 6, (3, 2): 7})

    result = rank(reviews, ONE, method="mean")

    assert [(e.submission, e.rank, e.tie_break) for e in result.entries] == [
        (2, 1, "review_count"),
        (1, 2, "review_count"),
    ]


def test_tie_surviving_cascade_flagged_with_competition_ranks():
    reviews = reviews_from({(1, 1): 9, (1, 2): 7, (1, 3): 7, (1, 4): 5})

    result = rank(reviews, ONE, method="mean")

    assert [(e.submission, e.rank, e.tied, e.tie_break) for e in result.entries] == [
        (1, 1, False, None),
        (2, 2, True, None),
        (3, 2, True, None),
        (4, 4, False, None),
    ]


def test_tie_partly_broken_reports_deepest_step():
    # Three at score 7: s2 has the best tie-break value; s1 and s3 stay tied.
    reviews = [
        ReviewInput(1, 1, {1: 7, 9: 3}),
        ReviewInput(1, 2, {1: 7, 9: 8}),
        ReviewInput(1, 3, {1: 7, 9: 3}),
    ]

    result = rank(reviews, WITH_TIEBREAK, method="mean")

    assert [(e.submission, e.rank, e.tied, e.tie_break) for e in result.entries] == [
        (2, 1, False, "tiebreak_criterion"),
        (1, 2, True, "tiebreak_criterion"),
        (3, 2, True, "tiebreak_criterion"),
    ]


def test_scores_equal_after_rounding_are_tied():
    reviews = reviews_from({(1, 1): 7.0, (1, 2): 7.0 + 1e-12})

    result = rank(reviews, WIDE, method="mean")

    assert [e.rank for e in result.entries] == [1, 1]
    assert all(e.tied for e in result.entries)


# --- too close to call --------------------------------------------------------------------


def test_too_close_to_call_uses_combined_standard_error():
    # s1: 8, 6 -> mean 7, spread 1, se 1/sqrt(2) ~ 0.707
    # s2: 6.5, 6.5 -> se 0; gap to s1 0.5 < sqrt(0.5 + 0) -> too close
    # s3: 2, 2 -> se 0; gap to s2 4.5 >= 0 -> callable
    # s4: 1.5, one review -> pooled se: squared deviations 1, 1, 0, 0, 0, 0 over 6 reviews,
    #     sqrt(2/6) ~ 0.577; gap to s3 0.5 < sqrt(0 + 1/3) -> too close
    reviews = reviews_from(
        {(1, 1): 8, (2, 1): 6, (1, 2): 6.5, (2, 2): 6.5, (1, 3): 2, (2, 3): 2, (1, 4): 1.5}
    )

    result = rank(reviews, ONE, method="mean")

    entries = by_submission(result)
    assert entries[1].std_error == pytest.approx(math.sqrt(0.5))
    assert entries[4].std_error == pytest.approx(math.sqrt(1 / 3))
    assert [(e.submission, e.too_close_to_call, e.close_to) for e in result.entries] == [
        (1, True, (2,)),
        (2, True, (1,)),
        (3, True, (4,)),
        (4, True, (3,)),
    ]


def test_too_close_to_call_pooled_estimate_can_clear_single_review():
    # Same as above with s4 at 1.0: gap 1 >= sqrt(1/3) -> callable.
    reviews = reviews_from(
        {(1, 1): 8, (2, 1): 6, (1, 2): 6.5, (2, 2): 6.5, (1, 3): 2, (2, 3): 2, (1, 4): 1.0}
    )

    entries = by_submission(rank(reviews, ONE, method="mean"))

    assert entries[3].close_to == ()
    assert entries[4].too_close_to_call is False


def test_too_close_to_call_undefined_without_any_repeated_review():
    reviews = reviews_from({(1, 1): 7, (1, 2): 7, (1, 3): 6.9})

    result = rank(reviews, ONE, method="mean")

    assert all(e.std_error is None for e in result.entries)
    assert not any(e.too_close_to_call for e in result.entries)


# --- rank_all and digest ------------------------------------------------------------------


def random_reviews(seed: int, n_sub: int = 40, n_judge: int = 8, per_sub: int = 3):
    rng = np.random.default_rng(seed)
    criteria = [
        CriterionSpec(id=c, weight=w, is_tiebreak=c == 4)
        for c, w in ((1, 3), (2, 2), (3, 1), (4, 1), (5, 0))
    ]
    reviews = []
    for s in range(n_sub):
        for j in rng.choice(n_judge, size=per_sub, replace=False):
            drawn = rng.integers(-1, 11, size=len(criteria))
            values = {c.id: None if v < 0 else int(v) for c, v in zip(criteria, drawn, strict=True)}
            reviews.append(ReviewInput(judge=100 + int(j), submission=s, values=values))
    return reviews, criteria


@pytest.mark.parametrize("policy", ["renormalise", "zero", "drop"])
def test_rank_all_matches_rank(policy):
    reviews, criteria = random_reviews(seed=7)

    everything = rank_all(reviews, criteria, policy=policy, median=True, bias_lambda=0.3)

    assert set(everything) == {"mean", "zscore", "bias"}
    for method, result in everything.items():
        alone = rank(reviews, criteria, method=method, policy=policy, median=True, bias_lambda=0.3)
        assert result == alone


def test_scores_digest_detects_value_change_not_order():
    reviews, _ = random_reviews(seed=3)
    shuffled = [
        ReviewInput(r.judge, r.submission, dict(reversed(list(r.values.items()))))
        for r in reversed(reviews)
    ]
    first = reviews[0]
    changed_value = next(c for c, v in first.values.items() if v is not None)
    edited = [
        ReviewInput(first.judge, first.submission, {**first.values, changed_value: 10.5}),
        *reviews[1:],
    ]

    digest = scores_digest(reviews)

    assert len(digest) == 64
    assert scores_digest(shuffled) == digest
    assert scores_digest(edited) != digest
    assert scores_digest([*reviews, ReviewInput(999, 0, {})]) != digest


def test_scores_digest_int_and_float_equal():
    assert scores_digest([ReviewInput(1, 2, {3: 7})]) == scores_digest(
        [ReviewInput(1, 2, {3: 7.0})]
    )


# --- properties ---------------------------------------------------------------------------


@st.composite
def connected_designs(draw):
    n_judge = draw(st.integers(2, 6))
    n_sub = draw(st.integers(n_judge, 14))
    # Submission s is seen by judges s % J and (s + 1) % J: every consecutive pair of judges
    # shares a submission, so the graph is connected; random extra reviews come on top.
    design = {(s % n_judge, s) for s in range(n_sub)} | {
        ((s + 1) % n_judge, s) for s in range(n_sub)
    }
    extra = draw(st.sets(st.tuples(st.integers(0, n_judge - 1), st.integers(0, n_sub - 1))))
    quality = draw(st.lists(st.integers(0, 50), min_size=n_sub, max_size=n_sub))
    raw_bias = draw(st.lists(st.integers(-20, 20), min_size=n_judge, max_size=n_judge))
    bias = np.array(raw_bias, dtype=float) - np.mean(raw_bias)
    return sorted(design | extra), np.array(quality, dtype=float), bias


@settings(max_examples=60, deadline=None)
@given(connected_designs())
def test_bias_model_recovers_noiseless_quality(case):
    design, quality, bias = case
    reviews = reviews_from({(j, s): quality[s] + bias[j] for j, s in design})

    result = rank(reviews, WIDE, method="bias")

    assert result.components == 1
    scores = {e.submission: e.score for e in result.entries}
    assert [scores[s] for s in range(len(quality))] == pytest.approx(list(quality), abs=1e-7)
    assert [result.judge_bias[j] for j in range(len(bias))] == pytest.approx(list(bias), abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(connected_designs(), st.data())
def test_bias_ranking_unchanged_by_shifting_one_judge(case, data):
    design, quality, bias = case
    noise = data.draw(st.lists(st.integers(-3, 3), min_size=len(design), max_size=len(design)))
    table = {(j, s): quality[s] + bias[j] + e for (j, s), e in zip(design, noise, strict=True)}
    judge = data.draw(st.sampled_from(sorted({j for j, _ in design})))
    shift = data.draw(st.integers(-10, 10))
    shifted = {(j, s): v + (shift if j == judge else 0) for (j, s), v in table.items()}

    before = rank(reviews_from(table), WIDE, method="bias")
    after = rank(reviews_from(shifted), WIDE, method="bias")

    rank_before = {e.submission: (e.rank, e.score) for e in before.entries}
    rank_after = {e.submission: e.rank for e in after.entries}
    shifts = {
        s: score - rank_before[s][1]
        for s, score in ((e.submission, e.score) for e in after.entries)
    }
    # Every quality moves by the same constant, so the order by score cannot change. Exact ties
    # in q may still be ordered differently by the raw-mean step of the cascade, which is why
    # only pairs with distinct scores are compared.
    assert max(shifts.values()) - min(shifts.values()) == pytest.approx(0, abs=1e-7)
    for a, (rank_a, score_a) in rank_before.items():
        for b, (rank_b, score_b) in rank_before.items():
            if score_a > score_b + 1e-6:
                assert rank_a < rank_b
                assert rank_after[a] < rank_after[b]


# --- mixed scales --------------------------------------------------------------------------

MIXED = [CriterionSpec(id=1, weight=1.0, min_value=0, max_value=10),
         CriterionSpec(id=2, weight=1.0, min_value=1, max_value=5)]  # fmt: skip


def test_mixed_scales_are_refused_without_normalising():
    from judging.ranking import MixedScalesError

    review = ReviewInput(judge=1, submission=1, values={1: 10, 2: 5})
    with pytest.raises(MixedScalesError):
        review_score(review, MIXED)
    with pytest.raises(MixedScalesError):
        rank_all([review], MIXED)


def test_mixed_scales_normalised_to_a_common_scale_before_weighting():
    # 10/10 and 5/5 are both the top of their scale; 1/5 is the bottom (0 on 0-10).
    top = ReviewInput(judge=1, submission=1, values={1: 10, 2: 5})
    mixed = ReviewInput(judge=1, submission=2, values={1: 10, 2: 1})
    assert review_score(top, MIXED, normalise=True) == 10.0
    assert review_score(mixed, MIXED, normalise=True) == 5.0


def test_a_weight_zero_criterion_on_another_scale_is_not_mixing():
    rubric = [
        CriterionSpec(id=1, weight=1.0),
        CriterionSpec(id=2, weight=0, min_value=1, max_value=5),
    ]
    assert review_score(ReviewInput(judge=1, submission=1, values={1: 6, 2: 3}), rubric) == 6.0


@given(st.floats(min_value=1, max_value=5))
def test_normalising_one_scale_is_linear(a):
    rubric = [CriterionSpec(id=2, weight=1.0, min_value=1, max_value=5)]
    low = review_score(ReviewInput(judge=1, submission=1, values={2: 1}), rubric, normalise=True)
    value = review_score(ReviewInput(judge=1, submission=1, values={2: a}), rubric, normalise=True)
    assert low == 0.0
    assert math.isclose(value, (a - 1) * 2.5)
