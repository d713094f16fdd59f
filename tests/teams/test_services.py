import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from hackqc.models import Phase
from teams import services
from teams.exceptions import (
    AlreadyInTeamError,
    NotParticipantError,
    TeamError,
    TeamFullError,
    TeamNameTakenError,
    TeamsFrozenError,
)
from teams.models import Membership, Team, TeamLog
from tests.factories.core import ChallengeFactory, EditionFactory, UserFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory, fill_team

pytestmark = pytest.mark.django_db


def test_create_team_makes_creator_captain(registered, edition):
    challenge = ChallengeFactory(edition=edition)

    team = services.create_team(
        edition, by=registered, name="Les Loups", challenge=challenge, skills=["Python", "SIG"]
    )

    membership = Membership.objects.get(team=team)
    assert (membership.user, membership.is_captain) == (registered, True)
    assert len(team.join_code) == 8
    assert {s.slug for s in team.wanted_skills.all()} == {"python", "sig"}
    assert TeamLog.objects.filter(team=team, action="created", actor=registered).count() == 1


def test_create_team_creates_its_empty_project_sheet(registered, edition):
    from submissions.models import Submission

    team = services.create_team(edition, by=registered, name="Les Loups")

    sheet = Submission.objects.get(team=team)
    assert (sheet.edition, sheet.state) == (edition, Submission.State.DRAFT)


def test_create_team_refuses_name_differing_by_case(registered, edition, team):
    with pytest.raises(TeamNameTakenError) as exc:
        services.create_team(edition, by=registered, name="les CASTORS")

    assert exc.value.field == "name"
    assert Team.objects.filter(edition=edition).count() == 1
    assert not Membership.objects.filter(user=registered).exists()


def test_create_team_allows_same_name_in_another_edition(team):
    other = EditionFactory()
    user = RegistrationFactory(edition=other).user

    created = services.create_team(other, by=user, name="LES CASTORS")

    assert created.edition == other


def test_create_team_refuses_second_team_for_same_person(participant, edition):
    with pytest.raises(AlreadyInTeamError):
        services.create_team(edition, by=participant, name="Deuxième")

    assert not Team.objects.filter(name="Deuxième").exists()


def test_create_team_refuses_mentor(edition):
    mentor = RegistrationFactory(edition=edition, role="mentor").user

    with pytest.raises(NotParticipantError):
        services.create_team(edition, by=mentor, name="Mentors")

    assert not Team.objects.filter(name="Mentors").exists()


def test_create_team_refuses_unregistered_person(edition):
    with pytest.raises(NotParticipantError):
        services.create_team(edition, by=UserFactory(), name="Intrus")


def test_create_team_refuses_challenge_of_other_edition(registered, edition):
    with pytest.raises(TeamError):
        services.create_team(edition, by=registered, name="X", challenge=ChallengeFactory())


@pytest.mark.parametrize(
    ("phase", "text"),
    [
        (Phase.UPCOMING, "Teams can be formed once registration opens"),
        (Phase.JUDGING, "Teams are frozen: submissions closed on"),
        (Phase.RESULTS, "Teams are frozen: submissions closed on"),
    ],
)
def test_create_team_refused_outside_team_phases(phase, text):
    edition = EditionFactory(phase=phase)
    user = RegistrationFactory(edition=edition).user

    with pytest.raises(TeamsFrozenError) as exc:
        services.create_team(edition, by=user, name="Trop tard")

    assert exc.value.message.startswith(text)
    assert not Team.objects.exists()


def test_create_team_allowed_during_hacking():
    edition = EditionFactory(phase=Phase.HACKING)
    user = RegistrationFactory(edition=edition).user

    assert services.create_team(edition, by=user, name="Nocturnes").pk


def test_database_refuses_name_differing_by_case(edition, team):
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(edition=edition, name="LES CASTORS")


def test_database_refuses_two_teams_for_one_person(participant, edition, other_team):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=other_team, edition=edition, user=participant)


def test_add_member_refuses_full_team(team, participant, registered, edition):
    fill_team(team, edition.team_size_max)

    with pytest.raises(TeamFullError):
        services.join_with_code(edition, code=_code(team, participant), user=registered)

    assert team.memberships.count() == edition.team_size_max
    assert not Membership.objects.filter(user=registered).exists()


def _code(team, captain):
    return services.regenerate_join_code(team, by=captain).join_code


