"""Reading a portal over HTTP: retries with backoff, a wall-clock limit per page, the order."""

import time
from types import SimpleNamespace

import pytest
from django.utils import translation

from submissions.catalogue import portal_api, services
from submissions.catalogue.models import Dataset, SyncRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def pauses(monkeypatch):
    """The backoff pauses the sync takes, without waiting them out."""
    taken = []
    monkeypatch.setattr(
        portal_api, "time", SimpleNamespace(monotonic=time.monotonic, sleep=taken.append)
    )
    return taken


def full_sync(portal):
    run = services.sync_portal(portal, full=True)
    return run


def test_a_500_on_page_2_is_tried_again_and_the_sync_succeeds(portal, ckan_server, pauses):
    def glitch_once(page):
        if page == 1:
            ckan_server.glitches = [500]

    ckan_server.after_page = glitch_once

    run = full_sync(portal)

    assert (run.status, run.created, run.fetched) == ("succeeded", 11, 12)
    assert [r["start"] for r in ckan_server.requests] == ["0", "5", "10"]
    assert pauses == [0.02]


@pytest.mark.parametrize("glitch", [500, 502, 503, 504, 429, "hangup", "stall"])
def test_transient_failures_are_tried_again_with_growing_pauses(
    portal, ckan_server, pauses, glitch
):
    # A "stall" outlasts the 0.5 s read timeout.
    ckan_server.glitches = [glitch, glitch]

    run = full_sync(portal)

    assert (run.status, run.created) == ("succeeded", 11)
    assert pauses == [0.02, 0.04]


def test_the_sync_gives_up_after_its_retries_with_one_message(portal, ckan_server, pauses):
    ckan_server.mode = "http-error"

    run = full_sync(portal)

    assert run.status == SyncRun.Status.FAILED
    assert run.errors == [
        {
            "error": f"The portal answered HTTP 502 ({ckan_server.api_url}package_search). "
            "Gave up after 4 attempts."
        }
    ]
    assert len(ckan_server.requests) == 4
    assert pauses == [0.02, 0.04, 0.08]
    assert Dataset.objects.count() == 0


@pytest.mark.parametrize("mode", ["garbage", "failure", "bad-result"])
def test_answers_that_another_try_would_not_change_are_not_retried(
    portal, ckan_server, pauses, mode
):
    ckan_server.mode = mode

    run = full_sync(portal)

    assert run.status == SyncRun.Status.FAILED
    assert len(ckan_server.requests) == 1
    assert pauses == []


def test_a_404_is_not_retried(db, ckan_server, pauses):
    portal = services.portal_for_url(ckan_server.api_url.replace("/api/3/action/", "/api/9/"))

    run = full_sync(portal)

    assert "HTTP 404" in run.errors[0]["error"]
    assert pauses == []


@pytest.mark.parametrize("mode", ["drip-body", "drip-headers"])
def test_a_portal_dripping_its_reply_is_cut_at_the_page_time_limit(
    portal, ckan_server, monkeypatch, mode
):
    """Each byte comes well within the 0.5 s read timeout; the page never ends."""
    monkeypatch.setattr(portal_api, "PAGE_TIME_LIMIT", 1)
    ckan_server.mode = mode
    started = time.monotonic()

    run = full_sync(portal)

    assert time.monotonic() - started < 3
    assert run.status == SyncRun.Status.FAILED
    assert run.errors == [
        {
            "error": "The portal took more than 1 second to answer "
            f"({ckan_server.api_url}package_search)."
        }
    ]
    assert Dataset.objects.count() == 0


def test_retries_stop_at_the_page_time_limit(portal, ckan_server, monkeypatch):
    monkeypatch.setattr(portal_api, "PAGE_TIME_LIMIT", 1)
    monkeypatch.setattr(portal_api, "BACKOFF", 0.4)
    ckan_server.mode = "http-error"

    run = full_sync(portal)

    # Tries at 0 s and 0.4 s; the next pause (0.8 s) would end past the limit.
    assert len(ckan_server.requests) == 2
    assert run.errors[0]["error"].endswith("Gave up after 2 attempts.")


def test_pages_are_read_in_id_order(portal, ckan_server):
    full_sync(portal)

    assert {r["sort"] for r in ckan_server.requests} == {"id asc"}
