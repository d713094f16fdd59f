"""User-facing failures raised by services, translated, turned into messages by views."""

from django.utils.translation import gettext_lazy as _


class HackQCError(Exception):
    """A rule of the domain refused the action; the message is shown to the user."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class PhaseClosedError(HackQCError):
    """The edition's timeline does not allow this action now."""


class ConcurrentEditError(HackQCError):
    """Someone saved a newer version in the meantime."""


class EditionArchivedError(HackQCError):
    """The edition is archived: read-only until an organizer unarchives it."""

    def __init__(self, message=None, *, field=None):
        super().__init__(
            message
            or _(
                "This edition is archived: it can no longer be changed. Its organizers can "
                "unarchive it from its organizer page."
            ),
            field=field,
        )
