"""The shared factories build consistent objects: each app's tests rely on them."""

from tests.factories.judging import AssignmentFactory, ScoreFactory
from tests.factories.submissions import DatasetLinkFactory


def test_assignment_factory_keeps_one_edition(db):
    assignment = AssignmentFactory()
    assert assignment.judge.edition == assignment.round.edition
    assert assignment.submission.edition == assignment.round.edition
    assert assignment.submission.team.edition == assignment.round.edition


def test_score_factory_uses_the_review_round(db):
    score = ScoreFactory()
    assert score.criterion.round == score.review.round


def test_dataset_link_factory(db):
    link = DatasetLinkFactory()
    assert link.dataset.organization.portal == link.dataset.portal
