"""The reuse counts scale with what the page shows: their plans (EXPLAIN, PostgreSQL) run
no subquery per catalogue dataset, and an edition's counts ignore the other editions."""

import json

import pytest
from django.db import connection

from judging.results.queries import reused_datasets
from submissions.catalogue.queries import search_datasets
from submissions.models import Submission
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import EditionFactory
from tests.factories.submissions import (
    DatasetLinkFactory,
    SubmissionFactory,
    record_submitted_version,
)

pytestmark = pytest.mark.django_db


def _project(edition, datasets):
    submission = SubmissionFactory(team__edition=edition, state=Submission.State.SUBMITTED)
    for dataset in datasets:
        DatasetLinkFactory(submission=submission, dataset=dataset)
    record_submitted_version(submission)
    return submission


@pytest.fixture
def two_editions():
    catalogue = [DatasetFactory() for _ in range(30)]
    past = EditionFactory(year=2024, slug="passee", gallery_open_early=True)
    edition = EditionFactory(year=2025, slug="courante", gallery_open_early=True)
    _project(past, catalogue[:5])
    _project(past, catalogue[:2])
    _project(edition, catalogue[1:3])
    _project(edition, catalogue[2:4])
    return edition, catalogue


def test_an_editions_reuse_counts_ignore_other_editions(two_editions):
    edition, catalogue = two_editions
    counts = [(d.pk, d.reuse_count) for d in reused_datasets(edition)]
    assert counts == [(catalogue[2].pk, 2), (catalogue[1].pk, 1), (catalogue[3].pk, 1)]


def test_catalogue_reuse_counts_count_every_public_edition(two_editions):
    _edition, catalogue = two_editions
    counts = {d.pk: d.reuse_count for d in search_datasets(sort="reuses")}
    assert counts[catalogue[1].pk] == 3  # two past projects, one current
    assert counts[catalogue[4].pk] == 1
    assert counts[catalogue[20].pk] == 0
    assert len(counts) == 30


def _subplans(node):
    """Every subtree that PostgreSQL runs as a SubPlan (a correlated or hashed subquery)."""
    found = [node] if node.get("Parent Relationship") == "SubPlan" else []
    for child in node.get("Plans", []):
        found += _subplans(child)
    return found


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        [[document]] = cursor.fetchall()
    if isinstance(document, str):
        document = json.loads(document)
    return document[0]["Plan"]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda e: reused_datasets(e), id="datasets.json"),
        pytest.param(lambda e: search_datasets(sort="reuses")[:20], id="dataset search"),
    ],
)
def test_reuse_count_plan_runs_no_subquery_per_dataset(two_editions, query):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN (FORMAT JSON) is PostgreSQL's")
    edition, _catalogue = two_editions
    plan = _plan(query(edition))
    # A SubPlan correlated with the dataset row names it in its conditions: that is the
    # subquery run once per catalogue dataset (seconds at 16,000 datasets).
    for subplan in _subplans(plan):
        assert "catalogue_dataset" not in json.dumps(subplan), json.dumps(plan, indent=1)
    # The counts are one grouped aggregate over the links.
    assert '"Node Type": "Aggregate"' in json.dumps(plan)
