"""A final too large for every judge to see every finalist: each project gets its k judges
at the smallest largest load, and judges are exchanged between projects until the
judge-project graph is connected (one group) with as much overlap as found, so the
judge-bias model can compare every finalist with every other."""

import random
from collections import Counter

import pytest
from django.urls import reverse

from judging import services
from judging.assignment_solver import (
    AssignmentResult,
    _shared,
    connect_assignment,
    judge_project_groups,
    solve_assignment,
)
from judging.models import Assignment, Round
from tests.factories.judging import JudgeFactory, RoundFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted


def _result(pairs, judges):
    loads = Counter(j for j, _ in pairs)
    return AssignmentResult(
        pairs=set(pairs),
        max_load=max(loads.values()),
        lower_bound=0,
        preferred_matches=0,
        loads={j: loads[j] for j in judges},
    )


# Two finals of two projects each, judged by disjoint pairs: two groups.
SPLIT = {(10, 1), (11, 1), (10, 2), (11, 2), (12, 3), (13, 3), (12, 4), (13, 4)}


def _per_project(pairs):
    return Counter(s for _j, s in pairs)


def test_split_graph_is_connected_with_the_same_loads_and_judges_per_project():
    result = connect_assignment(_result(SPLIT, [10, 11, 12, 13]))

    assert judge_project_groups(SPLIT) == 2
    assert result.groups == 1 == judge_project_groups(result.pairs)
    assert result.loads == {10: 2, 11: 2, 12: 2, 13: 2}
    assert _per_project(result.pairs) == {1: 2, 2: 2, 3: 2, 4: 2}
    assert result.overlap == len(_shared(result.pairs)) > len(_shared(SPLIT))


def test_conflicts_forbidden_and_pinned_pairs_are_respected():
    conflicts = {(12, 1), (12, 2)}
    forbidden = {(13, 1)}
    pinned = {(10, 1), (11, 2)}
    result = connect_assignment(
        _result(SPLIT, [10, 11, 12, 13]), conflicts=conflicts, forbidden=forbidden, pinned=pinned
    )

    assert result.groups == 1
    assert pinned <= result.pairs
    assert not result.pairs & (conflicts | forbidden)
    assert _per_project(result.pairs) == {1: 2, 2: 2, 3: 2, 4: 2}


def test_one_judge_per_project_cannot_be_connected_and_says_so():
    pairs = {(10, 1), (10, 2), (11, 3), (11, 4)}
    result = connect_assignment(_result(pairs, [10, 11]))

    assert result.groups == 2
    assert result.pairs == pairs


@pytest.mark.parametrize("seed", range(12))
def test_random_finals_end_connected_at_the_minimal_load(seed):
    rng = random.Random(seed)
    n_subs, n_judges = rng.randint(6, 24), rng.randint(4, 12)
    k = rng.randint(2, min(4, n_judges))
    subs, judges = list(range(100, 100 + n_subs)), list(range(n_judges))
    conflicts = {(j, s) for j in judges for s in subs if rng.random() < 0.05}
    try:
        balanced = solve_assignment(subs, judges, k=k, conflicts=conflicts)
    except Exception:
        pytest.skip("no assignment with these conflicts")

    result = connect_assignment(balanced, conflicts=conflicts)

    assert result.groups == 1
    assert result.max_load == balanced.max_load
    assert result.loads == balanced.loads
    assert _per_project(result.pairs) == dict.fromkeys(subs, k)
    assert not result.pairs & conflicts
    assert result.overlap >= len(_shared(balanced.pairs))


@pytest.fixture
def final(edition):
    """Ten finalists, ten judges, two judges each: the balanced assignment alone tends to
    give disjoint pairs of judges."""
    round_ = RoundFactory(
        edition=edition, number=1, judges_per_submission=2,
        assignment_mode=Round.AssignmentMode.CONNECTED,
    )  # fmt: skip
    judges = [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(10)]
    subs = [_submitted(TeamFactory(edition=edition)) for _ in range(10)]
    return round_, judges, subs


def test_a_connected_final_links_every_finalist_through_shared_judges(final, organizer):
    round_, _judges, subs = final

    outcome = services.run_assignment(round_, by=organizer)

    pairs = set(Assignment.objects.values_list("judge_id", "submission_id"))
    assert judge_project_groups(pairs) == 1 == outcome.result.groups
    assert _per_project(pairs) == {s.pk: 2 for s in subs}
    assert max(Counter(j for j, _s in pairs).values()) == 2  # the balanced largest load


def test_the_organizer_is_told_the_judges_overlap(
    client, final, organizer, django_capture_on_commit_callbacks
):
    round_, _judges, _subs = final
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("judging:assign", args=[round_.edition.slug, round_.number]))

    page = client.get(response["Location"]).content.decode()
    assert "partage" in page or "share" in page, page


def _round_page(client, round_, organizer):
    client.force_login(organizer)
    url = reverse("judging:organize_round", args=[round_.edition.slug, round_.number])
    return client.get(url).content.decode()


def test_the_round_page_warns_when_assignments_split_the_projects(client, edition, organizer):
    round_ = RoundFactory(edition=edition, number=1, judges_per_submission=1)
    a, b = (JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(2))
    first, second = (_submitted(TeamFactory(edition=edition)) for _ in range(2))
    Assignment.objects.create(round=round_, judge=a, submission=first)
    Assignment.objects.create(round=round_, judge=b, submission=second)

    page = _round_page(client, round_, organizer)

    assert 'class="alert alert-warning" id="assignment-graph"' in page
    assert "split the projects into 2 groups that share no judge" in page


def test_the_round_page_says_a_connected_final_can_be_compared(client, final, organizer):
    round_, _judges, _subs = final
    services.run_assignment(round_, by=organizer)

    page = _round_page(client, round_, organizer)

    assert '<p class="small" id="assignment-graph">' in page
