"""Approving, publishing (now or scheduled) and withdrawing a results snapshot."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.service import enqueue, service
from hackqc.services import update_edition

from ..errors import ResultsError
from ..models import ResultSnapshot
from .awards import _check_state, _lock
from .computing import is_stale

RESULTS_APPROVED = audit.action("results.approved", gettext_lazy("Approved the results"))
RESULTS_PUBLISHED = audit.action("results.published", gettext_lazy("Published the results"))
RESULTS_WITHDRAWN = audit.action("results.withdrawn", gettext_lazy("Withdrew the results"))


def _record(code, snapshot, *, by, **details) -> None:
    audit.record(
        code, actor=by, edition=snapshot.edition, target=snapshot, snapshot=snapshot.pk, **details
    )


@service
def approve_results(snapshot, *, by) -> ResultSnapshot:
    """Approves a proposed snapshot once every flagged tie is decided and scores are unchanged."""
    snapshot = _lock(snapshot)
    _check_state(snapshot, ResultSnapshot.State.PROPOSED)
    if is_stale(snapshot):
        raise ResultsError(_("A score changed since these results were computed: compute again."))
    if snapshot.awards.filter(needs_decision=True).exists():
        raise ResultsError(
            _("Some places need a decision (a tie or a sponsor's choice): override them first.")
        )
    snapshot.state = ResultSnapshot.State.APPROVED
    snapshot.approved_at = timezone.now()
    snapshot.approved_by = by
    snapshot.save()
    _record(RESULTS_APPROVED, snapshot, by=by)
    return snapshot


@service
def publish_results(snapshot, *, by, at=None, allow_past=False, announce=True) -> ResultSnapshot:
    """Publishes now or at `at` (an embargo): sets the edition's results date.

    The results page opens by itself at that instant. When it is now, the announcement
    mails are queued after the commit, as an organizer job whose page shows their progress;
    otherwise the scheduled task sends them after it.
    `allow_past` and `announce=False` record a publication that already happened elsewhere
    (the demo data): no mail is then ever sent for it.
    """
    snapshot = _lock(snapshot)
    if snapshot.state == ResultSnapshot.State.PUBLISHED:
        raise ResultsError(
            _("These results are already published (another organizer may have just done it).")
        )
    _check_state(snapshot, ResultSnapshot.State.APPROVED)
    edition = snapshot.edition
    now = timezone.now()
    at = at or now
    if at < now and not allow_past:
        raise ResultsError(_("Choose a time in the future, or publish now."), field="at")
    if ResultSnapshot.objects.filter(edition=edition, state=ResultSnapshot.State.PUBLISHED):
        raise ResultsError(_("Other results are published: withdraw them first."))
    if is_stale(snapshot):
        raise ResultsError(_("A score changed since these results were computed: compute again."))
    try:
        update_edition(edition, by=by, results_published=at)
    except ValidationError as error:
        raise ResultsError(" ".join(error.messages), field="at") from error
    snapshot.state = ResultSnapshot.State.PUBLISHED
    snapshot.published_at = at
    snapshot.published_by = by
    if not announce:
        snapshot.announced_at = at
    snapshot.save()
    _record(
        RESULTS_PUBLISHED,
        snapshot,
        by=by,
        public_from=timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        scheduled=at > now,
        announced=announce,
    )
    if announce and at <= now:
        from judging.jobs import Kind, create_job

        from ..tasks import task_send_announcements

        # The mails as a job, so the organizer follows them (none when mails of the edition
        # are still going out: the task then mails without a progress page).
        job = create_job(Kind.ANNOUNCE_RESULTS, edition=edition, by=by, snapshot_id=snapshot.pk)
        extra = {"job_id": job.pk} if job is not None else {}
        enqueue(task_send_announcements, snapshot_id=snapshot.pk, **extra)
    return snapshot


@service
def withdraw_results(snapshot, *, by, reason) -> ResultSnapshot:
    """Takes published results down for a correction; the reason is shown on the page."""
    snapshot = _lock(snapshot)
    _check_state(snapshot, ResultSnapshot.State.PUBLISHED)
    if not reason or not reason.strip():
        raise ResultsError(_("Explain why the results are withdrawn."), field="reason")
    update_edition(snapshot.edition, by=by, results_published=None)
    snapshot.state = ResultSnapshot.State.WITHDRAWN
    snapshot.withdrawn_at = timezone.now()
    snapshot.withdrawal_reason = reason.strip()
    snapshot.save()
    # The reason is on the snapshot (and the results page), not copied into the log.
    _record(RESULTS_WITHDRAWN, snapshot, by=by)
    return snapshot


# Announcements ----------------------------------------------------------------------------


def due_snapshots(now=None):
    """Published snapshots whose public time has come and whose mails are not sent yet."""
    now = now or timezone.now()
    return ResultSnapshot.objects.filter(
        state=ResultSnapshot.State.PUBLISHED, published_at__lte=now, announced_at__isnull=True
    )
