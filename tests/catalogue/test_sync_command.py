"""What `sync_datasets` says: each error once, in the language of the site."""

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def run_command(*args):
    """(stdout, stderr, the CommandError's message or "")."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("sync_datasets", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), ""


def test_a_failed_sync_says_its_error_once(portal, ckan_server, caplog):
    caplog.set_level(logging.INFO)
    ckan_server.mode = "http-error"

    with translation.override("en"):
        out, err, failure = run_command("--portal", portal.name)

    said = out + err + failure + caplog.text
    assert said.count("HTTP 502") == 1
    assert failure == (
        f"Sync failed: The portal answered HTTP 502 ({ckan_server.api_url}package_search). "
        "Gave up after 4 attempts."
    )


def test_the_command_reports_in_french_by_default(portal, ckan_server):
    out, err, failure = run_command("--portal", portal.name)

    assert failure == ""
    assert err == f"Ignoré, jeu-sans-titre{NBSP}: title manquant\n"
    assert out.startswith(
        f"donnees-quebec (complète) depuis {ckan_server.api_url} — créés{NBSP}: 11, "
        f"mis à jour{NBSP}: 0, retirés{NBSP}: 0, ignorés{NBSP}: 1, lus{NBSP}: 12 (en "
    )


def test_a_failure_is_reported_in_french_by_default(portal, ckan_server):
    ckan_server.mode = "http-error"

    out, err, failure = run_command("--portal", portal.name)

    assert (out, err) == ("", "")
    assert failure == (
        f"Échec de la synchronisation{NBSP}: Le portail a répondu HTTP 502 "
        f"({ckan_server.api_url}package_search). Abandon après 4 tentatives."
    )


def test_command_line_mistakes_are_reported_in_french(db):
    assert run_command("--portal", "nulle-part")[2] == (
        f"Aucun portail nommé 'nulle-part' (portails configurés{NBSP}: donnees-quebec)."
    )
    assert run_command("--url", "http://x/", "--file", "y")[2] == (
        "Donnez --url ou --file, pas les deux."
    )
