"""The board and the organizers' pages cost the same number of queries at 1 and 3 teams."""

import pytest
from django.urls import reverse

from tests.factories.core import ChallengeFactory
from tests.factories.teams import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def _teams(edition, count):
    challenge = ChallengeFactory(edition=edition)
    skills = [SkillFactory(name="Python"), SkillFactory(name="SIG")]
    for number in range(count):
        team = TeamFactory(edition=edition, challenge=challenge)
        team.wanted_skills.set(skills)
        MembershipFactory(team=team, is_captain=True)
        MembershipFactory(team=team)
        person = RegistrationFactory(edition=edition, looking_for_team=True, show_profile=True)
        person.skills.set(skills)
        JoinRequestFactory(team=team, user=RegistrationFactory(edition=edition).user)
        InvitationFactory(team=team)
        assert number >= 0


@pytest.mark.parametrize("count", [1, 3])
def test_board_queries_constant(client, edition, registered, count, django_assert_num_queries):
    _teams(edition, count)
    client.force_login(registered)
    url = reverse("teams:board", kwargs={"slug": edition.slug})

    with django_assert_num_queries(14):
        response = client.get(url)

    assert response.content.decode().count("/teams/team/") == count


@pytest.mark.parametrize("count", [1, 3])
def test_organizer_team_list_queries_constant(
    client, edition, organizer, count, django_assert_num_queries
):
    _teams(edition, count)
    client.force_login(organizer)
    url = reverse("teams:organize_teams", kwargs={"slug": edition.slug})

    with django_assert_num_queries(8):
        response = client.get(url)

    assert response.content.decode().count("/teams/team/") >= count


@pytest.mark.parametrize("count", [1, 3])
def test_organizer_exports_queries_constant(
    client, edition, organizer, count, django_assert_num_queries
):
    _teams(edition, count)
    client.force_login(organizer)

    # 6 for the file, 3 for its entry in the audit log (a download of personal data).
    with django_assert_num_queries(9):
        teams = client.get(reverse("teams:organize_teams_csv", kwargs={"slug": edition.slug}))
    with django_assert_num_queries(9):
        people = client.get(
            reverse("teams:organize_registrations_csv", kwargs={"slug": edition.slug})
        )

    assert teams.content.decode("utf-8-sig").count("\n") == count + 1
    assert people.content.decode("utf-8-sig").count("\n") == 1 + 4 * count


@pytest.mark.parametrize("count", [1, 3])
def test_registration_list_queries_constant(
    client, edition, organizer, count, django_assert_num_queries
):
    _teams(edition, count)
    client.force_login(organizer)

    with django_assert_num_queries(9):
        client.get(reverse("teams:organize_registrations", kwargs={"slug": edition.slug}))


@pytest.mark.parametrize("count", [1, 3])
def test_team_page_queries_constant_in_members_and_requests(
    client, edition, count, django_assert_num_queries
):
    team = TeamFactory(edition=edition)
    captain = MembershipFactory(team=team, is_captain=True).user
    for _number in range(count):
        MembershipFactory(team=team)
        JoinRequestFactory(team=team, user=RegistrationFactory(edition=edition).user)
        InvitationFactory(team=team)
    client.force_login(captain)

    with django_assert_num_queries(11):
        client.get(reverse("teams:team_detail", kwargs={"pk": team.pk}))


def test_board_warm_costs_only_the_visitors_own_queries(
    client, edition, registered, django_assert_max_num_queries, settings
):
    # Issue 18: the board is rendered once per change of what it shows; a second visit
    # runs only the per-person queries (session, user, edition, registration, membership,
    # the menu's roles).
    # Local memory, as in the embedded default: a Redis slowed by a loaded machine would
    # (rightly) make the page skip its cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _teams(edition, 3)
    client.force_login(registered)
    url = reverse("teams:board", kwargs={"slug": edition.slug})
    cold = client.get(url).content.decode()

    with django_assert_max_num_queries(7) as captured:
        warm = client.get(url).content.decode()

    def lists(page):
        return page[page.index('id="teams-heading"') : page.index("</main>")]

    assert lists(warm) == lists(cold)
    assert "/teams/team/" in lists(warm)
    assert not [q for q in captured.captured_queries if 'FROM "teams_team"' in q["sql"]]
