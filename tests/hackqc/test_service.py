"""`@service`: one transaction, one log entry, tasks only after the commit."""

import logging

import pytest
from django.db import transaction

from hackqc.models import WorkerHeartbeat
from hackqc.service import REGISTRY, enqueue, service


class _Task:
    def __init__(self):
        self.calls = []

    def delay(self, **kwargs):
        self.calls.append(kwargs)


@service
def _write_then_fail(*, by, hostname):
    WorkerHeartbeat.objects.create(hostname=hostname)
    raise ValueError(hostname)


@service
def _write_and_enqueue(task, *, by, hostname):
    WorkerHeartbeat.objects.create(hostname=hostname)
    enqueue(task, hostname=hostname)


@pytest.mark.django_db(transaction=True)
def test_service_failing_halfway_leaves_nothing_written():
    with pytest.raises(ValueError, match="half"):
        _write_then_fail(by=None, hostname="half")
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_service_task_is_sent_after_commit_and_logged(caplog, django_user_model):
    task = _Task()
    person = django_user_model.objects.create_user(email="a@example.org", password="x")
    with caplog.at_level(logging.INFO, logger="hackqc.services"):
        with transaction.atomic():
            _write_and_enqueue(task, by=person, hostname="w1")
            assert task.calls == []
        assert task.calls == [{"hostname": "w1"}]
        _write_and_enqueue(task, by=person, hostname="w2")
    assert task.calls == [{"hostname": "w1"}, {"hostname": "w2"}]
    name = "tests.hackqc.test_service._write_and_enqueue"
    committed = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(committed) == 1
    assert committed[0].startswith(f"{name} actor={person.pk} subject=_Task committed=True")


@pytest.mark.django_db(transaction=True)
def test_service_rolled_back_sends_no_task():
    task = _Task()

    def write_then_roll_back():
        with transaction.atomic():
            _write_and_enqueue(task, by=None, hostname="w1")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        write_then_roll_back()
    assert (task.calls, WorkerHeartbeat.objects.count()) == ([], 0)


def test_enqueue_outside_a_transaction_refused():
    with pytest.raises(RuntimeError, match="inside a @service"):
        enqueue(_Task(), x=1)


def test_services_are_registered_by_dotted_name():
    assert REGISTRY["tests.hackqc.test_service._write_and_enqueue"] is _write_and_enqueue
