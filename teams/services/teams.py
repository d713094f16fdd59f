"""Creating, editing and dissolving teams; membership changes by captains and members."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.permissions import is_organizer
from hackqc.service import service

from .. import mails
from ..exceptions import AlreadyInTeamError, TeamError, TeamFullError, TeamNameTakenError
from ..models import JoinRequest, Membership, Registration, Team, TeamLog
from ._common import (
    check_captain,
    check_not_in_team,
    check_teams_open,
    lock_team,
    log,
    new_join_code,
    participant_registration,
    skills_from_names,
)
from ._seats import seat_team

# What organizers do to teams (the team's own log keeps what its members do).
TEAM_DISSOLVED = audit.action("team.dissolved", gettext_lazy("Dissolved a team"))
TEAM_DISSOLVED_BY_CAPTAIN = audit.action(
    "team.dissolved_by_captain", gettext_lazy("Dissolved their own team (as its captain)")
)
PARTICIPANT_MOVED = audit.action("team.participant_moved", gettext_lazy("Moved a participant"))
CAPTAIN_CHANGED = audit.action("team.captain_changed", gettext_lazy("Changed a team's captain"))

TEAM_FIELDS = ("name", "challenge", "host_site", "description", "is_open")


def _check_name(edition, name, *, exclude=None):
    taken = Team.objects.filter(edition=edition, name__iexact=name.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise TeamNameTakenError(
            _("A team of this edition is already called “%(name)s” (names ignore case).")
            % {"name": name},
            field="name",
        )


def _save_team(team):
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise TeamNameTakenError(
            _("A team of this edition is already called “%(name)s” (names ignore case).")
            % {"name": team.name},
            field="name",
        ) from None


@service
def create_team(
    edition, *, by, name, challenge=None, host_site=None, description="", is_open=True, skills=()
):
    """Creates a team with `by` as captain, a fresh join code and its empty project sheet.
    Writes a log entry."""
    check_teams_open(edition)
    participant_registration(edition, by)
    check_not_in_team(edition, by)
    _check_name(edition, name)
    if challenge is not None and challenge.edition_id != edition.pk:
        raise TeamError(_("This challenge belongs to another edition."), field="challenge")
    _check_host_site(edition, host_site)
    team = Team(
        edition=edition,
        name=name.strip(),
        challenge=challenge,
        host_site=host_site,
        description=description,
        is_open=is_open,
        join_code=new_join_code(),
    )
    _save_team(team)
    team.wanted_skills.set(skills_from_names(skills))
    add_member(team, by, by=by, is_captain=True, action=None)
    log(team, TeamLog.Action.CREATED, by=by, subject=by)
    # Imported here: the submissions app depends on teams, not the other way round.
    from submissions.services import create_submission

    create_submission(team)
    return team


def _check_host_site(edition, host_site):
    if host_site is not None and host_site.edition_id != edition.pk:
        raise TeamError(_("This host site belongs to another edition."), field="host_site")


@service
def update_team(team, *, by, skills=None, **fields):
    """Edits the team's name, challenge, host site, description and openness; a new host site
    takes every member's seat there (refused when it has too few left). Writes a log entry."""
    team = lock_team(team)
    check_teams_open(team.edition)
    check_captain(team, by)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _check_name(team.edition, fields["name"], exclude=team)
    challenge = fields.get("challenge")
    if challenge is not None and challenge.edition_id != team.edition_id:
        raise TeamError(_("This challenge belongs to another edition."), field="challenge")
    _check_host_site(team.edition, fields.get("host_site"))
    for name, value in fields.items():
        if name in TEAM_FIELDS:
            setattr(team, name, value)
    _save_team(team)
    seat_team(team)
    if skills is not None:
        team.wanted_skills.set(skills_from_names(skills))
    log(team, TeamLog.Action.UPDATED, by=by)
    return team


