"""Editions: the timeline is valid in forms and in the database; pages show it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from hackqc.models import Edition, Phase
from tests.factories.core import ChallengeFactory, EditionFactory, HostSiteFactory


def test_database_refuses_a_timeline_out_of_order(db):
    edition = EditionFactory()
    edition.hacking_starts = edition.registration_opens - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        edition.save()


def test_database_refuses_results_before_submissions_close(db):
    edition = EditionFactory(phase=Phase.JUDGING)
    edition.results_published = edition.submissions_close - dt.timedelta(seconds=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        edition.save()


def test_database_refuses_a_maximum_team_size_below_the_minimum(db):
    edition = EditionFactory()
    edition.team_size_max = edition.team_size_min - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        edition.save()


def test_home_shows_current_edition_phase_timeline_and_challenges(client, db):
    past = EditionFactory(phase=Phase.RESULTS, name="HackQC 2025")
    current = EditionFactory(name="HackQC 2026", theme="Transition écologique")
    ChallengeFactory(edition=current, number=2, title="Qualité de l'air", partner="MELCCFP")
    ChallengeFactory(edition=current, number=1, title="Mobilité", partner="Ville de Montréal")
    HostSiteFactory(edition=current, name="Pôle de Rimouski", city="Rimouski")

    page = client.get(reverse("home")).content.decode()

    assert '<h1 id="current-edition">HackQC 2026</h1>' in page
    assert "Inscriptions ouvertes" in page or "Registration open" in page
    assert page.index("Mobilité") < page.index("Qualité de l&#x27;air")
    assert "Pôle de Rimouski" in page
    assert past.get_absolute_url() in page


def test_home_query_count_does_not_grow_with_editions(client, db, django_assert_num_queries):
    def add_edition(i):
        edition = EditionFactory(phase=Phase.RESULTS)
        ChallengeFactory(edition=edition)
        HostSiteFactory(edition=edition)

    # The editions, the featured one's challenges and sites, its pinned announcements.
    add_edition(0)
    with django_assert_num_queries(4):
        client.get(reverse("home"))
    add_edition(1)
    add_edition(2)
    with django_assert_num_queries(4):
        client.get(reverse("home"))


def test_home_without_edition_says_so(client, db):
    response = client.get(reverse("home"))
    assert "Aucune édition" in response.content.decode()


def test_edition_page_lists_rules_and_challenges(client, db):
    edition = EditionFactory(team_size_min=3, team_size_max=5, min_datasets=2)
    ChallengeFactory(edition=edition, title="Inondations", partner="MSP")
    page = client.get(edition.get_absolute_url()).content.decode()
    assert "Inondations" in page
    assert "3 à 5" in page
    assert Edition.objects.count() == 1


def test_unknown_edition_is_404(client, db):
    assert client.get(reverse("edition_detail", kwargs={"slug": "nope"})).status_code == 404


def test_edition_page_offers_registration_only_while_open(client, db):
    open_edition = EditionFactory(phase=Phase.REGISTRATION)
    closed_edition = EditionFactory(phase=Phase.HACKING)
    register = reverse("teams:register", args=[open_edition.slug])
    assert register in client.get(open_edition.get_absolute_url()).content.decode()
    closed_page = client.get(closed_edition.get_absolute_url()).content.decode()
    assert reverse("teams:register", args=[closed_edition.slug]) not in closed_page
