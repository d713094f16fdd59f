"""User-facing failures raised by services, translated, turned into messages by views."""


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
