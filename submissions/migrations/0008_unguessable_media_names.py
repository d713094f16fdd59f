"""Gives every uploaded image already stored a random name (`submissions/<id>/<token>.<ext>`,
as `submissions.models._image_path` now names new ones) and points the sheets, screenshots
and submitted versions at it. A version's snapshot is rewritten only where it names a file:
what the team submitted is unchanged, only where its image is stored.

Files are copied under their new name, the rows updated, and the old files deleted once the
migration commits; a file missing from MEDIA_ROOT keeps its old (dangling) name. Not
reversible in the sense of restoring the old names (they were guessable): going back keeps
the new ones.
"""

import re
import secrets
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import migrations, transaction

RANDOM_NAME = re.compile(r"submissions/[0-9]+/[A-Za-z0-9_-]{22}\.[a-z]+")


class Renamer:
    def __init__(self):
        self.renamed = {}

    def __call__(self, name, submission_id):
        if not name or RANDOM_NAME.fullmatch(name):
            return name
        if name not in self.renamed:
            if not default_storage.exists(name):
                return name
            extension = PurePosixPath(name).suffix.lower() or ".bin"
            target = f"submissions/{submission_id}/{secrets.token_urlsafe(16)}{extension}"
            with default_storage.open(name, "rb") as handle:
                self.renamed[name] = default_storage.save(target, File(handle))
        return self.renamed[name]


def rename_media(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    Screenshot = apps.get_model("submissions", "Screenshot")
    SubmissionVersion = apps.get_model("submissions", "SubmissionVersion")
    rename = Renamer()
    for pk, logo, thumbnail in Submission.objects.values_list("pk", "logo", "logo_thumbnail"):
        new = (rename(logo, pk), rename(thumbnail, pk))
        if new != (logo, thumbnail):
            Submission.objects.filter(pk=pk).update(logo=new[0], logo_thumbnail=new[1])
    for pk, sid, image, thumbnail in Screenshot.objects.values_list(
        "pk", "submission_id", "image", "thumbnail"
    ):
        new = (rename(image, sid), rename(thumbnail, sid))
        if new != (image, thumbnail):
            Screenshot.objects.filter(pk=pk).update(image=new[0], thumbnail=new[1])
    for version in SubmissionVersion.objects.only("pk", "submission_id", "data").iterator():
        data = _renamed_snapshot(version.data, version.submission_id, rename)
        if data != version.data:
            # The model refuses to save a version; a queryset update is the migration's way.
            SubmissionVersion.objects.filter(pk=version.pk).update(data=data)
    if rename.renamed:
        old_names = list(rename.renamed)
        transaction.on_commit(lambda: [default_storage.delete(name) for name in old_names])
        _renew_cached_pages()


def _renamed_snapshot(data, submission_id, rename):
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if data.get("logo"):
        data["logo"] = rename(data["logo"], submission_id)
    if isinstance(data.get("screenshots"), list):
        data["screenshots"] = [
            {**shot, "image": rename(shot.get("image", ""), submission_id)}
            if isinstance(shot, dict)
            else shot
            for shot in data["screenshots"]
        ]
    return data


def _renew_cached_pages():
    """Cached galleries and results link the old names."""
    from hackqc.pagecache import touch

    touch("submissions")


class Migration(migrations.Migration):
    dependencies = [("submissions", "0007_text_length_caps")]

    operations = [migrations.RunPython(rename_media, migrations.RunPython.noop)]
