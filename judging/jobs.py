"""Long organizer actions as worker tasks: the assignment, computing the results, mailing
them. The organizer's click starts a job (`start_job`); a worker runs it (`run_job`); the
job's page shows its progress, its outcome or its error.

One job at a time per scope (a round, an edition's results, an edition's mails): the
database refuses a second live one (`one_live_job_per_scope`), so a double click or two
organizers at once start one run. `run_job` claims the job before running it, so a task
delivered twice runs it once; a job whose worker died (no heartbeat for longer than a task
may run) is claimed again by its redelivered task, or marked failed when a new one starts.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc.exceptions import HackQCError
from hackqc.service import enqueue, service

from .models import OrganizerJob

logger = logging.getLogger(__name__)

Kind = OrganizerJob.Kind
State = OrganizerJob.State


class JobBusyError(HackQCError):
    """Another run of the same action is under way; `job` is that run."""

    def __init__(self, message, *, job):
        super().__init__(message)
        self.job = job


@dataclass
class JobOutcome:
    message: str
    details: list[str] = field(default_factory=list)
    url: str = ""


class JobFailure(HackQCError):
    """A runner's refusal with lines to list under the message (e.g. uncovered projects)."""

    def __init__(self, message, *, details=()):
        super().__init__(message)
        self.details = list(details)


# kind -> runner(job, progress) -> JobOutcome; filled by `judging.job_runners`.
RUNNERS: dict[str, Callable] = {}


def runner(kind):
    def register(func):
        RUNNERS[kind] = func
        return func

    return register


def _lapsed(now=None):
    """A live job without a heartbeat since then lost its worker."""
    return (now or timezone.now()) - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def lost(now=None) -> Q:
    """Live jobs that lost their worker: no heartbeat (or, never started, no worker took
    them) for longer than a task may run. One rule for the page, the claim and a new start."""
    lapsed = _lapsed(now)
    return Q(state__in=OrganizerJob.LIVE_STATES) & (
        Q(heartbeat_at__lt=lapsed) | Q(heartbeat_at__isnull=True, created_at__lt=lapsed)
    )


def is_lost(job, now=None) -> bool:
    """`lost` for one job already loaded (its page)."""
    if job.state not in OrganizerJob.LIVE_STATES:
        return False
    return (job.heartbeat_at or job.created_at) < _lapsed(now)


LOST_MESSAGE = gettext_lazy("Interrupted: the worker stopped before the end. Start it again.")


def scope_of(kind, *, edition, round=None) -> str:
    if kind == Kind.ASSIGNMENT:
        return f"round:{round.pk}"
    if kind == Kind.COMPUTE_RESULTS:
        return f"results:{edition.pk}"
    return f"announce:{edition.pk}"


def _busy_message(kind) -> str:
    return {
        Kind.ASSIGNMENT: _(
            "The assignment of this round is already running: here is its progress."
        ),
        Kind.COMPUTE_RESULTS: _("The results are already being computed: here is the progress."),
        Kind.ANNOUNCE_RESULTS: _("The results are already being mailed: here is the progress."),
    }[kind]


def create_job(kind, *, edition, by, round=None, snapshot_id=None):
    """The new queued job, or None when a live one holds the scope (inside a transaction).

    A job whose worker died (no heartbeat for longer than a task may run) is marked failed
    first, so it never blocks the scope for good."""
    scope = scope_of(kind, edition=edition, round=round)
    OrganizerJob.objects.filter(lost(), scope=scope).update(
        state=State.FAILED,
        finished_at=timezone.now(),
        message=LOST_MESSAGE,
    )
    try:
        with transaction.atomic():
            return OrganizerJob.objects.create(
                edition=edition,
                round=round,
                snapshot_id=snapshot_id,
                kind=kind,
                scope=scope,
                requested_by=by,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
    except IntegrityError:
        return None


def live_job(kind, *, edition, round=None):
    scope = scope_of(kind, edition=edition, round=round)
    return OrganizerJob.objects.filter(scope=scope, state__in=OrganizerJob.LIVE_STATES).first()


@service
def start_job(kind, *, edition, by, round=None) -> OrganizerJob:
    """Queues one run of `kind` for a worker (after the commit). Raises JobBusyError naming
    the live run when one holds the scope: the database allows one at a time."""
    job = create_job(kind, edition=edition, by=by, round=round)
    if job is None:
        raise JobBusyError(_busy_message(kind), job=live_job(kind, edition=edition, round=round))
    from .tasks import task_run_job

    enqueue(task_run_job, job_id=job.pk)
    return job


class Progress:
    """What a runner calls to say where it is: `progress(step)`, `progress(done=, total=)`.

    Writes at most every half second (and at each new step), each write its own statement,
    visible at once when the runner is not inside a transaction; every write is also the
    job's heartbeat."""

    INTERVAL = 0.5

    def __init__(self, job):
        self.job = job
        self._last = 0.0

    def __call__(self, step=None, *, done=None, total=None):
        changes = {}
        if step is not None and step != self.job.step:
            changes["step"] = self.job.step = str(step)[:200]
        if total is not None:
            self.job.total = total
        if done is not None:
            self.job.done = done
        now = time.monotonic()
        if not changes and now - self._last < self.INTERVAL and done != self.job.total:
            return
        self._last = now
        OrganizerJob.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, heartbeat_at=timezone.now(), **changes
        )


def claim(job_id) -> OrganizerJob | None:
    """The job, marked running, if it waits for a worker or lost its worker; else None."""
    now = timezone.now()
    claimed = OrganizerJob.objects.filter(
        Q(state=State.QUEUED) | Q(state=State.RUNNING, heartbeat_at__lt=_lapsed()), pk=job_id
    ).update(state=State.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        return None
    return OrganizerJob.objects.select_related("edition", "round", "requested_by").get(pk=job_id)


def _finish(job, state, message, details=(), url="") -> None:
    OrganizerJob.objects.filter(pk=job.pk).update(
        state=state,
        message=message,
        details=[str(line) for line in details],
        result_url=url,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def run_job(job_id) -> OrganizerJob | None:
    """Runs the job once (a second delivery finds it claimed and returns None), recording
    its outcome or its error in the organizer's language. Never raises: the error is on the
    job's page."""
    job = claim(job_id)
    if job is None:
        return None
    from . import job_runners  # noqa: F401  (registers the runners)

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            outcome = RUNNERS[job.kind](job, Progress(job))
        except JobFailure as error:
            _finish(job, State.FAILED, error.message, error.details)
        except HackQCError as error:
            _finish(job, State.FAILED, error.message)
        except Exception:
            logger.exception("organizer job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                State.FAILED,
                _(
                    "An unexpected error stopped this task; what it had not finished was not "
                    "saved. Try again, or tell the site's administrators if it happens again."
                ),
            )
        else:
            _finish(job, State.DONE, outcome.message, outcome.details, outcome.url)
    job.refresh_from_db()
    return job
