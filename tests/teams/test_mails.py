"""Each mail: its recipient, subject and body, in the recipient's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from hackqc.models import OutgoingMail
from teams import mails, services
from teams.models import JoinRequest, Membership
from tests.factories.teams import InvitationFactory, JoinRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Promises a mail as a service would, then lets the commit hand it to the (eager) worker."""

    def send(promise, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return promise(*args, **kwargs)

    return send


def _in(language, msgid, **values):
    """`msgid` as the catalogue of `language` renders it, so the test holds once translated."""
    with translation.override(language):
        return gettext(msgid) % values


@pytest.fixture(params=["fr", "en"])
def language(request):
    return request.param


def _prefers(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def test_invitation_mail(team, participant, language, mailoutbox, send):
    _prefers(participant, language)
    invitation = InvitationFactory(team=team, invited_by=participant, language=language)

    send(mails.mail_invitation, invitation)

    (mail,) = mailoutbox
    assert mail.to == [invitation.email]
    assert mail.subject == "[HackQC] " + _in(
        language, "You are invited to join the team %(team)s", team="Les Castors"
    )
    assert f"http://127.0.0.1:8000/{language}/teams/invitation/{invitation.token}/" in mail.body
    assert participant.display_name in mail.body


def test_join_request_mail_to_captain(team, participant, registered, language, mailoutbox, send):
    _prefers(participant, language)
    join_request = JoinRequestFactory(team=team, user=registered, message="Je code en Rust.")

    send(mails.mail_join_request, join_request, captain=participant)

    (mail,) = mailoutbox
    assert mail.to == ["captain@example.org"]
    assert mail.subject == "[HackQC] " + _in(
        language, "New request to join %(team)s", team="Les Castors"
    )
    assert "Je code en Rust." in mail.body
    assert f"/{language}/teams/team/{team.pk}/" in mail.body


@pytest.mark.parametrize(
    ("status", "msgid"),
    [
        ("accepted", "Welcome to %(team)s"),
        ("declined", "Your request to join %(team)s was declined"),
    ],
)
def test_request_decided_mail(team, registered, language, status, msgid, mailoutbox, send):
    _prefers(registered, language)
    join_request = JoinRequestFactory(team=team, user=registered, status=status)

    send(mails.mail_request_decided, join_request, accepted=status == "accepted")

    (mail,) = mailoutbox
    assert mail.to == ["solo@example.org"]
    assert mail.subject == "[HackQC] " + _in(language, msgid, team="Les Castors")
    expected_link = f"/{language}/teams/team/{team.pk}/" if status == "accepted" else "/teams/"
    assert expected_link in mail.body


def test_removed_mail(
    team, participant, teammate, language, mailoutbox, django_capture_on_commit_callbacks
):
    _prefers(teammate, language)

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(Membership.objects.get(user=teammate), by=participant)

    (mail,) = mailoutbox
    assert mail.to == ["teammate@example.org"]
    assert mail.subject == "[HackQC] " + _in(
        language, "You are no longer a member of %(team)s", team="Les Castors"
    )
    assert f"/{language}/teams/{team.edition.slug}/" in mail.body


def test_dissolved_mail_each_in_own_language(
    team, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    _prefers(teammate, "en")
    other = Membership.objects.create(team=team, edition=team.edition, user=_fr_member(team))

    with django_capture_on_commit_callbacks(execute=True):
        services.dissolve_team(team, by=participant)

    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert subjects == {
        "teammate@example.org": "[HackQC] "
        + _in("en", "The team %(team)s was dissolved", team="Les Castors"),
        other.user.email: "[HackQC] "
        + _in("fr", "The team %(team)s was dissolved", team="Les Castors"),
    }


def _fr_member(team):
    from tests.factories.teams import RegistrationFactory

    return RegistrationFactory(edition=team.edition, user__preferred_language="fr").user


def test_mail_about_a_deleted_row_is_cancelled_not_sent(team, participant, mailoutbox):
    invitation = InvitationFactory(team=team, invited_by=participant)
    mail = mails.mail_invitation(invitation)  # promised, not yet sent (no commit here)
    invitation.delete()

    from hackqc.outbox import deliver

    deliver(mail.pk)

    mail.refresh_from_db()
    assert (mail.state, mailoutbox) == (OutgoingMail.State.CANCELLED, [])


def test_revoked_invitation_mail_is_cancelled(team, participant, mailoutbox):
    from hackqc.outbox import deliver

    invitation = InvitationFactory(team=team, invited_by=participant)
    mail = mails.mail_invitation(invitation)
    services.revoke_invitation(invitation, by=participant)

    deliver(mail.pk)

    mail.refresh_from_db()
    assert (mail.state, mailoutbox) == (OutgoingMail.State.CANCELLED, [])


def test_join_request_answered_twice_mails_once(team, participant, registered, mailoutbox, send):
    join_request = JoinRequestFactory(team=team, user=registered)

    send(mails.mail_request_decided, join_request, accepted=False)
    send(mails.mail_request_decided, join_request, accepted=False)

    assert [m.to for m in mailoutbox] == [["solo@example.org"]]
    assert JoinRequest.objects.count() == 1


def test_invitation_sent_at_is_when_the_mail_server_accepted_it(
    team, participant, mailoutbox, settings
):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from hackqc.outbox import deliver

    invitation = InvitationFactory(team=team, invited_by=participant)
    mail = mails.mail_invitation(invitation)
    settings.EMAIL_BACKEND = "tests.mailbackends.RefusingBackend"
    deliver(mail.pk)  # the SMTP server is down: promised, not sent
    invitation.refresh_from_db()
    assert invitation.sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + dt.timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        deliver(mail.pk)

    invitation.refresh_from_db()
    assert (invitation.sent_at, len(mailoutbox)) == (later, 1)
