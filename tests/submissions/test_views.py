import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hackqc.exceptions import ConcurrentEditError
from submissions import services
from submissions.models import Decision, Submission, SubmissionVersion

from .conftest import SHEET_VALUES
from .images import image_bytes, png_claiming, upload


def _url(name, sheet, *args):
    return reverse(f"submissions:{name}", args=[sheet.edition.slug, sheet.team_id, *args])


def _post_data(sheet, **changes):
    data = {**SHEET_VALUES, "technologies": "Python, Leaflet", **changes}
    data["welcomes_members"] = "on" if data["welcomes_members"] else ""
    data.setdefault("lock_version", sheet.lock_version)
    data.update(
        {
            "libraries-TOTAL_FORMS": "2",
            "libraries-INITIAL_FORMS": "0",
            "libraries-0-name": "Django",
            "libraries-0-version": "5.2",
            "libraries-1-name": "",
            "libraries-1-version": "",
        }
    )
    return data


# Permissions -------------------------------------------------------------------------

PRIVATE_PAGES = ["team_sheet", "history"]


@pytest.mark.parametrize("page", PRIVATE_PAGES)
def test_private_pages_redirect_anonymous_to_login(client, sheet, page):
    response = client.get(_url(page, sheet))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", PRIVATE_PAGES)
@pytest.mark.parametrize("persona", ["outsider", "registered", "judge", "other_organizer"])
def test_private_pages_hide_the_team_from_others(client, sheet, page, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(page, sheet))

    assert response.status_code == 404


@pytest.mark.parametrize("page", PRIVATE_PAGES)
@pytest.mark.parametrize("persona", ["participant", "teammate", "organizer", "staff"])
def test_private_pages_shown_to_members_and_organizers(
    client, complete_sheet, page, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(page, complete_sheet))

    assert response.status_code == 200
    assert "Les Castors" in response.content.decode()


def test_version_page_shows_the_snapshot_to_members_only(
    client, complete_sheet, participant, outsider
):
    services.submit_project(complete_sheet, by=participant)
    client.force_login(outsider)
    assert client.get(_url("version", complete_sheet, 1)).status_code == 404

    client.force_login(participant)
    response = client.get(_url("version", complete_sheet, 1))

    assert "Supports à vélo" in response.content.decode()
    assert client.get(_url("version", complete_sheet, 2)).status_code == 404


def test_sheet_created_on_first_visit(client, team, participant):
    assert not Submission.objects.filter(team=team).exists()
    client.force_login(participant)

    response = client.get(reverse("submissions:my_sheet", args=[team.edition.slug]))

    assert response.url == reverse("submissions:team_sheet", args=[team.edition.slug, team.pk])
    client.get(response.url)
    assert Submission.objects.filter(team=team, state="draft").count() == 1


def test_my_sheet_404_without_a_team(client, registered, edition):
    client.force_login(registered)

    assert client.get(reverse("submissions:my_sheet", args=[edition.slug])).status_code == 404


def test_organizer_cannot_edit_a_teams_sheet(client, sheet, organizer):
    client.force_login(organizer)

    response = client.post(_url("team_sheet", sheet), _post_data(sheet))

    assert response.status_code == 403
    sheet.refresh_from_db()
    assert sheet.title == ""


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("judge", 404), ("other_organizer", 404), ("participant", 200)],
)
def test_showcase_export_before_the_gallery_opens(client, complete_sheet, persona, status, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_url("showcase", complete_sheet)).status_code == status


def test_showcase_export_anonymous_before_and_after_the_gallery_opens(
    client, complete_sheet, participant
):
    services.submit_project(complete_sheet, by=participant)
    assert client.get(_url("showcase", complete_sheet)).status_code == 404

    complete_sheet.edition.gallery_open_early = True
    complete_sheet.edition.save()
    payload = client.get(_url("showcase", complete_sheet)).json()

    assert payload["showcase"]["title"] == "Vélo futé"
    assert payload["showcase"]["url"] == "https://github.com/castors/velo-fute"
    assert payload["showcase"]["name"].startswith(complete_sheet.edition.slug)
    assert {"name": "Python"} in payload["showcase"]["tags"]
    dataset = complete_sheet.dataset_links.get().dataset
    assert payload["package_ids"] == [str(dataset.ckan_id)]


# Editing -----------------------------------------------------------------------------


def test_member_saves_the_sheet(client, sheet, teammate):
    client.force_login(teammate)

    response = client.post(_url("team_sheet", sheet), _post_data(sheet))

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.title, sheet.lock_version) == ("Vélo futé", 2)
    assert list(sheet.libraries.values_list("name", "version")) == [("Django", "5.2")]


