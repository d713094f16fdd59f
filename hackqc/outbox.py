"""The transactional outbox: every mail the site promises is a row before it is a message.

`queue_mail` writes the intent (recipient, template, context, unique key) in the caller's
transaction, so the mail exists exactly when the action that promises it commits. After
the commit a task is handed to the broker; if the broker is down the write still stands
and `sweep` (every minute, by beat) hands it over later. `deliver` sends one mail while
holding its row locked and marks it sent only once the SMTP server accepted it; a failure
is retried with a doubling delay for a day, then the mail is failed and the edition's
organizers can send it again. A worker killed mid-send rolls its transaction back, so the
mail stays pending and is delivered by the redelivered task or the next sweep.

Each mail carries a Message-ID derived from its row, so in the one unavoidable window (the
server accepted, the worker died before its commit) the copy is recognisable as a repeat.
"""

import datetime as dt
import decimal
import hashlib
import logging
from functools import partial
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .mail import render_templated_mail
from .models import Edition, OutgoingMail

logger = logging.getLogger("hackqc.outbox")

State = OutgoingMail.State

# Sent once the SMTP server accepted a mail, inside the transaction that marks it sent, with
# `mail` (the OutgoingMail): apps record it on what the mail is about (an invitation's
# `sent_at`). A receiver that fails is logged and changes nothing of the delivery.
mail_sent = Signal()


class ObsoleteMail(Exception):
    """Something the mail is about was deleted before it could be sent."""


# Context --------------------------------------------------------------------------------


