"""Organizers' team and registration exports: CSV that opens in Excel, XLSX with the same rows."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.factories.core import HostSiteFactory
from tests.factories.teams import RegistrationFactory

EXPORTS = ["teams:organize_teams", "teams:organize_registrations"]


def _get(client, name, edition, fmt, language="en"):
    with translation.override(language):  # the language is the URL's prefix
        url = reverse(f"{name}_{fmt}", kwargs={"slug": edition.slug})
    return client.get(url)


def _csv_rows(response, delimiter=","):
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def teams_with_site(edition, team, participant, teammate, other_team, registered):
    site = HostSiteFactory(edition=edition, name="Pôle de Rimouski", city="Rimouski")
    team.host_site = site
    team.save()
    RegistrationFactory(edition=edition, role="mentor", organisation="=cmd|' /C calc'!A0")
    return site


@pytest.mark.parametrize("name", EXPORTS)
def test_xlsx_has_the_same_rows_as_the_csv(client, edition, organizer, teams_with_site, name):
    client.force_login(organizer)

    csv_rows = _csv_rows(_get(client, name, edition, "csv"))
    response = _get(client, name, edition, "xlsx")
    xlsx_rows = _xlsx_rows(response)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(xlsx_rows) == len(csv_rows) > 2
    # The CSV quotes a would-be formula; the workbook keeps the text as typed text.
    unquote = [[cell.removeprefix("'") for cell in row] for row in csv_rows]
    assert xlsx_rows == unquote


def test_csv_in_french_uses_french_excel_separators(client, edition, organizer, teams_with_site):
    client.force_login(organizer)

    rows = _csv_rows(_get(client, "teams:organize_teams", edition, "csv", "fr"), ";")

    assert rows[0][:4] == ["Équipe", "Défi", "Pôle", "Taille"]
    by_team = {row[0]: row for row in rows[1:]}
    assert by_team["Les Castors"][2] == "Pôle de Rimouski (Rimouski)"


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("persona", ["participant", "outsider", "judge", "other_organizer"])
def test_xlsx_refused_to_others(client, edition, team, participant, name, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = _get(client, name, edition, "xlsx")

    assert response.status_code == 403
    assert b"PK" not in response.content[:2]


@pytest.mark.parametrize("count", [1, 3])
def test_xlsx_queries_constant(client, edition, organizer, count, django_assert_num_queries):
    from tests.teams.test_queries import _teams

    _teams(edition, count)
    client.force_login(organizer)

    # 6 to build the file, 3 to log the download in its transaction (savepoint, insert,
    # release: hackqc.personal_exports).
    with django_assert_num_queries(9):
        teams = _get(client, "teams:organize_teams", edition, "xlsx")
    with django_assert_num_queries(9):
        people = _get(client, "teams:organize_registrations", edition, "xlsx")

    assert len(_xlsx_rows(teams)) == count + 1
    assert len(_xlsx_rows(people)) == 1 + 4 * count