def test_update_team_renames_and_logs(team, participant):
    services.update_team(team, by=participant, name="Les Bièvres", is_open=False, skills=["R"])

    team.refresh_from_db()
    assert (team.name, team.is_open) == ("Les Bièvres", False)
    assert [s.name for s in team.wanted_skills.all()] == ["R"]
    assert TeamLog.objects.filter(team=team, action="updated").count() == 1


def test_update_team_refuses_other_team_name_by_case(team, participant, other_team):
    with pytest.raises(TeamNameTakenError):
        services.update_team(team, by=participant, name="LES HARFANGS")

    team.refresh_from_db()
    assert team.name == "Les Castors"


def test_update_team_refuses_member_who_is_not_captain(team, teammate):
    with pytest.raises(TeamError):
        services.update_team(team, by=teammate, name="Coup d'État")


def test_regenerate_code_changes_it(team, participant):
    first = _code(team, participant)
    second = _code(team, participant)

    assert first != second
    team.refresh_from_db()
    assert team.join_code == second


def test_transfer_captaincy_swaps_captain(team, participant, teammate):
    services.transfer_captaincy(team, to=teammate, by=participant)

    captains = set(
        Membership.objects.filter(team=team, is_captain=True).values_list("user__email", flat=True)
    )
    assert captains == {"teammate@example.org"}


def test_remove_member_by_captain(
    team, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=teammate)

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(membership, by=participant)

    assert set(team.memberships.values_list("user", flat=True)) == {participant.pk}
    assert [m.to for m in mailoutbox] == [["teammate@example.org"]]


def test_captain_cannot_remove_themself(team, participant, teammate):
    with pytest.raises(TeamError) as exc:
        services.remove_member(Membership.objects.get(user=participant), by=participant)

    assert "hand over" in exc.value.message
    assert team.memberships.count() == 2


def test_member_cannot_remove_others(team, participant, teammate):
    with pytest.raises(TeamError):
        services.remove_member(Membership.objects.get(user=participant), by=teammate)

    assert team.memberships.count() == 2


def test_member_leaves(team, participant, teammate):
    services.leave_team(Membership.objects.get(user=teammate), by=teammate)

    assert list(team.memberships.values_list("user", flat=True)) == [participant.pk]
    assert TeamLog.objects.filter(action="left", subject=teammate).exists()


def test_captain_must_hand_over_before_leaving(team, participant, teammate):
    with pytest.raises(TeamError):
        services.leave_team(Membership.objects.get(user=participant), by=participant)

    assert team.memberships.count() == 2


def test_last_member_leaving_dissolves_team(team, participant, mailoutbox):
    services.leave_team(Membership.objects.get(user=participant), by=participant)

    assert not Team.objects.filter(pk=team.pk).exists()
    assert TeamLog.objects.filter(team_name="Les Castors", action="dissolved").count() == 1
    assert mailoutbox == []