def dump_context(value):
    """JSON for the context: model instances become references, read again at send time."""
    if isinstance(value, models.Model):
        return {"$model": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(k): dump_context(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [dump_context(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"A mail context cannot hold {type(value).__name__}: pass ids or text.")


def load_context(value):
    """The inverse of `dump_context`; raises ObsoleteMail when a referenced row is gone."""
    if isinstance(value, list):
        return [load_context(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$model" in value:
        model = apps.get_model(value["$model"])
        obj = model._default_manager.filter(pk=value["pk"]).first()
        if obj is None:
            raise ObsoleteMail(f"{value['$model']} #{value['pk']} no longer exists")
        return obj
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$decimal" in value:
        return decimal.Decimal(value["$decimal"])
    return {k: load_context(v) for k, v in value.items()}


# Queueing -------------------------------------------------------------------------------


def queue_mail(
    template, *, to, context, key, edition=None, language="", reply_to="", queue=""
) -> OutgoingMail:
    """Promises the mail `template` to `to` (a user or an address), once per `key`.

    Call it inside the transaction of the action: the row commits or rolls back with it.
    A second call with the same key returns the first row and sends nothing more. The
    send task is handed to the broker after the commit (on `queue` if given); a broker
    that refuses is logged, never raised, and the sweep hands the mail over later.
    `edition` defaults to the context's "edition"; organizers see failures per edition.
    """
    user = to if isinstance(to, models.Model) else None
    if edition is None and isinstance(context.get("edition"), Edition):
        edition = context["edition"]
    now = timezone.now()
    mail, created = OutgoingMail.objects.get_or_create(
        key=key,
        defaults={
            "edition": edition,
            "user": user,
            "address": user.email if user else to,
            "language": language or "",
            "template": template,
            "context": dump_context(context),
            "reply_to": reply_to or "",
            "queue": queue,
            "created_at": now,
            "next_attempt_at": now,
            "retry_until": now + retry_period(),
            # Optimistic: cleared if the broker refuses, so the sweep does not wait.
            "queued_at": now,
        },
    )
    if created:
        _after_commit(mail)
    return mail


def _after_commit(mail):
    transaction.on_commit(partial(hand_over, mail.pk, queue=mail.queue), robust=True)


def hand_over(mail_id, *, queue="", breaker=True) -> bool:
    """Gives the send task to the broker; False (and the row marked unqueued) if it refuses."""
    from .service import hand_to_broker
    from .tasks import task_send_mail

    options = {"queue": queue} if queue else {}
    if hand_to_broker(
        task_send_mail, kwargs={"mail_id": mail_id}, options=options, breaker=breaker
    ):
        return True
    # The broker is down or frozen: the promise is in the database, the sweep resends.
    OutgoingMail.objects.filter(pk=mail_id, state=State.PENDING).update(queued_at=None)
    return False


def cancel_mails(keys) -> int:
    """Withdraws promises that no longer hold (a revoked invitation); sent mails stay sent."""
    return OutgoingMail.objects.filter(key__in=list(keys), state=State.PENDING).update(
        state=State.CANCELLED, last_error="cancelled"
    )


# Sending --------------------------------------------------------------------------------


def retry_period() -> dt.timedelta:
    return dt.timedelta(seconds=settings.OUTBOX_RETRY_FOR)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure: doubling from a minute, at most two hours."""
    seconds = settings.OUTBOX_FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.OUTBOX_MAX_RETRY_DELAY))


def deliver(mail_id) -> str | None:
    """Sends one pending, due mail and records the outcome; returns its new state.

    The row stays locked (FOR UPDATE SKIP LOCKED) for the whole SMTP exchange, so a
    redelivered copy of the task skips it, and a worker that dies releases it unsent.
    """
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=mail_id, state=State.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if mail is None:
            return None
        try:
            message = build_message(mail)
        except ObsoleteMail as exc:
            return _record(mail, state=State.CANCELLED, error=str(exc))
        try:
            accepted = message.send()
        except Exception as exc:  # Any SMTP or network failure: retried later.
            return _record_failure(mail, exc)
        if not accepted:
            return _record_failure(mail, RuntimeError("the mail server accepted no recipient"))
        state = _record(mail, state=State.SENT, sent_at=timezone.now())
        _announce_sent(mail)
        return state


def _announce_sent(mail):
    for receiver, outcome in mail_sent.send_robust(sender=OutgoingMail, mail=mail):
        if isinstance(outcome, Exception):
            logger.error(
                "outbox: %s failed after mail #%s was sent: %r", receiver, mail.pk, outcome
            )


def build_message(mail):
    context = load_context(mail.context)
    message = render_templated_mail(
        mail.template,
        to=mail.user or mail.address,
        context=context,
        language=mail.language or None,
        reply_to=[mail.reply_to] if mail.reply_to else None,
    )
    message.extra_headers["Message-ID"] = message_id(mail)
    return message


def message_id(mail) -> str:
    digest = hashlib.sha256(mail.key.encode()).hexdigest()[:16]
    host = urlsplit(settings.SITE_URL).hostname or "hackqc.invalid"
    return f"<outbox.{mail.pk}.{digest}@{host}>"


def _record(mail, *, state, error="", sent_at=None):
    mail.state = state
    mail.sent_at = sent_at
    mail.attempts += 1
    mail.last_error = error[:500]
    mail.save(update_fields=["state", "sent_at", "attempts", "last_error"])
    return state


def _record_failure(mail, exc):
    now = timezone.now()
    error = f"{type(exc).__name__}: {exc}"
    logger.warning("outbox: mail #%s to %s failed: %s", mail.pk, mail.template, error)
    mail.attempts += 1
    mail.last_error = error[:500]
    mail.queued_at = None
    if now >= mail.retry_until:
        mail.state = State.FAILED
    else:
        mail.next_attempt_at = now + backoff(mail.attempts)
    mail.save(update_fields=["state", "attempts", "last_error", "queued_at", "next_attempt_at"])
    return mail.state


# Sweeping -------------------------------------------------------------------------------


def sweep(now=None, *, limit=1000) -> int:
    """Hands over the due mails no task carries: never queued (the broker was down), due
    again after a failure, or queued so long ago that the task must have been lost.
    Returns how many were handed over."""
    now = now or timezone.now()
    stuck = now - dt.timedelta(seconds=settings.OUTBOX_STUCK_AFTER)
    due = list(
        OutgoingMail.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stuck))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "queue")[:limit]
    )
    OutgoingMail.objects.filter(pk__in=[pk for pk, _queue in due]).update(queued_at=now)
    for count, (pk, queue) in enumerate(due):
        if not hand_over(pk, queue=queue, breaker=False):
            # The broker is down: leave the rest unqueued for the next sweep.
            rest = [p for p, _q in due[count:]]
            OutgoingMail.objects.filter(pk__in=rest, state=State.PENDING).update(queued_at=None)
            return count
    return len(due)


# Organizers -----------------------------------------------------------------------------


# What each template is, for the organizers' list of failed mails.
MAIL_KINDS = {
    "teams/mail/invitation": _("Team invitation"),
    "teams/mail/join_request": _("Request to join a team"),
    "teams/mail/request_decided": _("Answer to a request to join"),
    "teams/mail/removed": _("Removed from a team"),
    "teams/mail/dissolved": _("Team dissolved"),
    "teams/mail/member_change": _("Change in a team's members"),
    "teams/mail/new_captain": _("New captain"),
    "teams/mail/captain_erased": _("Team left without a captain"),
    "teams/mail/corrected": _("Registration corrected by the organizers"),
    "privacy/mail/export_ready": _("Copy of one's personal data"),
    "submissions/mail/submitted": _("Submission confirmation"),
    "submissions/mail/reminder": _("Deadline reminder"),
    "judging/mail/invitation": _("Jury invitation"),
    "judging/mail/reminder": _("Reminder to judges"),
    "judging/mail/assigned": _("Projects assigned to a judge"),
    "hackqc/mail/organizer_granted": _("New organizer"),
    "hackqc/mail/announcement": _("Announcement to participants"),
    "results/mail/results": _("Results announcement"),
    "results/mail/winner": _("Winner announcement"),
    "results/mail/correction": _("Corrected results announcement"),
}


def kind_label(template) -> str:
    return str(MAIL_KINDS.get(template, template))


def failed_mails(edition):
    """The edition's mails that failed for good or are failing now (retried later)."""
    return (
        OutgoingMail.objects.filter(edition=edition)
        .filter(Q(state=State.FAILED) | Q(state=State.PENDING, attempts__gt=0))
        .order_by("-created_at", "-pk")
    )


def resend_mail(mail, *, by=None) -> OutgoingMail:
    """Sends a failed (or failing) mail again now, retried for another day if need be.
    A sent or cancelled mail is left alone: each mail reaches its recipient once."""
    now = timezone.now()
    updated = (
        OutgoingMail.objects.filter(pk=mail.pk)
        .filter(Q(state=State.FAILED) | Q(state=State.PENDING, attempts__gt=0))
        .update(
            state=State.PENDING,
            next_attempt_at=now,
            retry_until=now + retry_period(),
            queued_at=now,
        )
    )
    mail.refresh_from_db()
    if updated:
        _after_commit(mail)
    return mail
