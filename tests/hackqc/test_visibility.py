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
