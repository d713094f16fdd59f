"""Organizers' decisions on a submitted project: reopen, disqualify."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.exceptions import HackQCError
from hackqc.service import service

from ..models import Decision, Submission

# The reason stays on the decision (Decision.reason), not copied into the log.
REOPENED = audit.action("submission.reopened", gettext_lazy("Reopened a project"))
DISQUALIFIED = audit.action("submission.disqualified", gettext_lazy("Disqualified a project"))

# Organizers ---------------------------------------------------------------------------


@service
def reopen_submission(submission, *, by, reason, until):
    """Lets one team edit and submit again until `until`, for a stated reason (recorded).

    Versions it submits before `until` are the ones judged. No mail.
    """
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    if submission.state == Submission.State.DISQUALIFIED:
        raise HackQCError(_("A disqualified project cannot be reopened."))
    _check_not_judged_yet(submission)
    if not reason.strip():
        raise HackQCError(_("State the reason."), field="reason")
    if until <= timezone.now():
        raise HackQCError(_("Choose a date in the future."), field="until")
    if until > submission.edition.judging_ends:
        raise HackQCError(_("The project must be back before judging ends."), field="until")
    submission.reopened_until = until
    submission.save(update_fields=["reopened_until"])
    decision = Decision.objects.create(
        submission=submission,
        kind=Decision.Kind.REOPENED,
        reason=reason.strip(),
        until=until,
        decided_by=by,
    )
    audit.record(
        REOPENED, actor=by, edition=submission.edition, target=submission,
        team=submission.team_id, decision=decision.pk,
        until=timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
    )  # fmt: skip
    return submission


def _check_not_judged_yet(submission):
    """A version the jury has scored, or that results were published on, must stay the one
    judged: reopening then would let a team replace it."""
    # Imported here: the jury app builds on submissions, not the other way round.
    from judging.queries import has_submitted_reviews

    if submission.edition.results_published is not None:
        raise HackQCError(_("The results are published: the project cannot be reopened."))
    if has_submitted_reviews(submission):
        raise HackQCError(_("Judges have already scored this project: it cannot be reopened."))


@service
def disqualify_submission(submission, *, by, reason):
    """Excludes the project from judging and the gallery, for a stated reason (recorded)."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    if submission.state == Submission.State.DISQUALIFIED:
        raise HackQCError(_("This project is already disqualified."))
    if not reason.strip():
        raise HackQCError(_("State the reason."), field="reason")
    submission.state = Submission.State.DISQUALIFIED
    submission.save(update_fields=["state"])
    decision = Decision.objects.create(
        submission=submission, kind=Decision.Kind.DISQUALIFIED, reason=reason.strip(), decided_by=by
    )
    audit.record(
        DISQUALIFIED, actor=by, edition=submission.edition, target=submission,
        team=submission.team_id, decision=decision.pk,
    )  # fmt: skip
    return submission
