"""Uploaded images of projects (logos, screenshots, their thumbnails), served through one
checked view (`submissions.views.media`).

Every name is random (`submissions.models._image_path`), so nobody reaches a file by
guessing it, and every request for `/media/…` is decided here before a byte is sent:

- the project's team and the edition's organizers see every file its sheet or one of its
  submitted versions names;
- a judge assigned to the project sees the files of its submitted versions;
- everyone sees, once the project is public, the files of the version the public pages
  show (its judged version), and the thumbnail of that logo.

Anything else, including a file that no row names any more, is the same 404 as a file that
never existed. The web process only decides: with `MEDIA_ACCEL_REDIRECT` set, the proxy
sends the file (nginx's `X-Accel-Redirect` to an `internal` location, see the README);
without it (the embedded mode) Django streams it.
"""

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse

from .models import Screenshot, Submission, SubmissionVersion

CONTENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
# `submissions/<id>/…`: the project is read from the name, then the name must be one of
# its files. A longer id than any database holds, or a `..`, never reaches the database.
_NAME = re.compile(r"submissions/(?P<id>[1-9][0-9]{0,17})/[^\x00\\]{1,240}")
# A public file may be kept an hour by shared caches; a private one only by the browser.
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_CACHE = "private, max-age=600"


@dataclass
class ProjectFiles:
    """The names of one project's files, by who may see them (see the module docstring)."""

    every: set[str] = field(default_factory=set)
    submitted: set[str] = field(default_factory=set)
    public: set[str] = field(default_factory=set)


def submission_named(name) -> Submission:
    """The project whose file `name` would be, or 404."""
    match = _NAME.fullmatch(name)
    if match is None or ".." in PurePosixPath(name).parts:
        raise Http404
    if PurePosixPath(name).suffix.lower() not in CONTENT_TYPES:
        raise Http404
    submission = Submission.objects.select_related("edition", "team").filter(pk=match["id"]).first()
    if submission is None:
        raise Http404
    return submission


def project_files(submission) -> ProjectFiles:
    """Two queries: the screenshots, and what each submitted version names."""
    shots = list(Screenshot.objects.filter(submission=submission).values_list("image", "thumbnail"))
    current = {submission.logo.name, submission.logo_thumbnail.name}
    current.update(name for pair in shots for name in pair)
    versions = list(
        SubmissionVersion.objects.filter(submission=submission)
        .order_by("number")
        .values_list("submitted_at", "data__logo", "data__screenshots")
    )
    submitted = set()
    for _at, logo, screenshots in versions:
        submitted |= _named(logo, screenshots)
    judged = _judged(submission, versions)
    public = _named(*judged[1:]) if judged else set()
    thumbnails = [(submission.logo.name, submission.logo_thumbnail.name), *shots]
    files = ProjectFiles(
        every=current | submitted,
        submitted=submitted | _thumbnails_of(submitted, thumbnails),
        public=public | _thumbnails_of(public, thumbnails),
    )
    for names in (files.every, files.submitted, files.public):
        names.discard("")
    files.every |= files.submitted
    return files


def _named(logo, screenshots) -> set[str]:
    names = {logo or ""}
    names.update(s.get("image", "") for s in screenshots or [] if isinstance(s, dict))
    return names - {""}


def _judged(submission, versions):
    """The version the public pages show: the last one submitted by the deadline, none for
    a disqualified project (`submissions.queries.judged_version`, on rows already read)."""
    if submission.state == Submission.State.DISQUALIFIED:
        return None
    on_time = [v for v in versions if v[0] <= submission.deadline]
    return on_time[-1] if on_time else None


def _thumbnails_of(names, pairs) -> set[str]:
    return {thumbnail for image, thumbnail in pairs if image in names and thumbnail}


def file_response(name, *, public):
    """The file `name` (already allowed), sent by the proxy when it is configured."""
    content_type = CONTENT_TYPES[PurePosixPath(name).suffix.lower()]
    prefix = settings.MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    return response
