import csv
import io

import pytest
from django.urls import reverse

from hackqc.models import Phase
from teams.models import Membership, Registration, Team, TeamLog
from tests.factories.core import (
    ChallengeFactory,
    EditionFactory,
    HostSiteFactory,
    OrganizerRoleFactory,
    UserFactory,
)
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "teams:organize_teams",
    "teams:organize_teams_csv",
    "teams:organize_registrations",
    "teams:organize_registrations_csv",
    "teams:organize_register_late",
]


def _url(name, edition):
    return reverse(name, kwargs={"slug": edition.slug})


def _csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@pytest.mark.parametrize("name", PAGES)
def test_organizer_pages_redirect_anonymous(client, edition, name):
    assert client.get(_url(name, edition)).url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "persona", ["participant", "teammate", "outsider", "registered", "judge", "other_organizer"]
)
def test_organizer_pages_refused_to_others(
    client, edition, team, participant, teammate, name, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(name, edition))

    assert response.status_code == 403
    assert b"Les Castors" not in response.content


def test_team_list_shows_size_status_and_members(
    client, edition, organizer, team, participant, teammate, other_team
):
    client.force_login(organizer)

    page = client.get(_url("teams:organize_teams", edition)).content.decode()

    assert "2 members; 4 to 6 recommended" in page
    assert "0 members; 4 to 6 recommended" in page
    assert f"{participant.display_name} (captain)" in page


def test_team_csv_export(client, edition, organizer, team, participant, teammate):
    challenge = ChallengeFactory(edition=edition, number=2, title="Mobilité")
    site = HostSiteFactory(edition=edition, name="Pôle de Rimouski", city="Rimouski")
    Team.objects.filter(pk=team.pk).update(challenge=challenge, host_site=site)
    client.force_login(organizer)

    rows = _csv(client.get(_url("teams:organize_teams_csv", edition)))
    page = client.get(_url("teams:organize_teams", edition)).content.decode()

    assert rows[0][:4] == ["Team", "Challenge", "Host site", "Size"]
    site_label = "Pôle de Rimouski (Rimouski)"
    assert rows[1][:4] == ["Les Castors", "Challenge 2: Mobilité", site_label, "2"]
    assert rows[1][6] == "captain@example.org"
    assert "teammate@example.org" in rows[1][7]
    assert "<td>Pôle de Rimouski (Rimouski)</td>" in page


def test_registration_list_and_csv(client, edition, organizer, participant, registered):
    RegistrationFactory(edition=edition, role="mentor", user__email="mentor@example.org")
    client.force_login(organizer)

    page = client.get(_url("teams:organize_registrations", edition)).content.decode()
    rows = _csv(client.get(_url("teams:organize_registrations_csv", edition)))

    assert "3 registered: 2 participants, 1 mentors, 0 volunteers." in page
    emails = {row[1]: row for row in rows[1:]}
    assert set(emails) == {"captain@example.org", "solo@example.org", "mentor@example.org"}
    assert emails["captain@example.org"][6] == "Les Castors"
    assert emails["mentor@example.org"][2] == "Mentor"


def test_late_registration_view(client, organizer):
    edition = EditionFactory(phase=Phase.HACKING)

    OrganizerRoleFactory(edition=edition, user=organizer)
    person = UserFactory(email="tard@example.org")
    client.force_login(organizer)

    response = client.post(
        _url("teams:organize_register_late", edition),
        {
            "email": "TARD@example.org",
            "role": "participant",
            "participant_type": "student",
            "accept_rules": "on",
        },
    )

    assert response.url == _url("teams:organize_registrations", edition)
    registration = Registration.objects.get(user=person, edition=edition)
    assert registration.registered_by == organizer


def test_late_registration_unknown_address(client, edition, organizer):
    client.force_login(organizer)

    response = client.post(
        _url("teams:organize_register_late", edition),
        {
            "email": "inconnu@example.org",
            "role": "participant",
            "participant_type": "student",
            "accept_rules": "on",
        },
    )

    assert "must sign up first" in response.content.decode()
    assert not Registration.objects.filter(user__email="inconnu@example.org").exists()


