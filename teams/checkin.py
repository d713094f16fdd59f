"""Check-in codes: the link a person's QR code carries, and finding a person by their code.

The writes (`check_in`) are in `teams.services.sites`.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .exceptions import CheckInError
from .models import CHECKIN_ALPHABET, CHECKIN_CODE_LENGTH, Registration


def checkin_url(registration) -> str:
    """The address a person's QR code carries: a phone's own camera app opens it on the
    check-in page, code filled in, so scanning needs no app and no script."""
    path = reverse("teams:checkin", kwargs={"slug": registration.edition.slug})
    return f"{settings.SITE_URL}{path}?code={registration.checkin_code}"


def display_code(code: str) -> str:
    """ABCDE-FGHJK: two groups of five are easier to read out and type."""
    return f"{code[:5]}-{code[5:]}"


def normalize_code(text) -> str:
    """A typed or scanned check-in code, as stored: capitals, without the spaces or dashes
    it is shown with (or anything else outside its alphabet)."""
    text = str(text or "").upper()
    return "".join(char for char in text if char in CHECKIN_ALPHABET)[:CHECKIN_CODE_LENGTH]


def registration_by_code(edition, code):
    """The registration of `edition` whose check-in code is `code` (typed or scanned)."""
    code = normalize_code(code)
    registration = None
    if len(code) == CHECKIN_CODE_LENGTH:
        registration = (
            Registration.objects.filter(edition=edition, checkin_code=code)
            .select_related("user", "host_site", "checked_in_by")
            .first()
        )
    if registration is None:
        raise CheckInError(
            _("No one of this edition has this check-in code: check it and type it again."),
            field="code",
        )
    return registration
