"""The personal space ("Mon espace"): every signed-in person finds their work there, in a
constant number of queries, and the edition's dates as an .ics file."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hackqc.models import Phase
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.judging import AssignmentFactory, JudgeFactory, ReviewFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version
from tests.factories.teams import InvitationFactory, JoinRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SPACE = reverse("space")


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(SPACE)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_menu_links_the_space_and_the_sheet_of_a_member(client, participant, team):
    client.force_login(participant)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{SPACE}"' in page
    assert reverse("submissions:my_sheet", args=[team.edition.slug]) in page


def test_the_menu_has_no_sheet_link_for_someone_without_a_team(client, registered):
    client.force_login(registered)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{SPACE}"' in page
    assert "/mine/" not in page


def test_a_member_sees_team_sheet_state_deadline_and_checklist(client, participant, team):
    sheet = SubmissionFactory(team=team, title="Carte des parcs")
    client.force_login(participant)
    response = client.get(SPACE)
    page = response.content.decode()
    assert team.name in page
    assert "Carte des parcs" in page
    assert reverse("submissions:team_sheet", args=[team.edition.slug, team.pk]) in page
    assert "Brouillon, jamais soumis" in page
    assert "La section C est incomplète" in page  # the checklist says what is missing
    assert "heure du Québec" in page
    assert reverse("edition_calendar", args=[team.edition.slug]) in page
    assert sheet.title


def test_a_sheet_changed_since_its_submit_says_so(client, participant, team):
    sheet = SubmissionFactory(
        team=team,
        complete=True,
        with_dataset=True,
        updated_at=timezone.now() - dt.timedelta(hours=2),
    )
    record_submitted_version(sheet, submitted_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(participant)
    page = client.get(SPACE).content.decode()
    assert "Version 1 soumise" in page
    assert "Modifiée depuis la dernière soumission" not in page
    sheet.updated_at = timezone.now()
    sheet.save(update_fields=["updated_at"])
    page = client.get(SPACE).content.decode()
    assert "Modifiée depuis la dernière soumission" in page


def test_a_participant_without_team_is_pointed_to_the_board(client, registered, edition):
    client.force_login(registered)
    page = client.get(SPACE).content.decode()
    assert reverse("teams:board", args=[edition.slug]) in page


def test_invitations_to_a_verified_address_and_own_join_requests_show(client, registered, team):
    InvitationFactory(team=team, email=registered.email.upper())
    InvitationFactory(team=team, email="someone-else@example.org")
    JoinRequestFactory(team=team, user=registered)
    client.force_login(registered)
    page = client.get(SPACE).content.decode()
    assert page.count(reverse("teams:invitation", args=["x"])[:-2]) == 1
    assert "attend la réponse" in page


def test_a_captain_sees_join_requests_to_answer(client, participant, team, registered):
    JoinRequestFactory(team=team, user=registered)
    client.force_login(participant)
    page = client.get(SPACE).content.decode()
    assert "1 demande d\u2019adhésion à traiter" in page


def test_a_judge_sees_open_rounds_with_reviews_left(client, edition):
    judge = JudgeFactory(edition=edition)
    round = RoundFactory(edition=edition, name="Ronde préliminaire")
    AssignmentFactory(round=round, judge=judge)
    done = AssignmentFactory(round=round, judge=judge)
    ReviewFactory(round=round, judge=judge, submission=done.submission, state="submitted")
    RoundFactory(
        edition=edition,
        name="Finale",
        opens_at=timezone.now() + dt.timedelta(days=3),
        closes_at=timezone.now() + dt.timedelta(days=4),
    )
    client.force_login(judge.user)
    page = client.get(SPACE).content.decode()
    assert reverse("judging:round", args=[edition.slug, round.number]) in page
    assert "1 évaluation restante" in page
    assert "ouvre le" in page


def test_an_organizer_sees_next_steps_and_round_links(client, organizer, edition):
    round = RoundFactory(edition=edition)
    client.force_login(organizer)
    page = client.get(SPACE).content.decode()
    assert reverse("teams:organize_registrations", args=[edition.slug]) in page
    assert reverse("judging:organize_round", args=[edition.slug, round.number]) in page
    assert reverse("judging:rankings", args=[edition.slug, round.number]) in page


def test_an_organizer_is_shown_the_results_step_in_deliberation(client):
    edition = EditionFactory(phase=Phase.DELIBERATION)
    organizer = OrganizerRoleFactory(edition=edition).user
    client.force_login(organizer)
    page = client.get(SPACE).content.decode()
    assert reverse("results:manage", args=[edition.slug]) in page


def test_someone_with_nothing_yet_is_invited_to_register(client):
    client.force_login(UserFactory())
    page = client.get(SPACE).content.decode()
    assert "Rien ici pour l\u2019instant" in page


def test_the_space_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    person = UserFactory()

    def build(n):
        for _ in range(n):
            edition = EditionFactory(phase=Phase.JUDGING)
            sheet = SubmissionFactory(team__edition=edition, complete=True, with_dataset=True)
            MembershipFactory(team=sheet.team, user=person)
            OrganizerRoleFactory(edition=EditionFactory(phase=Phase.REGISTRATION), user=person)
            judging = JudgeFactory(edition=EditionFactory(phase=Phase.JUDGING), user=person)
            AssignmentFactory(round__edition=judging.edition, judge=judging)

    build(1)
    client.force_login(person)
    # 16 before the certificates, check-in, agenda and pinned announcements cards (one
    # query each).
    with django_assert_max_num_queries(20) as few:
        client.get(SPACE)
    build(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(SPACE).status_code == 200


def test_the_calendar_lists_the_edition_dates(client, edition):
    response = client.get(reverse("edition_calendar", args=[edition.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") == 5
    assert f"UID:{edition.slug}-submissions_close@hackqc" in body


def test_a_synthetic_edition_has_no_public_calendar(client):
    edition = EditionFactory(is_synthetic=True)
    assert client.get(reverse("edition_calendar", args=[edition.slug])).status_code == 404


def test_registration_card_links_the_registration(client, registered, edition):
    client.force_login(registered)
    page = client.get(SPACE).content.decode()
    assert reverse("teams:register", args=[edition.slug]) in page
