"""The personal data of the teams app (hackqc.privacy.registry): registrations (profile,
skills, consents), memberships, invitations, join requests; the team log names people.

Erasing a person keeps their registration and membership, without identity, so team sizes,
eligibility and results stay as they were; a captain hands over to the longest-standing
other member, or the team is flagged to its organizers when nobody is left to take it.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hackqc import audit
from hackqc.privacy.erasure import ERASED_DOMAIN, erased_email
from hackqc.privacy.registry import ERASE, KEEP, PersonalData, not_personal, references, register

from . import mails
from .models import JoinRequest, Membership, TeamLog
from .services._common import lock_team, log

CAPTAIN_ERASED = audit.action(
    "teams.captain_erased",
    _("A captain closed their account; no other member could take the captainship"),
)


def _erase_memberships(user, erased):
    # Retention erases accounts of editions long over: nobody is to be mailed about them.
    notify = erased.reason != erased.Reason.RETENTION
    for membership in Membership.objects.filter(user=user, is_captain=True).select_related("team"):
        team = lock_team(membership.team)
        successor = (
            Membership.objects.filter(team=team)
            .exclude(user=user)
            .exclude(user__email__endswith="@" + ERASED_DOMAIN)
            .select_related("user")
            .order_by("joined_at", "pk")
            .first()
        )
        if successor is None:
            if notify:
                audit.record(CAPTAIN_ERASED, actor=None, edition=team.edition, target=team)
                mails.mail_organizers_captain_erased(team)
            continue
        Membership.objects.filter(pk=membership.pk).update(is_captain=False)
        Membership.objects.filter(pk=successor.pk).update(is_captain=True)
        entry = log(team, TeamLog.Action.CAPTAIN, by=None, subject=successor.user)
        if notify:
            mails.mail_new_captain(
                team, captain=successor.user, key=f"teams.new_captain:{entry.pk}"
            )


def _erase_requests(user, erased):
    JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.WITHDRAWN
    )


def _erase_invitations(user, erased):
    from .models import Invitation

    Invitation.objects.filter(email__iexact=user.email).update(email=erased_email(erased.number))


register(
    PersonalData(
        model="teams.Registration",
        owner="user",
        title=_("Registrations"),
        audience=_(
            "The organizers of the edition. Your teammates see your name and profile; other "
            "participants (the team board) only if you consented to be shown."
        ),
        context={"edition": "edition.name"},
        fields={
            "role": KEEP,
            "organisation": ERASE,
            "participant_type": KEEP,
            "bio": ERASE,
            "skills": ERASE,
            "looking_for_team": ERASE,
            "show_profile": ERASE,
            "rules_version": KEEP,
            "rules_accepted_at": KEEP,
            "created_at": KEEP,
            "dietary_needs": ERASE,
            "accessibility_needs": ERASE,
            "host_site": KEEP,
            "checkin_code": KEEP,
            "checked_in_at": KEEP,
        },
        edition="edition",
        kept_because=_(
            "role, participant type, the rules accepted, the host site and the arrival keep "
            "the edition's counts and records true; without a name they identify nobody"
        ),
    )
)
register(
    PersonalData(
        model="teams.RegistrationCorrection",
        owner="registration__user",
        title=_("Corrections of your registrations by the organizers"),
        audience=_("The organizers of the edition"),
        context={"edition": "registration.edition.name"},
        fields={"reason": ERASE, "changes": KEEP, "at": KEEP},
        edition="registration__edition",
        kept_because=_("what changed, and when, keeps the edition's records true"),
    )
)
register(
    PersonalData(
        model="teams.Membership",
        owner="user",
        title=_("Team memberships"),
        audience=_(
            "Your teammates, the judges of the project (your name only if you consented), "
            "organizers; the public sees the team and your name only if you consented."
        ),
        context={"edition": "edition.name", "team": "team.name"},
        fields={"is_captain": KEEP, "joined_at": KEEP},
        erase=_erase_memberships,
        edition="edition",
        kept_because=_("the team keeps its size; the captainship passes to another member"),
    )
)
register(
    PersonalData(
        model="teams.JoinRequest",
        owner="user",
        title=_("Requests to join a team"),
        audience=_("the team's captain and the organizers"),
        context={"team": "team.name"},
        fields={"message": ERASE, "status": KEEP, "created_at": KEEP, "decided_at": KEEP},
        erase=_erase_requests,
        edition="team__edition",
    )
)
register(
    PersonalData(
        model="teams.Invitation",
        owner="accepted_by",
        # Invitations still pending are about the person too: sent to their address.
        also=lambda user: (
            Q(accepted_by__isnull=True, email__iexact=user.email) if user.email else Q(pk__in=[])
        ),
        title=_("Team invitations sent to you"),
        audience=_("the team's captain and the organizers"),
        context={"team": "team.name"},
        fields={"email": ERASE, "accepted_at": KEEP, "created_at": KEEP},
        erase=_erase_invitations,
        edition="team__edition",
    )
)

references("teams.Registration", "registered_by", "checked_in_by")
references("teams.Invitation", "invited_by")
references("teams.JoinRequest", "decided_by")
references("teams.TeamLog", "actor", "subject")
references("teams.RegistrationCorrection", "by")

not_personal("teams.Registration", "user", "edition")
not_personal("teams.RegistrationCorrection", "registration")
not_personal("teams.Membership", "user", "team", "edition")
not_personal("teams.JoinRequest", "user", "team")
not_personal("teams.Invitation", "token", "language", "team", "accepted_by")
not_personal("teams.Invitation", "expires_at", "sent_at", "revoked_at")
not_personal("teams.Team", "name", "description", "join_code")
not_personal("teams.Skill", "name", "slug")
not_personal("teams.TeamLog", "team_name", "action")
