"""Organizers' downloads of personal data, each one logged in the edition's audit log (who,
when, which file): Law 25 makes the organisation answer for personal information it lets
out of the site, and an incident starts with knowing who took which file.

An export view says what it exports with `LoggedDownloadMixin` (class-based views) or
`logged_download` (functions); the file and its log entry are made in one transaction, so
no file leaves without its entry, and a refused or failed download logs nothing.
"""

import re
from functools import wraps

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hackqc import audit
from hackqc.models import Edition

REGISTRATIONS = audit.action(
    "export.registrations", _("Downloaded the registrations (personal data)")
)
TEAMS = audit.action("export.teams", _("Downloaded the teams and their members (personal data)"))
ROUND = audit.action("export.round", _("Downloaded a round's scores by judge (personal data)"))

_FILENAME = re.compile(r'filename="([^"]+)"')


def record_download(code, *, by, edition, response):
    """Writes the entry for a download that `response` gives: the file is its target."""
    found = _FILENAME.search(response.get("Content-Disposition", ""))
    audit.record(code, actor=by, edition=edition, target=found.group(1) if found else "")


def _gives_a_file(response) -> bool:
    return response.status_code == 200 and "Content-Disposition" in response


def logged_download(code):
    """Decorates a download view whose URL names the edition by `slug`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if _gives_a_file(response):
                    edition = Edition.objects.get(slug=kwargs["slug"])
                    record_download(code, by=request.user, edition=edition, response=response)
            return response

        wrapper.logs_download = code
        return wrapper

    return decorator


class LoggedDownloadMixin:
    """For a download view that sets `self.edition` (`OrganizerRequiredMixin`): put it
    first among the bases and name the action in `download_action`."""

    download_action = None

    def dispatch(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if _gives_a_file(response):
                record_download(
                    self.download_action, by=request.user, edition=self.edition, response=response
                )
        return response
