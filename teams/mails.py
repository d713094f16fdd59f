"""The teams app's mails, promised through the outbox inside the service's transaction.

Each function is called by a service; the key makes each mail reach each recipient once,
however often the service's caller retries.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from hackqc.outbox import cancel_mails, queue_mail


def _absolute(language, name, **kwargs):
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _language(user):
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE


def invitation_key(invitation) -> str:
    return f"teams.invitation:{invitation.pk}"


def mail_invitation(invitation):
    """To the invited address (the account's language if it has one)."""
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = _language(invitee) if invitee else invitation.language
    team = invitation.team
    return queue_mail(
        "teams/mail/invitation",
        to=invitee or invitation.email,
        language=language,
        key=invitation_key(invitation),
        context={
            "invitation": invitation,
            "team": team,
            "edition": team.edition,
            "url": _absolute(language, "teams:invitation", token=invitation.token),
        },
    )


def cancel_invitation_mail(invitation):
    cancel_mails([invitation_key(invitation)])


def mail_join_request(join_request, *, captain):
    team = join_request.team
    return queue_mail(
        "teams/mail/join_request",
        to=captain,
        key=f"teams.join_request:{join_request.pk}",
        context={
            "join_request": join_request,
            "team": team,
            "edition": team.edition,
            "url": _absolute(_language(captain), "teams:team_detail", pk=team.pk),
        },
    )


def mail_request_decided(join_request, *, accepted):
    user, team = join_request.user, join_request.team
    language = _language(user)
    return queue_mail(
        "teams/mail/request_decided",
        to=user,
        key=f"teams.request_decided:{join_request.pk}",
        context={
            "join_request": join_request,
            "team": team,
            "edition": team.edition,
            "accepted": accepted,
            "team_url": _absolute(language, "teams:team_detail", pk=team.pk),
            "board_url": _absolute(language, "teams:board", slug=team.edition.slug),
        },
    )


def mail_removed(membership, *, team):
    """To a member the captain removed; the team's name is copied (it may be renamed)."""
    user, edition = membership.user, team.edition
    return queue_mail(
        "teams/mail/removed",
        to=user,
        key=f"teams.removed:{membership.pk}",
        context={
            "team_name": team.name,
            "edition": edition,
            "board_url": _absolute(_language(user), "teams:board", slug=edition.slug),
        },
    )


def mail_dissolved(team, *, users):
    """To each former member; called before the team row is deleted (its id makes the key)."""
    edition = team.edition
    for user in users:
        queue_mail(
            "teams/mail/dissolved",
            to=user,
            key=f"teams.dissolved:{team.pk}:{user.pk}",
            context={
                "team_name": team.name,
                "edition": edition,
                "board_url": _absolute(_language(user), "teams:board", slug=edition.slug),
            },
        )


def _captain(team):
    from .models import Membership

    membership = Membership.objects.filter(team=team, is_captain=True).select_related("user")
    membership = membership.first()
    return membership.user if membership else None


def mail_captain_member_change(team, *, person, event, key):
    """To the captain: `person` joined (`event` "invitation" or "code") or left ("left").
    The person's name is copied: they may leave or be renamed before the mail goes."""
    captain = _captain(team)
    if captain is None or captain.pk == person.pk:
        return None
    return queue_mail(
        "teams/mail/member_change",
        to=captain,
        key=key,
        context={
            "team": team,
            "edition": team.edition,
            "person": str(person),
            "event": event,
            "url": _absolute(_language(captain), "teams:team_detail", pk=team.pk),
        },
    )


def mail_new_captain(team, *, captain, key):
    return queue_mail(
        "teams/mail/new_captain",
        to=captain,
        key=key,
        context={
            "team": team,
            "edition": team.edition,
            "url": _absolute(_language(captain), "teams:team_detail", pk=team.pk),
        },
    )


def mail_organizers_captain_erased(team):
    """To each organizer of the edition: the team's captain closed their account and no
    other member can take the captainship (hackqc.privacy)."""
    from hackqc.models import EditionOrganizer

    organizers = EditionOrganizer.objects.filter(edition=team.edition).select_related("user")
    for role in organizers:
        language = _language(role.user)
        queue_mail(
            "teams/mail/captain_erased",
            to=role.user,
            key=f"teams.captain_erased:{team.pk}:{role.user_id}",
            context={
                "team": team,
                "edition": team.edition,
                "url": _absolute(language, "teams:organize_teams", slug=team.edition.slug),
            },
        )


def mail_corrected(correction):
    """To the person whose registration the organizers corrected: what changed (as it is
    when the mail goes), by whom (the edition's organizers) and why."""
    registration = correction.registration
    user, edition = registration.user, registration.edition
    return queue_mail(
        "teams/mail/corrected",
        to=user,
        key=f"teams.corrected:{correction.pk}",
        context={
            "correction": correction,
            "registration": registration,
            "edition": edition,
            "changed": sorted(correction.changes),
            "url": _absolute(_language(user), "teams:register", slug=edition.slug),
        },
    )
