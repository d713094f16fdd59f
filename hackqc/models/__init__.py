from .editions import Challenge, Edition, EditionOrganizer, HostSite, Phase
from .health import WorkerHeartbeat
from .users import User

__all__ = [
    "Challenge",
    "Edition",
    "EditionOrganizer",
    "HostSite",
    "Phase",
    "User",
    "WorkerHeartbeat",
]
