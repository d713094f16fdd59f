"""A pairwise round's export: every counted comparison, `alpha` and the ranking.

JSON: {"edition", "round", "mode": "pairwise", "method": "pairwise", "alpha", "digest",
"criteria": [], "scores": [], "comparisons": [{"judge", "winner", "loser", "at"}],
"rankings": {"pairwise": [{"submission", "score", "rank", "std_error", "too_close_to_call"}]}}.
Refit: items are the projects of the comparisons in increasing id order, data the
(winner, loser) pairs, `choix.opt_pairwise(len(items), data, alpha=alpha)`.
"""

import hashlib
import json

from .fitting import rank_pairwise
from .queries import counted_comparisons


def pairwise_export(round) -> dict:
    comparisons = counted_comparisons(round)
    result = rank_pairwise([(c.winner, c.loser) for c in comparisons], round.pairwise_alpha)
    digest = [[c.judge, c.winner, c.loser] for c in comparisons]
    return {
        "edition": round.edition.slug,
        "round": round.number,
        "mode": round.mode,
        "method": round.method,
        "alpha": round.pairwise_alpha,
        "digest": hashlib.sha256(json.dumps(digest).encode()).hexdigest(),
        "criteria": [],
        "scores": [],
        "comparisons": [
            {"judge": c.judge, "winner": c.winner, "loser": c.loser, "at": c.at.isoformat()}
            for c in comparisons
        ],
        "rankings": {
            "pairwise": [
                {
                    "submission": e.submission,
                    "score": e.score,
                    "rank": e.rank,
                    "std_error": e.std_error,
                    "too_close_to_call": e.too_close_to_call,
                }
                for e in result.entries
            ]
        },
    }