def test_second_save_is_refused_and_keeps_the_text(client, sheet, participant, teammate):
    stale = _post_data(sheet, title="Version de la coéquipière")
    services.update_sheet(sheet, by=participant, lock_version=1, title="Version du capitaine")
    client.force_login(teammate)

    response = client.post(_url("team_sheet", sheet), stale)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Version de la coéquipière" in html
    assert "Version du capitaine" in html
    sheet.refresh_from_db()
    assert sheet.title == "Version du capitaine"
    assert response.context["form"]["lock_version"].value() == 2


def test_save_after_the_deadline_is_refused_with_the_text_kept(client, sheet, participant):
    data = _post_data(sheet, title="En retard")

    with time_machine.travel(sheet.edition.submissions_close + dt.timedelta(seconds=1)):
        client.force_login(participant)
        response = client.post(_url("team_sheet", sheet), data)

    assert response.status_code == 200
    assert "En retard" in response.content.decode()
    assert response.context["form"].non_field_errors()
    sheet.refresh_from_db()
    assert sheet.title == ""


def test_link_a_dataset_by_pasting_its_url(client, sheet, participant, dataset):
    client.force_login(participant)

    response = client.post(
        _url("add_dataset", sheet),
        {
            "dataset": "https://www.donneesquebec.ca/recherche/dataset/supports-a-velo",
            "usage": "Les points de la carte",
            "resources": "abc\n\n",
        },
    )

    assert response.status_code == 302
    link = sheet.dataset_links.get()
    assert (link.dataset, link.usage, link.resources) == (
        dataset,
        "Les points de la carte",
        ["abc"],
    )


def test_link_an_unknown_dataset_shows_a_form_error(client, sheet, participant):
    client.force_login(participant)

    response = client.post(_url("add_dataset", sheet), {"dataset": "inconnu", "usage": "x"})

    assert response.status_code == 200
    assert response.context["dataset_form"].errors["dataset"]
    assert not sheet.dataset_links.exists()


def test_other_team_cannot_link_datasets(client, sheet, outsider, dataset):
    client.force_login(outsider)

    response = client.post(_url("add_dataset", sheet), {"dataset": dataset.name, "usage": "x"})

    assert response.status_code == 404
    assert not sheet.dataset_links.exists()


def test_remove_a_dataset(client, complete_sheet, participant):
    link = complete_sheet.dataset_links.get()
    client.force_login(participant)

    client.post(_url("remove_dataset", complete_sheet, link.pk))

    assert not complete_sheet.dataset_links.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (png_claiming(30_000, 30_000), "bomb.png", "40 megapixels"),
        (image_bytes("GIF", mode="P"), "logo.png", "PNG, JPEG or WebP"),
        (image_bytes("PNG", (300, 200))[:300], "cut.png", "damaged"),
    ],
)
def test_logo_upload_errors_are_form_errors(client, sheet, participant, content, name, message):
    client.force_login(participant)

    response = client.post(_url("upload_logo", sheet), {"image": upload(content, name=name)})

    assert response.status_code == 200
    assert message in str(response.context["logo_form"].errors["image"])
    sheet.refresh_from_db()
    assert not sheet.logo


def test_logo_and_screenshot_upload(client, sheet, participant, django_capture_on_commit_callbacks):
    client.force_login(participant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("upload_logo", sheet), {"image": upload(image_bytes("JPEG"), "a.jpg")})
        client.post(
            _url("upload_screenshot", sheet),
            {"image": upload(image_bytes("WEBP"), "s.webp"), "alt_text": "La carte"},
        )

    sheet.refresh_from_db()
    assert sheet.logo.name.endswith(".jpg")
    assert sheet.logo_thumbnail
    assert list(sheet.screenshots.values_list("alt_text", flat=True)) == ["La carte"]
    response = client.get(_url("team_sheet", sheet))
    assert sheet.logo_thumbnail.url in response.content.decode()


# Submitting --------------------------------------------------------------------------


def test_submit_incomplete_sheet_lists_what_is_missing(client, sheet, participant):
    client.force_login(participant)

    response = client.post(_url("submit", sheet), {"lock_version": sheet.lock_version}, follow=True)

    assert not SubmissionVersion.objects.exists()
    assert len(list(response.context["messages"])) >= 5


def test_submit_then_history_shows_versions_and_changes(
    client, complete_sheet, participant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(participant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("submit", complete_sheet), {"lock_version": complete_sheet.lock_version})
    complete_sheet.refresh_from_db()
    client.post(_url("team_sheet", complete_sheet), _post_data(complete_sheet, pitch="Nouveau"))
    complete_sheet.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("submit", complete_sheet), {"lock_version": complete_sheet.lock_version}
        )

    assert response.url == _url("history", complete_sheet)
    assert list(complete_sheet.versions.values_list("number", flat=True)) == [2, 1]
    assert len(mailoutbox) == 4
    versions = client.get(response.url).context["versions"]
    assert [v.number for v in versions] == [2, 1]
    assert "one-line pitch" in versions[0].changes


