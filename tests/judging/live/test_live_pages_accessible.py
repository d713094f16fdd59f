"""The new judging pages pass the structural accessibility check (labels, headings, ids,
language) and keep to the strict CSP: no inline script or style."""

import pytest
from django.urls import reverse

from judging.live import services as live
from judging.models import ExpoWalk, Round
from judging.pairwise import services as pairwise
from tests.a11y import accessibility_problems
from tests.factories.judging import JudgeFactory, RoundFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted


def _clean(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html
    assert " style=" not in html
    return accessibility_problems(html)


@pytest.fixture
def rounds(edition):
    for i in range(3):
        _submitted(TeamFactory(edition=edition, name=f"Équipe {i}"))
    live_round = RoundFactory(edition=edition, number=1, mode=Round.Mode.LIVE)
    expo = RoundFactory(
        edition=edition, number=2, mode=Round.Mode.PAIRWISE, method=Round.Method.PAIRWISE
    )
    return live_round, expo


def test_the_organizers_live_pages(client, rounds, organizer):
    live_round, _expo = rounds
    live.set_running_order(live_round, by=organizer, seed=5)
    live.advance(live_round, by=organizer, expected=0)
    client.force_login(organizer)
    args = [live_round.edition.slug, 1]
    assert _clean(client.get(reverse("judging:live_control", args=args))) == []
    screen = _clean(client.get(reverse("judging:live_screen", args=args)))
    # The presenter screen is a stand-alone full-screen page: no site navigation to skip.
    assert [p for p in screen if "skip" not in p.lower()] == []


def test_the_judges_phone_pages(client, rounds, judge):
    _live_round, expo = rounds
    role = JudgeFactory(edition=expo.edition, user=judge)
    client.force_login(judge)
    assert _clean(client.get(reverse("judging:live_judge", args=[expo.edition.slug, 1]))) == []
    pairwise.start_walk(expo, judge=role, by=judge)
    assert ExpoWalk.objects.get().current_id is not None
    assert _clean(client.get(reverse("judging:expo", args=[expo.edition.slug, 2]))) == []
