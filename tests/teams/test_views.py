import pytest
from django.urls import reverse

from hackqc.models import Phase
from teams import services
from teams.models import Invitation, JoinRequest, Membership, Registration, Team
from tests.factories.core import EditionFactory
from tests.factories.teams import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
    fill_team,
)

pytestmark = pytest.mark.django_db


def _board(edition, **params):
    url = reverse("teams:board", kwargs={"slug": edition.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _team_url(team, name="teams:team_detail", **kwargs):
    return reverse(name, kwargs={"pk": team.pk, **kwargs})


# The board


def test_board_redirects_anonymous_to_login(client, edition):
    response = client.get(_board(edition))

    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["judge", "other_organizer"])
def test_board_sends_unregistered_to_registration(client, edition, team, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_board(edition))

    assert response.url == reverse("teams:register", kwargs={"slug": edition.slug})


@pytest.mark.parametrize("persona", ["registered", "participant", "outsider", "organizer"])
def test_board_lists_open_teams(client, edition, team, participant, other_team, persona, request):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(_board(edition)).content.decode()

    assert "Les Castors" in page
    assert "2 teams looking for members" in page


def test_board_hides_closed_and_full_teams(
    client, edition, team, participant, other_team, registered
):
    fill_team(team, edition.team_size_max)
    services.update_team(
        other_team, by=MembershipFactory(team=other_team, is_captain=True).user, is_open=False
    )
    client.force_login(registered)

    page = client.get(_board(edition)).content.decode()

    assert "Les Castors" not in page
    assert "Les Harfangs" not in page


def test_board_filters_by_challenge_and_skill(client, edition, team, other_team, registered):
    from tests.factories.core import ChallengeFactory

    challenge = ChallengeFactory(edition=edition, number=7)
    Team.objects.filter(pk=team.pk).update(challenge=challenge)
    skill = SkillFactory(name="SIG")
    other_team.wanted_skills.add(skill)
    client.force_login(registered)

    by_challenge = client.get(_board(edition, challenge=7)).content.decode()
    by_skill = client.get(_board(edition, skill="sig")).content.decode()

    assert ("Les Castors" in by_challenge, "Les Harfangs" in by_challenge) == (True, False)
    assert ("Les Castors" in by_skill, "Les Harfangs" in by_skill) == (False, True)


def test_board_shows_only_consenting_people_looking(client, edition, registered):
    shown = RegistrationFactory(
        edition=edition,
        looking_for_team=True,
        show_profile=True,
        user__display_name="Visible Vallée",
    )
    RegistrationFactory(
        edition=edition, looking_for_team=True, show_profile=False, user__display_name="Caché Côté"
    )
    RegistrationFactory(
        edition=edition,
        looking_for_team=True,
        show_profile=True,
        role="mentor",
        user__display_name="Mentor Morin",
    )
    client.force_login(registered)

    page = client.get(_board(edition)).content.decode()

    assert shown.user.display_name in page
    assert "Caché Côté" not in page
    assert "Mentor Morin" not in page
    assert "1 participant looking for a team" in page


def test_board_paginates(client, edition, registered):
    for number in range(25):
        TeamFactory(edition=edition, name=f"Équipe {number:02d}")
    client.force_login(registered)

    first = client.get(_board(edition)).content.decode()
    second = client.get(_board(edition, page=2)).content.decode()

    assert "Équipe 00" in first
    assert "Équipe 24" not in first
    assert "Équipe 24" in second
    assert "Page 2 of 2" in second


# The team page


def test_team_page_404_for_unregistered(client, team, participant, judge, other_organizer):
    for user in (judge, other_organizer):
        client.force_login(user)
        assert client.get(_team_url(team)).status_code == 404


def test_team_page_redirects_anonymous(client, team):
    assert client.get(_team_url(team)).url.startswith(reverse("account_login"))


def test_team_page_hides_members_without_consent_from_other_teams(
    client, team, participant, teammate, outsider
):
    Registration.objects.filter(user=teammate).update(show_profile=True)
    client.force_login(outsider)

    page = client.get(_team_url(team)).content.decode()

    assert teammate.display_name in page
    assert participant.display_name not in page
    assert "A member who keeps their profile private" in page
    assert team.join_code is None or team.join_code not in page


def test_team_page_shows_members_to_teammates(client, team, participant, teammate):
    client.force_login(teammate)

    page = client.get(_team_url(team)).content.decode()

    assert participant.display_name in page
    assert "Captain&#x27;s controls" not in page
    assert "Captain's controls" not in page


def test_team_page_shows_captain_controls_requests_and_invitations(
    client, team, participant, registered
):
    services.regenerate_join_code(team, by=participant)
    team.refresh_from_db()
    JoinRequestFactory(team=team, user=registered, message="Prenez-moi")
    InvitationFactory(team=team, email="invitee@example.org")
    client.force_login(participant)

    page = client.get(_team_url(team)).content.decode()

    assert team.join_code in page
    assert "Prenez-moi" in page
    assert "invitee@example.org" in page


def test_team_page_hides_invitations_and_code_from_member(client, team, participant, teammate):
    services.regenerate_join_code(team, by=participant)
    team.refresh_from_db()
    InvitationFactory(team=team, email="invitee@example.org")
    client.force_login(teammate)

    page = client.get(_team_url(team)).content.decode()

    assert team.join_code not in page
    assert "invitee@example.org" not in page


def test_team_page_shows_size_under_minimum_to_members(
    client, team, participant, teammate, outsider
):
    client.force_login(teammate)
    assert "2 members; 4 to 6 recommended" in client.get(_team_url(team)).content.decode()

    client.force_login(outsider)
    assert "4 to 6 recommended" not in client.get(_team_url(team)).content.decode()


def test_team_page_shows_organizer_size_note(client, team, participant, organizer):
    client.force_login(organizer)

    assert "1 member; 4 to 6 recommended" in client.get(_team_url(team)).content.decode()


# Creating and joining


def test_create_team_view(client, edition, registered):
    client.force_login(registered)

    response = client.post(
        reverse("teams:team_create", kwargs={"slug": edition.slug}),
        {"name": "Les Ours", "description": "Grr", "is_open": "on", "skills": "Python, SIG"},
    )

    team = Team.objects.get(name="Les Ours")
    assert response.url == team.get_absolute_url()
    assert Membership.objects.get(team=team).user == registered


def test_create_team_view_case_duplicate_shows_field_error(client, edition, team, registered):
    client.force_login(registered)

    response = client.post(
        reverse("teams:team_create", kwargs={"slug": edition.slug}), {"name": "LES castors"}
    )

    assert "already called" in response.content.decode()
    assert Team.objects.filter(edition=edition).count() == 1


def test_create_team_view_second_team_refused(client, edition, participant):
    client.force_login(participant)

    response = client.post(
        reverse("teams:team_create", kwargs={"slug": edition.slug}), {"name": "Bis"}
    )

    assert "one team per person per edition" in response.content.decode()
    assert not Team.objects.filter(name="Bis").exists()


def test_frozen_edition_views_give_clear_message(client):
    edition = EditionFactory(phase=Phase.JUDGING)
    user = RegistrationFactory(edition=edition).user
    client.force_login(user)

    response = client.post(
        reverse("teams:team_create", kwargs={"slug": edition.slug}), {"name": "Tard"}
    )

    assert "Teams are frozen" in response.content.decode()
    assert not Team.objects.exists()


def test_join_code_view(client, edition, team, participant, registered):
    code = services.regenerate_join_code(team, by=participant).join_code
    client.force_login(registered)

    response = client.post(
        reverse("teams:join_code", kwargs={"slug": edition.slug}), {"code": code}
    )

    assert response.url == team.get_absolute_url()
    assert Membership.objects.get(user=registered).team == team


def test_join_code_view_other_edition(client, edition, registered):
    TeamFactory(edition=EditionFactory(), join_code="HJKMNPQR")
    client.force_login(registered)

    response = client.post(
        reverse("teams:join_code", kwargs={"slug": edition.slug}), {"code": "HJKMNPQR"}
    )

    assert "another edition" in response.content.decode()
    assert not Membership.objects.filter(user=registered).exists()


def test_join_code_view_full_team(client, edition, team, participant, registered):
    code = services.regenerate_join_code(team, by=participant).join_code
    fill_team(team, edition.team_size_max)
    client.force_login(registered)

    response = client.post(
        reverse("teams:join_code", kwargs={"slug": edition.slug}), {"code": code}
    )

    assert "is full" in response.content.decode()
    assert not Membership.objects.filter(user=registered).exists()


def test_request_and_accept_through_views(
    client, team, participant, registered, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(registered)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_team_url(team, "teams:request_join"), {"message": "Bonjour"})
    join_request = JoinRequest.objects.get()

    client.force_login(participant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_team_url(team, "teams:request_accept", request_pk=join_request.pk))

    assert response.url == team.get_absolute_url()
    assert Membership.objects.get(user=registered).team == team
    assert [m.to for m in mailoutbox] == [["captain@example.org"], ["solo@example.org"]]


def test_withdraw_request_view(client, team, registered):
    join_request = JoinRequestFactory(team=team, user=registered)
    client.force_login(registered)

    client.post(reverse("teams:request_withdraw", kwargs={"request_pk": join_request.pk}))

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN


def test_other_person_cannot_withdraw_request(client, team, registered, outsider):
    join_request = JoinRequestFactory(team=team, user=registered)
    client.force_login(outsider)

    response = client.post(
        reverse("teams:request_withdraw", kwargs={"request_pk": join_request.pk})
    )

    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


# Captain's actions: permission matrix


CAPTAIN_ACTIONS = ["teams:team_update", "teams:invite", "teams:regenerate_code", "teams:dissolve"]


@pytest.mark.parametrize("name", CAPTAIN_ACTIONS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teammate", 403),
        ("outsider", 403),
        ("registered", 403),
        ("organizer", 403),
        ("judge", 404),
        ("other_organizer", 404),
    ],
)
def test_captain_actions_refused_to_others(
    client, team, participant, teammate, name, persona, status, request
):
    code = team.join_code
    client.force_login(request.getfixturevalue(persona))

    response = client.post(_team_url(team, name), {"name": "Piratée", "email": "x@example.org"})

    assert response.status_code == status
    team.refresh_from_db()
    assert (team.name, team.join_code) == ("Les Castors", code)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("name", CAPTAIN_ACTIONS)
