"""Who each segment of an announcement names (hackqc.segments and each app's segments.py):
exactly the people the organizer means, each once, reachable by mail."""

import datetime as dt

import pytest
from django.utils import timezone

from hackqc import segments
from tests.factories.core import EditionFactory, HostSiteFactory, UserFactory
from tests.factories.judging import AssignmentFactory, JudgeFactory, ReviewFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def names(edition, code, site=None):
    return set(segments.recipients(edition, code, site))


def test_every_app_registers_its_segments():
    assert list(segments.all_segments()) == [
        "teams.participants",
        "teams.mentors",
        "teams.volunteers",
        "teams.site",
        "submissions.draft",
        "submissions.unsubmitted",
        "judging.pending",
    ]


def test_all_participants_are_the_registered_and_the_members_each_once(
    edition, participant, teammate, registered
):
    RegistrationFactory(edition=edition, role="mentor")
    MembershipFactory(team=TeamFactory())  # another edition's

    assert names(edition, "teams.participants") == {participant, teammate, registered}
    assert segments.recipients(edition, "teams.participants").count() == 3


def test_mentors_and_volunteers_by_their_role(edition, participant):
    mentor = RegistrationFactory(edition=edition, role="mentor").user
    volunteer = RegistrationFactory(edition=edition, role="volunteer").user

    assert names(edition, "teams.mentors") == {mentor}
    assert names(edition, "teams.volunteers") == {volunteer}


def test_a_host_site_is_the_people_registered_there_and_its_teams_members(edition):
    montreal, quebec = HostSiteFactory(edition=edition), HostSiteFactory(edition=edition)
    here = RegistrationFactory(edition=edition, host_site=montreal).user
    mentor_here = RegistrationFactory(edition=edition, host_site=montreal, role="mentor").user
    member_here = MembershipFactory(team=TeamFactory(edition=edition, host_site=montreal)).user
    RegistrationFactory(edition=edition, host_site=quebec)
    MembershipFactory(team=TeamFactory(edition=edition, host_site=quebec))

    assert names(edition, "teams.site", montreal) == {here, mentor_here, member_here}


def test_a_host_site_segment_needs_a_site_of_the_edition(edition):
    elsewhere = HostSiteFactory(edition=EditionFactory())
    RegistrationFactory(edition=elsewhere.edition, host_site=elsewhere)

    assert names(edition, "teams.site") == set()
    assert names(edition, "teams.site", elsewhere) == set()


def test_teams_with_a_draft_are_the_members_of_teams_whose_sheet_is_a_draft(edition):
    drafting = TeamFactory(edition=edition)
    SubmissionFactory(team=drafting)
    drafter = MembershipFactory(team=drafting).user
    done = TeamFactory(edition=edition)
    SubmissionFactory(team=done, state="submitted")
    MembershipFactory(team=done)
    MembershipFactory(team=TeamFactory(edition=edition))  # no sheet at all

    assert names(edition, "submissions.draft") == {drafter}


def test_teams_without_a_submitted_project_include_teams_without_a_sheet(edition):
    drafting = TeamFactory(edition=edition)
    SubmissionFactory(team=drafting)
    drafter = MembershipFactory(team=drafting).user
    submitted = TeamFactory(edition=edition)
    SubmissionVersionFactory(submission=SubmissionFactory(team=submitted, state="submitted"))
    MembershipFactory(team=submitted)
    # Reopened after submitting: a draft again, but its project was submitted.
    reopened = TeamFactory(edition=edition)
    SubmissionVersionFactory(submission=SubmissionFactory(team=reopened))
    MembershipFactory(team=reopened)
    sheetless = MembershipFactory(team=TeamFactory(edition=edition)).user

    assert names(edition, "submissions.unsubmitted") == {drafter, sheetless}


def test_judges_with_pending_reviews_in_open_rounds_only(edition):
    now = timezone.now()
    open_round = RoundFactory(edition=edition)
    pending = AssignmentFactory(round=open_round).judge.user
    with_draft = AssignmentFactory(round=open_round)
    ReviewFactory(
        round=open_round,
        judge=with_draft.judge,
        submission=with_draft.submission,
        state="draft",
    )
    done = AssignmentFactory(round=open_round)
    ReviewFactory(round=open_round, judge=done.judge, submission=done.submission, state="submitted")
    recused = AssignmentFactory(round=open_round)
    ReviewFactory(
        round=open_round, judge=recused.judge, submission=recused.submission, state="recused"
    )
    closed = RoundFactory(edition=edition, closed_at=now)
    AssignmentFactory(round=closed)
    later = RoundFactory(
        edition=edition, opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=3)
    )
    AssignmentFactory(round=later)
    JudgeFactory(edition=edition)  # nothing assigned

    assert names(edition, "judging.pending") == {pending, with_draft.judge.user}


def test_a_judge_pending_in_two_rounds_is_named_once(edition):
    judge = JudgeFactory(edition=edition)
    for _round in range(2):
        AssignmentFactory(round=RoundFactory(edition=edition), judge=judge)

    assert segments.recipients(edition, "judging.pending").count() == 1


def test_unreachable_people_are_left_out(edition, participant):
    from hackqc.privacy.erasure import erase_account

    erased = RegistrationFactory(edition=edition).user
    erase_account(erased, by=erased)
    RegistrationFactory(edition=edition, user__verified=False)
    RegistrationFactory(edition=edition, user__is_active=False)
    changed = RegistrationFactory(edition=edition).user
    changed.email = "new-address@example.org"  # not verified yet
    changed.save()

    assert names(edition, "teams.participants") == {participant}


def test_choices_list_each_segment_with_its_count_and_one_per_site(edition, participant):
    site = HostSiteFactory(edition=edition, name="Montréal")

    choices = {c.value: (c.label, c.count) for c in segments.choices(edition)}

    assert choices["teams.participants"] == ("Tous les participants", 1)
    assert choices[f"teams.site:{site.pk}"] == ("Toutes les personnes d'un pôle\u00a0: Montréal", 0)
    assert "teams.site" not in choices


@pytest.mark.parametrize(
    "value", ["", "teams", "teams.site", "teams.site:abc", "teams.site:99999999999999", "x:1"]
)
def test_parse_choice_refuses_what_names_no_segment(edition, value):
    assert segments.parse_choice(edition, value) is None


def test_registering_another_function_under_a_taken_code_fails():
    with pytest.raises(ValueError, match="twice"):
        segments.register("teams.mentors", "Mentors", lambda edition, site: UserFactory._meta)
