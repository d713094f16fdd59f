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
from submissions.catalogue.tasks import task_sync_datasets
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


@pytest.mark.django_db
def test_a_run_another_worker_already_took_is_left_alone(portal, ckan_server):
    run = services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE)
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.RUNNING)

    assert services.run_sync(run) is None
    assert ckan_server.requests == []


def _at_once(call, times=2):
    """Runs `call` in `times` threads released together; returns what each returned or said."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        barrier.wait()
        try:
            with translation.override("en"):
                outcomes.append(call())
        except CommandError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_command_line_syncs_at_once_make_one_run(portal, ckan_server):
    ckan_server.delay = 0.2  # each page: the first sync is still running when the second asks

    outcomes = _at_once(lambda: sync("--portal", portal.name, "--full") or "synced")

    assert sorted(outcomes) == ["A sync of this portal is already under way.", "synced"]
    assert list(SyncRun.objects.values_list("status", "created")) == [("succeeded", 11)]
    assert Dataset.objects.count() == 11


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_queued_run_delivered_twice_at_once_syncs_once(portal, ckan_server):
    run = services.create_sync_run(portal, trigger=SyncRun.Trigger.SITE, full=True)

    outcomes = _at_once(lambda: task_sync_datasets(run_id=run.pk))

    assert sorted(outcomes, key=str) == [None, {"run": run.pk, "status": "succeeded"}]
    assert [r["start"] for r in ckan_server.requests] == ["0", "5", "10"]
