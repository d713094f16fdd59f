"""Results tests run on an edition whose submissions are closed and judged."""

import pytest
from django.utils import translation

from hackqc.models import Phase
from judging.models import Review
from submissions.models import Submission
from tests.factories.core import EditionFactory
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.results import AwardPolicyFactory, PrizeFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import TeamFactory


@pytest.fixture(autouse=True)
def _english():
    """These tests read labels and messages in English, the language of the msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def edition(db):
    """Overrides the shared persona edition: deliberation phase, no award condition."""
    edition = EditionFactory(phase=Phase.DELIBERATION)
    AwardPolicyFactory(edition=edition, require_repository=False, require_licence=False)
    return edition


class Field:
    """A judged round: one judge scored each submission on one criterion (method: mean)."""

    def __init__(self, edition, values, *, teams=(), challenges=()):
        self.round = RoundFactory(edition=edition, number=1, name="Finale", method="mean")
        self.criterion = CriterionFactory(round=self.round, name="Innovation", weight=1)
        self.judge = JudgeFactory(edition=edition)
        self.submissions = []
        self.reviews = []
        for i, value in enumerate(values):
            team = teams[i] if i < len(teams) else TeamFactory(edition=edition)
            challenge = challenges[i] if i < len(challenges) else None
            submission = SubmissionFactory(
                team=team, state=Submission.State.SUBMITTED, challenge=challenge
            )
            review = Review.objects.create(
                round=self.round,
                judge=self.judge,
                submission=submission,
                state=Review.State.SUBMITTED,
                feedback=f"Retour {i}",
                private_note=f"Note privée {i}",
            )
            review.scores.create(criterion=self.criterion, value=value)
            self.submissions.append(submission)
            self.reviews.append(review)

    def add_round(self, values, *, name, sponsor="", method="mean"):
        """Another round of the same edition in which a new judge scores the same
        submissions `values` (in order); returns the round."""
        round_ = RoundFactory(
            edition=self.round.edition,
            number=self.round.edition.rounds.count() + 1,
            name=name,
            sponsor=sponsor,
            method=method,
        )
        criterion = CriterionFactory(round=round_, name="Impact", weight=1)
        judge = JudgeFactory(edition=self.round.edition, sponsor=sponsor)
        for submission, value in zip(self.submissions, values, strict=True):
            review = Review.objects.create(
                round=round_, judge=judge, submission=submission, state=Review.State.SUBMITTED
            )
            review.scores.create(criterion=criterion, value=value)
        return round_

    def prize(self, **kwargs):
        kwargs.setdefault("edition", self.round.edition)
        kwargs.setdefault("round", self.round)
        return PrizeFactory(**kwargs)


@pytest.fixture
def make_field(edition):
    def make(values, **kwargs):
        return Field(kwargs.pop("edition", edition), values, **kwargs)

    return make
