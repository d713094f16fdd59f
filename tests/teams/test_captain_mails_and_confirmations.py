"""The captain hears about the team's comings and goings; irreversible one-click actions
ask first, without JavaScript."""

import pytest
from django.urls import reverse
from django.utils import translation

from teams import services
from teams.models import Membership
from tests.factories.teams import InvitationFactory, RegistrationFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _sent(mailoutbox, callbacks, action):
    with callbacks(execute=True):
        action()
    return [(m.to, m.subject) for m in mailoutbox]


def test_captain_is_told_when_an_invitation_is_accepted(
    team, participant, edition, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = RegistrationFactory(edition=edition).user
    invitation = InvitationFactory(team=team, email=newcomer.email, invited_by=participant)
    mailoutbox.clear()

    sent = _sent(
        mailoutbox, django_capture_on_commit_callbacks,
        lambda: services.accept_invitation(invitation.token, user=newcomer),
    )  # fmt: skip

    assert [to for to, _subject in sent] == [[participant.email]]
    assert "a accepté votre invitation" in mailoutbox[0].body  # the captain reads French
    assert str(newcomer) in mailoutbox[0].subject


def test_captain_is_told_when_someone_joins_by_code(
    team, participant, edition, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = RegistrationFactory(edition=edition).user
    code = services.regenerate_join_code(team, by=participant).join_code

    _sent(
        mailoutbox, django_capture_on_commit_callbacks,
        lambda: services.join_with_code(edition, code=code, user=newcomer),
    )  # fmt: skip

    [mail] = mailoutbox
    assert mail.to == [participant.email]
    assert "avec le code de l'équipe" in mail.body


def test_captain_is_told_when_a_member_leaves(
    team, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(team=team, user=teammate)

    _sent(
        mailoutbox, django_capture_on_commit_callbacks,
        lambda: services.leave_team(membership, by=teammate),
    )  # fmt: skip

    [mail] = mailoutbox
    assert (mail.to, f"{teammate} a quitté {team.name}" in mail.subject) == (
        [participant.email], True,
    )  # fmt: skip


def test_new_captain_is_told(
    team, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    _sent(
        mailoutbox, django_capture_on_commit_callbacks,
        lambda: services.transfer_captaincy(team, to=teammate, by=participant),
    )  # fmt: skip
    _sent(
        mailoutbox, django_capture_on_commit_callbacks,
        lambda: services.transfer_captaincy(team, to=participant, by=teammate),
    )  # fmt: skip

    assert [m.to for m in mailoutbox] == [[teammate.email], [participant.email]]
    assert "capitaine" in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("name", "persona", "label"),
    [
        ("regenerate_code", "participant", "Generate a new code"),
        ("make_captain", "participant", "Hand over the captainship"),
        ("leave", "teammate", "Leave the team"),
    ],
)
def test_irreversible_team_actions_ask_first(
    client, team, participant, teammate, request, name, persona, label
):
    code = services.regenerate_join_code(team, by=participant).join_code
    args = [team.pk]
    if name == "make_captain":
        args.append(Membership.objects.get(team=team, user=teammate).pk)
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("teams:team_detail", args=[team.pk])).content.decode()
    url = reverse(f"teams:{name}", args=args)
    assert f'href="{url}"' in page

    response = client.get(url)

    html = response.content.decode()
    assert label in html
    assert '<form method="post"' in html
    team.refresh_from_db()
    assert team.join_code == code
    assert list(team.memberships.order_by("pk").values_list("user", "is_captain")) == [
        (participant.pk, True), (teammate.pk, False),
    ]  # fmt: skip
    client.post(url)
    team.refresh_from_db()
    changed = (
        team.join_code != code,
        team.memberships.filter(user=teammate, is_captain=True).exists(),
        not team.memberships.filter(user=teammate).exists(),
    )
    assert changed == tuple(n == name for n in ("regenerate_code", "make_captain", "leave"))
