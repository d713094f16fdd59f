"""`/media/…`: every uploaded file goes through here (see `submissions.media`)."""

from django.http import Http404
from django.views.decorators.http import require_safe

from .. import media
from ..permissions import can_view_media, is_public_project


@require_safe
def serve_media(request, name):
    """The file `name` if the visitor may see it; 404 alike for a file that is not theirs
    to see, one that no project names, and one that never existed."""
    submission = media.submission_named(name)
    files = media.project_files(submission)
    if not can_view_media(request.user, submission, name, files):
        raise Http404
    public = name in files.public and is_public_project(submission)
    return media.file_response(name, public=public)
