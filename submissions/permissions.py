"""Who may see and change a project sheet. Views ask here, never decide on their own."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from hackqc.models import Edition
from hackqc.permissions import is_organizer
from teams.models import Membership, Team

from . import services
from .models import Submission
from .queries import is_gallery_public


def is_member(user, team) -> bool:
    if not user.is_authenticated:
        return False
    # One sheet page asks up to four times about the same team object, which lives for
    # one request: the database is asked once.
    known = team.__dict__.setdefault("_members_asked", {})
    if user.pk not in known:
        known[user.pk] = Membership.objects.filter(team=team, user=user).exists()
    return known[user.pk]


def can_view_sheet(user, submission) -> bool:
    """Members and the edition's organizers; the jury reads versions through its own app."""
    return is_member(user, submission.team) or is_organizer(user, submission.edition)


def can_edit_sheet(user, submission) -> bool:
    return is_member(user, submission.team) and services.can_edit_now(submission)


def is_public_project(submission) -> bool:
    return submission.state == Submission.State.SUBMITTED and is_gallery_public(submission.edition)


def can_view_project(user, submission) -> bool:
    """The public page: anyone once the gallery opens, else members and organizers."""
    return is_public_project(submission) or can_view_sheet(user, submission)


def can_view_media(user, submission, name, files=None) -> bool:
    """A file of the project (`submissions.media`): the public files of a public project
    for everyone; every file for its team and organizers; the submitted versions' files for
    a judge assigned to it."""
    # Imported here: a judge assigned to the project sees its files; the jury app knows who.
    from judging.permissions import is_assigned_judge

    from .media import project_files

    files = files or project_files(submission)
    if name in files.public and is_public_project(submission):
        return True
    if name not in files.every:
        return False
    if can_view_sheet(user, submission):
        return True
    return name in files.submitted and is_assigned_judge(user, submission)


def get_team_sheet(user, slug, team_id, *, check=can_view_sheet) -> Submission:
    """The sheet of team `team_id` in edition `slug` (created if missing), or 404 if
    `user` fails `check`: a 403 would tell outsiders the team exists."""
    team = get_object_or_404(Team.objects.select_related("edition"), pk=team_id, edition__slug=slug)
    submission = Submission.objects.filter(team=team).first()
    if submission is not None:
        submission.team, submission.edition = team, team.edition  # loaded already
    # Checked before creating, so an outsider's request writes nothing.
    if not check(user, submission or Submission(team=team, edition=team.edition)):
        raise Http404
    submission = submission or services.create_submission(team)
    submission.team = team
    submission.edition = team.edition
    return submission


def get_member_team(user, slug) -> Team:
    edition = get_object_or_404(Edition, slug=slug)
    membership = (
        Membership.objects.filter(user=user, edition=edition).select_related("team").first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404
    return membership.team
