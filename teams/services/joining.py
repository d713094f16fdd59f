"""The three ways into a team: an e-mail invitation, the join code, a join request."""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.models import OutgoingMail
from hackqc.outbox import resend_mail
from hackqc.permissions import has_verified_address
from hackqc.service import service

from .. import mails
from ..exceptions import (
    AlreadyInTeamError,
    InvitationError,
    JoinCodeError,
    TeamError,
    TeamFullError,
    TooManyInvitationsError,
)
from ..models import Invitation, JoinRequest, Membership, Team, TeamLog
from ._common import (
    CODE_ALPHABET,
    check_captain,
    check_not_in_team,
    check_teams_open,
    invitation_days,
    invitations_per_hour,
    lock_team,
    log,
    participant_registration,
)
from .teams import add_member


def _check_has_seat(team):
    if team.memberships.count() >= team.edition.team_size_max:
        raise TeamFullError(
            _("%(team)s is full: %(max)s members at most.")
            % {"team": team.name, "max": team.edition.team_size_max}
        )


@service
def invite_member(team, *, email, by):
    """Invites `email` to `team` with a single-use link that expires.

    Answers the same whether the address has an account or is in another team (issue 11:
    the form told any captain who was in a team). Counts the team's invitations of the last
    hour in the database to refuse floods. Queues the invitation mail after commit and
    writes a log entry.
    """
    team = lock_team(team)
    edition = team.edition
    check_teams_open(edition)
    check_captain(team, by)
    _check_has_seat(team)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    invitee = get_user_model().objects.filter(email__iexact=email).first()
    # Whether the address has an account, or is in another team, is not the captain's to
    # learn: those invitations go out like any other and acceptance refuses what it must.
    if invitee is not None and Membership.objects.filter(team=team, user=invitee).exists():
        raise AlreadyInTeamError(
            _("%(email)s is already in your team.") % {"email": email}, field="email"
        )
    now = timezone.now()
    pending = team.invitations.filter(
        email__iexact=email, accepted_at=None, revoked_at=None, expires_at__gt=now
    ).first()
    if pending is not None:
        if _resend_failed_invitation(pending):
            log(team, TeamLog.Action.INVITED, by=by, subject=invitee)
            return pending
        raise InvitationError(
            _("%(email)s already has a pending invitation.") % {"email": email}, field="email"
        )
    limit = invitations_per_hour()
    if team.invitations.filter(created_at__gte=now - dt.timedelta(hours=1)).count() >= limit:
        raise TooManyInvitationsError(
            _("A team can send at most %(limit)s invitations per hour; try again later.")
            % {"limit": limit}
        )
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        language=getattr(invitee or by, "preferred_language", "") or "fr",
        expires_at=now + dt.timedelta(days=invitation_days()),
    )
    log(team, TeamLog.Action.INVITED, by=by, subject=invitee)
    mails.mail_invitation(invitation)
    return invitation


def _resend_failed_invitation(invitation) -> bool:
    """Sends a pending invitation's mail again if it failed (or is failing); False if it
    is on its way or was delivered, then inviting the address again is refused."""

    mail = OutgoingMail.objects.filter(key=mails.invitation_key(invitation)).first()
    if mail is None:
        # Sent before the outbox existed, or never recorded: promise it now.
        mails.mail_invitation(invitation)
        return True
    failing = mail.state == OutgoingMail.State.FAILED or (
        mail.state == OutgoingMail.State.PENDING and mail.attempts > 0
    )
    if failing:
        resend_mail(mail)
    return failing


def check_invitation(invitation, now=None):
    """Raises if the invitation can no longer be used: one answer whether the link is
    unknown, used, cancelled or expired, so the link tells its holder nothing more."""
    if invitation is None or not invitation.is_pending or invitation.is_expired(now):
        raise InvitationError(
            _("This invitation link is not valid any more. Ask the captain for a new one.")
        )


def check_invited_address(invitation, user):
    """Raises unless the invitation was sent to one of `user`'s verified addresses: the link
    is the invited person's, not a pass for whoever holds it."""
    if not has_verified_address(user, invitation.email):
        raise InvitationError(
            _(
                "This invitation was sent to another e-mail address than your account's. "
                "Log in with the invited account, or ask the captain to invite %(email)s."
            )
            % {"email": user.email}
        )


@service
def accept_invitation(token, *, user):
    """Adds `user` to the invitation's team and spends the token. Writes a log entry; the
    captain is mailed. Refuses an account without the invited address among its verified
    ones."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    check_invitation(invitation)
    check_invited_address(invitation, user)
    membership = add_member(invitation.team, user, by=user)
    mails.mail_captain_member_change(
        invitation.team, person=user, event="invitation", key=f"teams.joined:{membership.pk}"
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@service
def revoke_invitation(invitation, *, by):
    """The captain cancels a pending invitation; its link stops working."""
    check_captain(invitation.team, by)
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        mails.cancel_invitation_mail(invitation)
    return invitation


def normalize_code(code):
    return "".join(ch for ch in str(code).upper() if ch in CODE_ALPHABET)


@service
def join_with_code(edition, *, code, user):
    """Adds `user` to the team of `edition` whose join code is `code`. Writes a log entry;
    the captain is mailed."""
    code = normalize_code(code)
    team = Team.objects.filter(join_code=code).first() if code else None
    if team is None:
        raise JoinCodeError(
            _("No team has this join code. Check it with your captain."), field="code"
        )
    if team.edition_id != edition.pk:
        raise JoinCodeError(_("This join code belongs to a team of another edition."), field="code")
    membership = add_member(team, user, by=user)
    mails.mail_captain_member_change(
        team, person=user, event="code", key=f"teams.joined:{membership.pk}"
    )
    return membership


@service
def request_to_join(team, *, user, message=""):
    """Asks to join an open team. Mails the captain after commit."""
    team = lock_team(team)
    check_teams_open(team.edition)
    participant_registration(team.edition, user)
    check_not_in_team(team.edition, user)
    if not team.is_open:
        raise TeamError(_("%(team)s does not accept new members.") % {"team": team.name})
    _check_has_seat(team)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(team=team, user=user, message=message)
    except IntegrityError:
        raise TeamError(
            _("You have already asked to join %(team)s; wait for the captain's answer.")
            % {"team": team.name}
        ) from None
    captain = team.memberships.filter(is_captain=True).select_related("user").first()
    if captain is not None:
        mails.mail_join_request(join_request, captain=captain.user)
    return join_request


def _decide(join_request, *, by, status):
    join_request.status = status
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    mails.mail_request_decided(join_request, accepted=status == JoinRequest.Status.ACCEPTED)


def _locked_pending(join_request):
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise TeamError(_("This request has already been answered or withdrawn."))
    return join_request


@service
def accept_join_request(join_request, *, by):
    """The captain lets the requester in. Mails the requester after commit."""
    check_captain(join_request.team, by)
    join_request = _locked_pending(join_request)
    add_member(join_request.team, join_request.user, by=by)
    _decide(join_request, by=by, status=JoinRequest.Status.ACCEPTED)
    return join_request


@service
def decline_join_request(join_request, *, by):
    """The captain says no. Mails the requester after commit."""
    check_captain(join_request.team, by)
    check_teams_open(join_request.team.edition)
    join_request = _locked_pending(join_request)
    _decide(join_request, by=by, status=JoinRequest.Status.DECLINED)
    return join_request


@service
def withdraw_join_request(join_request, *, by):
    """The requester changes their mind; nobody is mailed."""
    join_request = _locked_pending(join_request)
    join_request.status = JoinRequest.Status.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
