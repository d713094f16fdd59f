"""Organizers' jury pages: judges and conflicts, rounds and rubric, assignment, progress,
rankings, finalists and exports."""

from .assignments import pin_assignment, remove_assignment, run_assignment, withdraw_judge
from .jobs import JobView
from .jury import ConflictsView, JuryDashboardView, lift_conflict, revoke_invitation, waive_conflict
from .rankings import RankingsView, export_view, review_audit
from .rounds import (
    CriterionFormView,
    RoundDetailView,
    RoundFormView,
    close_round,
    copy_rubric,
    delete_criterion,
    remind_judges,
    reopen_round,
    select_finalists,
)

__all__ = [
    "ConflictsView",
    "CriterionFormView",
    "JobView",
    "JuryDashboardView",
    "RankingsView",
    "RoundDetailView",
    "RoundFormView",
    "close_round",
    "copy_rubric",
    "delete_criterion",
    "export_view",
    "lift_conflict",
    "pin_assignment",
    "remind_judges",
    "remove_assignment",
    "reopen_round",
    "review_audit",
    "revoke_invitation",
    "run_assignment",
    "select_finalists",
    "waive_conflict",
    "withdraw_judge",
]
