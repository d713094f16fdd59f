"""The people's choice in a results computation: the prize's ranking by votes, frozen.

Plain values, so the vote needs nothing of the results app, which calls it."""

from . import rules
from .queries import counts


def people_choice(edition, now=None) -> tuple[int | None, list[dict] | None, dict]:
    """(prize id, ranking rows, frozen counts) of the edition's people's vote; a row is
    {"submission", "rank", "score", "tied"}, as `results.resolution.RankRow` takes it.

    No window: (None, None, {}). A window not yet closed: the prize and no rows, so the
    prize is left to decide and no count leaks before the close. Closed: competition ranks
    ("1224") on the counted votes; equal counts are tied and a tie on the last place is
    flagged for the organizers by the resolver, never broken silently.
    """
    window = rules.window_of(edition)
    if window is None:
        return None, None, {}
    if not rules.is_closed(window, now):
        return window.prize_id, None, {"prize": window.prize_id, "closed": False}
    votes = counts(edition)
    order = sorted(votes, key=lambda s: (-votes[s], s))
    rows, entries = [], []
    for pos, sid in enumerate(order):
        rank = rows[-1]["rank"] if pos and votes[sid] == votes[order[pos - 1]] else pos + 1
        tied = sum(1 for s in order if votes[s] == votes[sid]) > 1
        rows.append({"submission": sid, "rank": rank, "score": float(votes[sid]), "tied": tied})
        entries.append({"submission": sid, "votes": votes[sid], "rank": rank})
    frozen = {
        "prize": window.prize_id,
        "closed": True,
        "closes_at": window.closes_at.isoformat(),
        "counts": entries,
    }
    return window.prize_id, rows, frozen
