"""The personal data of the submissions app (hackqc.privacy.registry).

A project sheet is the team's work, not personal data; what names a person is who
submitted a version, the confirmations mailed to them and, in versions stored before
schema 2, the members' names (never shown any more: names are resolved when a version is
shown, with the consents of that moment; erasure removes the person's name from them).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hackqc.privacy.registry import KEEP, REPLACE, PersonalData, not_personal, references, register

from .models import SubmissionVersion


def scrub_member_names(versions, names) -> int:
    """Removes `names` from the members recorded in `versions` (schema 1 snapshots). The
    versions are otherwise immutable: the update goes around `save`, on purpose."""
    changed = 0
    for version in versions.only("pk", "data"):
        team = (version.data or {}).get("team") or {}
        members = team.get("members") or []
        kept = [name for name in members if name not in names]
        if kept != members:
            data = {**version.data, "team": {**team, "members": kept}}
            SubmissionVersion.objects.filter(pk=version.pk).update(data=data)
            changed += 1
    return changed


def _erase_names(user, erased):
    names = {user.display_name, user.email.split("@")[0]} - {""}
    versions = SubmissionVersion.objects.filter(
        Q(submission__team__memberships__user=user) | Q(submitted_by=user)
    ).distinct()
    scrub_member_names(versions, names)


def _retire_names(edition):
    for version in SubmissionVersion.objects.filter(submission__edition=edition).only("data"):
        team = (version.data or {}).get("team") or {}
        if team.get("members"):
            data = {**version.data, "team": {**team, "members": []}}
            SubmissionVersion.objects.filter(pk=version.pk).update(data=data)


register(
    PersonalData(
        model="submissions.SubmissionVersion",
        owner="submission__team__memberships__user",
        title=_("Submitted versions of your team's project"),
        audience=_(
            "Your teammates, the judges and organizers; the public once the gallery opens. "
            "Members' names are shown as your consents say at the time of viewing."
        ),
        context={"project": "submission", "number": "number"},
        fields={"submitted_at": KEEP, "data": REPLACE},
        erase=_erase_names,
        retire=_retire_names,
        edition="submission__edition",
        kept_because=_("the judged versions are the competition's record"),
    )
)
register(
    PersonalData(
        model="submissions.SubmitConfirmation",
        owner="user",
        title=_("Submit confirmations mailed to you"),
        audience=_("the organizers of the edition"),
        fields={"sent_at": KEEP},
        edition="version__submission__edition",
    )
)

references("submissions.SubmissionVersion", "submitted_by")
references("submissions.Decision", "decided_by")

not_personal("submissions.SubmitConfirmation", "user")
not_personal("submissions.SubmissionVersion", "number")
not_personal("submissions.Technology", "name")
# The team's project: its work, published in the gallery and as open data.
not_personal(
    "submissions.Submission",
    "title",
    "pitch",
    "state",
    "description",
    "achievements",
    "difficulties",
    "lessons",
    "next_steps",
    "repository_url",
    "licence",
    "demo_url",
    "video_url",
    "logo",
    "logo_thumbnail",
)
not_personal("submissions.DatasetLink", "usage", "resources")
not_personal("submissions.Library", "name", "version")
not_personal("submissions.Screenshot", "image", "thumbnail", "alt_text")
not_personal("submissions.Decision", "kind", "reason")  # the organizer's words
not_personal("submissions.DeadlineReminder", "kind")
