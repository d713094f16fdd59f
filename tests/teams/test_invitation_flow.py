import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from teams import services
from teams.exceptions import InvitationError
from teams.models import Membership
from tests.factories.core import UserFactory
from tests.factories.teams import InvitationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _url(invitation):
    return reverse("teams:invitation", kwargs={"token": invitation.token})


def test_invitation_page_for_anonymous_offers_signup_and_login(client, team):
    invitation = InvitationFactory(team=team)

    page = client.get(_url(invitation)).content.decode()

    assert "Les Castors" in page
    assert f"{reverse('account_signup')}?next={_url(invitation)}" in page
    assert client.session["teams_invitation"] == invitation.token


@pytest.mark.parametrize("kind", ["forged", "expired", "used", "revoked"])
def test_invitation_page_bad_tokens_get_one_answer(client, team, registered, kind):
    """Whether the link is forged, expired, used or cancelled, the page says the same."""
    invitation = InvitationFactory(team=team, email=registered.email)
    now = timezone.now()
    changes = {
        "expired": {"expires_at": now - dt.timedelta(minutes=1)},
        "used": {"accepted_at": now},
        "revoked": {"revoked_at": now},
    }.get(kind, {})
    for name, value in changes.items():
        setattr(invitation, name, value)
    invitation.save()
    token = "forged" + invitation.token if kind == "forged" else invitation.token
    client.force_login(registered)
    url = reverse("teams:invitation", kwargs={"token": token})

    response = client.get(url)
    client.post(url)

    assert response.status_code == 404
    assert "This invitation link is not valid any more. Ask the captain for a new one." in (
        response.content.decode()
    )
    assert not Membership.objects.filter(user=registered).exists()


def test_invitation_accept_by_registered_participant(client, team, registered):
    invitation = InvitationFactory(team=team, email=registered.email.upper())
    client.force_login(registered)

    response = client.post(_url(invitation))

    assert response.url == team.get_absolute_url()
    assert Membership.objects.get(user=registered).team == team


def test_invitation_post_anonymous_redirects_to_login(client, team):
    invitation = InvitationFactory(team=team)

    response = client.post(_url(invitation))

    assert response.url.startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invitation_page_asks_unregistered_user_to_register(client, team, edition):
    user = UserFactory()
    invitation = InvitationFactory(team=team, email=user.email)
    client.force_login(user)

    page = client.get(_url(invitation)).content.decode()

    register = reverse("teams:register", kwargs={"slug": edition.slug})
    assert f"{register}?next=%2Fen%2Fteams%2Finvitation%2F{invitation.token}%2F" in page


def test_invitation_page_tells_member_of_other_team(client, team, outsider):
    invitation = InvitationFactory(team=team, email=outsider.email)
    client.force_login(outsider)

    page = client.get(_url(invitation)).content.decode()

    assert "You are already in the team Les Harfangs" in page


def test_invitation_page_refuses_mentor(client, team, edition):
    mentor = RegistrationFactory(edition=edition, role="mentor").user
    invitation = InvitationFactory(team=team, email=mentor.email)
    client.force_login(mentor)

    assert "Only participants" in client.get(_url(invitation)).content.decode()
    client.post(_url(invitation))
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invitation_round_trip_for_person_without_account(
    client, team, participant, edition, mailoutbox, django_capture_on_commit_callbacks
):
    """Invitation mail → sign up → verify the address → register → accept, via allauth."""
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(team, email="nouvelle@example.org", by=participant)
    invitation_url = re.search(r"http\S+/teams/invitation/\S+/", mailoutbox[0].body).group(0)
    invitation_path = invitation_url.removeprefix("http://127.0.0.1:8000")

    page = client.get(invitation_path).content.decode()
    signup = re.search(r'href="([^"]*/accounts/signup/\?next=[^"]*)"', page).group(1)
    form = client.get(signup.replace("&amp;", "&")).content.decode()
    hidden_next = re.search(r'name="next" value="([^"]*)"', form).group(1)
    assert hidden_next == invitation_path
    response = client.post(
        signup.split("?")[0],
        {
            "next": hidden_next,
            "email": "nouvelle@example.org",
            "password1": "Une-phrase-de-passe-longue",
            "password2": "Une-phrase-de-passe-longue",
            "display_name": "Nouvelle Personne",
        },
    )
    assert response.url == reverse("account_email_verification_sent")
    confirm = re.search(r"http://testserver(/\S+/confirm-email/\S+/)", mailoutbox[-1].body).group(1)
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.url == invitation_path

    page = client.get(invitation_path).content.decode()
    register = re.search(r'href="([^"]*/register/\?next=[^"]*)"', page).group(1)
    response = client.post(
        register.replace("&amp;", "&"),
        {"role": "participant", "participant_type": "other", "accept_rules": "on"},
    )
    assert response.url == invitation_path
    response = client.post(invitation_path)

    assert response.url == team.get_absolute_url()
    member = Membership.objects.get(user__email="nouvelle@example.org")
    assert (member.team, member.is_captain) == (team, False)


def test_login_reminds_pending_invitation_opened_before(client, team, registered):
    invitation = InvitationFactory(team=team, email=registered.email)
    client.get(_url(invitation))

    response = client.post(
        reverse("account_login"),
        {"login": "solo@example.org", "password": "correct-horse-battery-staple"},
        follow=True,
    )

    page = response.content.decode()
    assert "You have a pending invitation to join Les Castors." in page
    assert f'href="{_url(invitation)}"' in page


def test_team_page_renders_description_as_markdown(client, team, participant):
    from teams.models import Team

    Team.objects.filter(pk=team.pk).update(description="**Fort** <script>x</script>")
    client.force_login(participant)

    page = client.get(team.get_absolute_url()).content.decode()

    assert "<strong>Fort</strong>" in page
    assert "<script>x" not in page


def test_invitation_refused_to_an_account_without_the_invited_address(client, team, registered):
    """Issue 11: the link is not a bearer pass; another account is told to ask for one."""
    invitation = InvitationFactory(team=team, email="someone-else@example.org")
    client.force_login(registered)

    page = client.get(_url(invitation))
    response = client.post(_url(invitation), follow=True)

    assert page.status_code == 403
    expected = (
        "This invitation was sent to another e-mail address than your account's. Log in with "
        f"the invited account, or ask the captain to invite {registered.email}."
    )
    assert escape(expected) in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert "someone-else" not in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not Membership.objects.filter(user=registered).exists()


def test_invitation_refused_for_an_unverified_address(client, team, registered):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=registered, email="second@example.org", verified=False)
    invitation = InvitationFactory(team=team, email="second@example.org")

    with pytest.raises(InvitationError):
        services.accept_invitation(invitation.token, user=registered)

    EmailAddress.objects.filter(email="second@example.org").update(verified=True)
    services.accept_invitation(invitation.token, user=registered)
    assert Membership.objects.get(user=registered).team == team
