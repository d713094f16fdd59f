"""A judge who declares a conflict with a team already scored is offered to step aside;
organizers see the flag on the round's progress page."""

from django.urls import reverse

from judging import services
from judging.models import Review

from .test_views_judge import _post_review


def _declare(client, judge_role, team):
    url = reverse("judging:declare_conflict", args=[judge_role.edition.slug])
    return client.post(url, {"team": team.pk, "reason": "Ma cousine"}, follow=True)


def test_conflict_with_a_scored_team_offers_to_recuse(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, 5], action="submit")

    response = _declare(client, judge_role, assigned.submission.team)

    [(review, _form)] = response.context["recuse_offers"]
    assert review.submission == assigned.submission
    html = response.content.decode()
    recuse = reverse("judging:recuse", args=[round_.edition.slug, 1, assigned.submission.pk])
    assert f'action="{recuse}"' in html
    assert "already scored" in " ".join(str(m) for m in response.context["messages"])

    client.post(recuse, {"reason": "Ma cousine", "version": review.version})

    assert Review.objects.get().state == "recused"
    assert (
        client.get(reverse("judging:profile", args=[round_.edition.slug])).context["recuse_offers"]
        == []
    )


def test_conflict_with_an_unscored_team_offers_nothing(client, round_, judge_role, other_team):
    client.force_login(judge_role.user)

    response = _declare(client, judge_role, other_team)

    assert response.context["recuse_offers"] == []


def test_progress_page_flags_a_review_under_a_later_conflict(
    client, round_, judge_role, assigned, organizer
):
    services.save_review(
        round_, judge=judge_role, submission=assigned.submission, by=judge_role.user,
        values={}, feedback="", private_note="", version=0, submit=False,
    )  # fmt: skip
    url = reverse("judging:organize_round", args=[round_.edition.slug, round_.number])
    client.force_login(organizer)
    assert "conflict-flag" not in client.get(url).content.decode()

    services.declare_conflict(
        judge_role, by=judge_role.user, team=assigned.submission.team, reason="Ma cousine"
    )

    html = client.get(url).content.decode()
    assert html.count("conflict-flag") == 1
