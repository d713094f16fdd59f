"""Every write of the teams app. Each function is atomic and names its side effects."""

from .corrections import correct_registration
from .joining import (
    accept_invitation,
    accept_join_request,
    check_invitation,
    check_invited_address,
    decline_join_request,
    invite_member,
    join_with_code,
    request_to_join,
    revoke_invitation,
    withdraw_join_request,
)
from .registrations import register, update_consent, update_registration, withdraw_registration
from .sites import check_in, choose_host_site
from .teams import (
    create_team,
    dissolve_team,
    leave_team,
    move_participant,
    regenerate_join_code,
    remove_member,
    transfer_captaincy,
    update_team,
)

__all__ = [
    "accept_invitation",
    "accept_join_request",
    "check_in",
    "check_invitation",
    "check_invited_address",
    "choose_host_site",
    "correct_registration",
    "create_team",
    "decline_join_request",
    "dissolve_team",
    "invite_member",
    "join_with_code",
    "leave_team",
    "move_participant",
    "regenerate_join_code",
    "register",
    "remove_member",
    "request_to_join",
    "revoke_invitation",
    "transfer_captaincy",
    "update_consent",
    "update_registration",
    "update_team",
    "withdraw_join_request",
    "withdraw_registration",
]
