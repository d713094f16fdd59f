"""Announcements: organizers write once, in French and English, to one segment of an
edition's people (hackqc.segments); each person is mailed once, in their language, through
the outbox; an announcement may be pinned on the edition page.

Sending is two steps. `send_announcement` (the organizer's click) locks the row, turns the
draft into "being sent" and queues the task; a second click finds it being sent, or sent.
A send whose task was lost (broker down at the click, worker gone) is queued again after
the task time limit, by the next click or by the beat sweep `requeue_lapsed_sends`. The task
(`hackqc.send_announcement`) calls `deliver_announcement`, which writes one outbox intent
per recipient under the key `hackqc.announcement:<id>:<user id>` and marks it sent, in one
transaction under the same lock: a task run twice, or redelivered, mails nobody twice.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hackqc import audit, outbox, segments
from hackqc.exceptions import HackQCError
from hackqc.markdown import render_markdown
from hackqc.models import Announcement, OutgoingMail
from hackqc.models.editions import EditionStatus
from hackqc.service import enqueue, service

CREATED = audit.action("announcement.created", _("Wrote an announcement"))
CHANGED = audit.action("announcement.changed", _("Changed an announcement"))
TEST_SENT = audit.action("announcement.test_sent", _("Sent oneself a test of an announcement"))
SENT = audit.action("announcement.sent", _("Sent an announcement"))
MAILED = audit.action("announcement.mailed", _("Mailed an announcement to its recipients"))
PINNED = audit.action("announcement.pinned", _("Pinned an announcement on the edition page"))
UNPINNED = audit.action("announcement.unpinned", _("Unpinned an announcement"))

TEMPLATE = "hackqc/mail/announcement"
TEXT_FIELDS = ("subject_fr", "body_fr", "subject_en", "body_en")
SAMPLE_SIZE = 5


class AnnouncementError(HackQCError):
    """An announcement cannot be written or sent as asked."""


# Reading -----------------------------------------------------------------------------------


def for_edition(edition):
    """The edition's announcements, newest first, for the organizers' list (one query)."""
    return Announcement.objects.filter(edition=edition).select_related("host_site")


def pinned(edition):
    """The announcements pinned on the edition page, latest pinned first."""
    return Announcement.objects.filter(edition=edition, pinned=True).order_by("-pinned_at", "-pk")


def recipients(announcement):
    return segments.recipients(announcement.edition, announcement.segment, announcement.host_site)


def segment_label(announcement) -> str:
    return segments.label(announcement.segment, announcement.host_site)


@dataclass(frozen=True)
class Version:
    language: str
    subject: str
    body: object  # the markdown rendered (safe HTML)


@dataclass(frozen=True)
class Preview:
    versions: list[Version]  # French then English, those written
    count: int
    sample: list[str]  # the first few recipients' names, for organizers
    segment: str


def preview(announcement) -> Preview:
    """The announcement as its recipients will read it, in each language written, with how
    many people it reaches and the names of the first few (two queries)."""
    people = recipients(announcement)
    versions = [
        Version(language, subject, render_markdown(body))
        for language, subject, body in (
            ("fr", announcement.subject_fr, announcement.body_fr),
            ("en", announcement.subject_en, announcement.body_en),
        )
        if subject
    ]
    return Preview(
        versions=versions,
        count=people.count(),
        sample=[str(user) for user in people[:SAMPLE_SIZE]],
        segment=segment_label(announcement),
    )


# Writing -----------------------------------------------------------------------------------


def _check(edition, fields) -> dict:
    """The fields to store, after the rules the form also shows: a segment of this edition
    (with a site of this edition if it takes one), and whole texts in at least one language."""
    choice = segments.parse_choice(edition, fields.get("segment", ""))
    if choice is None:
        raise AnnouncementError(gettext("Choose who receives the announcement."), field="segment")
    texts = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    for language in ("fr", "en"):
        subject, body = texts[f"subject_{language}"], texts[f"body_{language}"]
        if bool(subject) != bool(body):
            missing = f"body_{language}" if subject else f"subject_{language}"
            raise AnnouncementError(
                gettext("Write both the subject and the message in this language, or neither."),
                field=missing,
            )
    if not texts["subject_fr"] and not texts["subject_en"]:
        raise AnnouncementError(
            gettext("Write the announcement in French, in English or in both."),
            field="subject_fr",
        )
    code, site = choice
    return {"segment": code, "host_site": site, **texts}


@service
def create_announcement(edition, *, by, **fields) -> Announcement:
    """Writes a draft (`segment` is a choice's value, "code" or "code:<site id>"; the four
    texts). Records it in the audit log."""
    values = _check(edition, fields)
    announcement = Announcement.objects.create(edition=edition, author=by, **values)
    audit.record(
        CREATED, actor=by, edition=edition, target=announcement, segment=announcement.segment
    )
    return announcement


def _locked(announcement) -> Announcement:
    return (
        Announcement.objects.select_for_update().select_related("edition").get(pk=announcement.pk)
    )


def unchangeable_reason(announcement) -> str:
    """Why an announcement that is no longer a draft cannot be changed: being sent, or sent."""
    if announcement.status == Announcement.Status.SENDING:
        return gettext("This announcement is being sent: it can no longer be changed.")
    return gettext("This announcement was sent: it can no longer be changed.")


@service
def update_announcement(announcement, *, by, **fields) -> Announcement:
    """Changes a draft; a sent announcement (or one being sent) is refused. Records it in
    the audit log."""
    current = _locked(announcement)
    if not current.is_draft:
        raise AnnouncementError(unchangeable_reason(current))
    for name, value in _check(current.edition, fields).items():
        setattr(current, name, value)
    current.updated_at = timezone.now()
    current.save()
    audit.record(
        CHANGED, actor=by, edition=current.edition, target=current, segment=current.segment
    )
    return current


@service
def send_test_announcement(announcement, *, by) -> list[OutgoingMail]:
    """Mails the announcement to `by` only (the organizer clicking), marked as a test, once
    per language it is written in; it stays a draft. Through the outbox; logged."""
    mails = [
        outbox.queue_mail(
            TEMPLATE,
            to=by,
            context=_context(announcement, language, test=True),
            edition=announcement.edition,
            language=language,
            key=f"hackqc.announcement-test:{announcement.pk}:{by.pk}:{uuid.uuid4().hex}",
        )
        for language in ("fr", "en")
        if getattr(announcement, f"subject_{language}")
    ]
    audit.record(TEST_SENT, actor=by, edition=announcement.edition, target=announcement)
    return mails


def _context(announcement, language, *, test=False) -> dict:
    language, subject, body = announcement.text_in(language)
    return {
        "edition": announcement.edition,
        "subject": subject,
        "body": body,
        "test": test,
    }


def _lapsed_before(now):
    """Sends started before this moment must have lost their task (a broker down at the
    click, a worker gone): the task time limit has passed since it was queued."""
    return now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _lapsed(announcement, now) -> bool:
    return announcement.sending_since is not None and announcement.sending_since < _lapsed_before(
        now
    )


def _lapsed_sends(now):
    # An archived edition's send stays as it is: its delivery would be refused each time.
    return Announcement.objects.filter(
        status=Announcement.Status.SENDING, sending_since__lt=_lapsed_before(now)
    ).exclude(edition__status=EditionStatus.ARCHIVED)


@service
def requeue_lapsed_sends() -> int:
    """Queues again each announcement left "being sent" past the task time limit (the beat
    sweep). Each is claimed by a conditional update of its `sending_since`, so two sweeps
    at once, or a sweep and a click, queue it once; a late original task and the new one
    meet the row lock and the per-person keys of `deliver_announcement`: nobody is mailed
    twice. Returns how many were queued."""
    now = timezone.now()
    queued = 0
    for pk in _lapsed_sends(now).values_list("pk", flat=True):
        claimed = _lapsed_sends(now).filter(pk=pk).update(sending_since=now)
        if claimed:
            enqueue(_task(), announcement_id=pk)
            queued += 1
    return queued


@service
def send_announcement(announcement, *, by, expected=None) -> Announcement:
    """Sends a draft to its segment: marks it "being sent" under a row lock and queues the
    task that mails each person (after the commit). A second click finds it sent or being
    sent and is refused, saying which; `expected` (the number the organizer confirmed) must
    still be the segment's size. Logged."""
    current = _locked(announcement)
    now = timezone.now()
    if current.status == Announcement.Status.SENDING and _lapsed(current, now):
        current.sending_since = now
        current.save(update_fields=["sending_since"])
        enqueue(_task(), announcement_id=current.pk)
        return current
    if current.status == Announcement.Status.SENDING:
        raise AnnouncementError(
            gettext(
                "This announcement is being sent: each person will receive it once. "
                "Check this page again in a few minutes."
            )
        )
    if not current.is_draft:
        raise AnnouncementError(
            gettext("This announcement has already been sent: nobody will receive it twice.")
        )
    count = recipients(current).count()
    if count == 0:
        raise AnnouncementError(
            gettext("Nobody can receive this announcement: the segment is empty.")
        )
    if expected is not None and expected != count:
        raise AnnouncementError(
            gettext(
                "The segment now has %(count)s people, not %(expected)s: check and confirm again."
            )
            % {"count": count, "expected": expected}
        )
    current.status = Announcement.Status.SENDING
    current.sending_since = now
    current.recipient_count = count
    current.save(update_fields=["status", "sending_since", "recipient_count"])
    audit.record(
        SENT,
        actor=by,
        edition=current.edition,
        target=current,
        segment=current.segment,
        count=count,
    )
    enqueue(_task(), announcement_id=current.pk)
    return current


