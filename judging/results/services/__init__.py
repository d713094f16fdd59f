"""Every write of the results app: prizes, computing, overriding, approving, publishing.

- `prizes`: prizes and the award policy;
- `computing`: computing a snapshot, and telling when it is stale;
- `awards`: overrides and swapped places, carried over on recompute;
- `publishing`: approving, publishing, withdrawing;
- `announcements`: the winners' and correction mails.
"""

from ..errors import ResultsError
from .announcements import PlaceChange, corrected_snapshot, correction_changes, send_announcements
from .awards import LIVE_STATES, override_award, swap_places
from .computing import (
    compute_results,
    default_ranking_round,
    is_stale,
    ranking_round,
    scores_hash,
    stale_snapshot_ids,
)
from .prizes import award_policy, delete_prize, save_prize, update_award_policy
from .publishing import approve_results, due_snapshots, publish_results, withdraw_results

__all__ = [
    "LIVE_STATES",
    "PlaceChange",
    "ResultsError",
    "approve_results",
    "award_policy",
    "compute_results",
    "corrected_snapshot",
    "correction_changes",
    "default_ranking_round",
    "delete_prize",
    "due_snapshots",
    "is_stale",
    "override_award",
    "publish_results",
    "ranking_round",
    "save_prize",
    "scores_hash",
    "send_announcements",
    "stale_snapshot_ids",
    "swap_places",
    "update_award_policy",
    "withdraw_results",
]
