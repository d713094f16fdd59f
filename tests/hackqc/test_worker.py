"""A real task through the real broker to a real Celery worker, seen in the database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from hackqc.models import WorkerHeartbeat
from hackqc.tasks import task_record_heartbeat

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (a Redis broker)"
    ),
]


def database_url_of_test_database():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{port}/{db['NAME']}"


@pytest.fixture
def worker():
    """Starts `celery worker` on a queue of its own, pointed at the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_database(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    process = subprocess.Popen(  # noqa: S603 — fixed command line
        [
            sys.executable, "-m", "celery", "-A", "hackqc", "worker", "--pool=solo",
            "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "-Q", queue, "-n", f"{queue}@%h", "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield queue, process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker_and_writes_to_the_database(worker):
    queue, process = worker
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
