"""A final where every judge sees every finalist, the rankings page saying when the chosen
method is unreliable and which tie-break step placed each project, and rubrics that mix
scales: refused, or normalised with the option recorded."""

import json

import pytest
from django.urls import reverse

from judging import services
from judging.assignment_solver import InfeasibleAssignment, assign_everyone
from judging.errors import MixedScalesError
from judging.models import Assignment, Review, Round
from judging.round_rankings import round_rankings
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted


def _url(name, round_):
    return reverse(f"judging:{name}", args=[round_.edition.slug, round_.number])


def _review(round_, judge, submission, values):
    review = Review.objects.create(
        round=round_, judge=judge, submission=submission, state=Review.State.SUBMITTED
    )
    for criterion, value in values.items():
        review.scores.create(criterion=criterion, value=value)
    return review


# Every judge on every finalist ------------------------------------------------------------


def test_assign_everyone_gives_every_allowed_pair():
    result = assign_everyone([1, 2, 3], [10, 11], k=1, conflicts={(10, 2)})
    assert result.pairs == {(10, 1), (10, 3), (11, 1), (11, 2), (11, 3)}
    assert result.loads == {10: 2, 11: 3}


def test_assign_everyone_names_projects_below_the_minimum():
    with pytest.raises(InfeasibleAssignment) as info:
        assign_everyone([1, 2], [10, 11], k=2, conflicts={(10, 2)})
    assert [s.submission for s in info.value.shortfalls] == [2]


def test_final_round_in_everyone_mode_assigns_every_judge_every_project(edition, organizer):
    round_ = RoundFactory(
        edition=edition, number=1, judges_per_submission=1,
        assignment_mode=Round.AssignmentMode.EVERYONE,
    )  # fmt: skip
    judges = [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(3)]
    subs = [_submitted(TeamFactory(edition=edition)) for _ in range(4)]

    services.run_assignment(round_, by=organizer)

    pairs = set(Assignment.objects.values_list("judge_id", "submission_id"))
    assert pairs == {(j.pk, s.pk) for j in judges for s in subs}


# The rankings page says when the method is unreliable, and why -----------------------------


def test_rankings_page_says_the_bias_model_is_unreliable_on_a_split_graph(
    client, edition, organizer
):
    round_ = RoundFactory(edition=edition, number=1, method=Round.Method.BIAS)
    criterion = CriterionFactory(round=round_, weight=1)
    a, b = (JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(2))
    subs = [SubmissionFactory(team__edition=edition, state="submitted") for _ in range(4)]
    for judge, pair in ((a, subs[:2]), (b, subs[2:])):  # two groups sharing no judge
        for value, sub in zip((8, 4), pair, strict=True):
            _review(round_, judge, sub, {criterion: value})
    client.force_login(organizer)

    response = client.get(_url("rankings", round_))

    [chosen] = [m for m in response.context["methods"] if m["chosen"]]
    split, single = chosen["unreliable"]
    assert "2 groups that share no judge" in split
    assert "single review" in single
    assert "is unreliable" in response.content.decode()


def test_rankings_page_connected_final_is_not_flagged(client, edition, organizer):
    round_ = RoundFactory(edition=edition, number=1, method=Round.Method.BIAS)
    criterion = CriterionFactory(round=round_, weight=1)
    judges = [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(2)]
    subs = [SubmissionFactory(team__edition=edition, state="submitted") for _ in range(3)]
    for judge in judges:
        for value, sub in zip((8, 6, 4), subs, strict=True):
            _review(round_, judge, sub, {criterion: value})
    client.force_login(organizer)

    response = client.get(_url("rankings", round_))

    assert all(not m["unreliable"] for m in response.context["methods"])


def test_rankings_page_states_the_tie_break_step(client, edition, organizer):
    round_ = RoundFactory(edition=edition, number=1, method=Round.Method.MEAN)
    main = CriterionFactory(round=round_, weight=1, name="Impact")
    tiebreak = CriterionFactory(round=round_, weight=0, name="Audace", is_tiebreak=True)
    judge = JudgeFactory(edition=edition)
    first, second = (SubmissionFactory(team__edition=edition, state="submitted") for _ in "ab")
    _review(round_, judge, first, {main: 7, tiebreak: 9})
    _review(round_, judge, second, {main: 7, tiebreak: 3})
    client.force_login(organizer)

    response = client.get(_url("rankings", round_))

    steps = [row["cells"][0]["step"] for row in response.context["rows"]]
    assert steps == ["tie-break criterion “Audace”"] * 2
    assert "placed by: tie-break criterion" in response.content.decode()


# Mixed scales -----------------------------------------------------------------------------


@pytest.fixture
def mixed_round(edition):
    round_ = RoundFactory(edition=edition, number=1, name="Finale", method=Round.Method.MEAN)
    wide = CriterionFactory(round=round_, weight=1, min_value=0, max_value=10)
    narrow = CriterionFactory(round=round_, weight=1, min_value=1, max_value=5)
    judge = JudgeFactory(edition=edition)
    subs = [SubmissionFactory(team__edition=edition, state="submitted") for _ in range(2)]
    _review(round_, judge, subs[0], {wide: 10, narrow: 1})  # top, bottom: 5 on 0-10
    _review(round_, judge, subs[1], {wide: 6, narrow: 5})  # 6 and top: 8 on 0-10
    round_.subs = subs
    return round_


def test_mixed_scales_refused_with_a_clear_message(client, organizer, mixed_round):
    with pytest.raises(MixedScalesError, match="different scales"):
        round_rankings(mixed_round)
    client.force_login(organizer)
    response = client.get(_url("rankings", mixed_round))
    assert "0\N{EN DASH}10, 1\N{EN DASH}5" in response.context["refused"]
    assert "common scale" in response.content.decode()


def test_mixed_scales_refused_by_compute_results(organizer, mixed_round):
    from judging.results import services as results
    from tests.factories.results import PrizeFactory

    PrizeFactory(edition=mixed_round.edition, round=mixed_round)
    with pytest.raises(results.ResultsError, match="different scales"):
        results.compute_results(mixed_round.edition, by=organizer)


def test_mixed_scales_normalised_rank_recorded_in_export_and_method(client, organizer, mixed_round):
    from judging.results.parameters import round_parameters
    from judging.results.texts import explain_round

    Round.objects.filter(pk=mixed_round.pk).update(normalise_scales=True)
    mixed_round.refresh_from_db()

    entries = round_rankings(mixed_round)["mean"].entries
    assert [(e.submission, e.score) for e in entries] == [
        (mixed_round.subs[1].pk, 8.0),
        (mixed_round.subs[0].pk, 5.0),
    ]
    client.force_login(organizer)
    export = json.loads(client.get(reverse(
        "judging:export", args=[mixed_round.edition.slug, 1, "json"])).content)  # fmt: skip
    assert export["normalise_scales"] is True
    parameters = round_parameters(mixed_round)
    assert parameters["normalise_scales"] is True
    assert "common scale from 0 to 10" in explain_round(parameters)["method"]
