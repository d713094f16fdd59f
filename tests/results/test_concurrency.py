"""Two organizers publishing at once, on PostgreSQL with real row locks."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone, translation

from judging.results import services
from judging.results.models import ResultSnapshot
from tests.submissions.test_concurrency import _run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def test_two_publishes_at_once_one_wins_the_other_is_told(make_field, organizer):
    field = make_field([9, 7])
    field.prize(name="Grand prix")
    edition = field.round.edition
    snapshot = services.approve_results(
        services.compute_results(edition, by=organizer), by=organizer
    )
    tomorrow = timezone.now() + dt.timedelta(days=1)

    def publish(**kwargs):
        with translation.override("en"):  # a new thread starts in the site's language
            return services.publish_results(snapshot, by=organizer, **kwargs)

    outcomes = _run_concurrently(lambda: publish(), lambda: publish(at=tomorrow))

    errors = [o for o in outcomes if isinstance(o, Exception)]
    [published] = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], services.ResultsError)
    assert "already published" in errors[0].message
    snapshot.refresh_from_db()
    edition.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.PUBLISHED
    assert snapshot.published_at == published.published_at == edition.results_published
