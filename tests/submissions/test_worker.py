"""Thumbnails are made by a real Celery worker after the upload commits."""

import time

import pytest
from django.conf import settings

from submissions import services
from submissions.models import Submission

from .images import image_bytes, upload

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (a Redis broker)"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_logo_thumbnail_is_made_by_a_worker_after_commit(celery_worker_process, sheet, participant):
    _queue, process = celery_worker_process

    services.set_logo(sheet, by=participant, upload=upload(image_bytes("PNG", size=(1200, 800))))

    deadline = time.monotonic() + 60
    thumbnail = ""
    while time.monotonic() < deadline and not thumbnail:
        assert process.poll() is None, process.stdout.read().decode()
        thumbnail = Submission.objects.get(pk=sheet.pk).logo_thumbnail.name
        time.sleep(0.2)

    assert thumbnail, "the worker made no thumbnail within 60 s"
    stored = Submission.objects.get(pk=sheet.pk)
    with stored.logo_thumbnail.open("rb") as handle:
        from PIL import Image

        assert max(Image.open(handle).size) <= 480
