"""One sync per portal at a time, held by the database for the site, tasks and commands."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone, translation

from submissions.catalogue import services
from submissions.catalogue.models import Dataset, SyncRun
from tests.factories.catalogue import PortalFactory


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def sync(*args):
    call_command("sync_datasets", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_run_of_a_portal(portal):
    other = PortalFactory(name="autre", api_url="https://autre.example/api/3/action/")
    SyncRun.objects.create(portal=portal, trigger="command", status="succeeded")
    SyncRun.objects.create(portal=portal, trigger="command", status="running")
    SyncRun.objects.create(portal=other, trigger="command", status="pending")

    for status in ("pending", "running"):
        with pytest.raises(IntegrityError), transaction.atomic():
            SyncRun.objects.create(portal=portal, trigger="site", status=status)

    assert SyncRun.objects.count() == 3


@pytest.mark.django_db
def test_the_command_refuses_while_a_sync_is_under_way(portal, ckan_server):
    services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)

    with pytest.raises(CommandError, match=r"^A sync of this portal is already under way\.$"):
        sync("--portal", portal.name)

    assert SyncRun.objects.count() == 1
    assert ckan_server.requests == []


@pytest.mark.django_db
def test_a_run_abandoned_by_its_worker_does_not_block_the_next(portal, ckan_server):
    stale = services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)
    SyncRun.objects.filter(pk=stale.pk).update(
        status="running", created_at=timezone.now() - services.STALE_RUN - dt.timedelta(minutes=1)
    )

    sync("--portal", portal.name)

    stale.refresh_from_db()
    assert (stale.status, stale.errors) == (
        "failed",
        [{"error": "Abandoned: its worker stopped before finishing it."}],
    )
    assert SyncRun.objects.filter(status="succeeded").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_command_line_syncs_at_once_make_one_run(portal, ckan_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    ckan_server.delay = 0.2  # each page: the first sync is still running when the second asks
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        barrier.wait()
        try:
            with translation.override("en"):
                sync("--portal", portal.name, "--full")
            outcomes.append("synced")
        except CommandError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["A sync of this portal is already under way.", "synced"]
    assert list(SyncRun.objects.values_list("status", "created")) == [("succeeded", 11)]
    assert Dataset.objects.count() == 11
