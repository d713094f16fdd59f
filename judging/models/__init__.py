"""Judges, rounds with their rubric, assignments and reviews.

The fields here are the ones other apps rely on (results): extend, never rename.
- `jury`: judges, their invitations, conflicts of interest;
- `rounds`: rounds, criteria, finalists, reopenings;
- `reviews`: assignments, reviews, scores, their history and the reminders;
- `jobs`: long organizer actions run by a worker, with their progress;
- `judging.pairwise.models`: comparisons of pairwise rounds, expo tables and walks;
- `judging.public_vote.models`: the people's choice window and votes;
- `judging.live.models`: a live final's timing and running order.
"""

from judging.live.models import LiveFinal, LiveSlot
from judging.pairwise.models import Comparison, ExpoTable, ExpoWalk
from judging.public_vote.models import PublicVote, VoteWindow

from .jobs import OrganizerJob
from .jury import Conflict, Judge, JudgeInvitation, _token
from .reviews import (
    Assignment,
    AssignmentBlock,
    ReminderBatch,
    ReminderSent,
    Review,
    ReviewChange,
    Score,
)
from .rounds import Criterion, Finalist, Round, RoundReopening

__all__ = [
    "Assignment",
    "AssignmentBlock",
    "Comparison",
    "Conflict",
    "Criterion",
    "ExpoTable",
    "ExpoWalk",
    "Finalist",
    "Judge",
    "JudgeInvitation",
    "LiveFinal",
    "LiveSlot",
    "OrganizerJob",
    "PublicVote",
    "ReminderBatch",
    "ReminderSent",
    "Review",
    "ReviewChange",
    "Round",
    "RoundReopening",
    "Score",
    "VoteWindow",
    "_token",  # the invitation token's default, named by migration 0002
]
