"""Numbers at a glance on the edition dashboard: counts, charts with their tables, queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hackqc.models import OutgoingMail, Phase
from hackqc.views.dashboard import edition_numbers
from judging.models import Review
from submissions.models import Submission
from tests.factories.catalogue import DatasetFactory, OrganizationFactory
from tests.factories.core import EditionFactory, HostSiteFactory, OrganizerRoleFactory
from tests.factories.judging import (
    AssignmentFactory,
    CriterionFactory,
    JudgeFactory,
    ReviewFactory,
    RoundFactory,
    ScoreFactory,
)
from tests.factories.submissions import (
    DatasetLinkFactory,
    SubmissionFactory,
    record_submitted_version,
)
from tests.factories.teams import RegistrationFactory, TeamFactory, fill_team


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _mail(edition, state, n):
    for _i in range(n):
        OutgoingMail.objects.create(
            key=f"k-{OutgoingMail.objects.count()}",
            edition=edition,
            address="a@example.org",
            template="teams/mail/invitation",
            state=state,
            retry_until=timezone.now(),
            sent_at=timezone.now() if state == OutgoingMail.State.SENT else None,
        )


def _reviewed(round_, criterion, judge, submission, value, state=Review.State.SUBMITTED):
    AssignmentFactory(round=round_, judge=judge, submission=submission)
    review = ReviewFactory(round=round_, judge=judge, submission=submission, state=state)
    ScoreFactory(review=review, criterion=criterion, value=value)


def build_edition(extra_teams=0):
    """One site; a team of 3 there (submitted, 2 datasets of 2 organisations), a team of 1
    without site (draft), a mentor and a volunteer; one round, 3 judges; mails."""
    edition = EditionFactory(phase=Phase.JUDGING)
    site = HostSiteFactory(edition=edition, name="Pôle de Québec")
    full = fill_team(TeamFactory(edition=edition, name="Les Castors", host_site=site), 3)
    alone = fill_team(TeamFactory(edition=edition, name="Solo", is_open=False), 1)
    RegistrationFactory(edition=edition, role="mentor")
    RegistrationFactory(edition=edition, role="volunteer")
    submitted = SubmissionFactory(team=full, state=Submission.State.SUBMITTED, title="Vélo")
    for org in ("Ville de Québec", "Hydro-Québec"):
        dataset = DatasetFactory(organization=OrganizationFactory(title=org))
        DatasetLinkFactory(submission=submitted, dataset=dataset)
    two_hours_before = edition.submissions_close - dt.timedelta(hours=2)
    record_submitted_version(submitted, submitted_at=two_hours_before)
    SubmissionFactory(team=alone, title="Brouillon")
    round_ = RoundFactory(edition=edition, name="Préliminaire")
    criterion = CriterionFactory(round=round_, weight=1)
    judges = [JudgeFactory(edition=edition, user__display_name=f"Juge {c}") for c in "ABC"]
    _reviewed(round_, criterion, judges[0], submitted, 8.0)
    _reviewed(round_, criterion, judges[1], submitted, 6.0)
    _reviewed(round_, criterion, judges[2], submitted, 5.0, state=Review.State.DRAFT)
    for i in range(extra_teams):
        team = fill_team(TeamFactory(edition=edition, host_site=site), 2)
        sub = SubmissionFactory(team=team, state=Submission.State.SUBMITTED)
        DatasetLinkFactory(submission=sub)
        record_submitted_version(sub)
        _reviewed(round_, criterion, judges[i % 2], sub, 4.0 + i)
    _mail(edition, OutgoingMail.State.SENT, 2)
    _mail(edition, OutgoingMail.State.FAILED, 1)
    return edition


@pytest.mark.django_db
def test_numbers_count_the_edition():
    edition = build_edition()
    EditionFactory()  # another edition's people are not counted

    numbers = edition_numbers(edition)

    registrations = numbers["registrations"]
    assert registrations["roles"] == ["Participant", "Mentor", "Volunteer"]
    assert [(r["site"], r["counts"], r["total"]) for r in registrations["rows"]] == [
        ("Pôle de Québec", [3, 0, 0], 3),
        ("No team or host site yet", [1, 1, 1], 3),
    ]
    assert registrations["total"] == 6
    assert numbers["teams"]["sizes"] == [(1, 1), (3, 1)]
    assert dict(numbers["teams"]["statuses"]) == {
        "Full": 0,
        "Under the recommended size": 2,  # the factory's edition recommends 4 to 6
        "Open to new members": 0,
        "Closed to new members": 0,
    }
    assert dict(numbers["sheets"]["states"]) == {"Draft": 1, "Submitted": 1, "Disqualified": 0}
    assert numbers["sheets"]["reuse"] == {"datasets": 2, "links": 2, "projects": 1}
    assert [name for name, _row in numbers["sheets"]["organisations"]] == [
        "Hydro-Québec",
        "Ville de Québec",
    ]
    [progress] = numbers["reviews"]["rounds"]
    assert (progress.assigned, progress.done, progress.drafts, progress.pending) == (3, 2, 1, 1)
    assert [(j["name"], j["pending"]) for j in progress.judges] == [
        ("Juge C", 1),
        ("Juge A", 0),
        ("Juge B", 0),
    ]
    assert dict(numbers["mails"]["states"])["Sent"] == 2
    assert numbers["mails"]["failed"] == 1


@pytest.mark.django_db
def test_charts_carry_their_numbers_in_tables():
    edition = build_edition()

    numbers = edition_numbers(edition)

    submits = numbers["sheets"]["submits_chart"]
    assert sum(row[1] for row in submits.table.rows) == 1
    assert len(submits.table.rows) in (48, 49)  # one bar per hour up to the deadline
    assert numbers["registrations"]["chart"].table.rows[-1][1] == 6  # cumulative
    [scores] = numbers["reviews"]["scores"]
    table = {row[0]: row for row in scores["chart"].table.rows}
    assert set(table) == {"Juge A", "Juge B"}  # drafts never count
    assert table["Juge A"][1:3] == [1, "8"]
    # One project, two judges: the judge-bias model splits the gap, +1 and -1.
    assert table["Juge A"][5] == "+1.00"
    assert table["Juge B"][5] == "-1.00"
    assert numbers["sheets"]["reuse_chart"].table.rows == [
        ["Hydro-Québec", 1],
        ["Ville de Québec", 1],
    ]


@pytest.mark.django_db
def test_dashboard_page_draws_accessible_charts(client):
    edition = build_edition()
    organizer = OrganizerRoleFactory(edition=edition).user
    client.force_login(organizer)

    page = client.get(reverse("organize:dashboard", kwargs={"slug": edition.slug}))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg role="img" aria-labelledby=') == 5
    assert html.count("<title id=") == html.count("<desc id=") == 5
    assert html.count('<div class="visually-hidden"><table>') == 5
    assert "Submissions in the last 48 hours before the deadline" in html
    numbers = html.split('id="numbers-heading"')[1].split("<footer")[0]
    assert "style=" not in numbers  # the CSP forbids inline styles and scripts
    assert "<script" not in numbers


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 3])
def test_dashboard_queries_constant(client, extra, django_assert_num_queries):
    edition = build_edition(extra_teams=extra)
    organizer = OrganizerRoleFactory(edition=edition).user
    client.force_login(organizer)
    url = reverse("organize:dashboard", kwargs={"slug": edition.slug})

    # 27: the life cycle section asks once whether anyone joined (hackqc.lifecycle).
    with django_assert_num_queries(27):
        page = client.get(url)

    assert page.context["numbers"]["teams"]["total"] == 2 + extra


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["participant", "outsider", "judge", "other_organizer"])
def test_dashboard_numbers_refused_to_others(client, team, participant, persona, request):
    edition = build_edition()
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("organize:dashboard", kwargs={"slug": edition.slug}))

    assert page.status_code in (403, 404)
    assert b"Numbers at a glance" not in page.content
