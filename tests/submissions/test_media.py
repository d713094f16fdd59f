"""Uploaded images: random names, and `/media/` answers only those who may see the file.

A draft's images are refused to outsiders (anonymous, another team, an unassigned judge, an
organizer of another edition) and given to its team and organizers; an assigned judge sees
the submitted versions' images; the public sees the judged version's once the project is
public. Guessing a path, walking out of the folder or asking for an orphan file fails alike.
"""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from hackqc.models import Phase
from submissions.models import Screenshot, Submission, upload_logo, upload_screenshot
from submissions.services import set_logo
from submissions.services.sheet_images import make_thumbnails
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.judging import AssignmentFactory, JudgeFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory
from tests.factories.teams import MembershipFactory, TeamFactory
from tests.submissions.images import image_bytes, upload

pytestmark = pytest.mark.django_db
RANDOM = re.compile(r"submissions/(\d+)/[A-Za-z0-9_-]{22}\.(png|jpg|webp)")
PNG = image_bytes("PNG")


def _store(name_of, submission, content=PNG):
    return default_storage.save(
        name_of(submission, "photo-jean-tremblay.png"), ContentFile(content)
    )


def _set_logo(world, name="jean-tremblay.png"):
    """The team uploads a logo; its thumbnail is made as the task would after commit."""
    submission = set_logo(world.submission, by=world.captain, upload=upload(PNG, name))
    make_thumbnails(submission)
    submission.refresh_from_db()
    return submission


def _on_time(world):
    return world.edition.submissions_close - dt.timedelta(hours=1)


def _url(name):
    return f"/media/{name}"


class World:
    """A project of `edition` with its team, organizers, judges and outsiders."""

    def __init__(self, phase, state=Submission.State.DRAFT):
        self.edition = EditionFactory(phase=phase)
        team = TeamFactory(edition=self.edition)
        self.captain = MembershipFactory(team=team, is_captain=True).user
        self.teammate = MembershipFactory(team=team).user
        self.submission = SubmissionFactory(team=team, state=state)
        self.organizer = OrganizerRoleFactory(edition=self.edition).user
        self.staff = UserFactory(is_staff=True)
        other_team = TeamFactory(edition=self.edition)
        self.other_team = MembershipFactory(team=other_team, is_captain=True).user
        SubmissionFactory(team=other_team)
        self.unassigned_judge = JudgeFactory(edition=self.edition).user
        round_ = RoundFactory(edition=self.edition)
        self.assigned_judge = AssignmentFactory(round=round_, submission=self.submission)
        self.assigned_judge = self.assigned_judge.judge.user
        self.other_organizer = OrganizerRoleFactory(edition=EditionFactory()).user

    def outsiders(self):
        return {
            "anonymous": None,
            "other team": self.other_team,
            "unassigned judge": self.unassigned_judge,
            "organizer of another edition": self.other_organizer,
        }

    def insiders(self):
        return {
            "captain": self.captain,
            "teammate": self.teammate,
            "organizer": self.organizer,
            "staff": self.staff,
        }


def _get(client, user, name):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(_url(name))
    # Read whole: the test client closes the file once its content is consumed.
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


def test_uploaded_images_get_random_names_without_the_uploaded_name(settings):
    world = World(Phase.HACKING)

    first = _set_logo(world)
    first_name = first.logo.name
    second = _set_logo(world)

    assert RANDOM.fullmatch(first_name)
    assert RANDOM.fullmatch(second.logo.name)
    assert RANDOM.fullmatch(second.logo_thumbnail.name)
    assert first_name != second.logo.name
    assert "tremblay" not in second.logo.name
    assert RANDOM.fullmatch(upload_screenshot(Screenshot(submission=world.submission), "a.jpg"))


def test_draft_images_are_refused_to_outsiders(client):
    world = World(Phase.HACKING)
    submission = _set_logo(world)
    names = [submission.logo.name, submission.logo_thumbnail.name]

    answers = {
        (persona, name): _get(client, user, name).status_code
        for persona, user in world.outsiders().items()
        for name in names
    }

    assert set(answers.values()) == {404}


def test_draft_images_are_served_to_the_team_and_organizers(client):
    world = World(Phase.HACKING)
    submission = _set_logo(world)
    with default_storage.open(submission.logo.name) as handle:
        stored = handle.read()

    for user in world.insiders().values():
        response = _get(client, user, submission.logo.name)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=600"
        assert response.body == stored
        assert _get(client, user, submission.logo_thumbnail.name).status_code == 200


def test_draft_images_are_not_for_an_assigned_judge_until_submitted(client):
    world = World(Phase.HACKING)
    draft = _set_logo(world).logo.name
    submitted = _store(upload_logo, world.submission)
    SubmissionVersionFactory(submission=world.submission, data={"logo": submitted})

    assert _get(client, world.assigned_judge, draft).status_code == 404
    assert _get(client, world.assigned_judge, submitted).status_code == 200
    assert _get(client, world.unassigned_judge, submitted).status_code == 404