def test_dissolve_team_mails_other_members(
    team, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.dissolve_team(team, by=participant)

    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Membership.objects.filter(user__in=[participant, teammate]).exists()
    assert [m.to for m in mailoutbox] == [["teammate@example.org"]]


def test_dissolve_team_refused_to_member(team, participant, teammate):
    with pytest.raises(TeamError):
        services.dissolve_team(team, by=teammate)

    assert Team.objects.filter(pk=team.pk).exists()


def test_frozen_team_refuses_every_change():
    edition = EditionFactory(phase=Phase.JUDGING)
    team = TeamFactory(edition=edition)
    captain = MembershipFactory(team=team, is_captain=True)
    member = MembershipFactory(team=team)
    attempts = [
        lambda: services.update_team(team, by=captain.user, name="Nouveau"),
        lambda: services.regenerate_join_code(team, by=captain.user),
        lambda: services.transfer_captaincy(team, to=member.user, by=captain.user),
        lambda: services.remove_member(member, by=captain.user),
        lambda: services.leave_team(member, by=member.user),
        lambda: services.dissolve_team(team, by=captain.user),
        lambda: services.invite_member(team, email="x@example.org", by=captain.user),
        lambda: services.move_participant(edition, user=member.user, to_team=None, by=captain.user),
    ]
    for attempt in attempts:
        with pytest.raises(TeamsFrozenError) as exc:
            attempt()
        assert "frozen" in exc.value.message

    assert team.memberships.count() == 2
    assert Team.objects.get(pk=team.pk).name == team.name


def test_move_participant_between_teams(
    edition, organizer, team, participant, teammate, other_team, outsider
):
    services.move_participant(edition, user=teammate, to_team=other_team, by=organizer)

    assert Membership.objects.get(user=teammate).team == other_team
    entries = TeamLog.objects.filter(
        action="moved", subject=teammate, actor=organizer, by_organizer=True
    )
    assert set(entries.values_list("team_name", flat=True)) == {"Les Castors", "Les Harfangs"}


def test_move_captain_hands_over_to_longest_member(
    edition, organizer, team, participant, teammate, other_team, outsider
):
    services.move_participant(edition, user=participant, to_team=other_team, by=organizer)

    assert Membership.objects.get(user=teammate).is_captain
    assert not Membership.objects.get(user=participant).is_captain


def test_move_last_member_dissolves_team(
    edition, organizer, team, participant, other_team, outsider
):
    services.move_participant(edition, user=participant, to_team=other_team, by=organizer)

    assert not Team.objects.filter(pk=team.pk).exists()


def test_move_into_full_team_refused(edition, organizer, team, participant, registered):
    fill_team(team, edition.team_size_max)

    with pytest.raises(TeamFullError):
        services.move_participant(edition, user=registered, to_team=team, by=organizer)

    assert not Membership.objects.filter(user=registered).exists()


def test_move_out_of_team(edition, organizer, team, participant, teammate):
    services.move_participant(edition, user=teammate, to_team=None, by=organizer)

    assert not Membership.objects.filter(user=teammate).exists()


def test_teams_freeze_exactly_when_submissions_close(edition, team, participant, registered):
    code = services.regenerate_join_code(team, by=participant).join_code
    with time_machine.travel(edition.submissions_close - dt.timedelta(seconds=1), tick=False):
        services.update_team(team, by=participant, description="Juste à temps")
    with (
        time_machine.travel(edition.submissions_close, tick=False),
        pytest.raises(TeamsFrozenError),
    ):
        services.join_with_code(edition, code=code, user=registered)

    team.refresh_from_db()
    assert team.description == "Juste à temps"
    assert not Membership.objects.filter(user=registered).exists()


def test_organizer_powers_refused_to_non_organizers(
    edition, team, participant, teammate, other_team, outsider, other_organizer
):
    for user in (participant, other_organizer):
        with pytest.raises(TeamError):
            services.move_participant(edition, user=teammate, to_team=other_team, by=user)
        with pytest.raises(TeamError):
            services.dissolve_team(other_team, by=user, organizer=True)

    assert Membership.objects.get(user=teammate).team == team
    assert Team.objects.filter(pk=other_team.pk).exists()


def test_team_chooses_a_host_site_of_its_edition(registered, edition):
    from tests.factories.core import HostSiteFactory

    rimouski = HostSiteFactory(edition=edition, name="Pôle de Rimouski")
    team = services.create_team(edition, by=registered, name="Les Loups", host_site=rimouski)
    assert Team.objects.get(pk=team.pk).host_site == rimouski

    elsewhere = HostSiteFactory(name="Pôle d'ailleurs")
    with pytest.raises(TeamError) as error:
        services.update_team(team, by=registered, host_site=elsewhere)
    assert error.value.field == "host_site"
    assert Team.objects.get(pk=team.pk).host_site == rimouski


def test_captain_cannot_dissolve_or_empty_a_team_that_submitted(participant, team, organizer):
    from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory

    SubmissionVersionFactory(submission=SubmissionFactory(team=team))
    with pytest.raises(TeamError):
        services.dissolve_team(team, by=participant)
    with pytest.raises(TeamError):
        services.leave_team(Membership.objects.get(user=participant), by=participant)
    assert Team.objects.filter(pk=team.pk).exists()

    services.dissolve_team(team, by=organizer, organizer=True)
    assert not Team.objects.filter(pk=team.pk).exists()


@pytest.mark.parametrize("role", ["mentor", "volunteer", None])
def test_database_refuses_a_member_who_is_not_a_registered_participant(team, role):
    user = UserFactory()
    if role:
        RegistrationFactory(edition=team.edition, user=user, role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=team, edition=team.edition, user=user)
    assert not Membership.objects.filter(user=user).exists()
