import pytest

from hackqc.models import Phase
from tests.factories.core import EditionFactory
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory


@pytest.fixture
def judging_edition(db):
    """An edition in its judging phase."""
    return EditionFactory(phase=Phase.JUDGING)


@pytest.fixture
def judge_role(edition, judge):
    """The `judge` persona's Judge role on `edition`."""
    return JudgeFactory(edition=edition, user=judge, organisation="Ville de Laval")


@pytest.fixture
def round_(edition):
    """An open round of `edition` with two criteria, the second the tie-breaker."""
    round_ = RoundFactory(edition=edition, number=1, name="Préliminaire")
    CriterionFactory(round=round_, name="Innovation", weight=2, order=1)
    CriterionFactory(round=round_, name="Utilité", weight=1, order=2, is_tiebreak=True)
    return round_


@pytest.fixture
def submitted(edition, team):
    """`team`'s project, submitted with one version."""
    return _submitted(team)


@pytest.fixture
def other_submitted(edition, other_team):
    return _submitted(other_team)


def _submitted(team):
    from submissions.models import Submission
    from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory

    submission = SubmissionFactory(
        team=team, title=f"Projet {team.name}", state=Submission.State.SUBMITTED
    )
    SubmissionVersionFactory(
        submission=submission, number=1, data={"title": submission.title, "summary": "**Bien**"}
    )
    return submission


@pytest.fixture
def assigned(round_, judge_role, submitted):
    """`judge_role` assigned `submitted` in `round_`."""
    from tests.factories.judging import AssignmentFactory

    return AssignmentFactory(round=round_, judge=judge_role, submission=submitted)


@pytest.fixture(autouse=True)
def _eager_jury_tasks():
    """Jury tasks run in the test's process even with a broker configured (as main's
    tests/conftest.py now does for every app), so their mails can be asserted."""
    from hackqc.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
