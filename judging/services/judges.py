"""Judges: invitations, their profile, and conflicts of interest."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.permissions import has_verified_address
from hackqc.roles import Role, check_role_free
from hackqc.service import service
from judging.errors import InvitationError
from judging.models import Conflict, Judge, JudgeInvitation
from judging.queries import normalise_organisation

CONFLICT_ADDED = audit.action(
    "conflict.added", gettext_lazy("Recorded a judge's conflict of interest")
)
CONFLICT_DECLARED = audit.action(
    "conflict.declared", gettext_lazy("Declared a conflict of interest (as a judge)")
)
CONFLICT_LIFTED = audit.action("conflict.lifted", gettext_lazy("Lifted a conflict of interest"))
CONFLICT_WAIVED = audit.action(
    "conflict.waived", gettext_lazy("Waived an automatic conflict of interest")
)


def _record_conflict(code, conflict, *, by) -> None:
    """The judge is the entry's target (a key, never a name); the reason stays on the
    conflict's row."""
    judge = conflict.judge
    audit.record(
        code,
        actor=by,
        edition=judge.edition,
        target=judge.user,
        conflict=conflict.pk,
        team=conflict.team_id,
        organisation=conflict.organisation,
    )


def _enqueue_invitation(invitation):
    from judging.mails import mail_judge_invitation

    invitation.refresh_from_db(fields=["mail_requested_at"])
    mail_judge_invitation(invitation)


@service
def invite_judge(edition, *, by, email, sponsor="") -> JudgeInvitation:
    """Invite `email` to the jury of `edition`; queues the invitation mail after commit.

    Inviting an address that already has a pending invitation sends that one again.
    Raises InvitationError if the address is already a judge of the edition.
    """
    email = email.strip()
    if Judge.objects.filter(edition=edition, user__email__iexact=email).exists():
        raise InvitationError(
            _("%(email)s is already on the jury.") % {"email": email}, field="email"
        )
    invitation = JudgeInvitation.objects.filter(
        edition=edition, email__iexact=email, accepted_at=None, revoked_at=None
    ).first()
    if invitation is None:
        invitation = JudgeInvitation.objects.create(
            edition=edition, email=email, sponsor=sponsor.strip(), invited_by=by
        )
    else:
        JudgeInvitation.objects.filter(pk=invitation.pk).update(mail_requested_at=timezone.now())
    _enqueue_invitation(invitation)
    return invitation


@service
def revoke_invitation(invitation, *, by) -> None:
    """Make a pending invitation's link useless. No mail."""
    if invitation.is_pending:
        JudgeInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())


@service
def accept_invitation(invitation, *, user, organisation, preferred_challenges=()) -> Judge:
    """Make `user` a judge of the invitation's edition (or update their existing role).

    Sets the judge's organisation, preferred challenges and sponsor; marks the invitation
    accepted. Raises InvitationError if it was revoked, already accepted or has expired (one
    answer for the three), or was sent to an address that is not one of `user`'s verified
    ones; RoleConflictError if `user` competes in or organizes the edition.
    """
    invitation = JudgeInvitation.objects.select_for_update().get(pk=invitation.pk)
    now = timezone.now()
    if not invitation.is_usable(now):
        raise InvitationError(
            _("This invitation link is not valid any more. Ask the organizers for a new one.")
        )
    if not has_verified_address(user, invitation.email):
        raise InvitationError(
            _(
                "This invitation was sent to another e-mail address than your account's. "
                "Log in with the invited account, or ask the organizers to invite %(email)s."
            )
            % {"email": user.email}
        )
    # A competitor may not score rival teams, nor an organizer score blind.
    check_role_free(invitation.edition, user, Role.JUDGE)
    judge, _created = Judge.objects.get_or_create(
        edition=invitation.edition,
        user=user,
        defaults={"organisation": organisation.strip(), "sponsor": invitation.sponsor},
    )
    Judge.objects.filter(pk=judge.pk).update(
        organisation=organisation.strip(), sponsor=invitation.sponsor, accepted_at=now
    )
    judge.refresh_from_db()
    judge.preferred_challenges.set(
        [c for c in preferred_challenges if c.edition_id == invitation.edition_id]
    )
    JudgeInvitation.objects.filter(pk=invitation.pk).update(accepted_at=now, judge=judge)
    return judge


