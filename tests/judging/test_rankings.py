import pytest

from judging.models import Review
from judging.ranking import CriterionSpec, ReviewInput, rank_all, scores_digest
from judging.round_rankings import load_round_reviews, round_rankings, round_scores_digest
from tests.factories.judging import (
    CriterionFactory,
    JudgeFactory,
    ReviewFactory,
    RoundFactory,
    ScoreFactory,
)
from tests.factories.submissions import SubmissionFactory


def _review(round_, judge, submission, values, state=Review.State.SUBMITTED):
    review = ReviewFactory(round=round_, judge=judge, submission=submission, state=state)
    for criterion, value in values.items():
        ScoreFactory(review=review, criterion=criterion, value=value)
    return review


@pytest.fixture
def scored_round(edition):
    round_ = RoundFactory(edition=edition, number=1)
    c1 = CriterionFactory(round=round_, weight=2, order=1)
    c2 = CriterionFactory(round=round_, weight=1, order=2, is_tiebreak=True)
    judges = [JudgeFactory(edition=edition) for _ in range(2)]
    subs = [SubmissionFactory(team__edition=edition) for _ in range(2)]
    _review(round_, judges[0], subs[0], {c1: 8, c2: 5})
    _review(round_, judges[0], subs[1], {c1: 4, c2: None})
    _review(round_, judges[1], subs[0], {c1: 6})
    _review(round_, judges[1], subs[1], {c1: 9, c2: 9}, state=Review.State.DRAFT)
    _review(round_, JudgeFactory(edition=edition), subs[1], {c1: 1}, state=Review.State.RECUSED)
    return round_, (c1, c2), judges, subs


def test_load_round_reviews_submitted_only_with_missing_as_none(scored_round):
    round_, (c1, c2), judges, subs = scored_round

    reviews, criteria = load_round_reviews(round_)

    assert criteria == [
        CriterionSpec(id=c1.pk, weight=2, min_value=0, max_value=10, is_tiebreak=False),
        CriterionSpec(id=c2.pk, weight=1, min_value=0, max_value=10, is_tiebreak=True),
    ]
    assert {(r.judge, r.submission): dict(r.values) for r in reviews} == {
        (judges[0].pk, subs[0].pk): {c1.pk: 8, c2.pk: 5},
        (judges[0].pk, subs[1].pk): {c1.pk: 4, c2.pk: None},
        (judges[1].pk, subs[0].pk): {c1.pk: 6, c2.pk: None},
    }


def test_round_rankings_matches_library_and_round_options(scored_round):
    round_, (_c1, _c2), _judges, subs = scored_round
    round_.missing_policy = "zero"
    round_.use_median = True

    results = round_rankings(round_)

    reviews, criteria = load_round_reviews(round_)
    assert results == rank_all(reviews, criteria, policy="zero", median=True)
    assert set(results) == {"mean", "zscore", "bias"}
    # zero policy: s0 = mean((16+5)/3, 12/3) = (7 + 4) / 2; s1 = 8/3.
    mean = {e.submission: e.score for e in results["mean"].entries}
    assert mean == pytest.approx({subs[0].pk: 5.5, subs[1].pk: 8 / 3})


def test_round_rankings_empty_round(round_):
    results = round_rankings(round_)

    assert {name: r.entries for name, r in results.items()} == {
        "mean": [],
        "zscore": [],
        "bias": [],
    }


@pytest.mark.parametrize("size", [1, 3])
def test_round_rankings_constant_queries(edition, django_assert_num_queries, size):
    round_ = RoundFactory(edition=edition, number=1)
    criteria = [CriterionFactory(round=round_) for _ in range(size)]
    for _ in range(size):
        sub = SubmissionFactory(team__edition=edition)
        for _ in range(size):
            _review(round_, JudgeFactory(edition=edition), sub, dict.fromkeys(criteria, 5))

    with django_assert_num_queries(3):
        round_rankings(round_)


def test_round_scores_digest_changes_with_a_counted_value(scored_round):
    round_, (_c1, _c2), judges, subs = scored_round
    before = round_scores_digest(round_)
    reviews, _ = load_round_reviews(round_)
    assert before == scores_digest(reviews)

    # A draft changing does not affect the digest; a submitted value does.
    draft = Review.objects.get(state=Review.State.DRAFT)
    draft.scores.update(value=1)
    assert round_scores_digest(round_) == before
    submitted = Review.objects.get(judge=judges[1], submission=subs[0])
    submitted.scores.update(value=7)
    assert round_scores_digest(round_) != before


def test_load_round_reviews_ignores_other_rounds(scored_round, edition):
    _round, (_c1, _c2), judges, subs = scored_round
    other = RoundFactory(edition=edition, number=2)
    oc = CriterionFactory(round=other)
    _review(other, judges[0], subs[0], {oc: 3})

    reviews, criteria = load_round_reviews(other)

    assert reviews == [ReviewInput(judge=judges[0].pk, submission=subs[0].pk, values={oc.pk: 3})]
    assert [c.id for c in criteria] == [oc.pk]


def test_round_rankings_harsh_judge_on_strongest_projects_from_db(edition):
    """The same design as the library's test, written through the review service."""
    from judging import services
    from tests.factories.judging import AssignmentFactory

    quality = [9, 8, 7, 6, 5, 4]
    bias = [-2, 1, 1]
    design = {0: [0, 1, 2], 1: [2, 3, 4], 2: [0, 4, 5]}
    round_ = RoundFactory(edition=edition, number=1)
    criterion = CriterionFactory(round=round_)
    subs = [SubmissionFactory(team__edition=edition, title=f"S{i}") for i in range(6)]
    judges = [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(3)]
    for j, seen in design.items():
        for s in seen:
            AssignmentFactory(round=round_, judge=judges[j], submission=subs[s])
            services.save_review(
                round_,
                judge=judges[j],
                submission=subs[s],
                by=judges[j].user,
                values={criterion.pk: quality[s] + bias[j]},
                version=0,
                submit=True,
            )

    results = round_rankings(round_)

    truth = [s.pk for s in subs]
    assert [e.submission for e in results["bias"].entries] == truth
    assert results["bias"].judge_bias == pytest.approx(
        {j.pk: b for j, b in zip(judges, bias, strict=True)}
    )
    assert [e.submission for e in results["zscore"].entries] != truth


def test_finalists_round_breaks_surviving_ties_by_previous_score(edition):
    from judging.models import Finalist
    from judging.round_rankings import PREVIOUS_ROUND_STEP

    prelim = RoundFactory(edition=edition, number=1)
    final = RoundFactory(edition=edition, number=2, scope="finalists", source_round=prelim)
    crit = CriterionFactory(round=final)
    judge = JudgeFactory(edition=edition)
    subs = [SubmissionFactory(team__edition=edition) for _ in range(4)]
    for sub, value, previous in zip(subs, [9, 7, 7, 7], [1.0, 5.0, 6.0, 5.0], strict=True):
        _review(final, judge, sub, {crit: value})
        Finalist.objects.create(
            round=final, submission=sub, reason="top", source_score=previous, source_rank=1
        )

    result = round_rankings(final)["mean"]

    assert [(e.submission, e.rank, e.tied) for e in result.entries] == [
        (subs[0].pk, 1, False),
        (subs[2].pk, 2, False),
        (subs[1].pk, 3, True),
        (subs[3].pk, 3, True),
    ]
    assert result.entries[1].tie_break == PREVIOUS_ROUND_STEP
