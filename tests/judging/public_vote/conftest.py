import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from hackqc.models import Phase
from judging.public_vote.models import VoteWindow
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.results import PrizeFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version
from tests.factories.teams import MembershipFactory, TeamFactory


def verified(user=None, email=None):
    user = user or UserFactory(**({"email": email} if email else {}))
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def vote_edition(db):
    """A judged edition whose gallery is public, three projects, a vote open for a week."""
    edition = EditionFactory(phase=Phase.JUDGING)
    projects = []
    for i in range(3):
        team = TeamFactory(edition=edition, name=f"Équipe {i}")
        MembershipFactory(team=team, is_captain=True)
        submission = SubmissionFactory(team=team, state="submitted", title=f"Projet {i}")
        record_submitted_version(submission)
        projects.append(submission)
    prize = PrizeFactory(edition=edition, name="Coup de cœur du public", round=None)
    now = timezone.now()
    window = VoteWindow.objects.create(
        edition=edition,
        prize=prize,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    organizer = OrganizerRoleFactory(edition=edition).user
    return edition, projects, window, organizer
