"""A full sync withdraws only what the portal no longer lists, checked with package_show."""

import json

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from submissions.catalogue import services
from submissions.catalogue.models import Dataset

pytestmark = pytest.mark.django_db

ARBRES = "b1f0c1a2-0000-4000-8000-000000000003"
PRODUCTION = "b1f0c1a2-0000-4000-8000-000000000006"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def synced(portal, ckan_server):
    """The 11 valid recorded packages synced once."""
    services.sync_portal(portal, full=True)
    ckan_server.requests.clear()
    ckan_server.shows.clear()
    return portal


def active_names():
    return set(Dataset.objects.filter(state="active").values_list("name", flat=True))


def package(ckan_server, ckan_id):
    return next(p for p in ckan_server.packages if p["id"] == ckan_id)


def test_a_dataset_edited_while_the_sync_pages_moves_nothing_out(synced, ckan_server):
    """Edited, a dataset's metadata_modified jumps: sorted by it, the pages would shift."""

    def edit_arbres(page):
        if page == 1:
            arbres = package(ckan_server, ARBRES)
            arbres["metadata_modified"] = timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%f")
            arbres["title"] = "Arbres publics (mis à jour)"

    ckan_server.after_page = edit_arbres

    run = services.sync_portal(synced, full=True)

    assert (run.status, run.withdrawn) == ("succeeded", 0)
    assert len(active_names()) == 11
    assert ckan_server.shows == []


def test_a_dataset_the_pages_missed_is_checked_and_kept(synced, ckan_server):
    """Deleting a read dataset slides the next page's first one onto a read page."""

    def delete_arbres(page):
        if page == 1:
            ckan_server.packages.remove(package(ckan_server, ARBRES))
            package(ckan_server, PRODUCTION)["title"] = "Production d'électricité (révisée)"

    ckan_server.after_page = delete_arbres

    run = services.sync_portal(synced, full=True)

    assert (run.status, run.withdrawn, run.updated) == ("succeeded", 0, 1)
    assert ckan_server.shows == [PRODUCTION]
    production = Dataset.objects.get(name="production-d-electricite")
    assert (production.state, production.title) == ("active", "Production d'électricité (révisée)")


def test_datasets_the_portal_could_not_confirm_gone_are_kept(synced, ckan_server):
    ckan_server.packages.remove(package(ckan_server, ARBRES))

    def fail_after_the_pages(page):
        if page == 3:
            ckan_server.glitches = [503] * 4

    ckan_server.after_page = fail_after_the_pages

    run = services.sync_portal(synced, full=True)

    assert (run.status, run.withdrawn) == ("succeeded", 0)
    assert {"error": "1 dataset missing from the portal's pages could not be checked: kept."} in (
        run.errors
    )
    assert "arbres" in active_names()


def test_checks_stop_at_the_limit_and_keep_the_rest(synced, ckan_server, monkeypatch):
    monkeypatch.setattr(services, "MAX_WITHDRAWAL_CHECKS", 1)
    del ckan_server.packages[:2]

    run = services.sync_portal(synced, full=True)

    assert run.withdrawn == 1
    assert len(ckan_server.shows) == 1
    assert len(active_names()) == 10
    assert {"error": "1 dataset missing from the portal's pages could not be checked: kept."} in (
        run.errors
    )


@pytest.mark.parametrize("bad_id", ["pas-un-uuid", None, 42])
def test_a_package_with_a_malformed_id_keeps_its_dataset(synced, ckan_server, bad_id):
    package(ckan_server, ARBRES)["id"] = bad_id

    run = services.sync_portal(synced, full=True)

    assert (run.status, run.withdrawn) == ("succeeded", 0)
    assert {"package": "arbres", "reason": "id is not a UUID"} in run.errors
    assert Dataset.objects.get(name="arbres").state == "active"


def test_a_package_missing_its_fields_keeps_its_dataset(synced, ckan_server):
    arbres = package(ckan_server, ARBRES)
    del arbres["title"], arbres["resources"], arbres["name"]
    arbres["resources"] = "aucune"

    run = services.sync_portal(synced, full=True)

    assert (run.status, run.withdrawn) == ("succeeded", 0)
    assert Dataset.objects.get(name="arbres").state == "active"


def sync_file(path, *args):
    call_command("sync_datasets", "--file", str(path), "--portal", "donnees-quebec", *args)


def test_a_file_with_a_malformed_id_keeps_its_dataset(synced, dq_packages, tmp_path):
    dq_packages[2]["id"] = "pas-un-uuid"
    path = tmp_path / "catalogue.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in dq_packages))

    sync_file(path, "--full")

    assert len(active_names()) == 11


def test_a_file_with_an_unidentifiable_package_withdraws_nothing(synced, dq_packages, tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([*dq_packages[3:], "un paquet illisible"]))

    sync_file(path, "--full")

    assert len(active_names()) == 11


def test_a_file_that_no_longer_lists_a_dataset_withdraws_it(synced, dq_packages, tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(dq_packages[1:]))

    sync_file(path, "--full")

    assert active_names() == {p["name"] for p in dq_packages[1:11]}
