"""The live final's state machine (order, advance, end) and its pages, as organizers, judges
and outsiders meet them."""

import datetime as dt
import json
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from hackqc.exceptions import ConcurrentEditError
from judging.live import services
from judging.live.queries import live_state
from judging.live.services import LiveError
from judging.models import Assignment, LiveFinal, Review, Round
from judging.results.models import ResultSnapshot
from tests.factories.judging import (
    CriterionFactory,
    JudgeFactory,
    ReviewFactory,
    RoundFactory,
)
from tests.factories.results import PrizeFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted


@pytest.fixture
def final(edition):
    round_ = RoundFactory(edition=edition, number=1, mode=Round.Mode.LIVE, name="Grande finale")
    CriterionFactory(round=round_, name="Impact", weight=1)
    projects = [_submitted(TeamFactory(edition=edition, name=f"Équipe {i}")) for i in range(4)]
    return round_, projects


def test_a_drawn_order_is_reproducible_from_its_recorded_seed(final, organizer):
    round_, projects = final
    live = services.set_running_order(round_, by=organizer, seed=2027)
    order = list(live.slots.order_by("position").values_list("submission_id", flat=True))
    expected = sorted(p.pk for p in projects)
    random.Random(2027).shuffle(expected)
    assert order == expected
    assert live.seed == 2027
    fresh = services.set_running_order(round_, by=organizer)
    assert fresh.seed is not None


def test_an_order_by_hand_lists_every_finalist_once(final, organizer):
    round_, projects = final
    ids = [p.pk for p in reversed(projects)]
    live = services.set_running_order(round_, by=organizer, order=ids)
    assert list(live.slots.values_list("submission_id", flat=True)) == ids
    assert live.seed is None
    for bad in (ids[:-1], [*ids, ids[0]], [*ids[:-1], 999_999]):
        with pytest.raises(LiveError):
            services.set_running_order(round_, by=organizer, order=bad)


def test_advancing_walks_the_order_then_closes_and_computes(final, organizer):
    round_, _projects = final
    PrizeFactory(edition=round_.edition, round=round_)
    services.set_running_order(round_, by=organizer, seed=1)
    start = timezone.now()
    for position in range(4):
        live = services.advance(
            round_, by=organizer, expected=position, now=start + dt.timedelta(minutes=position)
        )
        assert live.position == position + 1
        assert live.slot_started_at == start + dt.timedelta(minutes=position)
    state = live_state(round_)
    assert state["next"] is None
    assert state["current"]["position"] == 4
    live = services.advance(round_, by=organizer, expected=4)
    assert live.ended_at is not None
    round_.refresh_from_db()
    assert round_.closed_at is not None
    assert ResultSnapshot.objects.filter(edition=round_.edition).count() == 1


def test_a_second_tap_changes_nothing(final, organizer):
    round_, _projects = final
    services.set_running_order(round_, by=organizer, seed=1)
    services.advance(round_, by=organizer, expected=0)
    with pytest.raises(ConcurrentEditError):
        services.advance(round_, by=organizer, expected=0)
    assert LiveFinal.objects.get().position == 1


def test_the_order_is_frozen_once_the_final_started(final, organizer):
    round_, _projects = final
    with pytest.raises(LiveError):
        services.advance(round_, by=organizer, expected=0)  # no order yet
    services.set_running_order(round_, by=organizer, seed=1)
    services.advance(round_, by=organizer, expected=0)
    with pytest.raises(LiveError):
        services.set_running_order(round_, by=organizer, seed=2)


def test_only_a_live_round_has_a_live_final(edition, organizer):
    scored = RoundFactory(edition=edition, number=5)
    with pytest.raises(LiveError):
        services.set_running_order(scored, by=organizer, seed=1)


def test_timing_is_bounded(final, organizer):
    round_, _projects = final
    services.set_timing(round_, by=organizer, pitch_seconds=240, qa_seconds=120)
    for pitch, qa in ((10, 0), (240, 99_999)):
        with pytest.raises(LiveError):
            services.set_timing(round_, by=organizer, pitch_seconds=pitch, qa_seconds=qa)
    live = LiveFinal.objects.get()
    assert (live.pitch_seconds, live.qa_seconds) == (240, 120)