def test_captain_actions_redirect_anonymous(client, team, name):
    assert client.post(_team_url(team, name)).url.startswith(reverse("account_login"))


def test_remove_member_view(client, team, participant, teammate):
    membership = Membership.objects.get(user=teammate)
    client.force_login(participant)

    client.post(_team_url(team, "teams:member_remove", membership_pk=membership.pk))

    assert not Membership.objects.filter(user=teammate).exists()


def test_remove_member_view_refused_to_teammate(client, team, participant, teammate):
    membership = Membership.objects.get(user=participant)
    client.force_login(teammate)

    response = client.post(_team_url(team, "teams:member_remove", membership_pk=membership.pk))

    assert response.status_code == 403
    assert team.memberships.count() == 2


def test_captain_removing_themself_gets_message(client, team, participant, teammate):
    membership = Membership.objects.get(user=participant)
    client.force_login(participant)

    response = client.post(
        _team_url(team, "teams:member_remove", membership_pk=membership.pk), follow=True
    )

    assert "cannot remove themself" in response.content.decode()
    assert team.memberships.count() == 2


def test_member_of_other_team_cannot_be_removed_through_this_team(
    client, team, participant, outsider
):
    membership = Membership.objects.get(user=outsider)
    client.force_login(participant)

    response = client.post(_team_url(team, "teams:member_remove", membership_pk=membership.pk))

    assert response.status_code == 404
    assert Membership.objects.filter(user=outsider).exists()


