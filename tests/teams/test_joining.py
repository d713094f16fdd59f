import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from hackqc.models import OutgoingMail
from teams import services
from teams.exceptions import (
    AlreadyInTeamError,
    InvitationError,
    JoinCodeError,
    NotParticipantError,
    TeamError,
    TeamFullError,
    TooManyInvitationsError,
)
from teams.models import Invitation, JoinRequest, Membership, Registration, TeamLog
from tests.factories.core import EditionFactory, UserFactory
from tests.factories.teams import (
    InvitationFactory,
    JoinRequestFactory,
    RegistrationFactory,
    TeamFactory,
    fill_team,
)

pytestmark = pytest.mark.django_db


def _invite(team, captain, email, capture):
    with capture(execute=True):
        return services.invite_member(team, email=email, by=captain)


def test_invite_member_creates_pending_invitation_and_mails(
    team, participant, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = _invite(
        team, participant, "Nouveau@Example.org", django_capture_on_commit_callbacks
    )

    assert (invitation.email, invitation.is_pending) == ("nouveau@example.org", True)
    mail = OutgoingMail.objects.get(key=f"teams.invitation:{invitation.pk}")
    assert (mail.state, mail.address, mail.edition) == ("sent", "nouveau@example.org", team.edition)
    assert [m.to for m in mailoutbox] == [["nouveau@example.org"]]
    assert invitation.token in mailoutbox[0].body


def test_invitation_mail_not_sent_before_commit(
    team, participant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invite_member(team, email="a@example.org", by=participant)

    assert (len(callbacks), mailoutbox) == (1, [])


def test_invitation_mail_task_is_idempotent(
    team, participant, mailoutbox, django_capture_on_commit_callbacks
):
    from hackqc.tasks import task_send_mail

    invitation = _invite(team, participant, "a@example.org", django_capture_on_commit_callbacks)
    mail = OutgoingMail.objects.get(key=f"teams.invitation:{invitation.pk}")
    task_send_mail(mail_id=mail.pk)  # delivered again (acks_late)
    task_send_mail(mail_id=mail.pk + 1000)  # gone: quiet

    assert len(mailoutbox) == 1


def test_invite_refuses_a_member_of_the_same_team(team, participant, teammate):
    with pytest.raises(AlreadyInTeamError) as exc:
        services.invite_member(team, email="TEAMMATE@example.org", by=participant)

    assert exc.value.field == "email"
    assert not Invitation.objects.exists()


def test_invite_answers_alike_for_another_teams_member_and_an_unknown_address(
    team, participant, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 11: the form told any captain whether an address was in a team."""
    with django_capture_on_commit_callbacks(execute=True):
        in_a_team = services.invite_member(team, email="OUTSIDER@example.org", by=participant)
        unknown = services.invite_member(team, email="nobody@example.org", by=participant)

    assert (in_a_team.email, unknown.email) == ("outsider@example.org", "nobody@example.org")
    assert sorted(m.to[0] for m in mailoutbox) == ["nobody@example.org", "outsider@example.org"]
    with pytest.raises(AlreadyInTeamError):
        services.accept_invitation(in_a_team.token, user=outsider)


def test_invite_refuses_duplicate_pending(team, participant):
    services.invite_member(team, email="a@example.org", by=participant)

    with pytest.raises(InvitationError):
        services.invite_member(team, email="A@example.org", by=participant)

    assert Invitation.objects.count() == 1


def test_invite_refuses_non_captain(team, participant, teammate):
    with pytest.raises(TeamError):
        services.invite_member(team, email="a@example.org", by=teammate)

    assert not Invitation.objects.exists()


def test_invite_refuses_full_team(team, participant, edition):
    fill_team(team, edition.team_size_max)

    with pytest.raises(TeamFullError):
        services.invite_member(team, email="a@example.org", by=participant)


def test_invitations_per_team_per_hour_are_limited(team, participant, settings):
    settings.TEAMS_INVITATIONS_PER_HOUR = 3
    for number in range(3):
        services.invite_member(team, email=f"p{number}@example.org", by=participant)

    with pytest.raises(TooManyInvitationsError):
        services.invite_member(team, email="p9@example.org", by=participant)
    assert Invitation.objects.count() == 3

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        services.invite_member(team, email="p9@example.org", by=participant)
    assert Invitation.objects.count() == 4


def test_accept_invitation_adds_member_and_spends_token(team, registered):
    invitation = InvitationFactory(team=team, email=registered.email)

    services.accept_invitation(invitation.token, user=registered)

    invitation.refresh_from_db()
    assert Membership.objects.get(user=registered).team == team
    assert (invitation.accepted_by, invitation.is_pending) == (registered, False)


def test_reused_invitation_refused(team, registered, edition):
    invitation = InvitationFactory(team=team, email=registered.email)
    services.accept_invitation(invitation.token, user=registered)
    other = RegistrationFactory(edition=edition).user

    with pytest.raises(InvitationError) as exc:
        services.accept_invitation(invitation.token, user=other)

    assert "not valid any more" in exc.value.message
    assert not Membership.objects.filter(user=other).exists()


def test_expired_invitation_refused(team, registered):
    invitation = InvitationFactory(
        team=team, email=registered.email, expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    with pytest.raises(InvitationError) as exc:
        services.accept_invitation(invitation.token, user=registered)

    assert "not valid any more" in exc.value.message
    assert not Membership.objects.filter(user=registered).exists()


def test_forged_invitation_refused(team, registered):
    InvitationFactory(team=team)

    with pytest.raises(InvitationError) as exc:
        services.accept_invitation("forged-token", user=registered)

    assert "not valid" in exc.value.message
    assert not Membership.objects.filter(user=registered).exists()


def test_revoked_invitation_refused(team, participant, registered):
    invitation = InvitationFactory(team=team, email=registered.email)
    services.revoke_invitation(invitation, by=participant)

    with pytest.raises(InvitationError):
        services.accept_invitation(invitation.token, user=registered)


def test_invitation_refused_to_person_in_another_team(team, outsider):
    invitation = InvitationFactory(team=team, email=outsider.email)

    with pytest.raises(AlreadyInTeamError):
        services.accept_invitation(invitation.token, user=outsider)

    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invitation_refused_to_volunteer(team, edition):
    volunteer = RegistrationFactory(edition=edition, role="volunteer").user
    invitation = InvitationFactory(team=team, email=volunteer.email)

    with pytest.raises(NotParticipantError):
        services.accept_invitation(invitation.token, user=volunteer)


def test_join_with_code(team, participant, registered, edition):
    code = services.regenerate_join_code(team, by=participant).join_code

    services.join_with_code(edition, code=f" {code.lower()} ", user=registered)

    assert Membership.objects.get(user=registered).team == team
    assert TeamLog.objects.filter(action="joined", subject=registered).exists()


def test_join_code_of_another_edition_refused(registered, edition):
    other_team = TeamFactory(edition=EditionFactory(), join_code="ABCDEFGH")

    with pytest.raises(JoinCodeError) as exc:
        services.join_with_code(edition, code="ABCDEFGH", user=registered)

    assert "another edition" in exc.value.message
    assert not other_team.memberships.exists()


def test_unknown_join_code_refused(registered, edition):
    with pytest.raises(JoinCodeError):
        services.join_with_code(edition, code="ZZZZZZZZ", user=registered)


def test_old_join_code_stops_working(team, participant, registered, edition):
    old = services.regenerate_join_code(team, by=participant).join_code
    services.regenerate_join_code(team, by=participant)

    with pytest.raises(JoinCodeError):
        services.join_with_code(edition, code=old, user=registered)


def test_joining_stops_looking_and_withdraws_other_requests(
    team, participant, other_team, registered, edition
):
    Registration.objects.filter(user=registered).update(looking_for_team=True)
    pending = JoinRequestFactory(team=other_team, user=registered)
    code = services.regenerate_join_code(team, by=participant).join_code

    services.join_with_code(edition, code=code, user=registered)

    pending.refresh_from_db()
    assert pending.status == JoinRequest.Status.WITHDRAWN
    assert not Registration.objects.get(user=registered).looking_for_team


def test_request_to_join_mails_captain(
    team, participant, registered, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_to_join(team, user=registered, message="J'aime les castors")

    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING
    assert [m.to for m in mailoutbox] == [["captain@example.org"]]
    assert "J'aime les castors" in mailoutbox[0].body


def test_request_to_join_twice_refused(team, participant, registered):
    services.request_to_join(team, user=registered)

    with pytest.raises(TeamError):
        services.request_to_join(team, user=registered)

    assert JoinRequest.objects.count() == 1


def test_request_to_closed_team_refused(team, participant, registered):
    services.update_team(team, by=participant, is_open=False)

    with pytest.raises(TeamError):
        services.request_to_join(team, user=registered)


def test_accept_request_adds_member(
    team, participant, registered, mailoutbox, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(team=team, user=registered)

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_join_request(join_request, by=participant)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert Membership.objects.get(user=registered).team == team
    assert [m.to for m in mailoutbox] == [["solo@example.org"]]


def test_decline_request(
    team, participant, registered, mailoutbox, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(team=team, user=registered)

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_join_request(join_request, by=participant)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(user=registered).exists()
    assert [m.to for m in mailoutbox] == [["solo@example.org"]]


def test_answered_request_cannot_be_accepted(team, participant, registered):
    join_request = JoinRequestFactory(team=team, user=registered)
    services.decline_join_request(join_request, by=participant)

    with pytest.raises(TeamError):
        services.accept_join_request(join_request, by=participant)

    assert not Membership.objects.filter(user=registered).exists()


def test_accepting_request_into_full_team_refused(team, participant, registered, edition):
    join_request = JoinRequestFactory(team=team, user=registered)
    fill_team(team, edition.team_size_max)

    with pytest.raises(TeamFullError):
        services.accept_join_request(join_request, by=participant)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_non_captain_cannot_accept_request(team, teammate, registered):
    join_request = JoinRequestFactory(team=team, user=registered)

    with pytest.raises(TeamError):
        services.accept_join_request(join_request, by=teammate)


def test_invitee_without_account_gets_mail_in_inviter_language(
    team, participant, mailoutbox, django_capture_on_commit_callbacks
):
    participant.preferred_language = "en"
    participant.save()

    _invite(team, participant, "stranger@example.org", django_capture_on_commit_callbacks)

    assert mailoutbox[0].subject == "[HackQC] You are invited to join the team Les Castors"
    assert "/en/teams/invitation/" in mailoutbox[0].body


def test_existing_invitee_gets_mail_in_own_language(
    team, participant, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org", preferred_language="en")
    participant.preferred_language = "fr"
    participant.save()

    _invite(team, participant, "known@example.org", django_capture_on_commit_callbacks)

    assert "/en/teams/invitation/" in mailoutbox[0].body


def test_reinviting_while_the_mail_is_on_its_way_is_refused(
    team, participant, django_capture_on_commit_callbacks
):
    _invite(team, participant, "a@example.org", django_capture_on_commit_callbacks)

    with pytest.raises(InvitationError, match="already has a pending invitation"):
        services.invite_member(team, email="a@example.org", by=participant)


def test_reinviting_after_the_mail_failed_sends_it_again(
    team, participant, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.mailbackends.DownBackend"
    invitation = _invite(team, participant, "a@example.org", django_capture_on_commit_callbacks)
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == ("pending", 1)  # failing, retried later
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    again = _invite(team, participant, "A@example.org", django_capture_on_commit_callbacks)

    mail.refresh_from_db()
    assert (again.pk, Invitation.objects.count()) == (invitation.pk, 1)
    assert (mail.state, [m.to for m in mailoutbox]) == ("sent", [["a@example.org"]])
    assert invitation.token in mailoutbox[0].body