@service
def add_member(team, user, *, by, is_captain=False, action=TeamLog.Action.JOINED, organizer=False):
    """Adds `user` to `team` after locking the team row, so the last seat goes to one person;
    the person's seat moves to the team's host site, if it has one and room left.

    Withdraws the person's other pending join requests and
    takes them off the "looking for a team" list.
    """
    team = lock_team(team)
    edition = team.edition
    check_teams_open(edition)
    participant_registration(edition, user)
    check_not_in_team(edition, user)
    if team.memberships.count() >= edition.team_size_max:
        raise TeamFullError(
            _("%(team)s is full: %(max)s members at most.")
            % {"team": team.name, "max": edition.team_size_max}
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                team=team, edition=edition, user=user, is_captain=is_captain
            )
    except IntegrityError:
        raise AlreadyInTeamError(
            _("%(person)s is already in a team of this edition.") % {"person": user}
        ) from None
    seat_team(team)
    JoinRequest.objects.filter(
        team__edition=edition, user=user, status=JoinRequest.Status.PENDING
    ).exclude(team=team).update(status=JoinRequest.Status.WITHDRAWN, decided_at=timezone.now())
    Registration.objects.filter(edition=edition, user=user).update(looking_for_team=False)
    if action:
        log(team, action, by=by, subject=user, by_organizer=organizer)
    return membership


@service
def regenerate_join_code(team, *, by):
    """Replaces the join code; the old one stops working at once. Writes a log entry."""
    team = lock_team(team)
    check_teams_open(team.edition)
    check_captain(team, by)
    team.join_code = new_join_code()
    team.save(update_fields=["join_code"])
    log(team, TeamLog.Action.CODE, by=by)
    return team


@service
def transfer_captaincy(team, *, to, by, organizer=False):
    """Makes the member `to` captain in place of the current one. Writes a log entry and
    mails the new captain."""
    team = lock_team(team)
    check_teams_open(team.edition)
    if organizer:
        _check_organizer(team.edition, by)
    else:
        check_captain(team, by)
    new = Membership.objects.filter(team=team, user=to).first()
    if new is None:
        raise TeamError(_("%(person)s is not a member of %(team)s.") % {"person": to, "team": team})
    if new.is_captain:
        raise TeamError(_("%(person)s is already the captain.") % {"person": to})
    # The old captain steps down first: the database allows one captain per team.
    Membership.objects.filter(team=team, is_captain=True).update(is_captain=False)
    Membership.objects.filter(pk=new.pk).update(is_captain=True)
    entry = log(team, TeamLog.Action.CAPTAIN, by=by, subject=to, by_organizer=organizer)
    if organizer:
        audit.record(CAPTAIN_CHANGED, actor=by, edition=team.edition, target=to, team=team.pk)
    mails.mail_new_captain(team, captain=to, key=f"teams.new_captain:{entry.pk}")
    return team


@service
def remove_member(membership, *, by):
    """The captain removes a member. Mails the removed person after commit."""
    team = lock_team(membership.team)
    check_teams_open(team.edition)
    check_captain(team, by)
    if membership.user_id == by.pk:
        raise TeamError(
            _("A captain cannot remove themself: hand over the captainship, then leave.")
        )
    mails.mail_removed(membership, team=team)
    membership.delete()
    log(team, TeamLog.Action.REMOVED, by=by, subject=membership.user)


@service
def leave_team(membership, *, by):
    """The member leaves; a captain must hand over first unless alone, and an empty team is
    dissolved. Writes a log entry; the captain is mailed."""
    team = lock_team(membership.team)
    check_teams_open(team.edition)
    others = team.memberships.exclude(pk=membership.pk)
    if membership.is_captain and others.exists():
        raise TeamError(
            _("Hand over the captainship to another member before leaving %(team)s.")
            % {"team": team.name}
        )
    if not others.exists():
        _check_nothing_submitted(team)
    else:
        mails.mail_captain_member_change(
            team, person=membership.user, event="left", key=f"teams.left:{membership.pk}"
        )
    membership.delete()
    log(team, TeamLog.Action.LEFT, by=by, subject=membership.user)
    if not others.exists():
        _dissolve(team, by=by, organizer=False, notify=False)


