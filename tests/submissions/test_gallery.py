import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hackqc.models import Phase
from submissions import queries, services
from submissions.catalogue.models import Dataset
from submissions.models import Submission
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import ChallengeFactory, EditionFactory, OrganizerRoleFactory
from tests.factories.submissions import DatasetLinkFactory, SubmissionFactory
from tests.factories.teams import MembershipFactory, TeamFactory

from .images import image_bytes, upload

MARKDOWN_FIELDS = ["description", "achievements", "difficulties", "lessons", "next_steps"]
ATTACKS = (
    "<script>alert('x')</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    '[clic](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">a</a>'
)


@pytest.fixture
def open_edition(db):
    return EditionFactory(phase=Phase.HACKING, gallery_open_early=True)


def make_project(edition, n, *, challenge=None, **fields):
    """A submitted project with two datasets, a logo and a screenshot."""
    submission = SubmissionFactory(
        team__edition=edition,
        team__name=f"Équipe {n}",
        title=f"Projet {n}",
        challenge=challenge,
        complete=True,
        with_dataset=True,
        **fields,
    )
    DatasetLinkFactory(submission=submission)
    member = MembershipFactory(team=submission.team).user
    services.set_logo(submission, by=member, upload=upload(image_bytes("PNG")))
    services.add_screenshot(
        submission, by=member, upload=upload(image_bytes("PNG")), alt_text="Écran"
    )
    services.make_thumbnails(submission)
    services.submit_project(submission, by=member)
    return submission


def test_gallery_closed_before_the_deadline(client, edition):
    response = client.get(reverse("submissions:gallery", args=[edition.slug]))

    assert response.templates[0].name == "submissions/gallery_closed.html"


def test_gallery_opens_when_submissions_close(client, open_edition):
    project = make_project(open_edition, 1)
    open_edition.gallery_open_early = False
    open_edition.save()
    url = reverse("submissions:gallery", args=[open_edition.slug])
    close = open_edition.submissions_close

    with time_machine.travel(close - dt.timedelta(seconds=1)):
        before = client.get(url)
    with time_machine.travel(close):
        after = client.get(url)

    assert before.templates[0].name == "submissions/gallery_closed.html"
    assert [s for s, _data in after.context["cards"]] == [project]


def test_gallery_shows_the_submitted_version_not_the_draft(client, open_edition):
    project = make_project(open_edition, 1)
    draft = SubmissionFactory(team__edition=open_edition, title="Brouillon")
    member = project.team.memberships.get().user
    services.update_sheet(project, by=member, lock_version=project.lock_version, title="Pas encore")

    response = client.get(reverse("submissions:gallery", args=[open_edition.slug]))

    html = response.content.decode()
    assert "Projet 1" in html
    assert "Pas encore" not in html
    assert draft.title not in html


@pytest.mark.parametrize("count", [1, 3])
def test_gallery_runs_a_constant_number_of_queries(
    client, open_edition, count, django_assert_num_queries
):
    for n in range(count):
        make_project(open_edition, n)

    with django_assert_num_queries(9):
        response = client.get(reverse("submissions:gallery", args=[open_edition.slug]))

    assert len(response.context["cards"]) == count


def test_gallery_filters(client, open_edition):
    challenge, other = ChallengeFactory.create_batch(2, edition=open_edition)
    first = make_project(open_edition, 1, challenge=challenge)
    second = make_project(open_edition, 2, challenge=other)
    shared = DatasetFactory()
    DatasetLinkFactory(submission=second, dataset=shared)
    second.refresh_from_db()
    services.submit_project(second, by=second.team.memberships.first().user)
    url = reverse("submissions:gallery", args=[open_edition.slug])

    def shown(**params):
        return {s for s, _data in client.get(url, params).context["cards"]}

    assert shown(challenge=challenge.pk) == {first}
    assert shown(dataset=shared.pk) == {second}
    assert shown(organization=shared.organization_id) == {second}
    assert shown(technology=first.technologies.get().pk) == {first, second}
    assert shown(q="projet 2") == {second}
    assert shown(q="Équipe 1") == {first}


def test_gallery_filters_on_the_version_it_shows_not_later_edits(client, open_edition):
    project = make_project(open_edition, 1)
    late = DatasetFactory()
    DatasetLinkFactory(submission=project, dataset=late)
    Submission.objects.filter(pk=project.pk).update(title="Titre jamais soumis")
    url = reverse("submissions:gallery", args=[open_edition.slug])

    def shown(**params):
        return {s for s, _data in client.get(url, params).context["cards"]}

    assert shown(dataset=late.pk) == set()
    assert shown(q="jamais soumis") == set()
    assert shown(q="Projet 1") == {project}


def test_gallery_is_paginated(client, open_edition, settings):
    from submissions.views import gallery

    for n in range(3):
        make_project(open_edition, n)
    gallery.PAGE_SIZE, saved = 2, gallery.PAGE_SIZE
    try:
        response = client.get(reverse("submissions:gallery", args=[open_edition.slug]), {"page": 2})
    finally:
        gallery.PAGE_SIZE = saved

    assert len(response.context["cards"]) == 1
    assert response.context["page"].paginator.num_pages == 2


def test_project_page_shows_the_sheet_and_withdrawn_datasets(client, open_edition):
    project = make_project(open_edition, 1)
    link = project.dataset_links.first()
    Dataset.objects.filter(pk=link.dataset_id).update(state=Dataset.State.WITHDRAWN)

    response = client.get(reverse("submissions:project", args=[open_edition.slug, project.team_id]))

    html = response.content.decode()
    assert link.dataset.title in html
    assert response.context["withdrawn_ids"] == {link.dataset_id}
    assert "Un prototype fonctionnel." in html
    assert 'alt="Écran"' in html


