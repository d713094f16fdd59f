import pytest
from django.urls import reverse

from hackqc.exceptions import PhaseClosedError
from hackqc.models import Phase
from teams import services
from teams.exceptions import RegistrationError
from teams.models import JoinRequest, Registration
from tests.factories.core import EditionFactory, UserFactory
from tests.factories.teams import JoinRequestFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

FORM = {
    "role": "participant",
    "organisation": "Cégep de Rimouski",
    "participant_type": "student",
    "skills": "Python, cartographie, python",
    "bio": "J'aime les cartes.",
    "looking_for_team": "on",
    "accept_rules": "on",
}


def test_register_records_rules_version_and_date(edition, settings):
    settings.TEAMS_RULES_VERSION = "2027-b"
    user = UserFactory()

    registration = services.register(
        edition, user=user, by=user, role="participant", accept_rules=True, skills=["SIG"]
    )

    assert registration.rules_version == "2027-b"
    assert registration.rules_accepted_at is not None
    assert registration.show_profile is False
    assert [s.slug for s in registration.skills.all()] == ["sig"]


def test_register_requires_rules(edition):
    user = UserFactory()

    with pytest.raises(RegistrationError) as exc:
        services.register(edition, user=user, by=user, role="participant", accept_rules=False)

    assert exc.value.field == "accept_rules"
    assert not Registration.objects.filter(user=user).exists()


def test_register_twice_refused(registered, edition):
    with pytest.raises(RegistrationError):
        services.register(edition, user=registered, by=registered, role="mentor", accept_rules=True)

    assert Registration.objects.get(user=registered).role == "participant"


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.PREPARATION, Phase.HACKING])
def test_register_refused_when_registration_closed(phase):
    edition, user = EditionFactory(phase=phase), UserFactory()

    with pytest.raises(PhaseClosedError):
        services.register(edition, user=user, by=user, role="participant", accept_rules=True)


def test_late_registration_by_organizer(organizer):
    edition, user = EditionFactory(phase=Phase.HACKING), UserFactory()

    registration = services.register(
        edition, user=user, by=organizer, role="participant", accept_rules=True, late=True
    )

    assert registration.registered_by == organizer


def test_late_registration_refused_after_submissions_close(organizer):
    edition, user = EditionFactory(phase=Phase.JUDGING), UserFactory()

    with pytest.raises(PhaseClosedError):
        services.register(
            edition, user=user, by=organizer, role="participant", accept_rules=True, late=True
        )


def test_withdraw_deletes_registration_and_pending_requests(registered, edition, team):
    JoinRequestFactory(team=team, user=registered)

    services.withdraw_registration(Registration.objects.get(user=registered), by=registered)

    assert not Registration.objects.filter(user=registered).exists()
    assert not JoinRequest.objects.exists()


def test_withdraw_refused_to_team_member(teammate):
    with pytest.raises(RegistrationError) as exc:
        services.withdraw_registration(Registration.objects.get(user=teammate), by=teammate)

    assert "Leave your team" in exc.value.message
    assert Registration.objects.filter(user=teammate).exists()


def test_withdraw_refused_once_hacking_started():
    edition = EditionFactory(phase=Phase.HACKING)
    registration = RegistrationFactory(edition=edition)

    with pytest.raises(PhaseClosedError):
        services.withdraw_registration(registration, by=registration.user)

    assert Registration.objects.filter(pk=registration.pk).exists()


def test_member_cannot_become_mentor(teammate):
    registration = Registration.objects.get(user=teammate)

    with pytest.raises(RegistrationError):
        services.update_registration(registration, by=teammate, role="mentor")

    registration.refresh_from_db()
    assert registration.role == "participant"


def test_register_view_registers_and_redirects_to_board(client, edition):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("teams:register", kwargs={"slug": edition.slug}), FORM)

    assert response.url == reverse("teams:board", kwargs={"slug": edition.slug})
    registration = Registration.objects.get(user=user)
    assert (registration.organisation, registration.looking_for_team) == ("Cégep de Rimouski", True)
    assert registration.show_profile is False
    assert sorted(s.slug for s in registration.skills.all()) == ["cartographie", "python"]


