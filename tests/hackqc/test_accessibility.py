"""Every core page passes the structural accessibility check, in both languages."""

import pytest
from django.urls import reverse

from tests.a11y import accessibility_problems, assert_accessible
from tests.factories.core import ChallengeFactory, HostSiteFactory


def test_checker_catches_an_unlabelled_field_and_a_missing_alt():
    html = (
        '<html lang="fr"><a href="#main">x</a><h1>T</h1>'
        '<input name="q"><img src="a.png"><button></button></html>'
    )
    assert accessibility_problems(html) == [
        "unlabelled <input name='q'>",
        "<img src='a.png'> has no alt",
        "button without text",
    ]


@pytest.fixture
def full_edition(edition):
    ChallengeFactory(edition=edition)
    HostSiteFactory(edition=edition)
    return edition


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages_are_accessible(client, full_edition, language):
    for url in [
        f"/{language}/",
        f"/{language}/editions/{full_edition.slug}/",
        f"/{language}/accounts/login/",
        f"/{language}/accounts/signup/",
        f"/{language}/accounts/password/reset/",
        f"/{language}/privacy-policy/",
    ]:
        assert_accessible(client.get(url))


def test_organizer_pages_are_accessible(client, organizer, full_edition):
    client.force_login(organizer)
    challenge = full_edition.challenges.get()
    for url in [
        reverse("organize:editions"),
        reverse("organize:dashboard", args=[full_edition.slug]),
        reverse("organize:edition_update", args=[full_edition.slug]),
        reverse("organize:challenge_update", args=[full_edition.slug, challenge.pk]),
        reverse("organize:site_create", args=[full_edition.slug]),
        reverse("profile"),
    ]:
        assert_accessible(client.get(url))


def test_staff_pages_are_accessible(client, staff, db):
    client.force_login(staff)
    assert_accessible(client.get(reverse("organize:edition_create")))
    assert_accessible(client.get(reverse("organize:health")))