def test_project_page_of_a_draft_is_not_public(client, open_edition):
    draft = SubmissionFactory(team__edition=open_edition)

    response = client.get(reverse("submissions:project", args=[open_edition.slug, draft.team_id]))

    assert response.status_code == 404


def test_reuses_of_a_dataset_lists_public_projects(open_edition, edition):
    project = make_project(open_edition, 1)
    dataset = project.dataset_links.first().dataset
    hidden = SubmissionFactory(team__edition=edition, state="submitted")
    DatasetLinkFactory(submission=hidden, dataset=dataset)

    assert list(queries.reuses_of_dataset(dataset)) == [project]


@pytest.mark.parametrize("field", MARKDOWN_FIELDS)
def test_markdown_fields_are_sanitised_everywhere(client, open_edition, field):
    project = make_project(open_edition, 1, **{field: ATTACKS})
    member = project.team.memberships.get().user
    client.force_login(member)
    pages = [
        reverse("submissions:project", args=[open_edition.slug, project.team_id]),
        reverse("submissions:version", args=[open_edition.slug, project.team_id, 1]),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror" not in html
        assert "onclick" not in html
        assert 'href="javascript:' not in html


def test_edition_showcases_export(client, open_edition, organizer):
    make_project(open_edition, 1)
    make_project(open_edition, 2)

    payload = client.get(reverse("submissions:edition_showcases", args=[open_edition.slug])).json()

    assert sorted(p["showcase"]["title"] for p in payload["showcases"]) == ["Projet 1", "Projet 2"]
    assert all(len(p["package_ids"]) == 2 for p in payload["showcases"])


@pytest.mark.parametrize("count", [1, 3])
def test_eligibility_report_runs_a_constant_number_of_queries(
    client, open_edition, count, django_assert_num_queries
):
    organizer = OrganizerRoleFactory(edition=open_edition).user
    for n in range(count):
        make_project(open_edition, n)
    TeamFactory(edition=open_edition, name="Sans fiche")
    client.force_login(organizer)
    url = reverse("submissions:eligibility", args=[open_edition.slug])

    with django_assert_num_queries(7):
        response = client.get(url)

    rows = response.context["rows"]
    assert len(rows) == count + 1
    assert [r["eligibility"].is_eligible for r in rows].count(True) == count
    assert response.context["totals"]["submitted"] == count


def test_project_page_links_each_dataset_to_its_catalogue_page(client, open_edition):
    project = make_project(open_edition, 1)
    dataset = project.dataset_links.select_related("dataset__portal").first().dataset

    html = client.get(
        reverse("submissions:project", args=[open_edition.slug, project.team_id])
    ).content.decode()

    url = reverse("catalogue:detail", kwargs={"portal": dataset.portal.name, "name": dataset.name})
    assert f'href="{url}"' in html


def test_project_page_shows_only_members_who_consented(client, open_edition):
    from teams.models import Registration

    project = make_project(open_edition, 1)
    shy = MembershipFactory(team=project.team, user__display_name="Timide Tremblay").user
    proud = MembershipFactory(team=project.team, user__display_name="Fière Gagnon").user
    Registration.objects.filter(user=proud, edition=open_edition).update(show_profile=True)
    services.submit_project(project, by=proud)

    response = client.get(reverse("submissions:project", args=[open_edition.slug, project.team_id]))

    html = response.content.decode()
    assert "Fière Gagnon" in html
    assert shy.display_name not in html
    assert response.context["members"] == ["Fière Gagnon"]


def test_gallery_filter_options_come_from_the_versions_shown(client, open_edition):
    project = make_project(open_edition, 1)
    late = DatasetFactory(title="Ajouté après la soumission")
    DatasetLinkFactory(submission=project, dataset=late)

    response = client.get(reverse("submissions:gallery", args=[open_edition.slug]))

    options = dict(response.context["form"].choices["dataset"])
    assert late.pk not in options
    assert set(options) == set(project.versions.get().datasets.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "found"),
    [("velo", True), ("VÉLO FUTÉ", True), ("fute", True), ("equipe 1", True), ("ÉQUIPE 1", True),
     ("velos", False)],
)  # fmt: skip
def test_gallery_search_ignores_accents_and_case(client, open_edition, query, found):
    project = make_project(open_edition, 1, pitch="Trouver un vélo futé.")
    url = reverse("submissions:gallery", args=[open_edition.slug])

    cards = {s for s, _data in client.get(url, {"q": query}).context["cards"]}

    assert cards == ({project} if found else set())


def test_public_pages_show_the_judged_versions_images_not_those_saved_since(client, open_edition):
    """Issue 11: a logo or screenshot saved after the last submit is not public (the
    gallery card, the project page), while the judged version's files still show."""
    project = make_project(open_edition, 1)
    judged = project.versions.get().data
    member = project.team.memberships.first().user
    services.set_logo(project, by=member, upload=upload(image_bytes("PNG", size=(80, 60))))
    services.add_screenshot(
        project, by=member, upload=upload(image_bytes("PNG")), alt_text="Écran secret"
    )
    project.refresh_from_db()
    new_logo = project.logo.name
    assert new_logo != judged["logo"]

    card = client.get(reverse("submissions:gallery", args=[open_edition.slug])).content.decode()
    page = client.get(
        reverse("submissions:project", args=[open_edition.slug, project.team_id])
    ).content.decode()

    for html in (card, page):
        assert judged["logo"] in html
        assert new_logo not in html
    assert judged["screenshots"][0]["image"] in page
    assert "Écran secret" not in page
