"""The visibility rules: one predicate each, and every count and page that uses it."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from hackqc.models import Edition, Phase
from hackqc.visibility import feedback_round_ids, is_gallery_public, public_gallery
from submissions.catalogue import queries as catalogue
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import EditionFactory
from tests.factories.submissions import DatasetLinkFactory, record_submitted_version


def reuse(dataset, edition):
    link = DatasetLinkFactory(
        dataset=dataset, submission__state="submitted", submission__team__edition=edition
    )
    record_submitted_version(link.submission)
    return link


@pytest.mark.django_db
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("early", [False, True])
def test_gallery_predicate_and_its_filter_agree(phase, early):
    edition = EditionFactory(phase=phase, gallery_open_early=early)

    filtered = Edition.objects.filter(public_gallery(), pk=edition.pk).exists()

    assert filtered == is_gallery_public(edition)


@pytest.mark.django_db
def test_reuse_counts_and_statistics_leave_out_editions_still_in_competition(client):
    dataset = DatasetFactory(title="Pistes cyclables")
    reuse(dataset, EditionFactory(phase=Phase.HACKING))
    judged = EditionFactory(phase=Phase.JUDGING)
    reuse(dataset, judged)

    response = client.get(reverse("catalogue:search"), {"q": "pistes"})
    stats = client.get(reverse("catalogue:stats"))

    assert [d.reuse_count for d in response.context["datasets"]] == [1]
    assert catalogue.reuse_totals() == {"projects": 1, "datasets": 1}
    assert catalogue.top_reused_datasets() == [(dataset, 1)]
    assert stats.context["totals"] == {"projects": 1, "datasets": 1}


@pytest.mark.django_db
def test_reuse_counts_include_an_edition_whose_gallery_opened_early():
    dataset = DatasetFactory()
    reuse(dataset, EditionFactory(phase=Phase.HACKING, gallery_open_early=True))

    assert catalogue.reuse_totals() == {"projects": 1, "datasets": 1}


def test_feedback_rounds_are_closed_and_used_by_the_published_results():
    closed_used = SimpleNamespace(pk=1, closed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    open_used = SimpleNamespace(pk=2, closed_at=None)
    closed_unused = SimpleNamespace(pk=3, closed_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    snapshot = SimpleNamespace(rankings={"1": {}, "2": {}}, main_round_id=1)
    rounds = [closed_used, open_used, closed_unused]

    assert feedback_round_ids(snapshot, rounds) == {1}
    assert feedback_round_ids(None, rounds) == set()


# Drafts: seen by their organizers (and staff) only ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Edition.Status))
@pytest.mark.parametrize("synthetic", [False, True])
def test_edition_predicate_and_its_filters_agree(status, synthetic):
    from django.contrib.auth.models import AnonymousUser

    from hackqc.visibility import (
        is_edition_public,
        is_edition_visible,
        public_editions,
        visible_editions,
    )
    from tests.factories.core import OrganizerRoleFactory, UserFactory

    edition = EditionFactory(status=status, is_synthetic=synthetic)
    organizer = OrganizerRoleFactory(edition=edition).user
    OrganizerRoleFactory(edition=edition)  # a second organizer must not double the row
    staff, outsider = UserFactory(is_staff=True), UserFactory()

    assert Edition.objects.filter(public_editions()).contains(edition) == is_edition_public(edition)
    assert is_edition_public(edition) == (not synthetic and status != Edition.Status.DRAFT)
    for user in (AnonymousUser(), outsider, organizer, staff):
        rows = list(Edition.objects.filter(visible_editions(user)))
        assert rows.count(edition) == int(is_edition_visible(edition, user))
    assert is_edition_visible(edition, organizer)
    assert is_edition_visible(edition, staff)
    assert is_edition_visible(edition, outsider) == is_edition_public(edition)


@pytest.mark.django_db
def test_a_draft_is_404_to_the_public_and_its_participants_and_shown_to_its_organizers(client):
    from tests.factories.core import OrganizerRoleFactory
    from tests.factories.teams import RegistrationFactory

    draft = EditionFactory(status=Edition.Status.DRAFT, name="Brouillon secret")
    organizer = OrganizerRoleFactory(edition=draft).user
    participant = RegistrationFactory(edition=draft).user
    url = draft.get_absolute_url()

    anonymous = client.get(url)
    client.force_login(participant)
    registered = client.get(url)
    client.force_login(organizer)
    shown = client.get(url)

    assert (anonymous.status_code, registered.status_code) == (404, 404)
    assert shown.status_code == 200
    assert "Brouillon secret" in shown.text


@pytest.mark.django_db
def test_the_home_page_lists_published_and_archived_editions_never_drafts(client):
    published = EditionFactory(name="Publiée 2026", phase=Phase.REGISTRATION)
    archived = EditionFactory(
        name="Archivée 2024", phase=Phase.RESULTS, status=Edition.Status.ARCHIVED
    )
    EditionFactory(name="Brouillon 2027", phase=Phase.UPCOMING, status=Edition.Status.DRAFT)

    page = client.get(reverse("home")).text

    assert "Publiée 2026" in page
    assert "Archivée 2024</a><span" in page  # marked archived
    assert "Brouillon 2027" not in page
    assert Edition.objects.current() == published
    assert list(Edition.objects.listed().in_home_order()) == [published, archived]


@pytest.mark.django_db
def test_the_featured_edition_is_the_current_one_else_the_latest_published():
    older = EditionFactory(phase=Phase.RESULTS, status=Edition.Status.ARCHIVED)
    newer = EditionFactory(phase=Phase.REGISTRATION)
    EditionFactory(phase=Phase.UPCOMING, status=Edition.Status.DRAFT)

    assert Edition.objects.current() == newer
    Edition.objects.filter(pk=older.pk).update(featured=True)
    assert Edition.objects.current() == older


@pytest.mark.django_db
def test_reuses_of_a_draft_are_not_counted():
    dataset = DatasetFactory()
    reuse(dataset, EditionFactory(phase=Phase.JUDGING, status=Edition.Status.DRAFT))

    assert catalogue.reuse_totals() == {"projects": 0, "datasets": 0}
    assert list(catalogue.dataset_reuses(dataset)) == []
