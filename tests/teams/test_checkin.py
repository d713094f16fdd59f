"""Check-in on the day: a personal QR code in Mon espace, and a page where the edition's
organizers and volunteers check people in, once, by scanned or typed code."""

import pytest
from django.utils import timezone

from teams import services
from teams.checkin import display_code, normalize_code, registration_by_code
from teams.exceptions import CheckInError
from teams.models import Registration
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.teams import RegistrationFactory


@pytest.fixture
def volunteer(edition):
    return RegistrationFactory(edition=edition, role=Registration.Role.VOLUNTEER).user


@pytest.fixture
def arriving(edition):
    return RegistrationFactory(edition=edition, user__display_name="Marie Tremblay")


def test_every_registration_gets_its_own_unguessable_code(edition):
    codes = {r.checkin_code for r in RegistrationFactory.create_batch(20, edition=edition)}

    assert len(codes) == 20
    assert all(len(code) == 10 and code.isalnum() and code.isupper() for code in codes)


def test_a_typed_code_is_found_with_dashes_spaces_and_small_letters(edition, arriving):
    typed = " " + display_code(arriving.checkin_code).lower() + " "

    assert normalize_code(typed) == arriving.checkin_code
    assert registration_by_code(edition, typed) == arriving


def test_a_code_of_another_edition_is_unknown_here(edition):
    elsewhere = RegistrationFactory(edition=EditionFactory())

    with pytest.raises(CheckInError):
        registration_by_code(edition, elsewhere.checkin_code)


def test_check_in_twice_is_once(edition, arriving, volunteer):
    other_volunteer = RegistrationFactory(edition=edition, role="volunteer").user

    first = services.check_in(arriving, by=volunteer)
    when = Registration.objects.get(pk=arriving.pk).checked_in_at
    second = services.check_in(arriving, by=other_volunteer)

    arriving.refresh_from_db()
    assert (first, second) == (True, False)
    assert (arriving.checked_in_at, arriving.checked_in_by) == (when, volunteer)


@pytest.mark.parametrize("who", ["participant", "mentor", "other_organizer", "stranger"])
def test_only_organizers_and_volunteers_may_check_in(edition, arriving, who, other_organizer):
    people = {
        "participant": lambda: RegistrationFactory(edition=edition).user,
        "mentor": lambda: RegistrationFactory(edition=edition, role="mentor").user,
        "other_organizer": lambda: other_organizer,
        "stranger": UserFactory,
    }

    with pytest.raises(CheckInError):
        services.check_in(arriving, by=people[who]())

    assert Registration.objects.get(pk=arriving.pk).checked_in_at is None


def test_an_organizer_may_check_in(edition, arriving, organizer):
    assert services.check_in(arriving, by=organizer) is True


def test_checkin_page_by_typed_code_checks_in_and_says_who(client, edition, arriving, volunteer):
    client.force_login(volunteer)
    url = f"/en/teams/{edition.slug}/checkin/"

    response = client.post(url, {"code": display_code(arriving.checkin_code)}, follow=True)

    page = response.content.decode()
    assert "Marie Tremblay is checked in." in page
    assert Registration.objects.get(pk=arriving.pk).checked_in_by == volunteer
    again = client.post(url, {"code": arriving.checkin_code}, follow=True).content.decode()
    assert "Marie Tremblay was already checked in, at" in again


def test_checkin_page_link_from_a_qr_code_shows_the_person_first(
    client, edition, arriving, volunteer
):
    client.force_login(volunteer)

    page = client.get(f"/en/teams/{edition.slug}/checkin/?code={arriving.checkin_code}")

    assert "Check in Marie Tremblay" in page.content.decode()
    assert Registration.objects.get(pk=arriving.pk).checked_in_at is None  # GET writes nothing


def test_checkin_page_unknown_code_is_a_clear_error(client, edition, volunteer):
    client.force_login(volunteer)

    response = client.post(f"/en/teams/{edition.slug}/checkin/", {"code": "ZZZZZ-ZZZZZ"})

    assert response.status_code == 200
    assert "No one of this edition has this check-in code" in response.content.decode()


def test_checkin_page_never_shows_needs(client, edition, volunteer):
    person = RegistrationFactory(edition=edition, dietary_needs="Sans arachides")
    services.check_in(person, by=volunteer)
    client.force_login(volunteer)

    page = client.get(f"/en/teams/{edition.slug}/checkin/?code={person.checkin_code}")

    assert "Sans arachides" not in page.content.decode()


@pytest.mark.parametrize("who", ["participant", "other_organizer"])
def test_checkin_page_refuses_others(client, edition, arriving, who, other_organizer):
    user = (
        other_organizer if who == "other_organizer" else RegistrationFactory(edition=edition).user
    )
    client.force_login(user)
    url = f"/en/teams/{edition.slug}/checkin/"

    assert client.get(url).status_code == 403
    assert client.post(url, {"code": arriving.checkin_code}).status_code == 403
    assert Registration.objects.get(pk=arriving.pk).checked_in_at is None


def test_space_shows_the_persons_qr_code_and_code(client, edition, arriving):
    client.force_login(arriving.user)

    page = client.get("/en/space/").content.decode()

    assert 'src="data:image/svg+xml' in page
    assert display_code(arriving.checkin_code) in page


def test_space_says_when_checked_in(client, edition, arriving):
    Registration.objects.filter(pk=arriving.pk).update(checked_in_at=timezone.now())
    client.force_login(arriving.user)

    page = client.get("/en/space/").content.decode()

    assert "You checked in on" in page
    assert display_code(arriving.checkin_code) not in page


def test_volunteers_space_leads_to_the_checkin_page(client, edition, volunteer):
    client.force_login(volunteer)

    page = client.get("/en/space/").content.decode()

    assert f"/en/teams/{edition.slug}/checkin/" in page


def test_dashboard_counts_arrivals_per_site(client, edition, organizer, volunteer):
    from tests.factories.core import HostSiteFactory

    site = HostSiteFactory(edition=edition, name="Pôle Sherbrooke", capacity=50)
    people = RegistrationFactory.create_batch(3, edition=edition, host_site=site)
    for person in people[:2]:
        services.check_in(person, by=volunteer)
    client.force_login(organizer)

    response = client.get(f"/en/organize/{edition.slug}/")

    sites = {s.name: (s.arrived, s.seats) for s in response.context["sites"]}
    assert sites == {"Pôle Sherbrooke": (2, 3)}
    assert "Attendance" in response.content.decode()


def test_organizer_of_another_edition_sees_no_code_of_this_one(edition, other_organizer):
    OrganizerRoleFactory(edition=EditionFactory(), user=other_organizer)
    arriving = RegistrationFactory(edition=edition)

    with pytest.raises(CheckInError):
        services.check_in(arriving, by=other_organizer)
