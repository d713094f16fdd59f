"""The score sheet asks before a surprising save, keeps a draft on the project, reads the
French decimal comma and shows the judged version's images."""

import pytest
from django.urls import reverse
from django.utils import translation

from judging.forms import ReviewForm
from judging.models import Review

from .test_views_judge import _criteria, _post_review


def test_submit_with_empty_criteria_asks_first_and_saves_nothing(
    client, round_, judge_role, assigned
):
    client.force_login(judge_role.user)

    response = _post_review(client, round_, assigned.submission, [8, None], action="submit")

    assert response.status_code == 200
    assert not Review.objects.exists()
    confirm = response.context["confirm"]
    assert (confirm["kind"], confirm["names"]) == ("empty", "Utilité")
    html = response.content.decode()
    assert 'value="submit-confirmed"' in html
    assert response.context["form"][f"criterion_{_criteria(round_)[0].pk}"].value() == "8"


def test_submit_with_every_criterion_scored_needs_no_confirmation(
    client, round_, judge_role, assigned
):
    client.force_login(judge_role.user)

    response = _post_review(client, round_, assigned.submission, [8, 7], action="submit")

    assert response.status_code == 302
    assert Review.objects.get().state == "submitted"


def test_draft_of_a_submitted_review_says_it_withdraws_and_asks_first(
    client, round_, judge_role, assigned
):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, 5], action="submit")
    page = client.get(
        reverse("judging:review", args=[round_.edition.slug, 1, assigned.submission.pk])
    ).content.decode()
    assert "Withdraw and save as draft" in page

    response = _post_review(client, round_, assigned.submission, [6, 6], version=1)

    assert response.context["confirm"]["kind"] == "withdraw"
    assert 'value="draft-confirmed"' in response.content.decode()
    assert Review.objects.get().state == "submitted"


def test_saving_a_draft_stays_on_the_project(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)

    response = _post_review(client, round_, assigned.submission, [5, None])

    assert response.url == reverse(
        "judging:review", args=[round_.edition.slug, round_.number, assigned.submission.pk]
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("typed", "value"), [("7,5", 7.5), ("7.5", 7.5), (" 8 ", 8.0)])
def test_scores_accept_the_french_decimal_comma(round_, language, typed, value):
    criterion = _criteria(round_)[0]
    with translation.override(language):
        form = ReviewForm({f"criterion_{criterion.pk}": typed, "version": 0}, criteria=[criterion])
        assert form.is_valid(), form.errors
    assert form.values()[criterion.pk] == value


def test_review_view_saves_a_comma_score(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)

    _post_review(client, round_, assigned.submission, ["7,5", "3,25"], action="submit")

    assert sorted(Review.objects.get().scores.values_list("value", flat=True)) == [3.25, 7.5]


def test_score_sheet_shows_the_judged_versions_logo_and_screenshots(
    client, round_, judge_role, assigned
):
    from tests.factories.submissions import SubmissionVersionFactory

    SubmissionVersionFactory(
        submission=assigned.submission,
        number=2,
        data={
            "title": "Avec images",
            "logo": "logos/judged.png",
            "screenshots": [{"image": "screens/one.png", "alt_text": "La carte des supports"}],
        },
    )
    client.force_login(judge_role.user)

    html = client.get(
        reverse("judging:review", args=[round_.edition.slug, 1, assigned.submission.pk])
    ).content.decode()

    assert "/logos/judged.png" in html
    assert 'alt="La carte des supports"' in html