def test_make_captain_view(client, team, participant, teammate):
    membership = Membership.objects.get(user=teammate)
    client.force_login(participant)

    client.post(_team_url(team, "teams:make_captain", membership_pk=membership.pk))

    assert Membership.objects.get(team=team, is_captain=True).user == teammate


def test_leave_view(client, team, participant, teammate, edition):
    client.force_login(teammate)

    response = client.post(_team_url(team, "teams:leave"))

    assert response.url == _board(edition)
    assert not Membership.objects.filter(user=teammate).exists()


def test_leave_view_not_member_404(client, team, participant, outsider):
    client.force_login(outsider)

    assert client.post(_team_url(team, "teams:leave")).status_code == 404
    assert Membership.objects.filter(user=outsider).exists()


def test_captain_leaving_first_gets_message(client, team, participant, teammate):
    client.force_login(participant)

    response = client.post(_team_url(team, "teams:leave"), follow=True)

    assert "Hand over the captainship" in response.content.decode()
    assert team.memberships.count() == 2


def test_invite_view_sends_mail(
    client, team, participant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(participant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_team_url(team, "teams:invite"), {"email": "ami@example.org"})

    assert response.url == team.get_absolute_url()
    assert [m.to for m in mailoutbox] == [["ami@example.org"]]


def test_invite_view_own_teammate_gets_field_error(client, team, participant, teammate):
    client.force_login(participant)

    response = client.post(_team_url(team, "teams:invite"), {"email": "teammate@example.org"})

    assert "already in your team" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_view_answers_alike_whatever_the_address(client, team, participant, outsider):
    """A member of another team and an unknown address get the same answer (issue 11)."""
    client.force_login(participant)
    url = _team_url(team, "teams:invite")

    answers = [
        client.post(url, {"email": email}, follow=True)
        for email in ("outsider@example.org", "nobody@example.org")
    ]

    pages = [[str(m) for m in answer.context["messages"]] for answer in answers]
    assert [answer.redirect_chain for answer in answers] == [[(team.get_absolute_url(), 302)]] * 2
    assert pages[0] == [m.replace("nobody", "outsider") for m in pages[1]]
    assert Invitation.objects.count() == 2


def test_revoke_invitation_view(client, team, participant):
    invitation = InvitationFactory(team=team)
    client.force_login(participant)

    client.post(_team_url(team, "teams:invitation_revoke", invitation_pk=invitation.pk))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_edit_team_view(client, team, participant):
    client.force_login(participant)

    client.post(
        _team_url(team, "teams:team_update"), {"name": "Les Bièvres", "description": "Nouveau"}
    )

    team.refresh_from_db()
    assert (team.name, team.description, team.is_open) == ("Les Bièvres", "Nouveau", False)


def test_dissolve_view(
    client, team, participant, teammate, edition, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(participant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_team_url(team, "teams:dissolve"))

    assert response.url == _board(edition)
    assert not Team.objects.filter(pk=team.pk).exists()
    assert [m.to for m in mailoutbox] == [["teammate@example.org"]]


def test_dissolve_get_asks_for_confirmation(client, team, participant):
    client.force_login(participant)

    page = client.get(_team_url(team, "teams:dissolve")).content.decode()

    assert "Dissolve Les Castors?" in page
    assert Team.objects.filter(pk=team.pk).exists()


def test_get_on_one_click_action_not_allowed(client, team, participant, teammate):
    # Irreversible actions answer GET with a confirmation page (tests/teams/
    # test_captain_mails_and_confirmations.py); removing a member still takes a POST.
    client.force_login(participant)
    membership = team.memberships.get(user=teammate)
    url = reverse("teams:member_remove", args=[team.pk, membership.pk])

    assert client.get(url).status_code == 405


def test_nav_link_goes_to_current_board(client, edition):
    response = client.get(reverse("teams:current_board"))

    assert response.url == _board(edition)


def test_csrf_enforced_on_actions(team, participant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)

    assert client.post(_team_url(team, "teams:dissolve")).status_code == 403
    assert Team.objects.filter(pk=team.pk).exists()


EDITION_ACTIONS = ["teams:team_create", "teams:join_code"]


@pytest.mark.parametrize("name", EDITION_ACTIONS)
def test_edition_actions_redirect_anonymous(client, edition, name):
    response = client.post(reverse(name, kwargs={"slug": edition.slug}), {"name": "X", "code": "Y"})

    assert response.url.startswith(reverse("account_login"))
    assert not Team.objects.filter(name="X").exists()


@pytest.mark.parametrize("name", EDITION_ACTIONS)
@pytest.mark.parametrize("persona", ["judge", "other_organizer"])
def test_edition_actions_send_unregistered_to_registration(client, edition, name, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse(name, kwargs={"slug": edition.slug}), {"name": "X", "code": "Y"})

    assert response.url == reverse("teams:register", kwargs={"slug": edition.slug})
    assert not Team.objects.filter(name="X").exists()


def test_mentor_cannot_create_team_through_view(client, edition):
    mentor = RegistrationFactory(edition=edition, role="mentor").user
    client.force_login(mentor)

    response = client.post(
        reverse("teams:team_create", kwargs={"slug": edition.slug}), {"name": "X"}
    )

    assert "Only participants can be team members" in response.content.decode()
    assert not Team.objects.filter(name="X").exists()


def test_organizer_not_registered_cannot_create_team(client, edition, organizer):
    client.force_login(organizer)

    response = client.post(
        reverse("teams:team_create", kwargs={"slug": edition.slug}), {"name": "X"}
    )

    assert "is not registered" in response.content.decode()
    assert not Team.objects.filter(name="X").exists()


@pytest.mark.parametrize(("persona", "status"), [("judge", 404), ("other_organizer", 404)])
def test_join_request_hidden_from_unregistered(client, team, persona, status, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(_team_url(team, "teams:request_join")).status_code == status
    assert not JoinRequest.objects.exists()


def test_member_of_other_team_cannot_request_to_join(client, team, participant, outsider):
    client.force_login(outsider)

    response = client.post(_team_url(team, "teams:request_join"), follow=True)

    assert "one team per person per edition" in response.content.decode()
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("persona", ["teammate", "outsider", "registered"])
def test_accept_request_refused_to_non_captain(
    client, team, participant, teammate, persona, request
):
    join_request = JoinRequestFactory(
        team=team, user=RegistrationFactory(edition=team.edition).user
    )
    client.force_login(request.getfixturevalue(persona))

    response = client.post(_team_url(team, "teams:request_accept", request_pk=join_request.pk))

    assert response.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_frozen_team_page_hides_controls_and_actions_give_message(client):
    edition = EditionFactory(phase=Phase.JUDGING)
    team = TeamFactory(edition=edition)
    captain = MembershipFactory(team=team, is_captain=True).user
    client.force_login(captain)

    page = client.get(_team_url(team)).content.decode()
    response = client.post(_team_url(team, "teams:regenerate_code"), follow=True)

    assert "Teams are frozen" in page
    assert "Dissolve the team" not in page
    assert "Teams are frozen: submissions closed" in response.content.decode()


def test_join_link_prefills_code(client, edition, team, participant, registered):
    code = services.regenerate_join_code(team, by=participant).join_code
    client.force_login(participant)
    captain_page = client.get(_team_url(team)).content.decode()
    client.force_login(registered)

    form = client.get(reverse("teams:join_code", kwargs={"slug": edition.slug}) + f"?code={code}")

    assert f"/join/?code={code}" in captain_page
    assert f'value="{code}"' in form.content.decode()


# The board is cached per change of its data (issue 18): every change shows at once.


def test_board_shows_a_new_team_and_a_rename_at_once(client, edition, team, registered):
    client.force_login(registered)
    assert "Les Castors" in client.get(_board(edition)).content.decode()

    captain = MembershipFactory(team=team, is_captain=True).user
    services.update_team(team, by=captain, name="Les Loutres")
    TeamFactory(edition=edition, name="Les Hérons")
    page = client.get(_board(edition)).content.decode()

    assert "Les Loutres" in page
    assert "Les Castors" not in page
    assert "Les Hérons" in page


def test_board_shows_a_person_who_starts_looking_at_once(client, edition, registered):
    person = RegistrationFactory(
        edition=edition, looking_for_team=False, show_profile=True, user__display_name="Zoé Roy"
    )
    client.force_login(registered)
    assert "Zoé Roy" not in client.get(_board(edition)).content.decode()

    person.looking_for_team = True
    person.save()

    assert "Zoé Roy" in client.get(_board(edition)).content.decode()


def test_board_keeps_each_visitors_own_part_around_the_cached_lists(
    client, edition, team, participant, registered
):
    client.force_login(participant)
    mine = client.get(_board(edition)).content.decode()
    client.force_login(registered)
    theirs = client.get(_board(edition)).content.decode()

    assert "Our project sheet" in mine
    assert "Our project sheet" not in theirs
    assert "Create a team" in theirs
