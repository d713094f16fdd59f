import io
import json
import socket

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from submissions.catalogue import demo, portal_api, services, upsert
from submissions.catalogue.models import Dataset, Format, Group, Licence, Organization, SyncRun
from submissions.catalogue.tasks import task_sync_datasets

from .replay import FIXTURES, ReplayCKAN, recorded_packages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The sync's report and errors are asserted in English, the language of the messages."""
    from django.utils import translation

    with translation.override("en"):
        yield


def sync(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_datasets", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    """Every synced value of every dataset, except the time it was last seen."""
    return sorted(
        Dataset.objects.values_list(
            "ckan_id",
            "name",
            "title",
            "description",
            "organization__name",
            "licence__ckan_id",
            "tags",
            "resources",
            "metadata_modified",
            "state",
            "search_text",
            "checksum",
        )
    )


def test_sync_fresh_creates_the_catalogue(portal, ckan_server):
    out, err = sync("--portal", portal.name)

    assert "11 created, 0 updated, 0 withdrawn, 1 skipped, 12 read" in out
    assert "jeu-sans-titre: no title" in err
    assert Dataset.objects.count() == 11
    velos = Dataset.objects.get(name="velos-comptage")
    assert velos.title == "Comptage des vélos sur les pistes cyclables"
    assert velos.organization.title == "Ville de Montréal"
    assert velos.licence.ckan_id == "cc-by"
    assert velos.tags == ["transport", "vélo"]
    assert {g.name for g in velos.groups.all()} == {"transport"}
    assert {f.name for f in velos.formats.all()} == {"CSV", "PDF"}
    assert velos.resources[0]["type"] == "donnees"
    assert velos.state == Dataset.State.ACTIVE
    assert velos.portal_url == "https://www.donneesquebec.ca/recherche/dataset/velos-comptage"
    assert set(Organization.objects.values_list("name", flat=True)) == {
        "ville-de-montreal",
        "hydro-quebec",
        "ville-de-quebec",
    }
    assert set(Licence.objects.values_list("ckan_id", flat=True)) == {"cc-by", "CC0-1.0"}
    assert set(Group.objects.values_list("name", flat=True)) == {
        "transport",
        "environnement",
        "sante",
    }
    assert set(Format.objects.values_list("name", flat=True)) == {
        "CSV",
        "PDF",
        "JSON",
        "GEOJSON",
        "SHP",
        "KML",
        "XLSX",
    }
    assert [r["start"] for r in ckan_server.requests] == ["0", "5", "10"]
    run = SyncRun.objects.get()
    assert (run.status, run.full, run.created, run.skipped) == ("succeeded", True, 11, 1)
    assert run.errors == [{"package": "jeu-sans-titre", "reason": "no title"}]


def test_sync_second_run_is_incremental(portal, ckan_server, dq_packages):
    sync("--portal", portal.name)
    ckan_server.requests.clear()
    dq_packages[10]["title"] = "Déneigement : état des rues en temps réel"
    dq_packages[10]["metadata_modified"] = timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%f")

    out, _err = sync("--portal", portal.name)

    assert "(incremental)" in out
    assert "0 created, 1 updated, 0 withdrawn, 0 skipped, 1 read" in out
    assert ckan_server.requests[0]["fq"].startswith("metadata_modified:[")
    assert Dataset.objects.get(name="deneigement").title.endswith("en temps réel")


def test_sync_twice_changes_nothing(portal, ckan_server):
    sync("--portal", portal.name)
    before = snapshot()

    out, _err = sync("--portal", portal.name, "--full")

    assert "0 created, 0 updated, 0 withdrawn, 1 skipped" in out
    assert snapshot() == before


def test_full_sync_marks_missing_datasets_withdrawn(portal, ckan_server, dq_packages):
    sync("--portal", portal.name)
    del ckan_server.packages[2]  # "arbres" leaves the portal

    out, _err = sync("--portal", portal.name, "--full")

    assert "0 created, 0 updated, 1 withdrawn" in out
    assert ckan_server.shows == ["b1f0c1a2-0000-4000-8000-000000000003"]
    arbres = Dataset.objects.get(name="arbres")
    assert arbres.state == Dataset.State.WITHDRAWN
    assert arbres.withdrawn_at is not None
    assert Dataset.objects.filter(state=Dataset.State.ACTIVE).count() == 10


def test_full_sync_restores_a_dataset_that_comes_back(portal, ckan_server, dq_packages):
    sync("--portal", portal.name)
    arbres = ckan_server.packages.pop(2)
    sync("--portal", portal.name, "--full")
    ckan_server.packages.append(arbres)

    out, _err = sync("--portal", portal.name, "--full")

    assert "0 created, 1 updated, 0 withdrawn" in out
    assert Dataset.objects.get(name="arbres").state == Dataset.State.ACTIVE


def test_incremental_sync_withdraws_nothing(portal, ckan_server):
    sync("--portal", portal.name)
    del ckan_server.packages[2]

    out, _err = sync("--portal", portal.name)

    assert "0 withdrawn" in out
    assert Dataset.objects.get(name="arbres").state == Dataset.State.ACTIVE


def test_full_sync_keeps_a_malformed_package_that_is_still_listed(portal, ckan_server):
    sync("--portal", portal.name)
    ckan_server.packages[0]["title"] = ""

    out, _err = sync("--portal", portal.name, "--full")

    assert "0 withdrawn, 2 skipped" in out
    velos = Dataset.objects.get(name="velos-comptage")
    assert (velos.state, velos.title) == ("active", "Comptage des vélos sur les pistes cyclables")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("http-error", "The portal answered HTTP 502"),
        ("garbage", "not a CKAN API reply"),
        ("failure", "The portal refused package_search: Introuvable"),
        ("bad-result", "has no count and results"),
    ],
)
def test_sync_reports_a_failing_portal(portal, ckan_server, mode, message):
    sync("--portal", portal.name)
    before = snapshot()
    ckan_server.mode = mode

    with pytest.raises(CommandError, match="Sync failed"):
        sync("--portal", portal.name, "--full")

    run = SyncRun.objects.first()
    assert run.status == SyncRun.Status.FAILED
    assert message in run.errors[0]["error"]
    assert snapshot() == before


def test_sync_failing_mid_way_leaves_the_catalogue_intact(portal, ckan_server, dq_packages):
    sync("--portal", portal.name)
    before = snapshot()
    for package in ckan_server.packages:
        package["title"] += " (modifié)"
    ckan_server.requests.clear()
    ckan_server.fail_after_pages = 1

    with pytest.raises(CommandError, match="HTTP 500"):
        sync("--portal", portal.name, "--full")

    assert snapshot() == before
    assert SyncRun.objects.first().fetched == 5


def test_sync_reports_a_timeout(portal, ckan_server):
    ckan_server.delay = 1

    with pytest.raises(CommandError, match="did not answer in time"):
        sync("--portal", portal.name)

    assert Dataset.objects.count() == 0


def test_sync_reports_an_unreachable_portal(db, loopback_portals):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]

    with pytest.raises(CommandError, match="Could not reach the portal"):
        sync("--url", f"http://127.0.0.1:{port}/api/3/action/")

    assert SyncRun.objects.get().status == SyncRun.Status.FAILED


def test_full_sync_of_an_empty_portal_withdraws_nothing(portal, ckan_server):
    sync("--portal", portal.name)
    ckan_server.packages.clear()

    with pytest.raises(CommandError, match="listed no dataset"):
        sync("--portal", portal.name, "--full")

    assert Dataset.objects.filter(state=Dataset.State.ACTIVE).count() == 11


def test_sync_by_url_creates_a_portal_for_it(db, ckan_server):
    out, _err = sync("--url", ckan_server.api_url)

    dataset = Dataset.objects.get(name="arbres")
    assert dataset.portal.api_url == ckan_server.api_url
    assert dataset.portal_url == ckan_server.api_url.split("/api/")[0] + "/dataset/arbres"
    assert "11 created" in out


def test_sync_unknown_portal_fails(db):
    with pytest.raises(CommandError, match="No portal named 'nowhere'"):
        sync("--portal", "nowhere")


def test_sync_from_package_show_replies_of_open_canada(db):
    out, _err = sync("--file", str(FIXTURES / "open-canada-package_show.json"))

    assert "30 created" in out
    dataset = Dataset.objects.get(ckan_id="fffcb623-7af9-4b3f-87d3-42852bca293c")
    assert dataset.title.startswith("Rapport sur les résultats ministériels")
    assert dataset.organization.name == "csa-asc"
    assert dataset.licence.title == "Open Government Licence - Canada"


def test_sync_from_a_package_search_reply(db):
    out, _err = sync("--file", str(FIXTURES / "donnees-quebec-package_search-1.json"))

    assert "6 created" in out


def test_sync_from_json_lines(db, tmp_path, dq_packages):
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in dq_packages[:3]) + "\n")

    out, _err = sync("--file", str(path), "--portal", "donnees-quebec")

    assert "3 created" in out


def test_sync_from_a_failed_reply_file_fails(db, tmp_path):
    path = tmp_path / "error.json"
    path.write_text(json.dumps({"success": False, "error": {"message": "Introuvable"}}))

    with pytest.raises(CommandError, match="failed reply: Introuvable"):
        sync("--file", str(path), "--portal", "donnees-quebec")


def test_sync_from_a_garbage_file_fails(db, tmp_path):
    path = tmp_path / "garbage.json"
    path.write_text("<html>nope</html>")

    with pytest.raises(CommandError, match="neither JSON nor JSON lines"):
        sync("--file", str(path))


def test_sync_skips_malformed_packages_by_name(db, tmp_path, dq_packages):
    broken = [
        {**dq_packages[0], "id": "not-a-uuid"},
        {**dq_packages[1], "resources": "none"},
        {**dq_packages[3], "metadata_modified": "yesterday"},
        "just a string",
        dq_packages[4],
    ]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))

    out, _err = sync("--file", str(path), "--portal", "donnees-quebec")

    assert "1 created, 0 updated, 0 withdrawn, 4 skipped" in out
    assert SyncRun.objects.get().errors == [
        {"package": "velos-comptage", "reason": "id is not a UUID"},
        {
            "package": "historique-de-la-demande-d-electricite",
            "reason": "resources is not a list of objects",
        },
        {"package": "collisions-routieres", "reason": "metadata_modified is not a date"},
        {"package": "package #4", "reason": "not an object"},
    ]


def test_sync_queries_grow_with_pages_not_datasets(db, monkeypatch, dq_packages, loopback_portals):
    """The same number of queries for 3 and for 11 new datasets on one page."""
    monkeypatch.setattr(portal_api, "PAGE_SIZE", 100)
    counts = []
    for size in (3, 11):
        Dataset.objects.all().delete()
        server = ReplayCKAN(dq_packages[:size]).start()
        try:
            with CaptureQueriesContext(connection) as queries:
                sync("--url", server.api_url, "--full")
        finally:
            server.stop()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_task_runs_the_nightly_sync(portal, ckan_server):
    result = task_sync_datasets(portal=portal.name)

    run = SyncRun.objects.get()
    assert result == {"run": run.pk, "status": "succeeded"}
    assert (run.trigger, run.created) == ("schedule", 11)


def test_task_ignores_a_run_that_already_ran(portal, ckan_server):
    run = services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)
    task_sync_datasets(run_id=run.pk)
    ckan_server.requests.clear()

    assert task_sync_datasets(run_id=run.pk) is None
    assert task_sync_datasets(run_id=run.pk + 1000) is None
    assert ckan_server.requests == []


def test_request_sync_refuses_a_second_run(portal, staff, django_capture_on_commit_callbacks):
    services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)

    with pytest.raises(services.SyncAlreadyRunningError):
        services.request_sync(portal, by=staff)
    assert SyncRun.objects.count() == 1


def test_task_skips_the_nightly_sync_while_one_is_under_way(portal, ckan_server):
    services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)

    assert task_sync_datasets(portal=portal.name) is None
    assert SyncRun.objects.count() == 1
    assert ckan_server.requests == []


def test_sync_from_the_demo_fixture_skips_its_comment(db):
    out, _err = sync("--file", str(demo.FIXTURE), "--portal", "donnees-quebec")

    assert "51 created, 0 updated, 0 withdrawn, 0 skipped" in out


def test_sync_failing_while_writing_leaves_the_catalogue_intact(portal, ckan_server, monkeypatch):
    sync("--portal", portal.name)
    before = snapshot()
    for package in ckan_server.packages:
        package["title"] += " (modifié)"

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(upsert, "withdraw_missing", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        sync("--portal", portal.name, "--full")

    assert snapshot() == before
    run = SyncRun.objects.first()
    assert (run.status, run.errors) == ("failed", [{"error": "Unexpected error."}])


def test_sync_replays_open_canada_packages_over_http(db, monkeypatch, loopback_portals):
    monkeypatch.setattr(portal_api, "PAGE_SIZE", 7)
    server = ReplayCKAN(recorded_packages("open-canada-package_show.json")).start()
    try:
        out, _err = sync("--url", server.api_url)
    finally:
        server.stop()

    assert "30 created, 0 updated, 0 withdrawn, 0 skipped, 30 read" in out
    assert len(server.requests) == 5
    dataset = Dataset.objects.get(ckan_id="fffcb623-7af9-4b3f-87d3-42852bca293c")
    assert len(dataset.resources) == len(
        recorded_packages("open-canada-package_show.json")[0]["resources"]
    )


def test_sync_hints_at_the_action_api_url_on_404(db, ckan_server):
    site = ckan_server.api_url.split("/api/")[0] + "/"

    with pytest.raises(CommandError, match=r"HTTP 404.*api/3/action"):
        sync("--url", site)
