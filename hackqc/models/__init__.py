from .editions import Challenge, Edition, EditionOrganizer, HostSite, Phase
from .users import User

__all__ = ["Challenge", "Edition", "EditionOrganizer", "HostSite", "Phase", "User"]