def test_submit_with_a_stale_page_is_refused(client, complete_sheet, participant):
    client.force_login(participant)

    client.post(_url("submit", complete_sheet), {"lock_version": complete_sheet.lock_version - 1})

    assert not SubmissionVersion.objects.exists()


def test_submit_one_second_after_the_deadline_is_refused(client, complete_sheet, participant):
    close = complete_sheet.edition.submissions_close

    with time_machine.travel(close + dt.timedelta(seconds=1)):
        client.force_login(participant)
        client.post(_url("submit", complete_sheet), {"lock_version": complete_sheet.lock_version})

    assert not SubmissionVersion.objects.exists()


def test_concurrent_edit_error_is_a_user_message():
    assert "teammate" in str(ConcurrentEditError("A teammate saved the sheet"))


# Organizers --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["participant", "judge", "other_organizer"])
def test_organizer_pages_refused_to_others(client, sheet, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for url in (
        reverse("submissions:eligibility", args=[sheet.edition.slug]),
        _url("reopen", sheet),
        _url("disqualify", sheet),
    ):
        assert client.get(url).status_code == 403


def test_organizer_pages_redirect_anonymous(client, sheet):
    response = client.get(reverse("submissions:eligibility", args=[sheet.edition.slug]))

    assert response.url.startswith(reverse("account_login"))


def test_disqualify_view_records_the_reason(client, complete_sheet, organizer):
    client.force_login(organizer)

    response = client.post(_url("disqualify", complete_sheet), {"reason": "Plagiat"})

    assert response.url == reverse("submissions:eligibility", args=[complete_sheet.edition.slug])
    complete_sheet.refresh_from_db()
    assert complete_sheet.state == "disqualified"
    assert Decision.objects.get().reason == "Plagiat"


def test_reopen_view_records_the_reason_and_date(client, complete_sheet, organizer):
    client.force_login(organizer)

    until = timezone.localtime(complete_sheet.edition.judging_ends - dt.timedelta(days=1))
    client.post(
        _url("reopen", complete_sheet),
        {"reason": "Panne", "until": until.strftime("%Y-%m-%dT%H:%M")},
    )

    complete_sheet.refresh_from_db()
    assert complete_sheet.reopened_until == until.replace(second=0, microsecond=0)
    assert Decision.objects.get().kind == "reopened"


def test_reopen_view_without_reason_shows_the_error(client, sheet, organizer):
    client.force_login(organizer)

    response = client.post(_url("reopen", sheet), {"reason": "", "until": "2099-01-01T12:00"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Decision.objects.exists()


def test_outsider_visit_creates_no_sheet(client, team, outsider):
    client.force_login(outsider)

    response = client.get(reverse("submissions:team_sheet", args=[team.edition.slug, team.pk]))

    assert response.status_code == 404
    assert not Submission.objects.filter(team=team).exists()


def test_organizer_sees_the_showcase_export_before_the_gallery_opens(
    client, complete_sheet, organizer
):
    client.force_login(organizer)

    payload = client.get(_url("showcase", complete_sheet)).json()

    assert payload["showcase"]["title"] == "Vélo futé"


def test_organizer_pages_render_for_the_organizer(client, complete_sheet, organizer):
    client.force_login(organizer)

    report = client.get(reverse("submissions:eligibility", args=[complete_sheet.edition.slug]))
    reopen = client.get(_url("reopen", complete_sheet))

    assert "Les Castors" in report.content.decode()
    assert _url("disqualify", complete_sheet) in report.content.decode()
    assert 'name="reason"' in reopen.content.decode()


def test_confirmation_mail_names_the_version_and_links_the_history(
    complete_sheet, participant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_project(complete_sheet, by=participant)

    body = mailoutbox[0].body
    assert "Vélo futé" in mailoutbox[0].subject
    assert "(version 1)" in mailoutbox[0].subject
    assert (
        reverse("submissions:history", args=[complete_sheet.edition.slug, complete_sheet.team_id])[
            3:
        ]
        in body
    )


def test_sheet_warns_about_changes_not_yet_submitted(client, complete_sheet, participant):
    services.submit_project(complete_sheet, by=participant)
    client.force_login(participant)
    assert (
        "jury sees version 1 until"
        not in client.get(_url("team_sheet", complete_sheet)).content.decode()
    )

    complete_sheet.refresh_from_db()
    client.post(_url("team_sheet", complete_sheet), _post_data(complete_sheet, pitch="Changé"))

    assert (
        "jury sees version 1 until"
        in client.get(_url("team_sheet", complete_sheet)).content.decode()
    )


def test_sheet_enhances_the_dataset_field_with_the_catalogue_autocomplete(
    client, sheet, participant
):
    client.force_login(participant)

    html = client.get(_url("team_sheet", sheet)).content.decode()

    assert f'data-autocomplete-url="{reverse("catalogue:autocomplete")}"' in html
    assert "submissions/dataset-autocomplete.js" in html
    assert 'name="dataset"' in html  # still a plain text field without JavaScript
