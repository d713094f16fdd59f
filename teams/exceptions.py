"""The refusals of the teams app, each with a message the user can act on."""

from hackqc.exceptions import HackQCError, PhaseClosedError


class RegistrationError(HackQCError):
    """Registering, editing the profile or withdrawing was refused."""


class TeamsFrozenError(PhaseClosedError):
    """Teams of the edition cannot change now."""


class TeamError(HackQCError):
    """A change to a team broke one of the edition's rules."""


class TeamFullError(TeamError):
    pass


class AlreadyInTeamError(TeamError):
    pass


class NotParticipantError(TeamError):
    pass


class TeamNameTakenError(TeamError):
    pass


class InvitationError(TeamError):
    """An invitation link that is unknown, expired, used or revoked."""


class JoinCodeError(TeamError):
    pass


class TooManyInvitationsError(TeamError):
    pass


class NotCaptainError(TeamError):
    pass


class SiteFullError(HackQCError):
    """A host site has no seat left for the people who would come."""


class CheckInError(HackQCError):
    """A check-in code that is unknown, or of another edition."""
