import pytest

from hackqc.models import Phase
from judging.models import Review
from judging.results import services as results
from submissions.models import Submission
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.results import AwardPolicyFactory, PrizeFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version
from tests.factories.teams import MembershipFactory, TeamFactory


class Judged:
    """An edition judged by two judges, its results computed, approved and published; the
    first team has a captain and a member, the second only a captain."""

    def __init__(self):
        self.edition = EditionFactory(phase=Phase.DELIBERATION)
        AwardPolicyFactory(edition=self.edition, require_repository=False, require_licence=False)
        self.organizer = OrganizerRoleFactory(edition=self.edition).user
        self.round = RoundFactory(edition=self.edition, number=1, name="Finale", method="mean")
        criterion = CriterionFactory(round=self.round, name="Innovation", weight=1)
        self.judges = [JudgeFactory(edition=self.edition) for _ in range(2)]
        self.teams = [TeamFactory(edition=self.edition, name=f"Équipe {i}") for i in range(2)]
        self.captain = MembershipFactory(team=self.teams[0], is_captain=True).user
        self.member = MembershipFactory(team=self.teams[0]).user
        self.solo = MembershipFactory(team=self.teams[1], is_captain=True).user
        self.submissions = []
        for team, values in zip(self.teams, [(7, 8), (9, 6)], strict=True):
            submission = SubmissionFactory(team=team, state=Submission.State.SUBMITTED)
            record_submitted_version(submission)
            self.submissions.append(submission)
            for judge, value in zip(self.judges, values, strict=True):
                review = Review.objects.create(
                    round=self.round,
                    judge=judge,
                    submission=submission,
                    state=Review.State.SUBMITTED,
                    feedback="Beau travail",
                )
                review.scores.create(criterion=criterion, value=value)
        PrizeFactory(edition=self.edition, round=self.round, name="Grand prix", places=2)
        snapshot = results.compute_results(self.edition, by=self.organizer)
        snapshot = results.approve_results(snapshot, by=self.organizer)
        self.snapshot = results.publish_results(snapshot, by=self.organizer, announce=False)

    def frozen(self):
        """What must never move: the published snapshot and the current digests."""
        from judging.results.services.computing import is_stale
        from judging.round_rankings import round_scores_digest

        self.snapshot.refresh_from_db()
        return {
            "rankings": self.snapshot.rankings,
            "digests": self.snapshot.digests,
            "hash": self.snapshot.scores_hash,
            "state": self.snapshot.state,
            "awards": sorted(
                self.snapshot.awards.values_list("prize_id", "place", "submission_id", "score")
            ),
            "current": round_scores_digest(self.round),
            "stale": is_stale(self.snapshot),
        }


@pytest.fixture
def judged(db):
    return Judged()
