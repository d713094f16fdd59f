"""A pairwise round as judges, organizers and re-fitters meet it: the walk from table to
table, the database's guarantees, conflicts, the export refitted with choix, and results."""

import json

import choix
import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from hackqc.exceptions import ConcurrentEditError
from judging.errors import ConflictOfInterestError
from judging.export import export_round
from judging.generate import generate_edition
from judging.models import Comparison, Conflict, ExpoTable, ExpoWalk, Round
from judging.pairwise import services
from judging.round_rankings import round_rankings, round_scores_digest
from tests.factories.judging import JudgeFactory, RoundFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted


@pytest.fixture
def expo(edition):
    round_ = RoundFactory(
        edition=edition, number=1, mode=Round.Mode.PAIRWISE, method=Round.Method.PAIRWISE
    )
    projects = [_submitted(TeamFactory(edition=edition, name=f"Équipe {i}")) for i in range(6)]
    return round_, projects


@pytest.fixture
def expo_judge(edition, judge):
    return JudgeFactory(edition=edition, user=judge, organisation="Ville de Laval")


def _answer(round_, judge, action, **kwargs):
    walk = ExpoWalk.objects.get(round=round_, judge=judge)
    return services.walk_step(
        round_, judge=judge, by=judge.user, action=action, shown=walk.current_id, **kwargs
    )


def test_a_judge_walks_the_tables_and_each_verdict_is_stored(expo, expo_judge):
    round_, _projects = expo
    walk = services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    assert ExpoTable.objects.filter(round=round_).count() == 6
    first = walk.current_id
    walk = _answer(round_, expo_judge, "start")
    assert walk.previous_id == first
    second = walk.current_id
    walk = _answer(round_, expo_judge, "current")
    comparison = Comparison.objects.get()
    assert (comparison.winner_id, comparison.loser_id) == (second, first)
    assert walk.previous_id == second
    third = walk.current_id
    walk = _answer(round_, expo_judge, "previous")
    assert Comparison.objects.filter(winner_id=second, loser_id=third).exists()
    seen = {first, second, third}
    assert walk.current_id not in seen


def test_the_next_table_is_never_one_already_seen_or_skipped(expo, expo_judge):
    round_, _projects = expo
    services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    shown = []
    for action in ["start", "skip", "current", "previous", "current"]:
        shown.append(ExpoWalk.objects.get(round=round_, judge=expo_judge).current_id)
        _answer(round_, expo_judge, action)
    shown.append(ExpoWalk.objects.get(round=round_, judge=expo_judge).current_id)
    assert len(set(shown)) == 6
    _answer(round_, expo_judge, "current")
    assert ExpoWalk.objects.get(round=round_, judge=expo_judge).current_id is None


def test_a_double_submit_records_one_verdict(expo, expo_judge):
    round_, _projects = expo
    services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    _answer(round_, expo_judge, "start")
    walk = ExpoWalk.objects.get(round=round_, judge=expo_judge)
    shown = walk.current_id
    services.walk_step(round_, judge=expo_judge, by=None, action="current", shown=shown)
    with pytest.raises(ConcurrentEditError):
        services.walk_step(round_, judge=expo_judge, by=None, action="current", shown=shown)
    assert Comparison.objects.count() == 1


def test_conflicted_teams_are_never_offered_and_recusal_voids_verdicts(expo, expo_judge):
    round_, projects = expo
    Conflict.objects.create(judge=expo_judge, team=projects[0].team, reason="Ma sœur")
    services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    shown = []
    for _ in range(5):
        shown.append(ExpoWalk.objects.get(round=round_, judge=expo_judge).current_id)
        _answer(round_, expo_judge, "current")
    assert projects[0].pk not in shown
    assert len(set(shown)) == 5
    assert len(round_rankings(round_)["pairwise"].entries) == 5
    digest = round_scores_digest(round_)
    # A conflict declared afterwards removes the verdicts involving that team.
    Conflict.objects.create(judge=expo_judge, team=projects[1].team, reason="Ancien collègue")
    ranked = {e.submission for e in round_rankings(round_)["pairwise"].entries}
    assert projects[1].pk not in ranked
    assert round_scores_digest(round_) != digest


def test_recusing_from_the_current_project_records_a_conflict(expo, expo_judge):
    round_, _projects = expo
    services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    current = ExpoWalk.objects.get(round=round_, judge=expo_judge).current
    _answer(round_, expo_judge, "recuse", reason="Mon ancien employeur")
    assert Conflict.objects.filter(
        judge=expo_judge, team=current.team, kind=Conflict.Kind.RECUSAL
    ).exists()
    walk = ExpoWalk.objects.get(round=round_, judge=expo_judge)
    assert walk.current_id != current.pk
    assert walk.previous_id is None


