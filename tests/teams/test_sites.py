"""Host sites on the day: each person's seat, within the site's capacity, taken at
registration, by a team's choice of site, or by joining a team that has one."""

import threading

import pytest
from django.db import connection, connections

from teams import services
from teams.exceptions import RegistrationError, SiteFullError
from teams.models import Registration
from teams.services.teams import add_member
from tests.factories.core import EditionFactory, HostSiteFactory, UserFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory


def _register(edition, user, site, role=Registration.Role.PARTICIPANT):
    return services.register(
        edition, user=user, by=user, role=role, accept_rules=True, host_site=site
    )


def test_register_at_a_site_takes_a_seat(edition):
    site = HostSiteFactory(edition=edition, capacity=2)
    person = UserFactory()

    registration = _register(edition, person, site)

    assert Registration.objects.get(pk=registration.pk).host_site == site


def test_register_at_a_full_site_is_refused_and_saves_nothing(edition):
    site = HostSiteFactory(edition=edition, capacity=1)
    RegistrationFactory(edition=edition, host_site=site)
    person = UserFactory()

    with pytest.raises(SiteFullError, match="is full"):
        _register(edition, person, site, role=Registration.Role.MENTOR)

    assert not Registration.objects.filter(user=person).exists()


def test_a_site_without_capacity_has_no_limit(edition):
    site = HostSiteFactory(edition=edition, capacity=None)
    RegistrationFactory.create_batch(5, edition=edition, host_site=site)

    _register(edition, UserFactory(), site)

    assert Registration.objects.filter(host_site=site).count() == 6


def test_register_at_a_site_of_another_edition_is_refused(edition):
    elsewhere = HostSiteFactory(edition=EditionFactory())

    with pytest.raises(RegistrationError, match="another edition"):
        _register(edition, UserFactory(), elsewhere)


def test_changing_site_keeps_the_seat_rule(edition):
    full = HostSiteFactory(edition=edition, capacity=1)
    RegistrationFactory(edition=edition, host_site=full)
    registration = RegistrationFactory(edition=edition)

    with pytest.raises(SiteFullError):
        services.update_registration(registration, by=registration.user, host_site=full)

    registration.refresh_from_db()
    assert registration.host_site is None


def test_a_model_form_setting_the_site_first_is_still_counted(edition):
    """A model form sets the new site on the instance before the service runs."""
    full = HostSiteFactory(edition=edition, capacity=1)
    RegistrationFactory(edition=edition, host_site=full)
    registration = RegistrationFactory(edition=edition)
    registration.host_site = full

    with pytest.raises(SiteFullError):
        services.update_registration(registration, by=registration.user, host_site=full)


def test_a_team_choosing_a_site_seats_every_member_there(edition, team, participant, teammate):
    site = HostSiteFactory(edition=edition, capacity=10)

    services.update_team(team, by=participant, host_site=site)

    seated = set(Registration.objects.filter(host_site=site).values_list("user", flat=True))
    assert seated == {participant.pk, teammate.pk}


def test_a_team_cannot_choose_a_site_too_small_for_it(edition, team, participant, teammate):
    site = HostSiteFactory(edition=edition, capacity=2)
    RegistrationFactory(edition=edition, host_site=site)

    with pytest.raises(SiteFullError, match="1 seat left for 2 people"):
        services.update_team(team, by=participant, host_site=site)

    team.refresh_from_db()
    assert team.host_site is None
    assert not Registration.objects.filter(user=participant, host_site=site).exists()


def test_joining_a_team_moves_the_seat_to_its_site(edition, registered):
    site = HostSiteFactory(edition=edition, capacity=3)
    team = TeamFactory(edition=edition, host_site=site)
    captain = MembershipFactory(team=team, is_captain=True).user
    Registration.objects.filter(user=captain).update(host_site=site)

    add_member(team, registered, by=captain)

    assert Registration.objects.get(edition=edition, user=registered).host_site == site


def test_joining_a_team_at_a_full_site_is_refused(edition, registered):
    site = HostSiteFactory(edition=edition, capacity=1)
    team = TeamFactory(edition=edition, host_site=site)
    captain = MembershipFactory(team=team, is_captain=True).user
    Registration.objects.filter(user=captain).update(host_site=site)

    with pytest.raises(SiteFullError):
        add_member(team, registered, by=captain)

    assert team.memberships.count() == 1


def test_a_member_cannot_pick_another_site_than_the_team(edition, team, participant):
    site, other = HostSiteFactory(edition=edition), HostSiteFactory(edition=edition)
    services.update_team(team, by=participant, host_site=site)
    registration = Registration.objects.get(edition=edition, user=participant)

    with pytest.raises(RegistrationError, match="You come with your team"):
        services.choose_host_site(registration, site=other, by=participant)


def test_registration_form_offers_the_sites_with_their_capacity(client, edition):
    HostSiteFactory(edition=edition, name="Pôle Rimouski", capacity=40)
    user = UserFactory()
    client.force_login(user)

    page = client.get(f"/en/teams/{edition.slug}/register/").content.decode()

    assert "Pôle Rimouski (Québec) — 40 seats" in page
    assert 'name="dietary_needs"' in page
    assert 'name="accessibility_needs"' in page


def test_registration_form_saves_site_and_needs(client, edition):
    site = HostSiteFactory(edition=edition)
    user = UserFactory()
    client.force_login(user)
    page = client.get(f"/en/teams/{edition.slug}/register/")
    version = page.context["form"].initial["rules_version"]

    response = client.post(
        f"/en/teams/{edition.slug}/register/",
        {
            "role": "participant",
            "participant_type": "student",
            "host_site": site.pk,
            "dietary_needs": "Végane",
            "accessibility_needs": "Fauteuil roulant",
            "accept_rules": "on",
            "rules_version": version,
        },
    )

    assert response.status_code == 302
    registration = Registration.objects.get(user=user)
    assert (registration.host_site, registration.dietary_needs) == (site, "Végane")
    assert registration.accessibility_needs == "Fauteuil roulant"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_seat_of_a_site_goes_to_one_of_two_concurrent_registrations():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from hackqc.models import Phase

    edition = EditionFactory(phase=Phase.REGISTRATION)
    site = HostSiteFactory(edition=edition, capacity=3)
    RegistrationFactory.create_batch(2, edition=edition, host_site=site)
    people = [UserFactory() for _i in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def register(person):
        try:
            barrier.wait(timeout=10)
            _register(edition, person, site, role=Registration.Role.VOLUNTEER)
            outcomes.append("seated")
        except SiteFullError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["full", "seated"]
    assert Registration.objects.filter(host_site=site).count() == 3
