"""Reviews: drafts, submissions and recusals, with optimistic locking and an audit trail."""

import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError
from hackqc.service import service
from judging.errors import (
    ConflictOfInterestError,
    NotAssignedError,
    ReviewStateError,
    RoundClosedError,
    ScoreError,
)
from judging.models import Assignment, Conflict, Review, ReviewChange, Score
from judging.queries import has_conflict
from submissions.queries import judged_version


def is_round_open(round, now=None) -> bool:
    """Reviews are written from `opens_at` until `closes_at` (excluded) or an early close."""
    now = now or timezone.now()
    return round.closed_at is None and round.opens_at <= now < round.closes_at


def check_round_open(round, now=None) -> None:
    if is_round_open(round, now):
        return
    now = now or timezone.now()
    if now < round.opens_at:
        raise RoundClosedError(
            _("This round opens on %(date)s.")
            % {"date": date_format(timezone.localtime(round.opens_at), "DATETIME_FORMAT")}
        )
    raise RoundClosedError(_("This round is closed: reviews can no longer be changed."))


def check_may_review(round, judge, submission) -> None:
    """Raise unless `judge` is assigned `submission` in `round` with no conflict of interest."""
    if not Assignment.objects.filter(round=round, judge=judge, submission=submission).exists():
        raise NotAssignedError(_("You are not assigned this project in this round."))
    if has_conflict(judge, submission.team):
        raise ConflictOfInterestError(
            _("You have a conflict of interest with this team: you cannot review its project.")
        )


def _snapshot(review, values) -> dict:
    return {
        "state": review.state,
        "feedback": review.feedback,
        "private_note": review.private_note,
        "recusal_reason": review.recusal_reason,
        "scores": {str(cid): v for cid, v in sorted(values.items())},
    }


def _current_values(review) -> dict[int, float | None]:
    if review.pk is None:
        return {}
    return dict(review.scores.values_list("criterion_id", "value"))


def _clean_values(round, values) -> dict[int, float | None]:
    """Every criterion of the round with its value; raises ScoreError naming the field."""
    criteria = list(round.criteria.all())
    known = {c.pk for c in criteria}
    unknown = set(values) - known
    if unknown:
        raise ScoreError(_("Unknown criterion in the review."))
    cleaned = {}
    for c in criteria:
        value = values.get(c.pk)
        if value is not None:
            value = float(value)
            if not (math.isfinite(value) and c.min_value <= value <= c.max_value):
                raise ScoreError(
                    _("%(criterion)s: a score is between %(low)s and %(high)s.")
                    % {"criterion": c.name, "low": c.min_value, "high": c.max_value},
                    field=f"criterion_{c.pk}",
                )
        cleaned[c.pk] = value
    return cleaned


def _locked_review(round, judge, submission, version) -> Review:
    """The review, locked, after checking the editor saw its latest version.

    `version` is the version the form was built from (0 for a review not yet created).
    """
    review = (
        Review.objects.select_for_update()
        .filter(round=round, judge=judge, submission=submission)
        .first()
    )
    seen = 0 if review is None else review.version
    if version is not None and version != seen:
        raise ConcurrentEditError(
            _(
                "This review was saved elsewhere (another tab or device) after you opened it. "
                "Your input is kept below: compare with the saved review, then save again."
            )
        )
    if review is None:
        review = Review(round=round, judge=judge, submission=submission, version=0)
    return review


def _record_change(review, *, by, action, old, now) -> None:
    ReviewChange.objects.create(
        review=review,
        action=action,
        changed_by=by,
        changed_at=now,
        version=review.version,
        old=old,
        new=_snapshot(review, _current_values(review)),
    )


def _save_review_row(review, *, now) -> None:
    """Insert or bump the review; a concurrent first save surfaces as a ConcurrentEditError."""
    review.version += 1
    review.updated_at = now
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:
        raise ConcurrentEditError(
            _("This review was saved elsewhere at the same time. Your input is kept below.")
        ) from exc


@service
def save_review(
    round,
    *,
    judge,
    submission,
    by,
    values,
    feedback="",
    private_note="",
    version=None,
    submit=False,
    now=None,
) -> Review:
    """Save a judge's review as a draft, or submit it (`submit=True`).

    Checks the round is open, the assignment, conflicts, every value against its scale and
    the version the judge edited (optimistic locking); writes the scores and one
    ReviewChange (old and new values). All or nothing: a refused save changes no row.
    """
    now = now or timezone.now()
    check_round_open(round, now)
    check_may_review(round, judge, submission)
    cleaned = _clean_values(round, values)
    review = _locked_review(round, judge, submission, version)
    if review.state == Review.State.RECUSED:
        raise ReviewStateError(_("You recused yourself from this project."))
    old = _snapshot(review, _current_values(review)) if review.pk else {}
    review.state = Review.State.SUBMITTED if submit else Review.State.DRAFT
    review.submitted_at = now if submit else None
    review.feedback = feedback.strip()
    review.private_note = private_note.strip()
    version_obj = judged_version(submission)
    review.judged_version_id = version_obj.pk if version_obj else None
    _save_review_row(review, now=now)
    Score.objects.bulk_create(
        [Score(review=review, criterion_id=cid, value=v) for cid, v in cleaned.items()],
        update_conflicts=True,
        unique_fields=["review", "criterion"],
        update_fields=["value"],
    )
    action = ReviewChange.Action.SUBMIT if submit else ReviewChange.Action.DRAFT
    _record_change(review, by=by, action=action, old=old, now=now)
    return review


@service
def recuse_review(round, *, judge, submission, by, reason, version=None, now=None) -> Review:
    """The judge discovers a conflict and steps aside from `submission`.

    Marks the review recused (its scores never count), records a recusal conflict with the
    team so no later assignment gives it back, and a ReviewChange. The submission then
    needs a judge more: organizers see it in the progress page and top it up.
    """
    now = now or timezone.now()
    if not reason.strip():
        raise ReviewStateError(_("Please give a reason."), field="reason")
    check_round_open(round, now)
    if not Assignment.objects.filter(round=round, judge=judge, submission=submission).exists():
        raise NotAssignedError(_("You are not assigned this project in this round."))
    review = _locked_review(round, judge, submission, version)
    if review.state == Review.State.RECUSED:
        return review
    old = _snapshot(review, _current_values(review)) if review.pk else {}
    review.state = Review.State.RECUSED
    review.submitted_at = None
    review.recusal_reason = reason.strip()
    _save_review_row(review, now=now)
    _record_change(review, by=by, action=ReviewChange.Action.RECUSE, old=old, now=now)
    Conflict.objects.create(
        judge=judge,
        team=submission.team,
        kind=Conflict.Kind.RECUSAL,
        reason=reason.strip(),
        created_by=by,
        created_at=now,
    )
    return review
