"""The outbox: a mail promised in a transaction is sent once, after the commit, whatever
fails in between (the SMTP server, the broker, a worker)."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from hackqc import outbox
from hackqc.models import OutgoingMail
from hackqc.tasks import task_send_mail, task_sweep_outbox
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

State = OutgoingMail.State
DOWN = "tests.mailbackends.DownBackend"


def _promise(edition, user, key="test:1"):
    return outbox.queue_mail(
        "hackqc/mail/organizer_granted",
        to=user,
        key=key,
        context={"edition": edition, "granted_by": "Ada", "dashboard_url": "/x/"},
    )


@pytest.fixture
def user(db):
    return UserFactory(email="ada@example.org", display_name="Ada", preferred_language="en")


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_send_mail, "apply_async", refuse)


def test_mail_leaves_after_commit_and_is_marked_sent(
    edition, user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mail = _promise(edition, user)
        assert mailoutbox == []  # not before the commit

    mail.refresh_from_db()
    assert (len(callbacks), mail.state, mail.attempts) == (1, State.SENT, 1)
    assert mail.sent_at is not None
    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    assert message.extra_headers["Message-ID"] == outbox.message_id(mail)
    assert "Ada made you an organizer" in message.body  # rendered in the recipient's English


def test_rolled_back_action_promises_nothing(edition, user, mailoutbox):
    def action():
        with transaction.atomic():
            _promise(edition, user)
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        action()

    assert (OutgoingMail.objects.count(), mailoutbox) == (0, [])


def test_same_key_twice_is_one_mail(edition, user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _promise(edition, user)
        second = _promise(edition, user)

    assert first.pk == second.pk
    assert len(mailoutbox) == 1


def test_send_task_run_twice_sends_once(
    edition, user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = _promise(edition, user)
    task_send_mail(mail_id=mail.pk)
    task_send_mail(mail_id=mail.pk)
    task_send_mail(mail_id=mail.pk + 1000)  # gone: quiet

    assert len(mailoutbox) == 1


def test_context_keeps_references_dates_and_text():
    edition_ref = {"$model": "hackqc.edition", "pk": 3}
    moment = dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)

    dumped = outbox.dump_context({"n": 2, "at": moment, "places": [("Prix", 1, "Projet")]})

    assert dumped == {
        "n": 2,
        "at": {"$datetime": moment.isoformat()},
        "places": [["Prix", 1, "Projet"]],
    }
    assert outbox.load_context(dumped)["at"] == moment
    with pytest.raises(outbox.ObsoleteMail):
        outbox.load_context(edition_ref)
    with pytest.raises(TypeError):
        outbox.dump_context({"f": object()})


# SMTP down ------------------------------------------------------------------------------


def test_smtp_down_keeps_the_mail_and_retries_with_growing_delays(
    edition, user, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            mail = _promise(edition, user)
        mail.refresh_from_db()
        assert (mail.state, mail.attempts, mail.queued_at) == (State.PENDING, 1, None)
        assert mail.next_attempt_at == start + dt.timedelta(minutes=1)
        assert "Connection refused" in mail.last_error
        task_send_mail(mail_id=mail.pk)  # a redelivered task before the delay: nothing
    mail.refresh_from_db()
    assert mail.attempts == 1

    delays = []
    moment = start
    for _ in range(3):
        moment = mail.next_attempt_at
        with time_machine.travel(moment, tick=False):
            task_sweep_outbox()
        mail.refresh_from_db()
        delays.append(mail.next_attempt_at - moment)
    assert delays == [dt.timedelta(minutes=2), dt.timedelta(minutes=4), dt.timedelta(minutes=8)]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(mail.next_attempt_at, tick=False):
        task_sweep_outbox()
        task_sweep_outbox()
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, len(mailoutbox)) == (State.SENT, 5, 1)


def test_retry_delay_is_capped_at_two_hours():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 7, 8, 20)] == [
        60,
        120,
        3840,
        7200,
        7200,
    ]


def test_mail_failing_for_a_day_is_failed_and_listed_for_its_edition(
    edition, user, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mailbackends.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        mail = _promise(edition, user)
    assert list(outbox.failed_mails(edition)) == [mail]  # failing now: shown already

    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1), tick=False):
        task_sweep_outbox()

    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (State.FAILED, 2)
    assert "451" in mail.last_error
    assert list(outbox.failed_mails(edition)) == [mail]


def test_resend_of_a_failed_mail_sends_it_once(
    edition, user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        mail = _promise(edition, user)
    OutgoingMail.objects.filter(pk=mail.pk).update(state=State.FAILED)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend_mail(mail)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.resend_mail(mail)  # sent now: left alone

    mail.refresh_from_db()
    assert (mail.state, len(mailoutbox)) == (State.SENT, 1)


# Broker down ----------------------------------------------------------------------------


def test_broker_down_at_commit_keeps_the_write_and_the_sweep_sends_later(
    edition, user, mailoutbox, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail = _promise(edition, user)  # no exception reaches the caller

    mail.refresh_from_db()
    assert (mail.state, mail.queued_at, mailoutbox) == (State.PENDING, None, [])
    task_sweep_outbox()  # the broker is still down: still waiting, nothing lost
    mail.refresh_from_db()
    assert mail.queued_at is None

    monkeypatch.undo()
    task_sweep_outbox()
    task_sweep_outbox()

    mail.refresh_from_db()
    assert (mail.state, len(mailoutbox)) == (State.SENT, 1)


def test_sweep_requeues_a_lost_task_but_not_a_fresh_one(edition, user, mailoutbox, settings):
    mail = _promise(edition, user)  # queued now, no commit: the task "is in the broker"
    assert outbox.sweep() == 0

    later = timezone.now() + dt.timedelta(seconds=settings.OUTBOX_STUCK_AFTER + 1)
    with time_machine.travel(later, tick=False):
        assert outbox.sweep() == 1

    mail.refresh_from_db()
    assert (mail.state, len(mailoutbox)) == (State.SENT, 1)


def test_account_deleted_before_sending_takes_its_mail(edition, user, mailoutbox):
    mail = _promise(edition, user)
    user.delete()

    assert not OutgoingMail.objects.filter(pk=mail.pk).exists()
