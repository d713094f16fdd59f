from .agenda import AgendaItem
from .announcements import Announcement
from .audit import AuditEntry
from .editions import Challenge, Edition, EditionOrganizer, HostSite, Phase
from .health import WorkerHeartbeat
from .outbox import OutgoingMail
from .pages import EditionPage
from .users import User

__all__ = [
    "AgendaItem",
    "Announcement",
    "AuditEntry",
    "Challenge",
    "Edition",
    "EditionOrganizer",
    "EditionPage",
    "HostSite",
    "OutgoingMail",
    "Phase",
    "User",
    "WorkerHeartbeat",
]
