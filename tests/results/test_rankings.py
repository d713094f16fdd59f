"""Which round's ranking is *the* published ranking, and every deciding round's ranking shown
separately, labelled, on the results page, in results.json and in a team's feedback."""

import pytest
from django.test import Client
from django.urls import reverse

from judging.results import services
from judging.results.models import AwardPolicy
from tests.results.test_views import client_for


@pytest.fixture
def two_juries(make_field, edition, participant):
    """Grand prix by the general jury (round 1); a one-judge sponsor's round (round 2, the
    highest-numbered) that ranks the projects the other way round."""
    edition.show_full_ranking = True
    edition.save()
    field = make_field([9, 7, 5], teams=[participant.memberships.get().team])
    sponsor_round = field.add_round([1, 5, 9], name="Prix Hydro", sponsor="Hydro-Québec")
    field.prize(name="Grand prix", priority=1)
    field.prize(name="Prix Hydro", sponsor="Hydro-Québec", round=sponsor_round, priority=2)
    field.sponsor_round = sponsor_round
    return field


def publish(edition, organizer):
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    return services.publish_results(snapshot, by=organizer)


def test_default_published_ranking_is_the_main_jury_round_never_a_sponsor_round(
    two_juries, organizer
):
    snapshot = services.compute_results(two_juries.round.edition, by=organizer)
    assert snapshot.main_round == two_juries.round
    assert set(snapshot.rankings) == {str(two_juries.round.pk), str(two_juries.sponsor_round.pk)}


def test_only_sponsor_rounds_give_no_default_ranking(make_field, edition, organizer):
    field = make_field([9, 7])
    field.round.sponsor = "Hydro-Québec"
    field.round.save()
    field.prize()
    snapshot = services.compute_results(edition, by=organizer)
    assert snapshot.main_round is None


def test_organizer_chooses_the_published_ranking(two_juries, organizer, edition):
    services.update_award_policy(
        edition,
        by=organizer,
        require_repository=False,
        require_licence=False,
        ranking_round=two_juries.sponsor_round,
    )
    snapshot = services.compute_results(edition, by=organizer)
    assert snapshot.main_round == two_juries.sponsor_round


def test_policy_page_saves_the_choice_and_offers_only_this_edition(
    two_juries, organizer, edition, other_organizer
):
    other_round = type(two_juries)(other_organizer.organizer_roles.get().edition, [3]).round
    url = reverse("results:policy", kwargs={"slug": edition.slug})
    client = client_for(organizer)
    form = client.get(url).context["form"]
    assert list(form.fields["ranking_round"].queryset) == [
        two_juries.round,
        two_juries.sponsor_round,
    ]
    refused = client.post(url, {"ranking_round": other_round.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["ranking_round"]
    client.post(url, {"ranking_round": two_juries.sponsor_round.pk})
    assert AwardPolicy.objects.get(edition=edition).ranking_round == two_juries.sponsor_round


def test_results_page_shows_each_deciding_round_labelled(two_juries, organizer, edition):
    publish(edition, organizer)
    response = Client().get(reverse("results:detail", kwargs={"slug": edition.slug}))
    rankings = response.context["rankings"]
    s1, s2, s3 = two_juries.submissions
    assert [(r.name, r.is_main) for r in rankings] == [("Finale", True), ("Prix Hydro", False)]
    assert [line.submission for line in rankings[0].lines] == [s1, s2, s3]
    assert [line.submission for line in rankings[1].lines] == [s3, s2, s1]
    body = response.content.decode()
    assert "Prix Hydro" in body
    assert "Published ranking" in body


def test_results_json_lists_each_round_and_the_published_one(two_juries, organizer, edition):
    publish(edition, organizer)
    document = Client().get(f"/open-data/{edition.slug}/results.json").json()
    s1, s2, s3 = (s.pk for s in two_juries.submissions)
    assert [(r["round_name"], r["published"]) for r in document["rankings"]] == [
        ("Finale", True),
        ("Prix Hydro", False),
    ]
    assert [e["submission_id"] for e in document["ranking"]] == [s1, s2, s3]
    assert [e["submission_id"] for e in document["rankings"][1]["entries"]] == [s3, s2, s1]
    assert document["rankings"][1]["sponsor"] == "Hydro-Québec"


def test_feedback_gives_the_rank_in_each_round(two_juries, organizer, edition, participant):
    publish(edition, organizer)
    response = client_for(participant).get(
        reverse("results:feedback", kwargs={"slug": edition.slug})
    )
    ranks = [(r.round_name, r.rank, r.is_main) for r in response.context["ranks"]]
    assert ranks == [("Finale", 1, True), ("Prix Hydro", 3, False)]
    body = response.content.decode()
    assert "Prix Hydro" in body