def test_public_project_shows_its_judged_images_to_everyone_not_its_later_drafts(client):
    world = World(Phase.JUDGING, state=Submission.State.SUBMITTED)
    judged_logo = _store(upload_logo, world.submission)
    judged_shot = _store(upload_screenshot, world.submission)
    SubmissionVersionFactory(
        submission=world.submission,
        data={"logo": judged_logo, "screenshots": [{"image": judged_shot, "alt_text": "x"}]},
        submitted_at=_on_time(world),
    )
    later = _store(upload_logo, world.submission)
    Submission.objects.filter(pk=world.submission.pk).update(logo=later)

    public = _get(client, None, judged_logo)

    assert public.status_code == 200
    assert public["Cache-Control"] == "public, max-age=3600"
    assert _get(client, None, judged_shot).status_code == 200
    assert _get(client, None, later).status_code == 404
    assert _get(client, world.teammate, later).status_code == 200


def test_disqualified_project_images_are_no_longer_public(client):
    world = World(Phase.JUDGING, state=Submission.State.DISQUALIFIED)
    logo = _store(upload_logo, world.submission)
    SubmissionVersionFactory(submission=world.submission, data={"logo": logo})

    assert _get(client, None, logo).status_code == 404
    assert _get(client, world.organizer, logo).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "submissions/{id}/AAAAAAAAAAAAAAAAAAAAAA.png",  # a random name nobody was given
        "submissions/{id}/logo/logo.png",  # the old guessable scheme
        "submissions/{id}/orphan",  # an orphan file, still on disk
        "submissions/{id}/../../hackqc/settings.py",
        "submissions/{id}/%2e%2e/%2e%2e/etc/passwd",
        "submissions/{other}/{file}",  # the file under another project's number
        "submissions/99999999999999999999999/x.png",
        "submissions/0/x.png",
        "logos/logo.png",
        "submissions/{id}/x.svg",
    ],
)
def test_guessing_paths_fails_even_for_the_team(client, path):
    world = World(Phase.HACKING)
    submission = _set_logo(world)
    orphan = default_storage.save(upload_logo(world.submission, "o.png"), ContentFile(PNG))
    default_storage.save(f"submissions/{world.submission.pk}/logo/logo.png", ContentFile(PNG))
    other = Submission.objects.exclude(pk=world.submission.pk).first()
    path = path.format(
        id=world.submission.pk,
        other=other.pk,
        file=submission.logo.name.rsplit("/", 1)[1],
    ).replace("orphan", orphan.rsplit("/", 1)[1])
    client.force_login(world.captain)

    response = client.get(_url(path))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_a_nul_byte_in_the_path_is_a_bad_request(client):
    world = World(Phase.HACKING)
    client.force_login(world.captain)

    response = client.get(_url(f"submissions/{world.submission.pk}/a%00b.png"))

    assert response.status_code == 400


def test_behind_the_proxy_the_file_is_sent_by_nginx(client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    world = World(Phase.HACKING)
    name = _set_logo(world).logo.name

    allowed = _get(client, world.captain, name)
    refused = _get(client, world.other_team, name)

    assert allowed.status_code == 200
    assert allowed["X-Accel-Redirect"] == f"/protected-media/{name}"
    assert allowed["Content-Type"] == "image/png"
    assert allowed.content == b""
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


def test_media_accepts_only_reads(client):
    world = World(Phase.HACKING)
    name = _set_logo(world).logo.name
    client.force_login(world.captain)

    assert client.post(_url(name)).status_code == 405
    head = client.head(_url(name))
    b"".join(head.streaming_content)
    assert head.status_code == 200


def test_public_image_costs_three_queries(client, django_assert_num_queries):
    world = World(Phase.JUDGING, state=Submission.State.SUBMITTED)
    logo = _store(upload_logo, world.submission)
    SubmissionVersionFactory(
        submission=world.submission, data={"logo": logo}, submitted_at=_on_time(world)
    )

    with django_assert_num_queries(3):
        response = client.get(_url(logo))
        b"".join(response.streaming_content)

    assert response.status_code == 200


def test_the_sheets_image_is_served_to_its_team_only(client):
    world = World(Phase.HACKING)
    submission = _set_logo(world)
    client.force_login(world.captain)
    sheet = reverse("submissions:team_sheet", args=[world.edition.slug, submission.team_id])

    page = client.get(sheet).content.decode()
    [src] = re.findall(r'<img src="(/media/[^"]+)"', page)

    assert src == reverse("media", args=[submission.logo_thumbnail.name])
    assert _get(client, world.captain, submission.logo_thumbnail.name).status_code == 200
    assert _get(client, world.other_team, submission.logo_thumbnail.name).status_code == 404


def test_a_proxy_location_that_is_not_a_path_stops_startup():
    from tests.hackqc.test_settings import run_python

    result = run_python("import django; django.setup()", MEDIA_ACCEL_REDIRECT="protected-media")

    assert result.returncode != 0
    assert "MEDIA_ACCEL_REDIRECT" in result.stderr.strip().splitlines()[-1]
