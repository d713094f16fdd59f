"""The whole demo site, page by page, for each persona: no server error anywhere, and every
HTML page that answers passes the structural accessibility check."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from hackqc.demo import editions as demo_editions
from judging.models import Judge, Review, Round
from submissions.catalogue.models import Dataset
from submissions.models import Submission
from teams.models import Membership
from tests.a11y import accessibility_problems

PERSONAS = {
    "anonymous": None,
    "participant": "participant1@example.org",
    "judge": "judge1@example.org",
    "organizer": "organizer@example.org",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        yield
        from django.core.management import call_command as call

        call("flush", verbosity=0, interactive=False)


def site_urls():
    editions = demo_editions()
    past, current = editions["past"], editions["current"]
    submission = Submission.objects.filter(edition=past, state="submitted").first()
    team = Membership.objects.filter(edition=current).first().team
    dataset = Dataset.objects.first()
    final = Round.objects.filter(edition=past).order_by("-number").first()
    review = Review.objects.filter(round=final).first()
    judge = Judge.objects.filter(edition=past).first()
    urls = [
        reverse("home"),
        past.get_absolute_url(),
        reverse("teams:current_board"),
        reverse("teams:board", args=[current.slug]),
        reverse("teams:register", args=[current.slug]),
        reverse("teams:team_create", args=[current.slug]),
        reverse("teams:team_detail", args=[team.pk]),
        reverse("teams:organize_teams", args=[current.slug]),
        reverse("teams:organize_registrations", args=[current.slug]),
        reverse("submissions:gallery_index"),
        reverse("submissions:gallery", args=[past.slug]),
        reverse("submissions:project", args=[past.slug, submission.team_id]),
        reverse("submissions:team_sheet", args=[past.slug, submission.team_id]),
        reverse("submissions:history", args=[past.slug, submission.team_id]),
        reverse("submissions:my_sheet", args=[current.slug]),
        reverse("submissions:eligibility", args=[past.slug]),
        reverse("catalogue:search") + "?q=velo",
        dataset.get_absolute_url(),
        reverse("catalogue:stats"),
        reverse("catalogue:sync"),
        reverse("judging:home"),
        reverse("judging:method"),
        reverse("judging:round", args=[past.slug, final.number]),
        reverse("judging:organize", args=[past.slug]),
        reverse("judging:conflicts", args=[past.slug]),
        reverse("judging:organize_round", args=[past.slug, final.number]),
        reverse("judging:rankings", args=[past.slug, final.number]),
        reverse("results:index"),
        reverse("results:detail", args=[past.slug]),
        reverse("results:feedback", args=[past.slug]),
        reverse("results:manage", args=[past.slug]),
        reverse("organize:editions"),
        reverse("organize:dashboard", args=[past.slug]),
        reverse("profile"),
        "/open-data/",
        f"/open-data/{past.slug}/results.json",
        f"/open-data/{past.slug}/submissions.csv",
        f"/open-data/{past.slug}/datasets.json",
        "/open-data/openapi.json",
    ]
    if review:
        urls.append(reverse("judging:review_audit", args=[past.slug, final.number, review.pk]))
    if judge:
        urls.append(reverse("judging:profile", args=[past.slug]))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_answers_without_error_and_is_accessible(client, demo, persona):
    from django.contrib.auth import get_user_model

    email = PERSONAS[persona]
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    failures = []
    for url in site_urls():
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
            continue
        content_type = response.headers.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            problems = accessibility_problems(response.content.decode())
            if problems:
                failures.append(f"{url}: {problems}")
    assert failures == []


@pytest.mark.django_db
def test_public_pages_answer_to_everyone(client, demo):
    past = demo_editions()["past"]
    for url in [
        reverse("home"),
        reverse("submissions:gallery", args=[past.slug]),
        reverse("results:detail", args=[past.slug]),
        reverse("catalogue:search"),
        f"/open-data/{past.slug}/results.json",
    ]:
        assert client.get(url).status_code == 200, url
