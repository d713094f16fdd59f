"""Each edition's rules and code of conduct are versioned pages its organizers write; the
registration form links the version being accepted, and the registration records it."""

import pytest
from django.urls import reverse
from django.utils import translation

from hackqc import services
from hackqc.exceptions import HackQCError
from hackqc.models import EditionPage
from hackqc.pages import accepted_rules_version, parse_rules_version
from teams.models import Registration
from tests.factories.core import UserFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _edit_url(edition, kind):
    return reverse("organize:edition_page", args=[edition.slug, kind])


def _page_url(edition, kind):
    return reverse("edition_page", args=[edition.slug, kind])


def test_organizer_publishes_versions_of_the_rules(client, edition, organizer):
    client.force_login(organizer)

    client.post(_edit_url(edition, "rules"), {"body": "# Règlements\n\nÉquipes de 4 à 6."})
    client.post(_edit_url(edition, "rules"), {"body": "# Règlements\n\nÉquipes de 2 à 6."})
    client.post(_edit_url(edition, "rules"), {"body": "# Règlements\n\nÉquipes de 2 à 6."})

    pages = EditionPage.objects.filter(edition=edition, kind="rules").order_by("version")
    assert [(p.version, p.created_by) for p in pages] == [(1, organizer), (2, organizer)]
    html = client.get(_page_url(edition, "rules")).content.decode()
    assert "Équipes de 2 à 6." in html
    assert "<h2>Règlements</h2>" in html
    old = client.get(_page_url(edition, "rules"), {"version": 1}).content.decode()
    assert "Équipes de 4 à 6." in old
    assert "Read the current version (2)" in old


def test_pages_are_public_but_written_by_organizers_only(client, edition, participant):
    services.publish_page(edition, kind="conduct", body="Respect.", by=None)
    assert client.get(_page_url(edition, "conduct")).status_code == 200
    assert client.get(_page_url(edition, "unknown")).status_code == 404
    assert client.get(_page_url(edition, "conduct"), {"version": "99"}).status_code == 404
    client.force_login(participant)

    response = client.post(_edit_url(edition, "conduct"), {"body": "Rien."})

    assert response.status_code == 403
    assert EditionPage.objects.get().body == "Respect."


def test_empty_page_is_refused(edition, organizer):
    with pytest.raises(HackQCError):
        services.publish_page(edition, kind="rules", body="  \r\n ", by=organizer)


def test_registration_links_and_records_the_version_accepted(client, edition):
    services.publish_page(edition, kind="rules", body="v1", by=None)
    services.publish_page(edition, kind="rules", body="v2", by=None)
    services.publish_page(edition, kind="conduct", body="c1", by=None)
    assert accepted_rules_version(edition) == "R2-C1"
    person = UserFactory()
    client.force_login(person)
    url = reverse("teams:register", args=[edition.slug])

    html = client.get(url).content.decode()

    assert f'href="{_page_url(edition, "rules")}?version=2"' in html
    assert f'href="{_page_url(edition, "conduct")}?version=1"' in html
    assert 'name="rules_version" value="R2-C1"' in html
    client.post(url, _registration(rules_version="R2-C1"))
    registration = Registration.objects.get(user=person)
    assert registration.rules_version == "R2-C1"
    assert parse_rules_version(registration.rules_version) == {"rules": 2, "conduct": 1}


def test_registration_refused_when_the_rules_changed_while_reading(client, edition):
    services.publish_page(edition, kind="rules", body="v1", by=None)
    person = UserFactory()
    client.force_login(person)
    url = reverse("teams:register", args=[edition.slug])
    shown = "R1"
    services.publish_page(edition, kind="rules", body="v2", by=None)

    response = client.post(url, _registration(rules_version=shown))

    assert response.context["form"].errors["accept_rules"]
    assert not Registration.objects.filter(user=person).exists()


def test_edition_page_links_its_rules_and_code_of_conduct(client, edition):
    services.publish_page(edition, kind="conduct", body="c1", by=None)

    html = client.get(reverse("edition_detail", args=[edition.slug])).content.decode()

    assert f'href="{_page_url(edition, "conduct")}?version=1"' in html


def _registration(**extra):
    return {
        "role": "participant",
        "participant_type": "student",
        "organisation": "",
        "bio": "",
        "skills": "",
        "accept_rules": "on",
        **extra,
    }
