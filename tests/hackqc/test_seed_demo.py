"""`seed_demo` builds a demo that is alive on any day and, run again, changes nothing."""

import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from hackqc import demo
from hackqc.models import Edition
from hackqc.phases import are_results_public, is_registration_open
from judging.models import Assignment, Review
from judging.results.models import ResultSnapshot
from judging.results.queries import team_feedback
from judging.services.reviews import is_round_open
from judging.space import judge_cards
from submissions.models import Submission
from teams.models import Invitation, JoinRequest


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes"}
    }


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    snapshot = list(Edition.objects.order_by("slug").values())
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    assert list(Edition.objects.order_by("slug").values()) == snapshot


def test_seed_demo_creates_the_documented_accounts(db):
    call_command("seed_demo", verbosity=0)
    emails = ["organizer@example.org", "judge1@example.org", "judge6@example.org"]
    emails += ["participant1@example.org", "participant36@example.org"]
    for email in emails:
        assert authenticate(email=email, password="hackqc-demo") is not None, email
    editions = demo.editions()
    assert set(editions) == {"past", "judging", "current"}
    assert editions["past"].challenges.count() == 5
    assert Edition.objects.current() == editions["current"]


# Around New Year, a leap day, both daylight-saving changes and mid-summer.
DAYS = ["2026-12-04 08:00", "2027-01-01 03:00", "2028-02-29 23:30", "2027-03-14 12:00",
        "2027-11-07 01:30", "2027-07-15 16:00"]  # fmt: skip


def _judge1_cards(now):
    from django.contrib.auth import get_user_model

    judge1 = get_user_model().objects.get(email="judge1@example.org")
    return {card.edition.pk: card.context["rounds"] for card in judge_cards(judge1, now)}


@pytest.mark.parametrize("day", DAYS)
def test_every_persona_has_live_work_whatever_the_day(db, day):
    local = dt.datetime.fromisoformat(day).replace(tzinfo=demo.MONTREAL)
    with time_machine.travel(local, tick=False):
        call_command("seed_demo", verbosity=0)
        now = timezone.now()
        editions = demo.editions()
        past, judged, current = editions["past"], editions["judging"], editions["current"]
        assert demo.built_anchor() == local.date()
        assert [e.year for e in (past, judged, current)] == [judged.year - 1, judged.year,
                                                             judged.year + 1]  # fmt: skip
        assert Edition.objects.current() == current

        # Participants: registration open, teams forming, invitations and requests pending.
        assert is_registration_open(current, now)
        assert current.phase(now) == "registration"
        assert JoinRequest.objects.filter(team__edition=current, status="pending").exists()
        assert any(i.is_pending and not i.is_expired(now) for i in Invitation.objects.all())
        assert Submission.objects.filter(edition=current, state="draft").count() >= 3

        # Judges: one round open, judge1 has reviews left to do.
        assert judged.phase(now) == "judging"
        (round,) = judged.rounds.all()
        assert is_round_open(round, now)
        states = set(Review.objects.filter(round=round).values_list("state", flat=True))
        assert states == {"submitted", "draft"}
        assert (
            Assignment.objects.filter(round=round).count()
            > Review.objects.filter(round=round, state="submitted").count()
        )
        rounds = _judge1_cards(now)[judged.pk]
        assert [(r["open"], r["left"] > 0) for r in rounds] == [(True, True)]
        mine = Review.objects.filter(round=round, judge__user__email="judge1@example.org")
        assert set(mine.values_list("state", flat=True)) == {"submitted", "draft"}

        # Everyone: the past edition's results are public; teams read their feedback.
        assert past.phase(now) == "results"
        assert are_results_public(past, now)
        snapshot = ResultSnapshot.objects.get(edition=past, state="published")
        assert snapshot.published_at <= now
        for project in Submission.objects.filter(edition=past, state="submitted"):
            assert team_feedback(project, snapshot).texts, project  # finalist or not

        # Every date lies in the order its edition needs.
        for edition in (past, judged, current):
            edition.full_clean()


def test_a_later_run_keeps_the_demo_it_built(db):
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, tzinfo=demo.MONTREAL), tick=False):
        call_command("seed_demo", verbosity=0)
    first = row_counts()
    editions = list(Edition.objects.order_by("slug").values())
    with time_machine.travel(dt.datetime(2027, 3, 20, 9, tzinfo=demo.MONTREAL), tick=False):
        call_command("seed_demo", verbosity=0)
        assert demo.built_anchor() == dt.date(2026, 12, 4)
    assert row_counts() == first
    assert list(Edition.objects.order_by("slug").values()) == editions


def test_projects_fit_their_challenge_and_feedback_is_never_boilerplate(db):
    call_command("seed_demo", verbosity=0)
    submitted = Submission.objects.filter(state="submitted").select_related("team", "challenge")
    assert submitted.count() == 11
    for submission in submitted:
        assert submission.challenge == submission.team.challenge, submission
        assert submission.dataset_links.count() >= 2, submission
        last = submission.versions.order_by("-number").first()
        assert submission.updated_at == last.submitted_at < submission.edition.submissions_close
    used = {link.dataset_id for s in submitted for link in s.dataset_links.all()}
    assert len(used) >= 20
    texts = list(Review.objects.exclude(feedback="").values_list("feedback", flat=True))
    assert len(texts) > 30
    assert len(set(texts)) == len(texts)
    assert len({re.split(r"\xa0;|\. ", text)[0] for text in texts}) > 25


def test_seed_demo_refuses_a_database_with_other_editions_on_its_slugs(db):
    from tests.factories.core import EditionFactory

    with time_machine.travel(dt.datetime(2026, 12, 4, 9, tzinfo=demo.MONTREAL), tick=False):
        EditionFactory(slug="hackqc-2026", name="HackQC 2026")
        with pytest.raises(CommandError, match="hackqc-2026"):
            call_command("seed_demo", verbosity=0)