def test_a_verdict_on_a_team_the_judge_conflicts_with_is_refused(expo, expo_judge):
    round_, _projects = expo
    services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    walk = _answer(round_, expo_judge, "start")
    Conflict.objects.create(judge=expo_judge, team=walk.current.team, reason="Découvert")
    with pytest.raises(ConflictOfInterestError):
        _answer(round_, expo_judge, "current")
    assert not Comparison.objects.exists()


def test_the_database_refuses_malformed_comparisons(expo, expo_judge):
    round_, (a, b, *_rest) = expo
    Comparison.objects.create(round=round_, judge=expo_judge, winner=a, loser=b)
    bad = [
        {"winner": a, "loser": a},
        {"winner": b, "loser": a},  # the same pair again, the other way round
        {"winner": a, "loser": None},
        {"winner": a, "loser": b, "skipped": a},
        {},
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Comparison.objects.create(round=round_, judge=expo_judge, **fields)
    Comparison.objects.create(round=round_, judge=expo_judge, skipped=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(round=round_, judge=expo_judge, skipped=a)


def test_a_pairwise_round_is_ranked_by_the_pairwise_method_only(edition):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundFactory(edition=edition, mode=Round.Mode.PAIRWISE, method=Round.Method.BIAS)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundFactory(edition=edition, method=Round.Method.PAIRWISE)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundFactory(
            edition=edition,
            mode=Round.Mode.PAIRWISE,
            method=Round.Method.PAIRWISE,
            pairwise_alpha=0,
        )


@pytest.mark.django_db
def test_generated_pairwise_export_refits_to_the_same_ranking_with_choix():
    generated = generate_edition(submissions=40, judges=8, k=3, seed=5, pairwise=8)
    data = json.loads(export_round(generated.round, "json"))
    assert data["mode"] == "pairwise"
    assert data["alpha"] == 0.01
    assert len(data["comparisons"]) >= 8 * 40 // 2 * 0.9
    assert set(data["comparisons"][0]) == {"judge", "winner", "loser", "at"}
    items = sorted({s for c in data["comparisons"] for s in (c["winner"], c["loser"])})
    index = {s: i for i, s in enumerate(items)}
    params = choix.opt_pairwise(
        len(items),
        [(index[c["winner"]], index[c["loser"]]) for c in data["comparisons"]],
        alpha=data["alpha"],
    )
    refit = sorted(items, key=lambda s: -params[index[s]])
    ranking = data["rankings"]["pairwise"]
    assert [r["submission"] for r in ranking] == refit
    for row in ranking:
        assert row["score"] == pytest.approx(params[index[row["submission"]]], abs=1e-9)
    csv_text = export_round(generated.round, "csv")
    assert csv_text.count("\ncomparison,") == len(data["comparisons"])


@pytest.mark.django_db
def test_generate_edition_command_takes_pairwise(capsys):
    call_command("generate_edition", submissions=10, judges=3, seed=9, pairwise=4)
    round_ = Round.objects.get(edition__slug="generated-9")
    assert round_.mode == Round.Mode.PAIRWISE
    assert round_.comparisons.count() >= 15
    assert not round_.assignments.exists()


@pytest.mark.django_db
def test_results_and_prizes_work_unchanged_on_a_pairwise_round():
    from judging.results import services as results
    from tests.factories.core import OrganizerRoleFactory
    from tests.factories.results import PrizeFactory

    generated = generate_edition(submissions=20, judges=5, k=3, seed=6, pairwise=10)
    organizer = OrganizerRoleFactory(edition=generated.edition).user
    PrizeFactory(edition=generated.edition, round=generated.round, places=3)
    snapshot = results.compute_results(generated.edition, by=organizer)
    ranking = snapshot.rankings[str(generated.round.pk)]
    assert ranking["method"] == "pairwise"
    expected = [e.submission for e in round_rankings(generated.round)["pairwise"].entries]
    assert [e["submission"] for e in ranking["entries"]] == expected
    # The prize ranks the pairwise order (the synthetic projects lack a licence, so none is
    # placed: the same conditions as any prize).
    rows = list(snapshot.awards.exclude(submission=None).order_by("rank", "submission_id"))
    assert [a.submission_id for a in rows][:3] == expected[:3]
    assert all(a.missing == ["repository", "licence"] for a in rows)
    assert not results.is_stale(snapshot)


def test_the_expo_page_walks_a_judge_through_the_tables(client, expo, expo_judge):
    round_, _projects = expo
    client.force_login(expo_judge.user)
    url = reverse("judging:expo", args=[round_.edition.slug, round_.number])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "start"})
    walk = ExpoWalk.objects.get(round=round_, judge=expo_judge)
    page = client.get(url).content.decode()
    assert str(walk.current) in page
    assert "table" in page
    client.post(url, {"action": "start", "shown": walk.current_id})
    walk.refresh_from_db()
    response = client.post(url, {"action": "current", "shown": walk.current_id}, follow=True)
    assert response.status_code == 200
    assert Comparison.objects.count() == 1
    # A replay of the same post, or nonsense, changes nothing and is no error page.
    for data in [
        {"action": "current", "shown": walk.current_id},
        {"action": "nope", "shown": "x\x00"},
        {"action": "current", "shown": "99999999999999999999"},
    ]:
        assert client.post(url, data).status_code == 302
    assert Comparison.objects.count() == 1


