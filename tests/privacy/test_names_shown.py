"""A consent withdrawn takes effect at once on every page that shows members' names, for the
versions submitted before as well: names are read when shown, never frozen."""

import pytest
from django.urls import reverse

from hackqc.models import Phase
from judging.models import Assignment
from submissions.models import Submission
from teams import services as teams
from teams.models import Registration
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version
from tests.factories.teams import MembershipFactory, TeamFactory


@pytest.fixture
def project(db):
    """A judged project: Fière consents to be shown, Discret does not; the judge is assigned."""
    edition = EditionFactory(phase=Phase.RESULTS, gallery_open_early=True)
    team = TeamFactory(edition=edition, name="Les Castors")
    fiere = MembershipFactory(team=team, is_captain=True, user__display_name="Fière Gagnon").user
    discret = MembershipFactory(team=team, user__display_name="Discret Roy").user
    Registration.objects.filter(user=fiere).update(show_profile=True)
    Registration.objects.filter(user=discret).update(show_profile=True)
    submission = SubmissionFactory(team=team, state=Submission.State.SUBMITTED, complete=True)
    version = record_submitted_version(submission)
    type(version).objects.filter(pk=version.pk).update(submitted_by=fiere)
    round_ = RoundFactory(edition=edition, number=1)
    CriterionFactory(round=round_)
    judge = JudgeFactory(edition=edition)
    Assignment.objects.create(round=round_, judge=judge, submission=submission)
    organizer = OrganizerRoleFactory(edition=edition).user
    return {
        "edition": edition,
        "team": team,
        "fiere": fiere,
        "discret": discret,
        "version": version,
        "round": round_,
        "judge": judge.user,
        "organizer": organizer,
        "submission": submission,
    }


def pages(p):
    slug, team = p["edition"].slug, p["team"].pk
    return {
        "judge": reverse(
            "judging:review",
            kwargs={"slug": slug, "number": p["round"].number, "submission_id": p["submission"].pk},
        ),
        "public": reverse("submissions:project", kwargs={"slug": slug, "team_id": team}),
    }


def test_new_versions_store_no_names(project):
    assert "members" not in project["version"].data["team"]
    assert project["version"].data["schema"] == 2


def test_withdrawn_consent_hides_the_name_from_judges_and_the_public(client, project):
    urls = pages(project)
    client.force_login(project["judge"])
    assert "Discret Roy" in client.get(urls["judge"]).content.decode()

    registration = Registration.objects.get(user=project["discret"])
    teams.update_consent(registration, by=project["discret"], show_profile=False)

    for viewer, url in [
        (project["judge"], urls["judge"]),
        (None, urls["public"]),
    ]:
        client.logout()
        if viewer:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Discret Roy" not in page, url
        assert "Fière Gagnon" in page, url


def test_old_snapshots_with_frozen_names_never_show_them(client, project):
    from submissions.models import SubmissionVersion

    data = {**project["version"].data}
    data["team"] = {**data["team"], "members": ["Discret Roy", "Fière Gagnon"]}
    data["schema"] = 1
    SubmissionVersion.objects.filter(pk=project["version"].pk).update(data=data)
    Registration.objects.filter(user=project["discret"]).update(show_profile=False)

    client.force_login(project["judge"])
    page = client.get(pages(project)["judge"]).content.decode()

    assert "Discret Roy" not in page
    assert "Fière Gagnon" in page


def test_teammates_and_organizers_still_see_every_name(client, project):
    Registration.objects.filter(user=project["discret"]).update(show_profile=False)
    url = reverse(
        "submissions:version",
        kwargs={
            "slug": project["edition"].slug,
            "team_id": project["team"].pk,
            "number": project["version"].number,
        },
    )
    for viewer in (project["fiere"], project["organizer"]):
        client.force_login(viewer)
        assert "Discret Roy" in client.get(url).content.decode()
