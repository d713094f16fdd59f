"""The submissions app's segments for announcements (hackqc.segments): teams by the state
of their project sheet."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from hackqc import segments
from teams.models import Membership

from .models import Submission, SubmissionVersion


def with_draft(edition, site=None):
    """Members of the teams whose sheet is a draft now (never submitted, or reopened)."""
    return get_user_model().objects.filter(
        memberships__edition=edition,
        memberships__team__submission__state=Submission.State.DRAFT,
    )


def without_submission(edition, site=None):
    """Members of the teams that have never submitted a version of their project."""
    submitted = SubmissionVersion.objects.filter(submission__team=OuterRef("team"))
    members = Membership.objects.filter(edition=edition).filter(~Exists(submitted))
    return get_user_model().objects.filter(pk__in=members.values("user"))


segments.register("submissions.draft", _("Teams with a draft project sheet"), with_draft)
segments.register(
    "submissions.unsubmitted", _("Teams without a submitted project"), without_submission
)
