"""Prize resolution as a pure function: no database."""

from judging.results.resolution import Candidate, PrizeSpec, RankRow, resolve_prizes

ROUND = 1


def rows(*ranks):
    """Submissions 1..n with the given ranks, scores decreasing with the rank."""
    return [RankRow(submission=i, rank=r, score=100 - r) for i, r in enumerate(ranks, start=1)]


def candidates(n, **overrides):
    found = {i: Candidate(submission=i, team=100 + i) for i in range(1, n + 1)}
    for sid, fields in overrides.items():
        found[int(sid.lstrip("s"))] = Candidate(submission=int(sid.lstrip("s")), **fields)
    return found


def winners(outcome):
    return [(p.place, p.submission) for p in outcome.placements if p.place]


def test_resolve_prizes_single_prize_takes_top_places():
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=3, priority=1, round=ROUND)],
        {ROUND: rows(2, 1, 3, 4)},
        candidates(4),
        one_prize_per_team=True,
    )
    assert winners(outcome) == [(1, 2), (2, 1), (3, 3)]
    assert not outcome.boundary_tie


def test_resolve_prizes_one_prize_rule_skips_teams_that_won():
    prizes = [
        PrizeSpec(20, places=1, priority=2, round=ROUND),
        PrizeSpec(10, places=1, priority=1, round=ROUND),
    ]
    first, second = resolve_prizes(
        prizes, {ROUND: rows(1, 2, 3)}, candidates(3), one_prize_per_team=True
    )
    assert (first.prize, winners(first)) == (10, [(1, 1)])
    assert (second.prize, winners(second)) == (20, [(1, 2)])


def test_resolve_prizes_without_one_prize_rule_a_team_wins_twice():
    prizes = [
        PrizeSpec(10, places=1, priority=1, round=ROUND),
        PrizeSpec(20, places=1, priority=2, round=ROUND),
    ]
    first, second = resolve_prizes(
        prizes, {ROUND: rows(1, 2, 3)}, candidates(3), one_prize_per_team=False
    )
    assert winners(first) == winners(second) == [(1, 1)]


def test_resolve_prizes_challenge_prize_only_its_challenge():
    found = candidates(3, s1={"team": 101, "challenge": 7}, s3={"team": 103, "challenge": 8})
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=1, priority=1, round=ROUND, challenge=8)],
        {ROUND: rows(1, 2, 3)},
        found,
        one_prize_per_team=True,
    )
    assert winners(outcome) == [(1, 3)]


def test_resolve_prizes_host_site_prize_only_its_site():
    found = candidates(2, s2={"team": 102, "host_site": 5})
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=1, priority=1, round=ROUND, host_site=5)],
        {ROUND: rows(1, 2)},
        found,
        one_prize_per_team=True,
    )
    assert winners(outcome) == [(1, 2)]


def test_resolve_prizes_tie_straddling_last_place_is_flagged():
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=2, priority=1, round=ROUND)],
        {ROUND: rows(1, 2, 2, 4)},
        candidates(4),
        one_prize_per_team=True,
    )
    second = outcome.placements[1]
    assert (second.place, second.submission, second.tied, second.needs_decision) == (
        2,
        2,
        True,
        True,
    )
    assert second.tied_with == (3,)
    assert outcome.placements[0].needs_decision is False
    assert outcome.boundary_tie


def test_resolve_prizes_tie_inside_the_places_is_not_a_boundary_tie():
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=2, priority=1, round=ROUND)],
        {ROUND: rows(1, 1, 3)},
        candidates(3),
        one_prize_per_team=True,
    )
    assert not outcome.boundary_tie
    assert [p.needs_decision for p in outcome.placements] == [False, False]


def test_resolve_prizes_missing_conditions_listed_then_passed_over():
    found = candidates(3, s1={"team": 101, "missing": ("repository", "licence")})
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=1, priority=1, round=ROUND)],
        {ROUND: rows(1, 2, 3)},
        found,
        one_prize_per_team=True,
    )
    passed, placed = outcome.placements
    assert (passed.place, passed.submission, passed.missing) == (None, 1, ("repository", "licence"))
    assert (placed.place, placed.submission) == (1, 2)


def test_resolve_prizes_sponsor_prize_leaves_places_for_a_decision():
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=2, priority=1, round=None)], {}, candidates(2), one_prize_per_team=True
    )
    assert [(p.place, p.submission, p.needs_decision) for p in outcome.placements] == [
        (1, None, True),
        (2, None, True),
    ]


def test_resolve_prizes_too_few_candidates_leave_places_empty():
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=3, priority=1, round=ROUND)],
        {ROUND: rows(1)},
        candidates(1),
        one_prize_per_team=True,
    )
    assert [(p.place, p.submission) for p in outcome.placements] == [(1, 1), (2, None), (3, None)]


def test_resolve_prizes_ignores_submissions_that_are_not_candidates():
    found = candidates(2)
    del found[1]  # e.g. disqualified
    (outcome,) = resolve_prizes(
        [PrizeSpec(1, places=1, priority=1, round=ROUND)],
        {ROUND: rows(1, 2)},
        found,
        one_prize_per_team=True,
    )
    assert winners(outcome) == [(1, 2)]
