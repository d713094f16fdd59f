"""The outbox with real processes: a Celery worker, the broker, PostgreSQL and an SMTP
server that counts what it accepted per recipient. A worker killed (SIGKILL) in the middle
of an SMTP exchange loses nothing and duplicates nothing."""

import signal
import subprocess
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from hackqc import outbox
from hackqc.models import OutgoingMail
from tests.conftest import start_celery_worker
from tests.smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not django_settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (a Redis broker)"
    ),
]

ADDRESSES = ["a@example.org", "b@example.org", "c@example.org"]


def _wait_for(condition, what, process=None, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker exited: {process.stdout.read().decode()}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.stdout.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_send_then_each_recipient_gets_one_mail(settings, edition):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the PostgreSQL test database")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with SmtpSink() as sink:
        smtp = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port), "EMAIL_USE_TLS": "false"}
        sink.hold.set()  # the server takes each message, then keeps the sender waiting
        first = start_celery_worker(settings, queue, **smtp)
        try:
            mails = [
                outbox.queue_mail(
                    "teams/mail/dissolved",
                    to=address,
                    key=f"kill:{address}",
                    queue=queue,
                    context={"team_name": "Les Castors", "edition": edition, "board_url": "/x/"},
                )
                for address in ADDRESSES
            ]  # no transaction: each committed and handed to the broker at once
            _wait_for(sink.holding.is_set, "the first message to reach the server", first)
            first.send_signal(signal.SIGKILL)  # mid-send: the 250 never came
            first.wait(timeout=20)
        finally:
            _stop(first)
        _wait_for(lambda: sink.dropped == 1, "the server to see the sender go")
        assert OutgoingMail.objects.filter(state="sent").count() == 0
        sink.hold.clear()
        sink.release.set()

        second = start_celery_worker(settings, queue, **smtp)
        try:
            # Redis would hand the lost task back after the visibility timeout; the sweep
            # does it first, since the mail was queued "long ago" by then.
            later = timezone.now() + timezone.timedelta(seconds=settings.OUTBOX_STUCK_AFTER + 1)
            outbox.sweep(now=later)

            def all_sent():
                return OutgoingMail.objects.filter(state="sent").count() == len(mails)

            _wait_for(all_sent, "every mail to be sent", second)
            time.sleep(1)  # any duplicate task still in the queue has run by now
        finally:
            _stop(second)

    assert dict(sink.accepted) == dict.fromkeys(ADDRESSES, 1)
    assert sink.dropped == 1