@service
def dissolve_team(team, *, by, organizer=False):
    """Deletes the team, its memberships, invitations, requests and project sheet.

    Once the project has a submitted version only organizers may. Mails every member but
    `by` after commit; the log entry keeps the name.
    """
    team = lock_team(team)
    check_teams_open(team.edition)
    if organizer:
        _check_organizer(team.edition, by)
    else:
        check_captain(team, by)
        _check_nothing_submitted(team)
    _dissolve(team, by=by, organizer=organizer, notify=True)


def _check_nothing_submitted(team):
    """A submitted project's versions are a record: only organizers may delete them."""
    # Imported here: the submissions app builds on teams, not the other way round.
    from submissions.queries import has_submitted_versions

    if has_submitted_versions(team):
        raise TeamError(
            _("%(team)s has submitted its project: only the organizers can dissolve it now.")
            % {"team": team.name}
        )


def _check_organizer(edition, user):
    if not is_organizer(user, edition):
        raise TeamError(
            _("Only the organizers of %(edition)s can do this.") % {"edition": edition.name}
        )


def _dissolve(team, *, by, organizer, notify):
    """Logged in the audit log either way: by an organizer, or by its captain (explicitly,
    or by leaving it last), the captain then a key in the details, never a name."""
    log(team, TeamLog.Action.DISSOLVED, by=by, by_organizer=organizer)
    members = team.memberships.count()
    if organizer:
        audit.record(
            TEAM_DISSOLVED, actor=by, edition=team.edition, target=team, team=team.pk,
            members=members,
        )  # fmt: skip
    else:
        audit.record(
            TEAM_DISSOLVED_BY_CAPTAIN, actor=by, edition=team.edition, target=team,
            team=team.pk, members=members, person=by.pk,
        )  # fmt: skip
    if notify:
        users = [m.user for m in team.memberships.exclude(user=by).select_related("user")]
        mails.mail_dissolved(team, users=users)
    team.delete()


@service
def move_participant(edition, *, user, to_team, by):
    """An organizer moves `user` into `to_team` (or out of any team when None).

    Locks both teams in id order; a captain leaving hands over to the longest-standing
    member; a team left empty is dissolved. Writes log entries.
    """
    check_teams_open(edition)
    _check_organizer(edition, by)
    participant_registration(edition, user)
    current = Membership.objects.filter(edition=edition, user=user).select_related("team").first()
    team_ids = {current.team_id} if current else set()
    if to_team is not None:
        team_ids.add(to_team.pk)
    # Locked in id order, so two moves in opposite directions cannot deadlock.
    list(Team.objects.select_for_update().filter(pk__in=team_ids).order_by("pk"))
    if to_team is not None and to_team.edition_id != edition.pk:
        raise TeamError(_("This team belongs to another edition."))
    if current is not None:
        if to_team is not None and current.team_id == to_team.pk:
            raise AlreadyInTeamError(
                _("%(person)s is already in %(team)s.") % {"person": user, "team": to_team.name}
            )
        _take_out(current, by=by)
    if to_team is not None:
        add_member(to_team, user, by=by, action=TeamLog.Action.MOVED, organizer=True)
    audit.record(
        PARTICIPANT_MOVED, actor=by, edition=edition, target=user,
        from_team=current.team_id if current else None,
        to_team=to_team.pk if to_team else None,
    )  # fmt: skip


def _take_out(membership, *, by):
    team = membership.team
    membership.delete()
    log(team, TeamLog.Action.MOVED, by=by, subject=membership.user, by_organizer=True)
    remaining = team.memberships.order_by("joined_at", "pk")
    if not remaining.exists():
        _dissolve(team, by=by, organizer=True, notify=False)
    elif membership.is_captain:
        heir = remaining.first()
        Membership.objects.filter(pk=heir.pk).update(is_captain=True)
        log(team, TeamLog.Action.CAPTAIN, by=by, subject=heir.user, by_organizer=True)
