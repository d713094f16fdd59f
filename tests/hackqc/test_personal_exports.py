"""Every organizer download of personal data is in the edition's log: who, when, which file.
A refused download logs nothing; a download whose entry cannot be written gives no file."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from hackqc.models import AuditEntry
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.judging import CriterionFactory, RoundFactory
from tests.factories.teams import RegistrationFactory

pytestmark = pytest.mark.django_db


def _entries():
    return list(AuditEntry.objects.values_list("action", "actor_id", "edition_id", "target_label"))


@pytest.mark.parametrize(
    ("name", "action", "file"),
    [
        ("teams:organize_registrations_csv", "export.registrations", "registrations.csv"),
        ("teams:organize_teams_csv", "export.teams", "teams.csv"),
        ("teams:organize_registrations_xlsx", "export.registrations", "registrations.xlsx"),
        ("teams:organize_teams_xlsx", "export.teams", "teams.xlsx"),
    ],
)
def test_organizer_download_is_logged_with_its_file(client, organizer, edition, name, action, file):
    RegistrationFactory(edition=edition)
    client.force_login(organizer)

    response = client.get(reverse(name, args=[edition.slug]))

    assert response.status_code == 200
    assert _entries() == [(action, organizer.pk, edition.pk, f"{edition.slug}-{file}")]


def test_round_export_is_logged(client, organizer, edition):
    round_ = RoundFactory(edition=edition, number=1)
    CriterionFactory(round=round_)
    client.force_login(organizer)

    response = client.get(reverse("judging:export", args=[edition.slug, 1, "json"]))

    assert response.status_code == 200
    expected = ("export.round", organizer.pk, edition.pk, f"{edition.slug}-round-1.json")
    assert _entries() == [expected]


def test_round_export_by_the_command_is_logged_as_the_site(edition, tmp_path):
    round_ = RoundFactory(edition=edition, number=2)
    CriterionFactory(round=round_)

    call_command("export_round", edition.slug, "2", "--output", str(tmp_path / "r.json"))

    assert _entries() == [("export.round", None, edition.pk, f"{edition.slug}-round-2.json")]


def test_refused_downloads_log_nothing(client, outsider, edition):
    other = OrganizerRoleFactory(edition=EditionFactory()).user
    url = reverse("teams:organize_registrations_csv", args=[edition.slug])

    anonymous = client.get(url)
    client.force_login(outsider)
    participant = client.get(url)
    client.force_login(other)
    other_organizer = client.get(url)

    assert anonymous.status_code == 302
    assert participant.status_code == other_organizer.status_code == 403
    assert _entries() == []


def test_no_file_leaves_when_its_entry_cannot_be_written(client, organizer, edition, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr("hackqc.personal_exports.audit.record", broken)
    client.force_login(organizer)
    client.raise_request_exception = False

    response = client.get(reverse("teams:organize_teams_csv", args=[edition.slug]))

    assert response.status_code == 500
    assert "attachment" not in response.get("Content-Disposition", "")


def test_downloads_are_shown_on_the_editions_log(client, organizer, edition):
    client.force_login(organizer)
    client.get(reverse("teams:organize_registrations_csv", args=[edition.slug]))

    page = client.get(reverse("organize:audit_log", args=[edition.slug])).content.decode()

    assert "A téléchargé les inscriptions (renseignements personnels)" in page
    assert f"{edition.slug}-registrations.csv" in page
    assert str(organizer) in page


@pytest.mark.django_db(transaction=True)
def test_download_and_its_entry_commit_outside_a_test_transaction(client):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL run checks the commit outside a test transaction")
    edition = EditionFactory()
    organizer = OrganizerRoleFactory(edition=edition).user
    client.force_login(organizer)

    response = client.get(reverse("teams:organize_teams_csv", args=[edition.slug]))

    assert response.status_code == 200
    assert _entries() == [("export.teams", organizer.pk, edition.pk, f"{edition.slug}-teams.csv")]


DOWNLOAD = re.compile(r"organize.*(\.(csv|xlsx|pdf|zip)$|export)")


def _organizer_downloads(patterns=None, prefix=""):
    """(pattern, view) of every organizer page that hands out a file."""
    from django.urls import URLResolver, get_resolver

    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _organizer_downloads(entry.url_patterns, pattern)
        elif DOWNLOAD.search(pattern):
            yield pattern, entry.callback


def test_every_organizer_download_is_logged():
    from hackqc.personal_exports import LoggedDownloadMixin

    downloads = dict(_organizer_downloads())
    unlogged = [
        pattern
        for pattern, view in downloads.items()
        if not getattr(view, "logs_download", None)
        and not issubclass(getattr(view, "view_class", object), LoggedDownloadMixin)
    ]

    assert len(downloads) >= 5
    assert unlogged == [], "wrap these with LoggedDownloadMixin or logged_download"