def test_move_view_records_who_and_when(
    client, edition, organizer, team, participant, teammate, other_team, outsider
):
    client.force_login(organizer)

    client.post(
        _url("teams:organize_move", edition), {"participant": teammate.email, "team": other_team.pk}
    )

    assert Membership.objects.get(user=teammate).team == other_team
    entry = TeamLog.objects.filter(subject=teammate, action="moved").first()
    assert (entry.actor, entry.by_organizer, entry.created_at is not None) == (
        organizer,
        True,
        True,
    )
    page = client.get(_url("teams:organize_teams", edition)).content.decode()
    assert "Participant moved by an organizer" in page


def test_move_view_refused_to_other_organizer(
    client, edition, other_organizer, team, participant, teammate, other_team
):
    client.force_login(other_organizer)

    response = client.post(
        _url("teams:organize_move", edition), {"participant": teammate.email, "team": other_team.pk}
    )

    assert response.status_code == 403
    assert Membership.objects.get(user=teammate).team == team


def test_move_view_refuses_participant_of_other_edition(
    client, edition, organizer, team, participant
):
    stranger = MembershipFactory(team=TeamFactory(edition=EditionFactory())).user
    client.force_login(organizer)

    client.post(
        _url("teams:organize_move", edition), {"participant": stranger.email, "team": team.pk}
    )

    assert Membership.objects.get(user=stranger).team != team


def test_organizer_dissolves_team(
    client,
    edition,
    organizer,
    team,
    participant,
    teammate,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("teams:organize_dissolve", kwargs={"pk": team.pk}))

    assert response.url == _url("teams:organize_teams", edition)
    assert not Team.objects.filter(pk=team.pk).exists()
    entry = TeamLog.objects.get(action="dissolved")
    assert (entry.team_name, entry.actor, entry.by_organizer) == ("Les Castors", organizer, True)
    assert sorted(m.to[0] for m in mailoutbox) == ["captain@example.org", "teammate@example.org"]


@pytest.mark.parametrize("persona", ["participant", "teammate", "outsider", "other_organizer"])
def test_organizer_dissolve_refused_to_others(
    client, team, participant, teammate, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("teams:organize_dissolve", kwargs={"pk": team.pk}))
    confirm = client.get(reverse("teams:organize_dissolve", kwargs={"pk": team.pk}))

    assert (response.status_code, confirm.status_code) == (404, 404)
    assert Team.objects.filter(pk=team.pk).exists()


def test_organizer_dissolve_frozen_team_refused(client, organizer):
    edition = EditionFactory(phase=Phase.DELIBERATION)

    OrganizerRoleFactory(edition=edition, user=organizer)
    team = TeamFactory(edition=edition)
    client.force_login(organizer)

    response = client.post(reverse("teams:organize_dissolve", kwargs={"pk": team.pk}), follow=True)

    assert "Teams are frozen" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_dashboard_links_to_team_pages(client, edition, organizer):
    client.force_login(organizer)

    page = client.get(reverse("organize:dashboard", kwargs={"slug": edition.slug})).content.decode()

    assert _url("teams:organize_teams", edition) in page
    assert _url("teams:organize_registrations", edition) in page


def test_organizer_dissolve_asks_for_confirmation(client, organizer, team, participant):
    client.force_login(organizer)

    page = client.get(reverse("teams:organize_dissolve", kwargs={"pk": team.pk})).content.decode()

    assert "Dissolve Les Castors?" in page
    assert Team.objects.filter(pk=team.pk).exists()


def test_csv_export_neutralises_formulas(client, edition, organizer, registered):
    Registration.objects.filter(user=registered).update(organisation='=HYPERLINK("http://x")')
    client.force_login(organizer)

    rows = _csv(client.get(_url("teams:organize_registrations_csv", edition)))

    assert rows[1][3] == '\'=HYPERLINK("http://x")'