def _task():
    # Imported here: the task module imports this one.
    from hackqc.tasks import task_send_announcement

    return task_send_announcement


def mail_key(announcement, user) -> str:
    return f"hackqc.announcement:{announcement.pk}:{user.pk}"


@service
def deliver_announcement(announcement) -> int:
    """Writes one outbox mail per recipient, in the person's language (the other language
    when the announcement lacks theirs), then marks the announcement sent. Under the row
    lock, and keyed per person: run twice, it mails nobody twice. Returns the mails written."""
    current = _locked(announcement)
    if current.status != Announcement.Status.SENDING:
        return 0
    before = sent_mails(current).count()
    for user in recipients(current).iterator(chunk_size=500):
        language = user.preferred_language
        outbox.queue_mail(
            TEMPLATE,
            to=user,
            context=_context(current, language),
            edition=current.edition,
            language=language,
            key=mail_key(current, user),
            queue=settings.OUTBOX_BULK_QUEUE,
        )
    current.status = Announcement.Status.SENT
    current.sent_at = timezone.now()
    current.recipient_count = sent_mails(current).count()
    current.save(update_fields=["status", "sent_at", "recipient_count"])
    audit.record(
        MAILED, actor=None, edition=current.edition, target=current, count=current.recipient_count
    )
    return current.recipient_count - before


