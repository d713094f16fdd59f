"""The sheet's logo and screenshots, and their thumbnails."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError
from hackqc.service import enqueue, service

from ..images import validate_image
from ..models import Screenshot, Submission, SubmissionVersion
from .sheet import MAX_SCREENSHOTS, _deadline_clock, _ensure_editable, _touch

# Images -------------------------------------------------------------------------------


def _delete_files_on_commit(*names, submission_id=None):
    """Deletes the files after commit, except those a submitted version still shows: the
    jury and the history show the judged version's logo and screenshots."""
    from django.core.files.storage import default_storage

    names = {n for n in names if n} - (_version_images(submission_id) if submission_id else set())
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def _version_images(submission_id) -> set[str]:
    rows = SubmissionVersion.objects.filter(submission_id=submission_id).values_list(
        "data__logo", "data__screenshots"
    )
    names = set()
    for logo, screenshots in rows:
        names.add(logo or "")
        names.update(shot.get("image", "") for shot in screenshots or [] if isinstance(shot, dict))
    return names - {""}


def _thumbnails_on_commit(submission_id):
    from ..tasks import task_make_thumbnails

    enqueue(task_make_thumbnails, submission_id=submission_id)


@service
def set_logo(submission, *, by, upload, arrived_at=None):
    """Replaces the logo with a re-encoded copy of `upload` (InvalidImageError if refused).

    After commit: the old files are deleted and the thumbnail task is queued.
    """
    clean = validate_image(upload)
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission, _deadline_clock(arrived_at))
    old = (submission.logo.name, submission.logo_thumbnail.name)
    submission.logo.save(clean.content.name, clean.content, save=False)
    submission.logo_thumbnail = ""
    submission.updated_at = timezone.now()
    submission.save(update_fields=["logo", "logo_thumbnail", "updated_at"])
    _delete_files_on_commit(*old, submission_id=submission.pk)
    _thumbnails_on_commit(submission.pk)
    return submission


@service
def remove_logo(submission, *, by, arrived_at=None):
    """Clears the logo; its files are deleted after commit."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission, _deadline_clock(arrived_at))
    old = (submission.logo.name, submission.logo_thumbnail.name)
    submission.logo = ""
    submission.logo_thumbnail = ""
    submission.save(update_fields=["logo", "logo_thumbnail"])
    _delete_files_on_commit(*old, submission_id=submission.pk)


@service
def add_screenshot(submission, *, by, upload, alt_text, arrived_at=None):
    """Adds a re-encoded screenshot (at most six); thumbnail task queued after commit."""
    clean = validate_image(upload)
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission, _deadline_clock(arrived_at))
    if submission.screenshots.count() >= MAX_SCREENSHOTS:
        raise HackQCError(
            _("A project has at most %(count)d screenshots.") % {"count": MAX_SCREENSHOTS},
            field="image",
        )
    screenshot = Screenshot(submission=submission, alt_text=alt_text.strip())
    screenshot.image.save(clean.content.name, clean.content, save=False)
    screenshot.save()
    _touch(submission)
    _thumbnails_on_commit(submission.pk)
    return screenshot


@service
def remove_screenshot(screenshot, *, by, arrived_at=None):
    """Deletes a screenshot; its files are deleted after commit."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("edition")
        .get(pk=screenshot.submission_id)
    )
    _ensure_editable(submission, _deadline_clock(arrived_at))
    names = (screenshot.image.name, screenshot.thumbnail.name)
    screenshot.delete()
    _delete_files_on_commit(*names, submission_id=submission.pk)


def make_thumbnails(submission):
    """Creates the missing thumbnails of the logo and screenshots. Idempotent."""
    from ..images import make_thumbnail

    if submission.logo and not submission.logo_thumbnail:
        with submission.logo.open("rb") as source:
            thumb = make_thumbnail(source)
        _store_thumbnail(Submission, submission.pk, "logo", "logo_thumbnail", thumb)
    for shot in submission.screenshots.filter(thumbnail=""):
        with shot.image.open("rb") as source:
            thumb = make_thumbnail(source)
        _store_thumbnail(Screenshot, shot.pk, "image", "thumbnail", thumb)


def _store_thumbnail(model, pk, source_field, thumb_field, content):
    """Saves the file, then points the row at it only if the source is still the same."""
    from django.core.files.storage import default_storage

    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or getattr(row, thumb_field):
            return
        source_name = getattr(row, source_field).name
        path = getattr(row, thumb_field).field.generate_filename(row, content.name)
        name = default_storage.save(path, content)
        updated = model.objects.filter(pk=pk, **{source_field: source_name}).update(
            **{thumb_field: name}
        )
        if not updated:
            transaction.on_commit(lambda: default_storage.delete(name))
