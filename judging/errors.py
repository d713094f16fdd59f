"""The jury's user-facing failures: raised by services, shown by views."""

from hackqc.exceptions import HackQCError, PhaseClosedError


class RoundClosedError(PhaseClosedError):
    """The round is not open for reviews now."""


class NotAssignedError(HackQCError):
    """The judge is not assigned this submission in this round."""


class ConflictOfInterestError(HackQCError):
    """The judge has a conflict of interest with this team."""


class ScoreError(HackQCError):
    """A value is off its criterion's scale or names an unknown criterion."""


class ReviewStateError(HackQCError):
    """The review's state does not allow this action (e.g. it was recused)."""


class InvitationError(HackQCError):
    """The invitation link is no longer valid."""


class AssignmentError(HackQCError):
    """An assignment could not be made; `shortfalls` lists what cannot be covered and why."""

    def __init__(self, message, *, shortfalls=(), field=None):
        super().__init__(message, field=field)
        self.shortfalls = list(shortfalls)


class RoundSetupError(HackQCError):
    """The round or its rubric cannot be changed this way."""


class MixedScalesError(RoundSetupError):
    """The round's weighted criteria use different scales and it does not normalise them."""
