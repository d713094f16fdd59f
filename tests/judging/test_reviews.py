import datetime as dt

import pytest
from django.utils import timezone

from hackqc.exceptions import ConcurrentEditError
from judging import services
from judging.errors import (
    ConflictOfInterestError,
    NotAssignedError,
    ReviewStateError,
    RoundClosedError,
    ScoreError,
)
from judging.models import Conflict, Review, ReviewChange, Score


def _values(round_, *values):
    return dict(
        zip(round_.criteria.order_by("order").values_list("pk", flat=True), values, strict=True)
    )


def _save(round_, judge_role, submission, values, **kwargs):
    kwargs.setdefault("version", 0)
    return services.save_review(
        round_,
        judge=judge_role,
        submission=submission,
        by=judge_role.user,
        values=values,
        **kwargs,
    )


def _state(review):
    return {
        "state": review.state,
        "version": review.version,
        "scores": dict(review.scores.values_list("criterion__name", "value")),
    }


def test_save_review_draft_then_submit_keeps_audit(round_, judge_role, submitted, assigned):
    draft = _save(round_, judge_role, submitted, _values(round_, 7, None), feedback=" Bien ")
    assert _state(draft) == {
        "state": "draft",
        "version": 1,
        "scores": {"Innovation": 7.0, "Utilité": None},
    }
    assert draft.feedback == "Bien"
    assert draft.judged_version == submitted.versions.get()

    final = _save(round_, judge_role, submitted, _values(round_, 8, 6), version=1, submit=True)

    assert _state(final) == {
        "state": "submitted",
        "version": 2,
        "scores": {"Innovation": 8.0, "Utilité": 6.0},
    }
    assert final.submitted_at is not None
    changes = list(ReviewChange.objects.filter(review=final).order_by("version"))
    c1, c2 = _values(round_, 1, 2)
    assert [(c.action, c.version, c.changed_by) for c in changes] == [
        ("draft", 1, judge_role.user),
        ("submit", 2, judge_role.user),
    ]
    assert changes[0].old == {}
    assert changes[1].old["scores"] == {str(c1): 7.0, str(c2): None}
    assert changes[1].new["scores"] == {str(c1): 8.0, str(c2): 6.0}
    assert changes[1].new["state"] == "submitted"


def test_save_review_value_off_scale_saves_nothing(round_, judge_role, submitted, assigned):
    with pytest.raises(ScoreError) as exc:
        _save(round_, judge_role, submitted, _values(round_, 11, 5))

    c1 = round_.criteria.get(name="Innovation")
    assert exc.value.field == f"criterion_{c1.pk}"
    assert not Review.objects.exists()
    assert not Score.objects.exists()


def test_save_review_unknown_criterion_refused(round_, judge_role, submitted, assigned):
    with pytest.raises(ScoreError):
        _save(round_, judge_role, submitted, {999999: 5})
    assert not Review.objects.exists()


def test_save_review_unassigned_refused(round_, judge_role, submitted):
    with pytest.raises(NotAssignedError):
        _save(round_, judge_role, submitted, _values(round_, 5, 5))
    assert not Review.objects.exists()


def test_save_review_conflicted_refused(round_, judge_role, submitted, assigned, team):
    services.declare_conflict(judge_role, by=judge_role.user, team=team, reason="Ma cousine")

    with pytest.raises(ConflictOfInterestError):
        _save(round_, judge_role, submitted, _values(round_, 5, 5))
    assert not Review.objects.exists()


def test_save_review_after_close_refused(round_, judge_role, submitted, assigned):
    review = _save(round_, judge_role, submitted, _values(round_, 5, 5), submit=True)
    services.close_round(round_, by=None)

    with pytest.raises(RoundClosedError):
        _save(round_, judge_role, submitted, _values(round_, 9, 9), version=review.version)

    review.refresh_from_db()
    assert _state(review)["scores"] == {"Innovation": 5.0, "Utilité": 5.0}


