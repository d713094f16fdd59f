"""Writes on the project sheet's own fields: creating it, saving it under its lock version."""

from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError, HackQCError, PhaseClosedError
from hackqc.phases import is_submission_open
from hackqc.service import service

from ..models import Library, Submission, Technology

MAX_SCREENSHOTS = 6
SHEET_FIELDS = (
    "title",
    "pitch",
    "description",
    "challenge",
    "welcomes_members",
    "achievements",
    "difficulties",
    "lessons",
    "next_steps",
    "repository_url",
    "licence",
    "demo_url",
    "video_url",
)


class NotEligibleError(HackQCError):
    """The sheet misses parts the rules require; `problems` lists them."""

    def __init__(self, problems):
        super().__init__(_("The project cannot be submitted yet."))
        self.problems = problems


class DatasetNotFoundError(HackQCError):
    """A dataset reference that matches nothing in the catalogue."""


@service
def create_submission(team) -> Submission:
    """The team's sheet, created empty (draft) the first time. Idempotent; no side effect."""
    submission, _created = Submission.objects.get_or_create(
        team=team, defaults={"edition_id": team.edition_id, "challenge_id": team.challenge_id}
    )
    return submission


def can_edit_now(submission, now=None) -> bool:
    """Open until the edition's deadline (or an organizer's extension), to the second."""
    now = now or timezone.now()
    if submission.state == Submission.State.DISQUALIFIED:
        return False
    if is_submission_open(submission.edition, now):
        return True
    return submission.reopened_until is not None and now < submission.reopened_until


def _deadline_clock(arrived_at=None):
    """The one clock reading that decides the deadline for a write of the sheet: when the
    request reached the site (hackqc.proxy.request_arrival), never later than now. A save
    sent before the deadline and served after it, behind a queue of requests, is on time."""
    now = timezone.now()
    return now if arrived_at is None else min(arrived_at, now)


def _ensure_editable(submission, now=None):
    if submission.state == Submission.State.DISQUALIFIED:
        raise PhaseClosedError(_("This project was disqualified; it can no longer be changed."))
    if not can_edit_now(submission, now):
        raise PhaseClosedError(_("Submissions are closed: the deadline has passed."))


def _bump_lock(submission, lock_version):
    """Increments the lock version if it still is `lock_version`, else refuses the write."""
    updated = Submission.objects.filter(pk=submission.pk, lock_version=lock_version).update(
        lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConcurrentEditError(
            _(
                "A teammate saved the sheet while you were editing it. Your text is kept "
                "below: compare it with the current sheet, then save again."
            )
        )
    submission.lock_version = lock_version + 1


@service
def update_sheet(
    submission, *, by, lock_version, technologies=(), libraries=(), arrived_at=None, **fields
):
    """Saves sections A to C and the links, if nobody saved since `lock_version` was read.

    Raises ConcurrentEditError (nothing saved) on a stale lock, PhaseClosedError after the
    deadline. `technologies` are names; `libraries` (name, version) pairs replacing the
    current ones. No mail. `arrived_at`: when the request reached the site, which decides
    the deadline (`_deadline_clock`).
    """
    submission = Submission.objects.select_related("edition").get(pk=submission.pk)
    _ensure_editable(submission, _deadline_clock(arrived_at))
    _bump_lock(submission, lock_version)
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"Unknown sheet fields: {sorted(unknown)}")
    challenge = fields.get("challenge")
    if challenge is not None and challenge.edition_id != submission.edition_id:
        raise HackQCError(_("This challenge belongs to another edition."), field="challenge")
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.updated_at = timezone.now()
    submission.save(update_fields=[*fields, "updated_at"])
    _set_technologies(submission, technologies)
    _set_libraries(submission, libraries)
    return submission


def _set_technologies(submission, names):
    wanted = {}
    for name in names:
        cleaned = " ".join(name.split())[:60]
        if cleaned:
            wanted.setdefault(cleaned.lower(), cleaned)
    existing = {
        t.lower_name: t
        for t in Technology.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=wanted)
    }
    missing = [Technology(name=name) for key, name in wanted.items() if key not in existing]
    Technology.objects.bulk_create(missing, ignore_conflicts=True)
    submission.technologies.set(
        Technology.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=wanted)
    )


def _set_libraries(submission, pairs):
    submission.libraries.all().delete()
    seen = set()
    rows = []
    for position, (name, version) in enumerate(pairs):
        if name.strip() and name.strip().lower() not in seen:
            seen.add(name.strip().lower())
            rows.append(
                Library(
                    submission=submission,
                    name=name.strip(),
                    version=version.strip(),
                    position=position,
                )
            )
    Library.objects.bulk_create(rows)


def _touch(submission):
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
