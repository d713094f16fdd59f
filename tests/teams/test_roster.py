"""Rosters per host site for the organizers: teams, members, mentors and volunteers, with the
dietary and accessibility needs only the organizers of the edition see."""

import csv
import io

import pytest

from teams.models import Registration
from tests.factories.core import HostSiteFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory


@pytest.fixture
def site(edition):
    return HostSiteFactory(edition=edition, name="Pôle Rimouski", capacity=30)


def _member(team, site, **registration):
    membership = MembershipFactory(team=team)
    Registration.objects.filter(user=membership.user).update(host_site=site, **registration)
    return membership.user


def test_roster_groups_a_site_by_team_then_mentors_and_volunteers(client, edition, site, organizer):
    team = TeamFactory(edition=edition, name="Les Castors", host_site=site)
    member = _member(team, site, dietary_needs="Végétarien")
    mentor = RegistrationFactory(edition=edition, role="mentor", host_site=site)
    elsewhere = RegistrationFactory(edition=edition, host_site=HostSiteFactory(edition=edition))
    client.force_login(organizer)

    response = client.get(f"/en/teams/{edition.slug}/organize/roster/?site={site.pk}")

    roster = response.context["roster"]
    assert [(name, [p.user for p in people]) for name, people in roster.teams] == [
        ("Les Castors", [member])
    ]
    assert [p.user for p in roster.mentors] == [mentor.user]
    page = response.content.decode()
    assert "Végétarien" in page
    assert elsewhere.user.display_name not in page


def test_roster_without_site_lists_people_with_no_site(client, edition, site, organizer):
    seated = RegistrationFactory(edition=edition, host_site=site)
    unseated = RegistrationFactory(edition=edition)
    client.force_login(organizer)

    roster = client.get(f"/en/teams/{edition.slug}/organize/roster/?site=none").context["roster"]

    assert [p.user for p in roster.people] == [unseated.user]
    assert seated.user not in [p.user for p in roster.people]


@pytest.mark.parametrize("who", ["participant", "volunteer", "other_organizer"])
def test_needs_are_seen_only_by_the_organizers_of_the_edition(
    client, edition, site, who, other_organizer
):
    RegistrationFactory(edition=edition, host_site=site, accessibility_needs="Rampe d'accès")
    user = {
        "participant": lambda: RegistrationFactory(edition=edition).user,
        "volunteer": lambda: RegistrationFactory(edition=edition, role="volunteer").user,
        "other_organizer": lambda: other_organizer,
    }[who]()
    client.force_login(user)

    for path in ("roster/", "roster.csv", "sites/"):
        response = client.get(f"/en/teams/{edition.slug}/organize/{path}?site={site.pk}")
        assert response.status_code == 403
        assert b"Rampe" not in response.content


def test_roster_csv_opens_in_excel_and_carries_the_needs(client, edition, site, organizer):
    RegistrationFactory(
        edition=edition,
        host_site=site,
        user__display_name="=Hyperlien",
        dietary_needs="Sans gluten",
        accessibility_needs="",
    )
    client.force_login(organizer)

    response = client.get(f"/en/teams/{edition.slug}/organize/roster.csv?site={site.pk}")

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "E-mail", "Role"]
    assert rows[1][0] == "'=Hyperlien"  # no formula injection
    assert rows[1][4:7] == ["Pôle Rimouski", "Université Laval", "Sans gluten"]
    assert f"{edition.slug}-roster-site-{site.pk}.csv" in response["Content-Disposition"]


def test_roster_xlsx_has_the_same_table(client, edition, site, organizer):
    from openpyxl import load_workbook

    RegistrationFactory(edition=edition, host_site=site, accessibility_needs="Rampe")
    client.force_login(organizer)

    response = client.get(f"/en/teams/{edition.slug}/organize/roster.xlsx?site={site.pk}")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][6:8] == ["Dietary needs", "Accessibility needs"]
    assert (rows[1][4], rows[1][7]) == ("Pôle Rimouski", "Rampe")


def test_sites_page_shows_capacity_seats_and_arrivals(client, edition, site, organizer):
    RegistrationFactory.create_batch(2, edition=edition, host_site=site)
    client.force_login(organizer)

    response = client.get(f"/en/teams/{edition.slug}/organize/sites/")

    [counted] = response.context["sites"]
    assert (counted.capacity, counted.seats, counted.seats_left, counted.arrived) == (30, 2, 28, 0)


@pytest.mark.parametrize("size", [1, 3])
def test_roster_queries_do_not_grow_with_people(
    client, edition, site, organizer, size, django_assert_num_queries
):
    for _i in range(size):
        team = TeamFactory(edition=edition, host_site=site)
        _member(team, site)
        RegistrationFactory(edition=edition, role="mentor", host_site=site)
    client.force_login(organizer)
    url = f"/en/teams/{edition.slug}/organize/roster/?site={site.pk}"
    client.get(url)

    with django_assert_num_queries(7):
        client.get(url)
