"""The Bradley-Terry fit, its uncertainty and the choice of the next project (no database)."""

import math
import random

import choix
import numpy as np
import pytest

from judging.pairwise.choice import Candidate, next_project
from judging.pairwise.fitting import fit, items_of, rank_pairwise


def _simulated(n=12, per_pair=6, seed=3):
    rng = random.Random(seed)
    strength = {100 + i: i / 2 for i in range(n)}
    comparisons = []
    for a in strength:
        for b in strength:
            if a < b:
                for _ in range(per_pair):
                    p = 1 / (1 + math.exp(strength[b] - strength[a]))
                    comparisons.append((a, b) if rng.random() < p else (b, a))
    return strength, comparisons


def test_fit_is_choix_opt_pairwise_on_items_in_id_order():
    _strength, comparisons = _simulated()
    items = items_of(comparisons)
    index = {s: i for i, s in enumerate(items)}
    expected = choix.opt_pairwise(
        len(items), [(index[w], index[lo]) for w, lo in comparisons], alpha=0.01
    )
    scores = fit(comparisons, 0.01)
    assert [scores[s] for s in items] == pytest.approx(list(expected), abs=1e-12)


def test_the_ranking_recovers_clear_strengths_and_numbers_competition_ranks():
    strength, comparisons = _simulated(n=6, per_pair=30)
    result = rank_pairwise(comparisons, 0.01)
    assert result.method == "pairwise"
    assert [e.submission for e in result.entries] == sorted(strength, key=strength.get)[::-1]
    assert [e.rank for e in result.entries] == [1, 2, 3, 4, 5, 6]
    assert all(e.n_reviews == 5 * 30 for e in result.entries)


def test_equal_records_are_tied_and_too_close_to_call():
    comparisons = [(1, 2), (2, 1), (1, 2), (2, 1)]
    result = rank_pairwise(comparisons, 0.01)
    assert [e.rank for e in result.entries] == [1, 1]
    assert all(e.tied and e.too_close_to_call for e in result.entries)


def test_a_project_that_wins_every_time_is_clear_of_the_rest():
    comparisons = [(1, 2)] * 40 + [(2, 3), (3, 2)] * 20
    result = rank_pairwise(comparisons, 0.01)
    first, second, third = result.entries
    assert first.submission == 1
    assert not first.too_close_to_call
    assert second.too_close_to_call
    assert third.too_close_to_call
    assert first.std_error > 0
    assert math.isfinite(first.score)


def test_more_comparisons_shrink_the_uncertainty():
    _s, few = _simulated(n=8, per_pair=2)
    _s, many = _simulated(n=8, per_pair=20)
    few_errors = np.mean([e.std_error for e in rank_pairwise(few, 0.01).entries])
    many_errors = np.mean([e.std_error for e in rank_pairwise(many, 0.01).entries])
    assert many_errors < few_errors / 2


def test_projects_never_compared_are_unranked_with_a_warning():
    result = rank_pairwise([(1, 2)], 0.01, unseen=[1, 2, 3])
    assert [e.submission for e in result.entries] == [1, 2]
    assert result.warnings[0].code == "unranked_submission"
    assert result.warnings[0].submissions == (3,)
    assert rank_pairwise([], 0.01, unseen=[4]).entries == []


@pytest.mark.parametrize("alpha", [0, -1, float("nan"), float("inf")])
def test_alpha_must_be_positive_and_finite(alpha):
    with pytest.raises(ValueError, match="alpha"):
        fit([(1, 2)], alpha)


def test_next_project_without_a_previous_is_the_least_compared_free_table():
    candidates = [Candidate(1, 1), Candidate(2, 2), Candidate(3, 3)]
    assert next_project(candidates, previous=None, scores={}, counts={1: 3}, busy={2: 1}) == 3


def test_next_project_is_close_in_estimate_and_near_in_table_order():
    previous = Candidate(10, 10)
    scores = {10: 0.0, 1: 0.1, 2: 2.5, 3: 0.1}
    candidates = [Candidate(1, 40), Candidate(2, 11), Candidate(3, 12)]
    # 3: as close in estimate as 1 and two tables away; 2 is next door but far in estimate.
    assert next_project(candidates, previous=previous, scores=scores, counts={}, busy={}) == 3


def test_next_project_prefers_projects_with_fewer_comparisons():
    previous = Candidate(10, 10)
    candidates = [Candidate(1, 11), Candidate(2, 12)]
    counts = {1: 6, 2: 0}
    assert next_project(candidates, previous=previous, scores={}, counts=counts, busy={}) == 2
    assert next_project([], previous=previous, scores={}, counts={}, busy={}) is None
