"""A sync run nobody is doing any more stops blocking its portal within minutes: queued
but never started (the broker was down at commit), or silent (its worker died)."""

import datetime as dt

import pytest
from django.utils import timezone

from submissions.catalogue import services
from submissions.catalogue.models import SyncRun

pytestmark = pytest.mark.django_db


def _run(portal, *, status, created_ago, heartbeat_ago=None):
    run = services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)
    now = timezone.now()
    SyncRun.objects.filter(pk=run.pk).update(
        status=status,
        created_at=now - created_ago,
        started_at=None if status == "pending" else now - created_ago,
        heartbeat_at=None if heartbeat_ago is None else now - heartbeat_ago,
    )
    return run


@pytest.mark.parametrize(
    ("status", "created_ago", "heartbeat_ago", "blocks"),
    [
        ("pending", dt.timedelta(minutes=2), None, True),  # waiting in the queue
        ("pending", dt.timedelta(minutes=6), None, False),  # never queued: broker down
        ("running", dt.timedelta(minutes=30), dt.timedelta(minutes=1), True),  # long, alive
        ("running", dt.timedelta(minutes=30), dt.timedelta(minutes=11), False),  # worker died
        ("running", dt.timedelta(minutes=11), None, False),  # died before its first page
    ],
)
def test_stale_runs_stop_blocking_within_minutes(
    portal, staff, status, created_ago, heartbeat_ago, blocks
):
    old = _run(portal, status=status, created_ago=created_ago, heartbeat_ago=heartbeat_ago)

    assert services.sync_under_way(portal) is blocks
    if blocks:
        with pytest.raises(services.SyncAlreadyRunningError):
            services.request_sync(portal, by=staff)
    else:
        new = services.request_sync(portal, by=staff)
        old.refresh_from_db()
        assert (old.status, new.status) == ("failed", "pending")


def test_each_page_fetched_is_a_sign_of_life(portal, ckan_server):
    run = services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)

    services.run_sync(run)

    run.refresh_from_db()
    assert run.heartbeat_at is not None
    assert run.started_at <= run.heartbeat_at <= run.finished_at
