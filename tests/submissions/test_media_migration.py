"""The data migration that renames images stored under guessable names."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from submissions.models import Screenshot, Submission, SubmissionVersion
from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory
from tests.submissions.images import image_bytes

pytestmark = pytest.mark.django_db
migration = import_module("submissions.migrations.0008_unguessable_media_names")
RANDOM = re.compile(r"submissions/(\d+)/[A-Za-z0-9_-]{22}\.(png|webp)")


def _old(name, content):
    return default_storage.save(name, ContentFile(content))


def test_stored_images_get_random_names_everywhere_they_are_named(
    django_capture_on_commit_callbacks,
):
    submission = SubmissionFactory()
    sid = submission.pk
    logo_bytes, shot_bytes = image_bytes("PNG"), image_bytes("PNG", size=(10, 10))
    logo = _old(f"submissions/{sid}/logo/jean-tremblay.png", logo_bytes)
    thumb = _old(f"submissions/{sid}/thumbnails/jean-tremblay-thumb.webp", b"RIFF")
    shot = _old(f"submissions/{sid}/screenshots/ecran.png", shot_bytes)
    Submission.objects.filter(pk=sid).update(logo=logo, logo_thumbnail=thumb)
    Screenshot.objects.create(submission=submission, image=shot, alt_text="Écran")
    version = SubmissionVersionFactory(
        submission=submission,
        data={"title": "T", "logo": logo, "screenshots": [{"image": shot, "alt_text": "É"}]},
    )
    missing = SubmissionFactory()
    Submission.objects.filter(pk=missing.pk).update(logo="submissions/9/logo/gone.png")

    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_media(apps, None)

    submission.refresh_from_db()
    new_shot = Screenshot.objects.get(submission=submission).image.name
    data = SubmissionVersion.objects.get(pk=version.pk).data
    names = [submission.logo.name, submission.logo_thumbnail.name, new_shot]
    assert all(RANDOM.fullmatch(name) for name in names)
    assert data == {
        "title": "T",
        "logo": submission.logo.name,
        "screenshots": [{"image": new_shot, "alt_text": "É"}],
    }
    with default_storage.open(submission.logo.name) as handle:
        assert handle.read() == logo_bytes
    assert [default_storage.exists(name) for name in (logo, thumb, shot)] == [False] * 3
    assert Submission.objects.get(pk=missing.pk).logo.name == "submissions/9/logo/gone.png"


def test_running_it_again_changes_nothing(django_capture_on_commit_callbacks):
    submission = SubmissionFactory()
    logo = _old(f"submissions/{submission.pk}/logo/a.png", image_bytes("PNG"))
    Submission.objects.filter(pk=submission.pk).update(logo=logo)
    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_media(apps, None)
    renamed = Submission.objects.get(pk=submission.pk).logo.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        migration.rename_media(apps, None)

    assert Submission.objects.get(pk=submission.pk).logo.name == renamed
    assert callbacks == []
