"""The results app's user-facing failures: raised by services, shown by views."""

from hackqc.exceptions import HackQCError


class ResultsError(HackQCError):
    """A results step was refused."""
