"""Brings a person back to the invitation they opened before signing up or logging in, when
they reached the sign-up page some other way than the invitation's own link."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from hackqc.outbox import mail_sent

from .models import Invitation
from .views.invitations import SESSION_KEY


@receiver(mail_sent, dispatch_uid="teams_invitation_sent")
def record_invitation_sent(sender, mail, **kwargs):
    """An invitation's `sent_at` is when the mail server accepted its mail (the last time,
    if an organizer sent it again), not when it was promised."""
    prefix, _sep, pk = mail.key.partition(":")
    if prefix == "teams.invitation" and pk.isdigit():
        Invitation.objects.filter(pk=int(pk)).update(sent_at=mail.sent_at)


@receiver(user_logged_in, dispatch_uid="teams_pending_invitation")
def remind_pending_invitation(sender, request, user, **kwargs):
    token = request.session.get(SESSION_KEY) if request is not None else None
    if not token:
        return
    invitation = Invitation.objects.select_related("team").filter(token=token).first()
    if invitation is None or not invitation.is_pending or invitation.is_expired():
        request.session.pop(SESSION_KEY, None)
        return
    url = reverse("teams:invitation", kwargs={"token": token})
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("You have a pending invitation to join %(team)s.") % {"team": invitation.team.name},
            url,
            _("See the invitation"),
        ),
    )
