import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judging.models import OrganizerJob, Review
from judging.results import services
from judging.results.models import Award, Prize, ResultSnapshot
from judging.services.rounds import close_round
from tests.factories.core import PASSWORD
from tests.factories.judging import JudgeFactory, RoundFactory


def client_for(user):
    client = Client()
    if user is not None:
        assert client.login(email=user.email, password=PASSWORD)
    return client


def publish(field, organizer, *, at=None, places=1, **prize):
    field.prize(name="Grand prix", places=places, **prize)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    return services.publish_results(snapshot, by=organizer, at=at)


@pytest.fixture
def judge_role(edition, judge):
    return JudgeFactory(edition=edition, user=judge)


# Organizer pages: every step -------------------------------------------------------------

ORGANIZER_GETS = ["results:manage", "results:prize_create", "results:policy"]


@pytest.mark.parametrize("name", ORGANIZER_GETS)
def test_organizer_pages_anonymous_redirected_to_login(edition, name):
    response = Client().get(reverse(name, kwargs={"slug": edition.slug}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ORGANIZER_GETS)
@pytest.mark.parametrize(
    "persona", ["participant", "teammate", "outsider", "judge", "other_organizer"]
)
def test_organizer_pages_forbidden_to_others(request, edition, judge_role, name, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse(name, kwargs={"slug": edition.slug}))
    assert response.status_code == 403


def test_manage_page_organizer_sees_prizes_and_snapshots(make_field, organizer):
    field = make_field([9])
    field.prize(name="Prix du public", sponsor="Hydro-Québec")
    services.compute_results(field.round.edition, by=organizer)
    response = client_for(organizer).get(
        reverse("results:manage", kwargs={"slug": field.round.edition.slug})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Prix du public" in body
    assert "Hydro-Québec" in body
    assert list(response.context["snapshots"]) == list(ResultSnapshot.objects.all())


def test_prize_create_organizer_saves_a_challenge_prize(edition, organizer):
    challenge = edition.challenges.create(number=1, title="Mobilité", partner="Ville de Laval")
    response = client_for(organizer).post(
        reverse("results:prize_create", kwargs={"slug": edition.slug}),
        {
            "name": "Prix mobilité",
            "places": 2,
            "eligibility": "challenge",
            "challenge": challenge.pk,
            "priority": 2,
            "reward": "500 $",
        },
    )
    assert response.status_code == 302
    prize = Prize.objects.get()
    assert (prize.name, prize.places, prize.challenge, prize.edition) == (
        "Prix mobilité",
        2,
        challenge,
        edition,
    )


def test_prize_create_challenge_prize_without_challenge_is_a_form_error(edition, organizer):
    response = client_for(organizer).post(
        reverse("results:prize_create", kwargs={"slug": edition.slug}),
        {"name": "Prix", "places": 1, "eligibility": "challenge", "priority": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["challenge"]
    assert not Prize.objects.exists()


def test_prize_of_another_edition_is_404(make_field, organizer, other_organizer):
    field = make_field([9])
    prize = field.prize()
    other_slug = other_organizer.organizer_roles.get().edition.slug
    response = client_for(other_organizer).get(
        reverse("results:prize_update", kwargs={"slug": other_slug, "pk": prize.pk})
    )
    assert response.status_code == 404


def test_prize_delete_organizer_deletes(make_field, organizer):
    field = make_field([9])
    prize = field.prize()
    client_for(organizer).post(
        reverse("results:prize_delete", kwargs={"slug": field.round.edition.slug, "pk": prize.pk})
    )
    assert not Prize.objects.exists()


def test_policy_organizer_saves(edition, organizer):
    client_for(organizer).post(
        reverse("results:policy", kwargs={"slug": edition.slug}), {"require_licence": "on"}
    )
    policy = services.award_policy(edition)
    assert (policy.require_repository, policy.require_licence) == (False, True)


@pytest.mark.parametrize("persona", ["participant", "judge", "other_organizer"])
def test_compute_forbidden_to_non_organizers(request, make_field, judge_role, persona):
    field = make_field([9])
    field.prize()
    user = request.getfixturevalue(persona)
    response = client_for(user).post(
        reverse("results:compute", kwargs={"slug": field.round.edition.slug})
    )
    assert response.status_code == 403
    assert not ResultSnapshot.objects.exists()


def test_full_workflow_through_the_views(
    make_field, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    field = make_field([9, 7, 7])
    field.prize(name="Grand prix", places=2)
    slug = field.round.edition.slug
    client = client_for(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("results:compute", kwargs={"slug": slug}))
    snapshot = ResultSnapshot.objects.get()
    job = OrganizerJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    snapshot_url = reverse("results:snapshot", kwargs={"slug": slug, "pk": snapshot.pk})
    assert f'href="{snapshot_url}"' in client.get(job.get_absolute_url()).content.decode()
    page = client.get(snapshot_url).content.decode()
    assert "tie at the prize boundary" in page

    client.post(reverse("results:approve", kwargs={"slug": slug, "pk": snapshot.pk}))
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.PROPOSED  # the tie blocks approval

    tied = Award.objects.get(place=2)
    client.post(
        reverse("results:override", kwargs={"slug": slug, "pk": tied.pk}),
        {"submission": field.submissions[2].pk, "reason": "Démo plus aboutie"},
    )
    client.post(reverse("results:approve", kwargs={"slug": slug, "pk": snapshot.pk}))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("results:publish", kwargs={"slug": slug, "pk": snapshot.pk}), {"at": ""}
        )
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.PUBLISHED
    assert (
        "Démo plus aboutie"
        in client.get(
            reverse("results:snapshot", kwargs={"slug": slug, "pk": snapshot.pk})
        ).content.decode()
    )

    client.post(
        reverse("results:withdraw", kwargs={"slug": slug, "pk": snapshot.pk}),
        {"reason": "Note mal saisie"},
    )
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.WITHDRAWN


@pytest.mark.parametrize("persona", ["participant", "judge", "other_organizer"])
def test_snapshot_actions_forbidden_to_non_organizers(
    request, make_field, organizer, judge_role, persona
):
    field = make_field([9])
    field.prize()
    snapshot = services.compute_results(field.round.edition, by=organizer)
    award = snapshot.awards.get()
    client = client_for(request.getfixturevalue(persona))
    kwargs = {"slug": field.round.edition.slug, "pk": snapshot.pk}
    assert client.get(reverse("results:snapshot", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("results:approve", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("results:publish", kwargs=kwargs)).status_code == 403
    assert (
        client.post(reverse("results:withdraw", kwargs=kwargs), {"reason": "x"}).status_code == 403
    )
    override = reverse("results:override", kwargs={"slug": kwargs["slug"], "pk": award.pk})
    assert client.post(override, {"reason": "x"}).status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.PROPOSED


def test_override_page_other_organizer_on_own_slug_gets_404(make_field, organizer, other_organizer):
    field = make_field([9])
    field.prize()
    award = services.compute_results(field.round.edition, by=organizer).awards.get()
    other_slug = other_organizer.organizer_roles.get().edition.slug
    response = client_for(other_organizer).get(
        reverse("results:override", kwargs={"slug": other_slug, "pk": award.pk})
    )
    assert response.status_code == 404


# The public page ----------------------------------------------------------------------------


def test_results_page_before_publication_shows_nothing(make_field, organizer):
    field = make_field([9])
    field.prize(name="Grand prix")
    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    response = Client().get(reverse("results:detail", kwargs={"slug": field.round.edition.slug}))
    body = response.content.decode()
    assert response.context["snapshot"] is None
    assert field.submissions[0].title not in body


def test_results_page_embargo_to_the_second(make_field, organizer):
    field = make_field([9])
    at = timezone.now().replace(microsecond=0) + dt.timedelta(hours=2)
    publish(field, organizer, at=at)
    url = reverse("results:detail", kwargs={"slug": field.round.edition.slug})
    data_url = f"/open-data/{field.round.edition.slug}/results.json"
    title = field.submissions[0].title

    with time_machine.travel(at - dt.timedelta(seconds=1), tick=False):
        assert title not in Client().get(url).content.decode()
        assert Client().get(data_url).status_code == 404
    with time_machine.travel(at + dt.timedelta(seconds=1), tick=False):
        assert title in Client().get(url).content.decode()
        assert Client().get(data_url).status_code == 200


def test_results_page_shows_winners_datasets_and_method(make_field, organizer):
    field = make_field([9, 7])
    from tests.factories.submissions import DatasetLinkFactory

    link = DatasetLinkFactory(
        submission=field.submissions[0], dataset__title="Collisions routières"
    )
    publish(field, organizer)
    response = Client().get(reverse("results:detail", kwargs={"slug": field.round.edition.slug}))
    body = response.content.decode()
    assert field.submissions[0].title in body
    assert field.submissions[1].title not in body  # only winners by default
    assert link.dataset.title in body
    assert "mean of its review scores" in body
    assert response.context["rankings"] is None


def test_results_page_full_ranking_when_the_edition_shows_it(make_field, organizer, edition):
    edition.show_full_ranking = True
    edition.save()
    field = make_field([9, 7])
    publish(field, organizer)
    response = Client().get(reverse("results:detail", kwargs={"slug": edition.slug}))
    assert [line.submission for line in response.context["rankings"][0].lines] == field.submissions
    assert field.submissions[1].title in response.content.decode()


def test_results_page_after_correction_says_when_and_why(make_field, organizer):
    field = make_field([9, 7])
    snapshot = publish(field, organizer)
    services.withdraw_results(snapshot, by=organizer, reason="Une note avait été mal saisie")
    slug = field.round.edition.slug
    during = Client().get(reverse("results:detail", kwargs={"slug": slug})).content.decode()
    assert "Une note avait été mal saisie" in during
    assert field.submissions[0].title not in during

    second = services.approve_results(
        services.compute_results(field.round.edition, by=organizer), by=organizer
    )
    services.publish_results(second, by=organizer)
    after = Client().get(reverse("results:detail", kwargs={"slug": slug})).content.decode()
    assert "Une note avait été mal saisie" in after
    assert field.submissions[0].title in after


@pytest.mark.parametrize("count", [1, 3])
def test_results_page_constant_queries(
    make_field, organizer, edition, django_assert_num_queries, count
):
    from tests.factories.submissions import DatasetLinkFactory

    edition.show_full_ranking = True
    edition.save()
    field = make_field([9 - i for i in range(count * 2)])
    for i in range(count):
        field.prize(name=f"Prix {i}", priority=i + 1)
        DatasetLinkFactory(submission=field.submissions[i])
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer)
    client = Client()
    with django_assert_num_queries(8):
        response = client.get(reverse("results:detail", kwargs={"slug": edition.slug}))
    assert len(response.context["blocks"]) == count
    assert len(response.context["rankings"][0].lines) == count * 2
    html = response.content.decode()
    assert all(s.title in html for s in field.submissions[:count])


def test_results_index_lists_published_editions_only(make_field, organizer, edition):
    from tests.factories.core import EditionFactory

    unpublished = EditionFactory(name="HackQC pas encore")
    publish(make_field([9]), organizer)
    response = Client().get(reverse("results:index"))
    assert list(response.context["editions"]) == [edition]
    assert unpublished.name not in response.content.decode()


# Feedback -----------------------------------------------------------------------------------


def feedback_url(edition):
    return reverse("results:feedback", kwargs={"slug": edition.slug})


def test_feedback_members_see_averages_and_texts_never_private_notes(
    make_field, organizer, participant, teammate
):
    team = participant.memberships.get().team
    field = make_field([8, 6], teams=[team])
    close_round(field.round, by=organizer)
    publish(field, organizer)
    for member in (participant, teammate):
        response = client_for(member).get(feedback_url(field.round.edition))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Retour 0" in body
        assert "Note privée" not in body
        assert "Retour 1" not in body
        # The feedback is anonymous: nothing names the judge who wrote it.
        judge = field.judge
        assert judge.user.display_name not in body
        assert judge.user.email not in body
        assert judge.organisation not in body
        assert [
            (r["criterion__name"], r["average"]) for r in response.context["feedback"].averages
        ] == [("Innovation", 8.0)]
        assert response.context["ranks"] == []


def test_feedback_comes_only_from_closed_rounds_the_published_results_used(
    make_field, organizer, participant
):
    team = participant.memberships.get().team
    field = make_field([8, 6], teams=[team])
    publish(field, organizer)  # its round still open: a judge's comment could still change
    later = RoundFactory(edition=field.round.edition, number=2, name="Vitrine")
    Review.objects.create(
        round=later,
        judge=field.judge,
        submission=field.submissions[0],
        state=Review.State.SUBMITTED,
        feedback="Retour d'une ronde que les résultats n'ont pas utilisée",
    )
    close_round(later, by=organizer)

    feedback = client_for(participant).get(feedback_url(field.round.edition)).context["feedback"]

    assert (feedback.texts, feedback.averages) == ([], [])


def test_feedback_rank_shown_when_the_edition_shows_rankings(
    make_field, organizer, participant, edition
):
    edition.show_full_ranking = True
    edition.save()
    field = make_field([6, 8], teams=[participant.memberships.get().team])
    publish(field, organizer)
    response = client_for(participant).get(feedback_url(edition))
    assert [(r.round_name, r.rank) for r in response.context["ranks"]] == [("Finale", 2)]
    assert "Your project ranked 2 in the published ranking (Finale)." in response.content.decode()


def test_feedback_before_publication_is_404(make_field, organizer, participant):
    field = make_field([8], teams=[participant.memberships.get().team])
    field.prize()
    services.approve_results(
        services.compute_results(field.round.edition, by=organizer), by=organizer
    )
    assert client_for(participant).get(feedback_url(field.round.edition)).status_code == 404


def test_feedback_anonymous_redirected_to_login(make_field, organizer):
    field = make_field([8])
    publish(field, organizer)
    response = Client().get(feedback_url(field.round.edition))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["outsider", "judge", "organizer", "other_organizer", "registered"]
)
def test_feedback_non_members_never_see_the_team(
    request, make_field, organizer, participant, judge_role, persona
):
    field = make_field([8], teams=[participant.memberships.get().team])
    publish(field, organizer)
    response = client_for(request.getfixturevalue(persona)).get(feedback_url(field.round.edition))
    assert response.status_code == 404
    assert "Retour 0" not in response.content.decode()


def test_override_view_without_reason_is_a_form_error(make_field, organizer):
    field = make_field([9, 7])
    field.prize()
    award = services.compute_results(field.round.edition, by=organizer).awards.get()
    url = reverse("results:override", kwargs={"slug": field.round.edition.slug, "pk": award.pk})
    client = client_for(organizer)
    assert field.submissions[1].title in client.get(url).content.decode()
    response = client.post(url, {"submission": field.submissions[1].pk, "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    award.refresh_from_db()
    assert award.submission == field.submissions[0]


def test_publish_view_with_a_future_time_sets_the_embargo(make_field, organizer):
    field = make_field([9])
    field.prize()
    snapshot = services.approve_results(
        services.compute_results(field.round.edition, by=organizer), by=organizer
    )
    client_for(organizer).post(
        reverse("results:publish", kwargs={"slug": field.round.edition.slug, "pk": snapshot.pk}),
        {"at": "2099-06-01T12:00"},
    )
    edition = field.round.edition
    edition.refresh_from_db()
    assert edition.results_published == dt.datetime(2099, 6, 1, 16, 0, tzinfo=dt.UTC)
    assert (
        Client().get(reverse("results:detail", kwargs={"slug": edition.slug})).context["snapshot"]
        is None
    )


@pytest.mark.parametrize("persona", ["participant", "outsider", "judge", "other_organizer"])
def test_prize_and_policy_writes_forbidden_to_non_organizers(
    request, make_field, judge_role, persona
):
    field = make_field([9])
    prize = field.prize(name="Grand prix")
    slug = field.round.edition.slug
    services.update_award_policy(
        field.round.edition, by=None, require_repository=True, require_licence=True
    )
    client = client_for(request.getfixturevalue(persona))
    update = reverse("results:prize_update", kwargs={"slug": slug, "pk": prize.pk})
    delete = reverse("results:prize_delete", kwargs={"slug": slug, "pk": prize.pk})
    policy_url = reverse("results:policy", kwargs={"slug": slug})
    assert (
        client.post(
            update, {"name": "Piraté", "places": 1, "eligibility": "all", "priority": 1}
        ).status_code
        == 403
    )
    assert client.post(delete).status_code == 403
    assert client.post(policy_url, {}).status_code == 403
    prize.refresh_from_db()
    assert prize.name == "Grand prix"
    policy = services.award_policy(field.round.edition)
    assert (policy.require_repository, policy.require_licence) == (True, True)


def test_prize_update_organizer_changes_places(make_field, organizer):
    field = make_field([9])
    prize = field.prize(name="Grand prix", places=1)
    client_for(organizer).post(
        reverse("results:prize_update", kwargs={"slug": field.round.edition.slug, "pk": prize.pk}),
        {
            "name": "Grand prix",
            "places": 3,
            "eligibility": "all",
            "priority": 1,
            "round": field.round.pk,
        },
    )
    prize.refresh_from_db()
    assert (prize.places, prize.round) == (3, field.round)


@pytest.mark.parametrize("places", ["0", "-1"])
def test_prize_with_no_place_is_a_clear_form_error(edition, organizer, places):
    response = client_for(organizer).post(
        reverse("results:prize_create", kwargs={"slug": edition.slug}),
        {"name": "Prix", "places": places, "eligibility": "all", "priority": 1},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"places"}
    assert "prize_at_least_one_place" not in response.content.decode()
    assert not Prize.objects.exists()


def test_save_prize_with_no_place_names_the_rule_not_the_constraint(edition, organizer):
    with pytest.raises(services.ResultsError, match="at least one place"):
        services.save_prize(Prize(edition=edition, name="Prix", places=0), by=organizer)