def test_save_review_after_closes_at_refused(round_, judge_role, submitted, assigned):
    later = round_.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(RoundClosedError):
        _save(round_, judge_role, submitted, _values(round_, 5, 5), now=later)
    assert not Review.objects.exists()


def test_save_review_before_open_refused(round_, judge_role, submitted, assigned):
    with pytest.raises(RoundClosedError):
        _save(
            round_,
            judge_role,
            submitted,
            _values(round_, 5, 5),
            now=round_.opens_at - dt.timedelta(seconds=1),
        )


def test_save_review_stale_version_refused_keeps_newer(round_, judge_role, submitted, assigned):
    _save(round_, judge_role, submitted, _values(round_, 5, 5))  # tab A saves first
    tab_b = _save(round_, judge_role, submitted, _values(round_, 6, 6), version=1)

    with pytest.raises(ConcurrentEditError):  # tab A still holds version 1
        _save(round_, judge_role, submitted, _values(round_, 1, 1), version=1)

    tab_b.refresh_from_db()
    assert _state(tab_b) == {
        "state": "draft",
        "version": 2,
        "scores": {"Innovation": 6.0, "Utilité": 6.0},
    }
    assert ReviewChange.objects.count() == 2


def test_save_review_first_save_race_refused(round_, judge_role, submitted, assigned):
    _save(round_, judge_role, submitted, _values(round_, 5, 5))
    with pytest.raises(ConcurrentEditError):
        _save(round_, judge_role, submitted, _values(round_, 6, 6), version=0)


def test_recuse_review_records_conflict_and_blocks_scoring(round_, judge_role, submitted, assigned):
    _save(round_, judge_role, submitted, _values(round_, 5, 5), submit=True)

    review = services.recuse_review(
        round_, judge=judge_role, submission=submitted, by=judge_role.user, reason="Mon cousin"
    )

    assert review.state == Review.State.RECUSED
    assert review.submitted_at is None
    conflict = Conflict.objects.get()
    assert (conflict.judge, conflict.team, conflict.kind, conflict.reason) == (
        judge_role,
        submitted.team,
        "recusal",
        "Mon cousin",
    )
    assert list(ReviewChange.objects.values_list("action", flat=True).order_by("version")) == [
        "submit",
        "recuse",
    ]
    with pytest.raises(ConflictOfInterestError):
        _save(round_, judge_role, submitted, _values(round_, 9, 9), version=review.version)


def test_recuse_review_needs_reason(round_, judge_role, submitted, assigned):
    with pytest.raises(ReviewStateError):
        services.recuse_review(
            round_, judge=judge_role, submission=submitted, by=judge_role.user, reason=" "
        )
    assert not Review.objects.exists()


def test_rounds_are_separate_scoring_spaces(edition, round_, judge_role, submitted, assigned):
    from tests.factories.judging import AssignmentFactory, CriterionFactory, RoundFactory

    final = RoundFactory(edition=edition, number=2, name="Finale")
    fc = CriterionFactory(round=final, name="Pitch")
    AssignmentFactory(round=final, judge=judge_role, submission=submitted)
    prelim = _save(round_, judge_role, submitted, _values(round_, 5, 5), submit=True)

    services.save_review(
        final,
        judge=judge_role,
        submission=submitted,
        by=judge_role.user,
        values={fc.pk: 9},
        version=0,
        submit=True,
    )

    prelim.refresh_from_db()
    assert _state(prelim)["scores"] == {"Innovation": 5.0, "Utilité": 5.0}
    assert Review.objects.filter(judge=judge_role, submission=submitted).count() == 2


def test_is_round_open_boundaries(round_):
    assert services.is_round_open(round_, round_.opens_at)
    assert not services.is_round_open(round_, round_.closes_at)
    assert not services.is_round_open(round_, round_.opens_at - dt.timedelta(microseconds=1))
    round_.closed_at = timezone.now()
    assert not services.is_round_open(round_, round_.opens_at)
