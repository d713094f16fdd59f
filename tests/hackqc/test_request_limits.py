"""Requests no page can use are refused before anything reads them, with a page that says why."""

import pytest
from django.conf import settings
from django.urls import reverse

from submissions import services
from tests.submissions.images import image_bytes, upload


@pytest.fixture
def sheet(team, participant):
    return services.create_submission(team)


def test_body_over_the_cap_is_refused_before_the_upload_is_read(client, sheet, participant):
    client.force_login(participant)
    url = reverse("submissions:upload_logo", args=[sheet.edition.slug, sheet.team_id])
    padding = b"\0" * (settings.REQUEST_BODY_MAX_SIZE + 1)

    response = client.post(url, {"image": upload(image_bytes("PNG") + padding, "big.png")})

    assert response.status_code == 413
    assert "dépasse 11\u00a0Mo" in response.content.decode()
    sheet.refresh_from_db()
    assert not sheet.logo


def test_body_under_the_cap_reaches_the_form(client, sheet, participant):
    client.force_login(participant)
    url = reverse("submissions:upload_logo", args=[sheet.edition.slug, sheet.team_id])

    client.post(url, {"image": upload(image_bytes("PNG"), "logo.png")})

    sheet.refresh_from_db()
    assert sheet.logo.name.endswith(".png")


@pytest.mark.parametrize(
    "url",
    ["/fr/datasets/?q=velo%00", "/fr/datasets/?%00=1", "/fr/teams/invitation/a%00b/"],
)
def test_nul_in_the_address_is_a_bad_request(client, db, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_invalid_utf8_in_the_query_is_read_as_replacement_characters(client, db):
    response = client.get("/fr/datasets/?q=v%FF%FEelo")

    assert response.status_code == 200