def test_register_view_without_rules_shows_error(client, edition):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("teams:register", kwargs={"slug": edition.slug}),
        {**FORM, "accept_rules": ""},
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Registration.objects.filter(user=user).exists()


def test_register_view_follows_safe_next_only(client, edition):
    user = UserFactory()
    client.force_login(user)
    url = reverse("teams:register", kwargs={"slug": edition.slug})

    response = client.post(url, {**FORM, "next": "https://evil.example/"})

    assert response.url == reverse("teams:board", kwargs={"slug": edition.slug})


@pytest.mark.parametrize("target", ["foo", "teams:board", "//evil.example/", "\\evil.example"])
def test_register_view_ignores_a_next_that_is_not_a_path_of_the_site(client, edition, target):
    client.force_login(UserFactory())
    url = reverse("teams:register", kwargs={"slug": edition.slug})

    response = client.post(f"{url}?next={target}", FORM)

    assert response.status_code == 302
    assert response.url == reverse("teams:board", kwargs={"slug": edition.slug})
    assert Registration.objects.filter(edition=edition).count() == 1


def test_register_view_follows_a_path_of_the_site(client, edition):
    client.force_login(UserFactory())
    url = reverse("teams:register", kwargs={"slug": edition.slug})

    response = client.post(url, {**FORM, "next": "/fr/projects/"})

    assert response.url == "/fr/projects/"


def test_register_view_edits_profile_and_consent(client, registered, edition):
    client.force_login(registered)

    client.post(
        reverse("teams:register", kwargs={"slug": edition.slug}),
        {**FORM, "show_profile": "on", "bio": "Nouvelle bio"},
    )

    registration = Registration.objects.get(user=registered)
    assert (registration.bio, registration.show_profile) == ("Nouvelle bio", True)


def test_register_view_redirects_anonymous_to_login(client, edition):
    url = reverse("teams:register", kwargs={"slug": edition.slug})

    response = client.get(url)

    assert response.url.startswith(reverse("account_login"))


def test_register_view_shows_closed_registration(client):
    edition = EditionFactory(phase=Phase.HACKING)
    client.force_login(UserFactory())

    response = client.get(reverse("teams:register", kwargs={"slug": edition.slug}))

    assert "Registration for this edition is closed" in response.content.decode()


def test_withdraw_view(client, registered, edition):
    client.force_login(registered)

    response = client.post(reverse("teams:withdraw", kwargs={"slug": edition.slug}))

    assert response.url == edition.get_absolute_url()
    assert not Registration.objects.filter(user=registered).exists()


def test_withdraw_view_refuses_member(client, teammate, edition):
    client.force_login(teammate)

    client.post(reverse("teams:withdraw", kwargs={"slug": edition.slug}))

    assert Registration.objects.filter(user=teammate).exists()


def test_consent_can_be_withdrawn_after_teams_froze(client):
    edition = EditionFactory(phase=Phase.JUDGING)
    registration = RegistrationFactory(edition=edition, show_profile=True, bio="Avant")
    client.force_login(registration.user)
    url = reverse("teams:register", kwargs={"slug": edition.slug})

    page = client.get(url).content.decode()
    client.post(url, {"bio": "Après"})

    registration.refresh_from_db()
    assert "you can still give or withdraw your consent" in page
    assert (registration.show_profile, registration.bio) == (False, "Avant")


def test_profile_cannot_change_after_teams_froze():
    edition = EditionFactory(phase=Phase.JUDGING)
    registration = RegistrationFactory(edition=edition)

    with pytest.raises(PhaseClosedError):
        services.update_registration(registration, by=registration.user, bio="Trop tard")


def test_team_member_cannot_become_mentor_through_the_form(client, edition, teammate):
    """The model form sets the new role on the instance before the service runs: the service
    compares with the stored role, so the team check is not skipped."""
    client.force_login(teammate)

    response = client.post(
        reverse("teams:register", kwargs={"slug": edition.slug}),
        {"role": "mentor", "participant_type": "other", "organisation": "MCN"},
    )

    assert response.status_code == 200
    assert len(response.context["form"].errors["role"]) == 1
    assert Registration.objects.get(user=teammate).role == "participant"
