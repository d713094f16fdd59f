"""Background work: thumbnails and deadline reminders (their mails go through the outbox)."""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from teams.models import Team

REMINDERS = (("24h", dt.timedelta(hours=24)), ("2h", dt.timedelta(hours=2)))


@shared_task(name="submissions.make_thumbnails")
def task_make_thumbnails(*, submission_id):
    """Makes the missing thumbnails of one sheet; until then pages show the originals."""
    from . import services
    from .models import Submission

    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is not None:
        services.make_thumbnails(submission)


@shared_task(name="submissions.send_deadline_reminders")
def task_send_deadline_reminders():
    """Mails teams without a submitted version 24 h and 2 h before their edition's deadline.

    Each (team, reminder) is recorded with its mails in one transaction, under a unique
    constraint, so a second run (or a concurrent one) never promises it again.
    """
    now = timezone.now()
    for kind, before in REMINDERS:
        for team in _teams_to_remind(now, kind, before):
            _remind(team, kind)


def _teams_to_remind(now, kind, before):

    from .models import DeadlineReminder, Submission

    # A window per reminder: the 24 h one stops where the 2 h one starts.
    later = [d for k, d in REMINDERS if d < before]
    window_end = max(later) if later else dt.timedelta(0)
    return (
        Team.objects.filter(
            edition__submissions_close__gt=now + window_end,
            edition__submissions_close__lte=now + before,
        )
        .filter(Q(submission__isnull=True) | Q(submission__state=Submission.State.DRAFT))
        .exclude(pk__in=DeadlineReminder.objects.filter(kind=kind).values("team_id"))
        .select_related("edition")
        .prefetch_related("memberships__user")
    )


@transaction.atomic
def _remind(team, kind):
    """The reminder's record and its mails commit together: a second run finds the record."""
    from . import services
    from .mails import mail_deadline_reminder

    if not services.record_reminder(team, kind):
        return
    members = [m.user for m in team.memberships.all()]
    mail_deadline_reminder(team, kind=kind, members=members)
