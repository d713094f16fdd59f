"""Fifty votes by one account at once, on PostgreSQL: one vote, never a server error."""

import pytest
from django.core.cache import cache
from django.db import connection

from hackqc.exceptions import HackQCError
from judging.public_vote import services
from judging.public_vote.models import PublicVote
from tests.submissions.test_concurrency import _run_concurrently

from .conftest import verified

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def test_fifty_concurrent_votes_by_one_account_make_one_vote(vote_edition, monkeypatch):
    edition, projects, _window, _organizer = vote_edition
    voter = verified()
    monkeypatch.setattr(services, "RATE_LIMIT", 1_000)  # the race, not the rate limit
    cache.clear()
    calls = [
        (lambda s=projects[i % 3]: services.cast_vote(edition, user=voter, submission=s))
        for i in range(50)
    ]
    outcomes = _run_concurrently(*calls)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(e, HackQCError) for e in errors), errors[:3]
    assert PublicVote.objects.filter(edition=edition, user=voter).count() == 1
    vote = PublicVote.objects.get()
    assert vote.submission in projects
