"""Every write of the jury: one named service per action (see each module)."""

# Organizer jobs (judging.jobs) start through a service too: imported here so that every
# registry of services sees it.
from ..jobs import start_job
from .assignment import (
    AssignmentOutcome,
    pin_assignment,
    remove_assignment,
    run_assignment,
    withdraw_judge,
)
from .judges import (
    accept_invitation,
    add_conflict,
    declare_conflict,
    invite_judge,
    lift_conflict,
    revoke_invitation,
    update_judge_profile,
    waive_automatic_conflict,
)
from .reviews import is_round_open, recuse_review, save_review
from .rounds import (
    close_round,
    copy_rubric,
    create_round,
    delete_criterion,
    reopen_round,
    request_reminders,
    save_criterion,
    select_finalists,
    update_round,
)

__all__ = [
    "AssignmentOutcome",
    "accept_invitation",
    "add_conflict",
    "close_round",
    "copy_rubric",
    "create_round",
    "declare_conflict",
    "delete_criterion",
    "invite_judge",
    "is_round_open",
    "lift_conflict",
    "pin_assignment",
    "recuse_review",
    "remove_assignment",
    "reopen_round",
    "request_reminders",
    "revoke_invitation",
    "run_assignment",
    "save_criterion",
    "save_review",
    "select_finalists",
    "start_job",
    "update_judge_profile",
    "update_round",
    "waive_automatic_conflict",
    "withdraw_judge",
]

# The services of the pairwise rounds, the people's vote and the live final live beside
# their models; imported here so that every service of the app is registered when `services`
# modules are discovered (and named, so that no linter drops the imports as unused).
from judging.live import services as live_services
from judging.pairwise import services as pairwise_services
from judging.public_vote import services as public_vote_services

SUBPACKAGE_SERVICES = (live_services, pairwise_services, public_vote_services)