def test_the_expo_page_is_only_for_pairwise_rounds_and_their_judges(client, expo, edition):
    _round, _projects = expo
    scored = RoundFactory(edition=edition, number=2)
    judge = JudgeFactory(edition=edition)
    client.force_login(judge.user)
    assert client.get(reverse("judging:expo", args=[edition.slug, 2])).status_code == 404
    assert scored.mode == Round.Mode.SCORED
    other = JudgeFactory(edition=edition, accepted_at=None)
    client.force_login(other.user)
    assert client.get(reverse("judging:expo", args=[edition.slug, 1])).status_code == 404


def test_organizers_see_the_pairwise_ranking(client, expo, expo_judge, edition, organizer):
    round_, _projects = expo
    services.start_walk(round_, judge=expo_judge, by=expo_judge.user)
    for _ in range(4):
        _answer(round_, expo_judge, "current")
    client.force_login(organizer)
    page = client.get(reverse("judging:rankings", args=[edition.slug, 1])).content.decode()
    assert "Bradley" in page
    assert "±" in page


def test_hostile_answers_on_the_expo_page_are_never_a_server_error(client, expo, expo_judge):
    from tests.site.test_hostile_input import HOSTILE

    round_, _projects = expo
    client.force_login(expo_judge.user)
    url = reverse("judging:expo", args=[round_.edition.slug, round_.number])
    client.post(url, {"action": "start"})
    for value in HOSTILE.values():
        for field in ("action", "shown", "reason"):
            body = f"action=recuse&shown=1&reason=r&{field}={value}"
            response = client.generic(
                "POST", url, body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code in {302, 400}, (field, value[:20])
        assert client.get(f"{url}?action={value}").status_code in {200, 400}


@pytest.mark.django_db
def test_published_results_explain_the_pairwise_method():
    from judging.results import services as results
    from judging.results.texts import explain_round
    from tests.factories.core import OrganizerRoleFactory
    from tests.factories.results import PrizeFactory

    generated = generate_edition(submissions=10, judges=3, k=3, seed=8, pairwise=6)
    organizer = OrganizerRoleFactory(edition=generated.edition).user
    PrizeFactory(edition=generated.edition, round=generated.round)
    snapshot = results.compute_results(generated.edition, by=organizer)
    parameters = snapshot.parameters[str(generated.round.pk)]
    assert parameters["mode"] == "pairwise"
    assert parameters["alpha"] == 0.01
    text = explain_round(parameters)
    assert "Bradley-Terry" in text["method"]
    assert "0.01" in text["method"]
    assert "stay tied" in text["tie_break"]


def test_the_choice_refits_its_estimates_only_every_few_verdicts(expo, monkeypatch):
    from judging.pairwise import queries

    round_, _projects = expo
    calls = []
    real_fit = queries.fit
    monkeypatch.setattr(queries, "fit", lambda *a: calls.append(1) or real_fit(*a))
    pairs = [(1, 2)] * 5
    queries.choice_scores(round_, pairs)
    for n in range(6, 6 + queries.REFIT_EVERY - 1):
        queries.choice_scores(round_, [(1, 2)] * n)
    assert len(calls) == 1
    queries.choice_scores(round_, [(1, 2)] * (5 + queries.REFIT_EVERY))
    queries.choice_scores(round_, [(1, 2)] * 3)  # verdicts removed: refit
    assert len(calls) == 3
