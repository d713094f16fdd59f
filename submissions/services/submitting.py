"""Submitting: an immutable version of the sheet, its confirmations and reminders."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError
from hackqc.service import service
from submissions.catalogue.models import Dataset

from .. import queries
from ..models import DeadlineReminder, Submission, SubmissionVersion, SubmitConfirmation, Technology
from ..snapshots import build_snapshot
from .sheet import NotEligibleError, _deadline_clock, _ensure_editable

# Submitting ---------------------------------------------------------------------------


@service
def submit_project(submission, *, by, lock_version=None, arrived_at=None):
    """Stores a new immutable version of the sheet and marks it submitted.

    One clock reading decides the deadline and is the version's `submitted_at`, so a version
    accepted is always one the jury judges. Checks the lock version (when given) and
    eligibility (NotEligibleError lists what is missing). A submit of a sheet unchanged since
    its last version (teammates clicking at once, a double click) returns that version and
    mails nobody again. After commit, every member is mailed a confirmation.

    `arrived_at` is when the request reached the site (hackqc.proxy.request_arrival): a submit
    sent before the deadline and served after it, behind a queue of requests, is on time.
    It is that clock reading, never later than now.
    """
    now = _deadline_clock(arrived_at)
    submission = (
        Submission.objects.select_for_update()
        .select_related("edition", "team")
        .get(pk=submission.pk)
    )
    _ensure_editable(submission, now)
    if lock_version is not None and submission.lock_version != lock_version:
        raise ConcurrentEditError(
            _("The sheet changed since you opened this page: review it, then submit again.")
        )
    unchanged = _unchanged_since_last_version(submission)
    if unchanged is not None:
        return unchanged
    result = queries.eligibility_of(submission)
    if not result.is_eligible:
        raise NotEligibleError(result.problems)
    [version] = store_versions(
        [NewVersion(submission=submission, submitted_at=now, submitted_by=by)]
    )
    submission.state = Submission.State.SUBMITTED
    submission.updated_at = version.submitted_at
    submission.save(update_fields=["state", "updated_at"])
    _confirm(version)
    return version


def _unchanged_since_last_version(submission):
    """The last version if it holds exactly what the sheet holds now, else None. Called with
    the sheet's row locked, so a teammate's submit that got the lock first is seen."""
    if submission.state != Submission.State.SUBMITTED:
        return None
    last = submission.versions.order_by("-number").first()
    if last is not None and last.data == build_snapshot(submission):
        return last
    return None


def _confirm(version):
    """Promises every member the confirmation of `version`, in this transaction."""
    from ..mails import mail_submitted

    members = [
        m.user
        for m in version.submission.team.memberships.select_related("user")
        if record_confirmation(version, m.user)
    ]
    mail_submitted(version, members=members)


# Reminders ----------------------------------------------------------------------------


@service
def record_confirmation(version, user) -> bool:
    """Records that `user` is mailed about `version`; False if already (then do not send)."""
    try:
        with transaction.atomic():
            SubmitConfirmation.objects.create(version=version, user=user)
    except IntegrityError:
        return False
    return True


@service
def record_reminder(team, kind) -> bool:
    """Records that `kind` was sent to `team`; False if it already was (then do not send)."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(team=team, kind=kind)
    except IntegrityError:
        return False
    return True


@service
def copy_version_relations(versions):
    """Stores, in bulk, the relational copies of what each version's `data` lists (its
    datasets and technologies), which the gallery and the reuse statistics query.
    Idempotent; for versions made by `submit_project`, demo data and generated editions."""

    versions = [v for v in versions if v.pk]
    wanted = {e.get("id") for v in versions for e in (v.data or {}).get("datasets", [])}
    known = set(Dataset.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    technologies = dict(Technology.objects.values_list(Lower("name"), "pk"))
    datasets_through = SubmissionVersion.datasets.through
    technologies_through = SubmissionVersion.technologies.through
    datasets_through.objects.bulk_create(
        [
            datasets_through(submissionversion_id=v.pk, dataset_id=pk)
            for v in versions
            for pk in {e.get("id") for e in (v.data or {}).get("datasets", [])} & known
        ],
        ignore_conflicts=True,
    )
    technologies_through.objects.bulk_create(
        [
            technologies_through(submissionversion_id=v.pk, technology_id=technologies[name])
            for v in versions
            for name in {n.lower() for n in (v.data or {}).get("technologies", [])}
            if name in technologies
        ],
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class NewVersion:
    """One version to store: whose sheet, when, by whom. `number` defaults to the next one;
    `changes` replaces snapshot keys (the demo's earlier, rougher drafts), never adds any."""

    submission: Submission
    submitted_at: datetime.datetime
    submitted_by: object = None
    number: int | None = None
    changes: dict = field(default_factory=dict)


@service
def store_versions(new_versions) -> list[SubmissionVersion]:
    """The one writer of submitted versions (submit, demo data, generated editions, benches).

    Each `data` comes from `build_snapshot`, so every reader (jury, gallery, showcase export)
    finds the same keys. Bulk: a fixed number of queries whatever the number of versions
    when the submissions come from `snapshot_queryset`. Stores their relational copies too.
    """
    new_versions = list(new_versions)
    ids = {n.submission.pk for n in new_versions}
    last = dict(
        SubmissionVersion.objects.filter(submission_id__in=ids)
        .values("submission_id")
        .annotate(n=Max("number"))
        .values_list("submission_id", "n")
    )
    rows = []
    for new in new_versions:
        data = build_snapshot(new.submission)
        unknown = set(new.changes) - set(data)
        if unknown:
            raise ValueError(f"not snapshot keys: {sorted(unknown)}")
        number = new.number
        if number is None:
            number = last.get(new.submission.pk, 0) + 1
            last[new.submission.pk] = number
        rows.append(
            SubmissionVersion(
                submission=new.submission,
                number=number,
                data={**data, **new.changes},
                submitted_by=new.submitted_by,
                submitted_at=new.submitted_at,
            )
        )
    versions = SubmissionVersion.objects.bulk_create(rows)
    copy_version_relations(versions)
    return versions