def test_the_judges_sheet_opens_the_team_on_stage(client, final, organizer, judge):
    round_, _projects = final
    judge_role = JudgeFactory(edition=round_.edition, user=judge)
    live = services.set_running_order(round_, by=organizer, seed=3)
    url = reverse("judging:live_judge", args=[round_.edition.slug, 1])
    client.force_login(judge)
    waiting = client.get(url)
    assert waiting.status_code == 200
    assert 'http-equiv="refresh"' in waiting.content.decode()
    services.advance(round_, by=organizer, expected=0)
    current = live.slots.get(position=1).submission
    # Not assigned (or in conflict): told, not sent to a sheet it cannot open.
    assert client.get(url).status_code == 200
    Assignment.objects.create(round=round_, judge=judge_role, submission=current)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("judging:review", args=[round_.edition.slug, 1, current.pk])


def test_organizers_see_who_scored_whom_in_the_state(client, final, organizer):
    round_, _projects = final
    judge_role = JudgeFactory(edition=round_.edition)
    live = services.set_running_order(round_, by=organizer, seed=3)
    first = live.slots.get(position=1).submission
    ReviewFactory(round=round_, judge=judge_role, submission=first, state=Review.State.SUBMITTED)
    client.force_login(organizer)
    url = reverse("judging:live_state", args=[round_.edition.slug, 1])
    data = json.loads(client.get(url).content)
    assert data["scoring"]["judges"] == [{"id": judge_role.pk, "name": str(judge_role.user)}]
    assert data["scoring"]["rows"][0]["states"] == ["submitted"]
    assert data["scoring"]["rows"][1]["states"] == [""]
    page = client.get(reverse("judging:live_control", args=[round_.edition.slug, 1]))
    assert page.status_code == 200


def test_the_presenter_screen_runs_under_the_strict_csp(client, final, organizer):
    round_, _projects = final
    services.set_running_order(round_, by=organizer, seed=3)
    services.advance(round_, by=organizer, expected=0)
    client.force_login(organizer)
    response = client.get(reverse("judging:live_screen", args=[round_.edition.slug, 1]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "<script>" not in body
    assert "style=" not in body
    assert "live-screen.js" in body
    assert live_state(round_)["current"]["title"] in body


def test_the_remote_drives_the_final_from_a_phone(client, final, organizer):
    round_, _projects = final
    client.force_login(organizer)
    control = reverse("judging:live_control", args=[round_.edition.slug, 1])
    advance = reverse("judging:live_advance", args=[round_.edition.slug, 1])
    client.post(control, {"draw": "1", "seed": "42", "order": ""})
    assert LiveFinal.objects.get().seed == 42
    client.post(control, {"draw": "1", "seed": "", "order": "4 3 2 1"})
    assert LiveFinal.objects.get().seed is None
    client.post(advance, {"expected": "0"})
    client.post(advance, {"expected": "0"})  # the double tap
    assert LiveFinal.objects.get().position == 1
    for value in ("a\x00", "9" * 40, "-1"):
        assert client.post(advance, {"expected": value}).status_code == 302
        assert client.post(control, {"draw": "1", "seed": value, "order": value}).status_code in {
            200,
            302,
        }
    assert LiveFinal.objects.get().position == 1


def test_outsiders_get_nothing_of_the_live_final(client, final, organizer):
    round_, _projects = final
    other = JudgeFactory(edition=round_.edition, accepted_at=None)
    client.force_login(other.user)
    for name in ("live_control", "live_screen", "live_state"):
        assert client.get(
            reverse(f"judging:{name}", args=[round_.edition.slug, 1])
        ).status_code in {
            403,
            404,
        }
    assert (
        client.get(reverse("judging:live_judge", args=[round_.edition.slug, 1])).status_code == 404
    )
