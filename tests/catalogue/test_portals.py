"""Each dataset stays in its portal: files name their portal, syncs never move datasets."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from submissions.catalogue import ckan, services
from submissions.catalogue.models import Dataset, Organization, Portal, SyncRun

from .replay import FIXTURES, recorded_packages

pytestmark = pytest.mark.django_db

OPEN_CANADA = FIXTURES / "open-canada-package_show.json"
DQ_PAGE = FIXTURES / "donnees-quebec-package_search-1.json"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def sync(*args):
    out = io.StringIO()
    call_command("sync_datasets", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def open_canada(db):
    """open.canada.ca configured, with its 30 recorded datasets synced from their file."""
    portal = Portal.objects.create(
        name="open-canada",
        title="Gouvernement ouvert",
        api_url="https://open.canada.ca/data/api/3/action/",
        dataset_url_pattern="https://open.canada.ca/data/fr/dataset/{name}",
    )
    sync("--file", str(OPEN_CANADA))
    return portal


def test_a_file_without_portal_goes_to_the_portal_its_replies_name(open_canada):
    assert set(Dataset.objects.values_list("portal__name", flat=True)) == {"open-canada"}
    assert Dataset.objects.count() == 30
    assert SyncRun.objects.get().portal == open_canada


def test_a_file_of_an_unknown_portal_gets_a_portal_of_its_own(db):
    out = sync("--file", str(OPEN_CANADA))

    portal = Portal.objects.get(api_url="https://open.canada.ca/data/en/api/3/action/")
    assert portal.dataset_url_pattern == "https://open.canada.ca/data/en/dataset/{name}"
    assert portal.datasets.count() == 30
    assert services.get_default_portal().datasets.count() == 0
    assert out.startswith(f"{portal.name} (incremental)")


def test_a_donnees_quebec_reply_goes_to_the_default_portal(db):
    sync("--file", str(DQ_PAGE))

    assert set(Dataset.objects.values_list("portal__name", flat=True)) == {"donnees-quebec"}


def test_a_file_that_does_not_name_its_portal_needs_one(db, tmp_path):
    path = tmp_path / "paquets.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in recorded_packages(DQ_PAGE.name)))

    with pytest.raises(CommandError, match="does not say which portal it comes from"):
        sync("--file", str(path))

    assert (Dataset.objects.count(), SyncRun.objects.count()) == (0, 0)


def test_a_file_from_another_portal_is_refused(open_canada):
    with pytest.raises(
        CommandError, match=r"recorded from open\.canada\.ca, not from the portal donnees-quebec"
    ):
        sync("--file", str(OPEN_CANADA), "--portal", "donnees-quebec", "--full")

    assert set(Dataset.objects.values_list("portal__name", flat=True)) == {"open-canada"}


def test_a_file_mixing_portals_is_refused(db, tmp_path):
    replies = [*json.loads(OPEN_CANADA.read_text())[:2], json.loads(DQ_PAGE.read_text())]
    path = tmp_path / "melange.json"
    path.write_text(json.dumps(replies))

    with pytest.raises(CommandError, match="replies from several portals"):
        sync("--file", str(path))


def test_a_sync_never_moves_another_portals_datasets(open_canada, tmp_path):
    """The file does not say where it comes from, and the wrong portal is named."""
    sync("--file", str(DQ_PAGE))
    path = tmp_path / "open-canada.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in recorded_packages(OPEN_CANADA.name)))
    before = sorted(Dataset.objects.values_list("ckan_id", "portal__name", "name", "title"))

    out = sync("--file", str(path), "--portal", "donnees-quebec", "--full")

    assert "0 created, 0 updated, 0 withdrawn, 30 skipped" in out
    assert sorted(Dataset.objects.values_list("ckan_id", "portal__name", "name", "title")) == (
        before
    )
    assert not Organization.objects.filter(portal__name="donnees-quebec", name="csa-asc").exists()
    errors = SyncRun.objects.first().errors
    assert errors[0]["reason"] == "a dataset of the portal Gouvernement ouvert, left there"
    assert errors[-1] == {"error": "Packages of another portal were listed: none withdrawn."}


def test_apply_catalogue_leaves_other_portals_datasets_where_they_are(open_canada):
    dq = services.get_default_portal()
    raws = recorded_packages(OPEN_CANADA.name)[:3]
    packages, _skipped = ckan.parse_packages(raws)

    counts = services.apply_catalogue(dq, packages, full=False, synced_at=None)

    assert (counts["created"], counts["updated"], counts["skipped"]) == (0, 0, 3)
    assert dq.datasets.count() == 0
    assert open_canada.datasets.count() == 30