@service
def update_judge_profile(judge, *, by, organisation, preferred_challenges) -> Judge:
    """The judge's organisation (which drives automatic conflicts) and preferred challenges."""
    Judge.objects.filter(pk=judge.pk).update(organisation=organisation.strip())
    judge.refresh_from_db()
    judge.preferred_challenges.set(
        [c for c in preferred_challenges if c.edition_id == judge.edition_id]
    )
    return judge


def _create_conflict(judge, *, by, kind, team=None, organisation="", reason):
    """(conflict, created): the open conflict of this kind with the team or organisation,
    recorded now unless it already was."""
    if not reason.strip():
        raise InvitationError(_("Please give a reason."), field="reason")
    organisation = "" if team else " ".join(organisation.split())
    if team is None and not organisation:
        raise InvitationError(_("Name a team or an organisation."), field="team")
    if team is not None and team.edition_id != judge.edition_id:
        raise InvitationError(_("This team is not in the edition."), field="team")
    existing = Conflict.objects.filter(judge=judge, kind=kind, lifted_at=None)
    if team is not None:
        existing = existing.filter(team=team)
    else:
        existing = [
            c
            for c in existing.filter(team=None)
            if normalise_organisation(c.organisation) == normalise_organisation(organisation)
        ]
    if existing:
        return (existing[0] if isinstance(existing, list) else existing.first()), False
    conflict = Conflict.objects.create(
        judge=judge,
        team=team,
        organisation=organisation,
        kind=kind,
        reason=reason.strip(),
        created_by=by,
    )
    return conflict, True


@service
def declare_conflict(judge, *, by, team=None, organisation="", reason) -> Conflict:
    """A judge declares a conflict with a team or an organisation, with a reason; logged,
    the judge a key (the reason stays on the conflict's row). Declared again: no new entry."""
    conflict, created = _create_conflict(
        judge,
        by=by,
        kind=Conflict.Kind.DECLARED,
        team=team,
        organisation=organisation,
        reason=reason,
    )
    if created:
        _record_conflict(CONFLICT_DECLARED, conflict, by=by)
    return conflict


@service
def add_conflict(judge, *, by, team=None, organisation="", reason) -> Conflict:
    """An organizer records a conflict for a judge, with a reason (logged)."""
    conflict, _created = _create_conflict(
        judge,
        by=by,
        kind=Conflict.Kind.ADDED,
        team=team,
        organisation=organisation,
        reason=reason,
    )
    _record_conflict(CONFLICT_ADDED, conflict, by=by)
    return conflict


@service
def lift_conflict(conflict, *, by, reason) -> Conflict:
    """An organizer lifts a declared, added or recusal conflict; the row keeps who, when, why."""
    if not reason.strip():
        raise InvitationError(_("Please give a reason."), field="reason")
    lifted = Conflict.objects.filter(pk=conflict.pk, lifted_at=None).update(
        lifted_at=timezone.now(), lifted_by=by, lift_reason=reason.strip()
    )
    conflict.refresh_from_db()
    if lifted:
        _record_conflict(CONFLICT_LIFTED, conflict, by=by)
    return conflict


@service
def waive_automatic_conflict(judge, team, *, by, reason) -> Conflict:
    """An organizer lifts the automatic conflict between `judge` and `team`, with a reason."""
    if not reason.strip():
        raise InvitationError(_("Please give a reason."), field="reason")
    try:
        with transaction.atomic():
            conflict, _created = _create_conflict(
                judge, by=by, kind=Conflict.Kind.WAIVER, team=team, reason=reason
            )
    except IntegrityError as exc:  # pragma: no cover — guarded by the check above
        raise InvitationError(_("This conflict cannot be lifted.")) from exc
    _record_conflict(CONFLICT_WAIVED, conflict, by=by)
    return conflict
