"""A real task through the real broker to a real Celery worker, seen in the database."""

import time
import uuid

import pytest
from django.conf import settings

from hackqc.models import WorkerHeartbeat
from hackqc.tasks import task_record_heartbeat

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (a Redis broker)"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_and_writes_to_the_database(celery_worker_process):
    queue, process = celery_worker_process
    note = f"round-trip {uuid.uuid4().hex}"
    task_record_heartbeat.apply_async(kwargs={"note": note}, queue=queue)

    deadline = time.monotonic() + 60
    beat = None
    while time.monotonic() < deadline and beat is None:
        assert process.poll() is None, process.stdout.read().decode()
        beat = WorkerHeartbeat.objects.filter(note=note).first()
        time.sleep(0.2)

    assert beat is not None, "the worker did not run the task within 60 s"
    assert beat.hostname.startswith(queue)
