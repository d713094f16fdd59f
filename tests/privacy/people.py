"""A person with a row in every model that holds personal data, for export and erasure."""

from django.utils import timezone

from hackqc.models import Phase
from hackqc.outbox import queue_mail
from hackqc.privacy.models import ConsentChange, DataExport
from judging.models import (
    AssignmentBlock,
    Comparison,
    Conflict,
    JudgeInvitation,
    PublicVote,
    Review,
)
from judging.results.models import Announcement, Certificate, ResultSnapshot
from submissions.models import Submission, SubmitConfirmation
from teams.models import RegistrationCorrection, TeamLog
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.judging import JudgeFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version
from tests.factories.teams import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
)


def everything(user=None):
    """`user` takes part in one edition, judges another and organizes a third, leaving a
    trace in every declared model. Returns the user."""
    user = user or UserFactory(display_name="Camille Tremblay", email="camille@example.org")
    now = timezone.now()
    # Participant.
    edition = EditionFactory(phase=Phase.RESULTS)
    registration = RegistrationFactory(
        edition=edition,
        user=user,
        organisation="Université Laval",
        bio="J'aime les cartes.",
        looking_for_team=True,
        show_profile=True,
        rules_version="2027-1",
        rules_accepted_at=now,
    )
    registration.skills.add(SkillFactory(name="Python", slug="python"))
    team = TeamFactory(edition=edition)
    MembershipFactory(team=team, user=user, is_captain=True)
    other_team = TeamFactory(edition=edition)
    JoinRequestFactory(team=other_team, user=user, message="Je veux vous joindre")
    InvitationFactory(team=team, email=user.email, accepted_by=user, accepted_at=now)
    TeamLog.objects.create(
        edition=edition, team=team, team_name=team.name, action="created", actor=user
    )
    RegistrationCorrection.objects.create(
        registration=registration, reason="Demandé au téléphone", changes={"organisation": True}
    )
    submission = SubmissionFactory(team=team, state=Submission.State.SUBMITTED)
    version = record_submitted_version(submission)
    SubmitConfirmation.objects.create(version=version, user=user)
    ConsentChange.objects.create(
        user=user, edition=edition, consent="show_profile", given=True, version="1"
    )
    DataExport.objects.create(user=user, expires_at=now)
    queue_mail("teams/mail/new_captain", to=user, key="t:1", context={"team": team, "url": "/"})
    # Judge of another edition.
    judged = EditionFactory(phase=Phase.JUDGING)
    judge = JudgeFactory(edition=judged, user=user, organisation="Ville de Québec")
    JudgeInvitation.objects.create(edition=judged, email=user.email, judge=judge, accepted_at=now)
    round_ = RoundFactory(edition=judged)
    entry = SubmissionFactory(team=TeamFactory(edition=judged), state=Submission.State.SUBMITTED)
    rival = SubmissionFactory(team=TeamFactory(edition=judged), state=Submission.State.SUBMITTED)
    Review.objects.create(
        round=round_, judge=judge, submission=entry, feedback="Bravo", recusal_reason="Ma cousine"
    )
    Conflict.objects.create(judge=judge, organisation="Ma tante inc.", reason="Ma tante")
    AssignmentBlock.objects.create(round=round_, judge=judge, submission=rival, reason="Malade")
    Comparison.objects.create(round=round_, judge=judge, winner=entry, loser=rival)
    PublicVote.objects.create(
        edition=edition, user=user, submission=submission, email_domain="example.org"
    )
    Announcement.objects.create(edition=edition, user=user, kind="winner")
    snapshot = ResultSnapshot.objects.create(edition=edition, state="published")
    Certificate.objects.create(
        key="privacy:1", snapshot=snapshot, user=user, kind="participation",
        person_name=user.display_name, team_name=team.name, language="fr", pdf=b"%PDF-",
    )  # fmt: skip
    # Organizer of a third edition.
    OrganizerRoleFactory(edition=EditionFactory(), user=user)
    return user
