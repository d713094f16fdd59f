"""Mails of the teams app, sent after commit, each in its recipient's language.

Every task refetches by id and returns quietly when the row is gone, so a retry or a
late delivery after the team changed does no harm.
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from hackqc.mail import send_templated_mail
from hackqc.models import Edition


def _absolute(language, name, **kwargs):
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _language(user):
    return getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE


@shared_task(name="teams.send_invitation_mail")
def send_invitation_mail(*, invitation_id):
    from .models import Invitation

    invitation = (
        Invitation.objects.select_related("team__edition", "team__challenge", "invited_by")
        .filter(pk=invitation_id, sent_at=None, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None:
        return
    invitee = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = _language(invitee) if invitee else invitation.language
    send_templated_mail(
        "teams/mail/invitation",
        to=invitee or invitation.email,
        language=language,
        context={
            "invitation": invitation,
            "team": invitation.team,
            "edition": invitation.team.edition,
            "url": _absolute(language, "teams:invitation", token=invitation.token),
        },
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())


@shared_task(name="teams.send_join_request_mail")
def send_join_request_mail(*, join_request_id):
    from .models import JoinRequest, Membership

    join_request = (
        JoinRequest.objects.select_related("team__edition", "user")
        .filter(pk=join_request_id, status=JoinRequest.Status.PENDING)
        .first()
    )
    if join_request is None:
        return
    captain = Membership.objects.filter(team=join_request.team, is_captain=True).first()
    if captain is None:
        return
    send_templated_mail(
        "teams/mail/join_request",
        to=captain.user,
        context={
            "join_request": join_request,
            "team": join_request.team,
            "url": _absolute(_language(captain.user), "teams:team_detail", pk=join_request.team_id),
        },
    )


@shared_task(name="teams.send_request_decided_mail")
def send_request_decided_mail(*, join_request_id):
    from .models import JoinRequest

    join_request = (
        JoinRequest.objects.select_related("team__edition", "user")
        .filter(pk=join_request_id)
        .exclude(status__in=[JoinRequest.Status.PENDING, JoinRequest.Status.WITHDRAWN])
        .first()
    )
    if join_request is None:
        return
    language = _language(join_request.user)
    edition = join_request.team.edition
    send_templated_mail(
        "teams/mail/request_decided",
        to=join_request.user,
        context={
            "join_request": join_request,
            "team": join_request.team,
            "accepted": join_request.status == JoinRequest.Status.ACCEPTED,
            "team_url": _absolute(language, "teams:team_detail", pk=join_request.team_id),
            "board_url": _absolute(language, "teams:board", slug=edition.slug),
        },
    )


@shared_task(name="teams.send_removed_mail")
def send_removed_mail(*, user_id, team_name, edition_id):
    user = get_user_model().objects.filter(pk=user_id).first()
    edition = Edition.objects.filter(pk=edition_id).first()
    if user is None or edition is None:
        return
    send_templated_mail(
        "teams/mail/removed",
        to=user,
        context={
            "team_name": team_name,
            "edition": edition,
            "board_url": _absolute(_language(user), "teams:board", slug=edition.slug),
        },
    )


@shared_task(name="teams.send_dissolved_mail")
def send_dissolved_mail(*, team_name, edition_id, user_ids):
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return
    for user in get_user_model().objects.filter(pk__in=user_ids):
        send_templated_mail(
            "teams/mail/dissolved",
            to=user,
            context={
                "team_name": team_name,
                "edition": edition,
                "board_url": _absolute(_language(user), "teams:board", slug=edition.slug),
            },
        )
