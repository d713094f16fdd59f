"""Each mail: its recipient, subject and body, in the recipient's language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from teams import services, tasks
from teams.models import JoinRequest, Membership
from tests.factories.teams import InvitationFactory, JoinRequestFactory

pytestmark = pytest.mark.django_db


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


def test_invitation_mail(team, participant, language, mailoutbox):
    _prefers(participant, language)
    invitation = InvitationFactory(team=team, invited_by=participant, language=language)

    tasks.send_invitation_mail(invitation_id=invitation.pk)

    (mail,) = mailoutbox
    assert mail.to == [invitation.email]
    assert mail.subject == "[HackQC] " + _in(
        language, "You are invited to join the team %(team)s", team="Les Castors"
    )
    assert f"http://127.0.0.1:8000/{language}/teams/invitation/{invitation.token}/" in mail.body
    assert participant.display_name in mail.body


def test_join_request_mail_to_captain(team, participant, registered, language, mailoutbox):
    _prefers(participant, language)
    join_request = JoinRequestFactory(team=team, user=registered, message="Je code en Rust.")

    tasks.send_join_request_mail(join_request_id=join_request.pk)

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
def test_request_decided_mail(team, registered, language, status, msgid, mailoutbox):
    _prefers(registered, language)
    join_request = JoinRequestFactory(team=team, user=registered, status=status)

    tasks.send_request_decided_mail(join_request_id=join_request.pk)

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


def test_tasks_return_quietly_when_rows_are_gone(db, mailoutbox):
    tasks.send_invitation_mail(invitation_id=999)
    tasks.send_join_request_mail(join_request_id=999)
    tasks.send_request_decided_mail(join_request_id=999)
    tasks.send_removed_mail(user_id=999, team_name="X", edition_id=999)
    tasks.send_dissolved_mail(team_name="X", edition_id=999, user_ids=[999])

    assert mailoutbox == []


def test_withdrawn_request_sends_nothing(team, registered, mailoutbox):
    join_request = JoinRequestFactory(
        team=team, user=registered, status=JoinRequest.Status.WITHDRAWN
    )

    tasks.send_request_decided_mail(join_request_id=join_request.pk)
    tasks.send_join_request_mail(join_request_id=join_request.pk)

    assert mailoutbox == []
