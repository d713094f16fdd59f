"""The phase of an edition comes from its timeline alone, to the second, in any season."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hackqc.models import Edition, Phase
from hackqc.phases import (
    are_results_public,
    are_teams_open,
    can_withdraw_registration,
    current_phase,
    is_registration_open,
    is_submission_open,
)

MONTREAL = ZoneInfo("America/Montreal")
SECOND = dt.timedelta(seconds=1)


def local(*args):
    return dt.datetime(*args, tzinfo=MONTREAL)


def make_edition(**overrides):
    fields = {
        "registration_opens": local(2026, 2, 1, 9),
        "registration_closes": local(2026, 3, 1, 17),
        # 2026-03-08 at 02:00 EST the clocks jump to 03:00 EDT.
        "hacking_starts": local(2026, 3, 8, 3),
        "submissions_close": local(2026, 3, 17, 12),
        "judging_ends": local(2026, 10, 31, 17),
        # 2026-11-01 at 02:00 EDT the clocks fall back to 01:00 EST.
        "results_published": local(2026, 11, 1, 12),
    }
    fields.update(overrides)
    fields.setdefault("status", Edition.Status.PUBLISHED)
    return Edition(year=2026, slug="x", name="HackQC", **fields)


@pytest.mark.parametrize(
    ("boundary", "before", "after"),
    [
        ("registration_opens", Phase.UPCOMING, Phase.REGISTRATION),
        ("registration_closes", Phase.REGISTRATION, Phase.PREPARATION),
        ("hacking_starts", Phase.PREPARATION, Phase.HACKING),
        ("submissions_close", Phase.HACKING, Phase.JUDGING),
        ("judging_ends", Phase.JUDGING, Phase.DELIBERATION),
        ("results_published", Phase.DELIBERATION, Phase.RESULTS),
    ],
)
def test_phase_changes_exactly_at_each_date(boundary, before, after):
    edition = make_edition()
    instant = getattr(edition, boundary)
    assert current_phase(edition, instant - SECOND) == before
    assert current_phase(edition, instant) == after
    assert current_phase(edition, instant + SECOND) == after


def test_phase_boundary_right_after_spring_forward_is_an_instant():
    edition = make_edition()
    # 03:00 EDT is 07:00 UTC; one second earlier the wall clock read 01:59:59 EST.
    assert edition.hacking_starts == dt.datetime(2026, 3, 8, 7, tzinfo=dt.UTC)
    just_before = dt.datetime(2026, 3, 8, 6, 59, 59, tzinfo=dt.UTC)
    assert just_before.astimezone(MONTREAL).strftime("%H:%M:%S %Z") == "01:59:59 EST"
    assert current_phase(edition, just_before) == Phase.PREPARATION
    assert current_phase(edition, just_before + SECOND) == Phase.HACKING


def test_phase_boundary_after_fall_back_uses_standard_time():
    edition = make_edition()
    # Noon on 2026-11-01 is after the fall back: EST, so 17:00 UTC, not 16:00.
    assert edition.results_published == dt.datetime(2026, 11, 1, 17, tzinfo=dt.UTC)
    assert current_phase(edition, dt.datetime(2026, 11, 1, 16, 30, tzinfo=dt.UTC)) == (
        Phase.DELIBERATION
    )


def test_unpublished_results_keep_the_edition_in_deliberation():
    edition = make_edition(results_published=None)
    assert current_phase(edition, local(2030, 1, 1)) == Phase.DELIBERATION
    assert not are_results_public(edition, local(2030, 1, 1))


def test_predicates_follow_the_timeline():
    edition = make_edition()
    during_registration = local(2026, 2, 10)
    assert is_registration_open(edition, during_registration)
    assert are_teams_open(edition, during_registration)
    assert is_submission_open(edition, during_registration)
    assert can_withdraw_registration(edition, during_registration)

    during_hacking = local(2026, 3, 10)
    assert not is_registration_open(edition, during_hacking)
    assert not can_withdraw_registration(edition, during_hacking)
    assert are_teams_open(edition, during_hacking)
    assert is_submission_open(edition, edition.submissions_close - SECOND)
    assert not is_submission_open(edition, edition.submissions_close)
    assert not are_teams_open(edition, edition.submissions_close)
    assert are_results_public(edition, edition.results_published)
    assert not are_results_public(edition, edition.results_published - SECOND)


def test_edition_phase_method_uses_the_same_function():
    edition = make_edition()
    assert edition.phase(local(2026, 3, 10)) == Phase.HACKING


@pytest.mark.parametrize("status", [Edition.Status.DRAFT, Edition.Status.ARCHIVED])
def test_nothing_opens_in_a_draft_or_an_archive(status):
    edition = make_edition(status=status)
    during_registration, hacking = local(2026, 2, 10), local(2026, 3, 10)
    assert not is_registration_open(edition, during_registration)
    assert not can_withdraw_registration(edition, during_registration)
    assert not are_teams_open(edition, hacking)
    assert not is_submission_open(edition, hacking)


def test_results_of_a_draft_are_never_public():
    after = local(2026, 11, 2)
    assert are_results_public(make_edition(), after)
    assert are_results_public(make_edition(status=Edition.Status.ARCHIVED), after)
    assert not are_results_public(make_edition(status=Edition.Status.DRAFT), after)
