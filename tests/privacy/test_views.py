"""The privacy page, the copy of one's data by mailed link, and closing one's account."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from hackqc.privacy.exporting import export_token
from hackqc.privacy.models import DataExport
from teams import services as teams
from tests.factories.core import PASSWORD, UserFactory
from tests.factories.teams import MembershipFactory, TeamFactory

PAGE = reverse("privacy:page")


@pytest.fixture
def person(edition):
    user = UserFactory(display_name="Camille Tremblay", email="camille@example.org")
    registration = teams.register(
        edition, user=user, by=user, role="participant", accept_rules=True, show_profile=True
    )
    teams.update_consent(registration, by=user, show_profile=False)
    return user


def test_the_page_says_what_is_held_who_sees_it_and_the_consents(client, person, edition):
    client.force_login(person)

    page = client.get(PAGE).content.decode()

    assert "Inscriptions" in page  # what is held: the registration
    assert "Qui voit quoi" in page
    assert "Avec votre consentement" in page
    assert "Nom et profil affichés aux autres participants" in page
    assert "Retiré" in page  # in force: withdrawn
    assert page.count("version 2026-12") == 2  # history: given, then withdrawn
    assert reverse("teams:register", kwargs={"slug": edition.slug}) in page


def test_mon_espace_and_the_account_menu_link_to_the_page(client, person):
    client.force_login(person)
    page = client.get(reverse("space")).content.decode()
    assert page.count(f'href="{PAGE}"') == 2


def test_a_copy_is_built_by_the_task_and_mailed_as_an_expiring_link(
    client, person, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_EXPORT_LINK_HOURS = 2
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export"), follow=True)

    assert "Votre copie est en préparation" in response.content.decode()
    export = DataExport.objects.get(user=person)
    assert export.state == "ready"
    assert (export.expires_at - export.built_at).total_seconds() == 2 * 3600
    message = mail.outbox[-1]
    assert message.to == ["camille@example.org"]
    link = re.search(r"https?://\S+/privacy/export/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].partition("/")[2]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Université" not in page.content.decode()  # nothing invented
    assert "camille@example.org" in page.content.decode()
    download = client.get("/" + path + "json/")
    data = json.loads(download.content)
    assert data["format"] == "hackqc-personal-data"
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_link_is_refused_to_another_account_and_once_expired(client, person, time_machine):
    export = DataExport.objects.create(
        user=person, state="ready", built_at=_now(), expires_at=_now(hours=1), data={"sections": []}
    )
    url = reverse("privacy:export_view", kwargs={"token": export_token(export)})
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(person)
    assert client.get(url).status_code == 200
    time_machine.move_to(_now(hours=2))
    assert client.get(url).status_code == 404
    assert client.get(url + "json/").status_code == 404


def test_a_forged_token_is_refused(client, person):
    client.force_login(person)
    url = reverse("privacy:export_view", kwargs={"token": "eyJleHBvcnQiOjF9:forged:sig"})
    assert client.get(url).status_code == 404


def _now(hours=0):
    import datetime as dt

    from django.utils import timezone

    return timezone.now() + dt.timedelta(hours=hours)


def test_closing_asks_for_the_password_and_confirmation(client, person):
    client.force_login(person)
    url = reverse("privacy:close")

    wrong = client.post(url, {"password": "nope", "confirm": "on"})
    unconfirmed = client.post(url, {"password": PASSWORD})

    assert "Ce n&#x27;est pas votre mot de passe." in wrong.content.decode()
    assert unconfirmed.status_code == 200
    person.refresh_from_db()
    assert not person.is_erased


def test_closing_erases_and_signs_out(client, edition):
    team = TeamFactory(edition=edition)
    captain = MembershipFactory(team=team, is_captain=True).user
    member = MembershipFactory(team=team).user
    client.force_login(captain)

    response = client.post(reverse("privacy:close"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    captain.refresh_from_db()
    assert captain.is_erased
    assert team.memberships.get(is_captain=True).user == member
    assert client.get(PAGE).status_code == 302  # signed out
    assert not client.login(email=captain.email, password=PASSWORD)
