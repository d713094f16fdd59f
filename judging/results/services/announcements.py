"""Mailing winners and participants once per snapshot, and the corrections after a republish."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hackqc import outbox

from ..models import Award, ResultSnapshot


def _send_once(edition, user, kind, template, context) -> bool:
    """Records one announcement and promises its mail (outbox) in one transaction; the
    unique record and the mail's key make a second run skip it."""

    from ..models import Announcement

    with transaction.atomic():
        _record, created = Announcement.objects.get_or_create(edition=edition, user=user, kind=kind)
        if created:
            outbox.queue_mail(
                template,
                to=user,
                context=context,
                edition=edition,
                key=f"results.{kind}:{edition.pk}:{user.pk}",
                queue=settings.OUTBOX_BULK_QUEUE,
            )
    return created


def send_announcements(snapshot, *, progress=None) -> int:
    """Mails every participant the results and each winner a personal mail, once per person.

    Each mail commits with its own record, so a run interrupted halfway resumes where it
    stopped. One run at a time per snapshot: a run that finds another one under way returns
    at once. `progress(done=, total=)` is told after each person (an organizer job's page).
    Returns the number of mails sent.
    """
    if not _claim_announcements(snapshot):
        return 0
    try:
        return _send_all(snapshot, progress or (lambda **_kw: None))
    finally:
        ResultSnapshot.objects.filter(pk=snapshot.pk).update(announcing_since=None)


def _claim_announcements(snapshot) -> bool:
    """Marks the snapshot as being announced unless another run holds a claim younger than
    the longest a task may run (a killed worker's claim lapses and the next run resumes)."""
    now = timezone.now()
    lapsed = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return bool(
        ResultSnapshot.objects.filter(
            Q(announcing_since__isnull=True) | Q(announcing_since__lt=lapsed), pk=snapshot.pk
        ).update(announcing_since=now)
    )


def _send_all(snapshot, progress) -> int:
    from ..models import Announcement
    from ..queries import announcement_recipients, winning_places_by_user

    edition = snapshot.edition
    sent = 0
    winners = winning_places_by_user(snapshot)
    base = {"edition": edition, "snapshot": snapshot}
    recipients = list(announcement_recipients(edition))
    progress(done=0, total=len(recipients))
    for done, user in enumerate(recipients, start=1):
        sent += _send_once(edition, user, Announcement.Kind.RESULTS, "results/mail/results", base)
        if user.pk in winners:
            context = {**base, "places": winners[user.pk]}
            sent += _send_once(
                edition, user, Announcement.Kind.WINNER, "results/mail/winner", context
            )
        progress(done=done)
    previous = corrected_snapshot(snapshot)
    if previous is not None:
        changes = [vars(change) for change in correction_changes(previous, snapshot)]
        context = {**base, "previous": previous, "changes": changes}
        for user in recipients:
            sent += _send_correction_once(snapshot, user, context)
    ResultSnapshot.objects.filter(pk=snapshot.pk, announced_at__isnull=True).update(
        announced_at=timezone.now()
    )
    return sent


def corrected_snapshot(snapshot):
    """The results `snapshot` corrects: the last ones of its edition that were public and
    announced, then withdrawn. None for a first publication."""
    return (
        ResultSnapshot.objects.filter(
            edition_id=snapshot.edition_id,
            state=ResultSnapshot.State.WITHDRAWN,
            announced_at__isnull=False,
            withdrawn_at__lte=snapshot.published_at or timezone.now(),
        )
        .order_by("-withdrawn_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PlaceChange:
    prize: str
    place: int
    before: str  # the project's title, "" for an empty place
    after: str


def correction_changes(previous, current) -> list[PlaceChange]:
    """Every place whose winner differs between two snapshots, in prize order (two queries)."""

    def places(snapshot):
        rows = Award.objects.filter(snapshot=snapshot, place__isnull=False).values_list(
            "prize__priority", "prize_id", "prize__name", "place", "submission__title"
        )
        return {(prio, pid, name, place): title or "" for prio, pid, name, place, title in rows}

    before, after = places(previous), places(current)
    return [
        PlaceChange(key[2], key[3], before.get(key, ""), after.get(key, ""))
        for key in sorted(set(before) | set(after))
        if before.get(key, "") != after.get(key, "")
    ]


def _send_correction_once(snapshot, user, context) -> bool:
    """Records one correction announcement and promises its mail (outbox), once per person
    and corrected snapshot."""

    from ..models import Announcement

    with transaction.atomic():
        _record, created = Announcement.objects.get_or_create(
            edition_id=snapshot.edition_id,
            user=user,
            kind=Announcement.Kind.CORRECTION,
            snapshot=snapshot,
        )
        if created:
            outbox.queue_mail(
                "results/mail/correction",
                to=user,
                context=context,
                key=f"results.correction:{snapshot.pk}:{user.pk}",
                queue=settings.OUTBOX_BULK_QUEUE,
            )
    return created