@service
def pin_announcement(announcement, *, by) -> Announcement:
    """Shows the announcement on the edition page (and the home page), first. Only a sent
    one (`Announcement.can_be_pinned`): a draft could still change, or never go out.
    Logged."""
    current = _locked(announcement)
    if not current.can_be_pinned:
        raise AnnouncementError(
            gettext("Only a sent announcement can be pinned: send it first, then pin it.")
        )
    updated = Announcement.objects.filter(pk=announcement.pk, pinned=False).update(
        pinned=True, pinned_at=timezone.now()
    )
    if updated:
        audit.record(PINNED, actor=by, edition=announcement.edition, target=announcement)
    announcement.refresh_from_db()
    return announcement


@service
def unpin_announcement(announcement, *, by) -> Announcement:
    """Takes the announcement off the edition page. Logged."""
    updated = Announcement.objects.filter(pk=announcement.pk, pinned=True).update(
        pinned=False, pinned_at=None
    )
    if updated:
        audit.record(UNPINNED, actor=by, edition=announcement.edition, target=announcement)
    announcement.refresh_from_db()
    return announcement


def sent_mails(announcement):
    """The outbox rows of the announcement (tests excluded)."""
    return OutgoingMail.objects.filter(key__startswith=f"hackqc.announcement:{announcement.pk}:")
