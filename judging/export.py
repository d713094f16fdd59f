"""A round's raw scores and rankings as JSON or CSV, so anyone can recompute the result.

JSON: {"edition", "round", "method", "policy", "median", "bias_lambda", "normalise_scales"
(criteria moved to 0-10 before weighting), "digest",
"previous_scores" (finalists rounds: {submission id: score in the previous round}),
"criteria": [{"id", "name", "weight", "min", "max", "tiebreak"}],
"scores": [{"judge", "submission", "criterion", "value", "submitted_at"}],
"rankings": {"mean": [{"submission", "score", "rank"}], "zscore": [...], "bias": [...]}}.

A pairwise round exports its comparisons instead (see `judging.pairwise.export`).

CSV: one table in long form; the first column, ``table``, says what a row is
(``criterion``, ``score``, ``comparison`` or ``ranking``) and only that kind's columns are
filled.
"""

import csv
import io
import json

from hackqc.spreadsheets import safe_cell
from judging.ranking import scores_digest

from .models import Review
from .round_rankings import load_round_reviews, rank_reviews

CSV_COLUMNS = [
    "table",
    "id",
    "name",
    "weight",
    "min",
    "max",
    "tiebreak",
    "judge",
    "submission",
    "criterion",
    "value",
    "submitted_at",
    "method",
    "score",
    "rank",
    "winner",
    "loser",
    "at",
]


def round_export(round) -> dict:
    """Everything needed to recompute the round's rankings; 6 or 7 queries."""
    if round.mode == round.Mode.PAIRWISE:
        from judging.pairwise.export import pairwise_export

        return pairwise_export(round)
    reviews, specs = load_round_reviews(round)
    names = dict(round.criteria.values_list("pk", "name"))
    times = {
        (j, s): at
        for j, s, at in Review.objects.filter(
            round=round, state=Review.State.SUBMITTED
        ).values_list("judge_id", "submission_id", "submitted_at")
    }
    results = rank_reviews(round, reviews, specs)
    return {
        "edition": round.edition.slug,
        "round": round.number,
        "method": round.method,
        "policy": round.missing_policy,
        "median": round.use_median,
        "bias_lambda": round.bias_lambda,
        "normalise_scales": round.normalise_scales,
        "digest": scores_digest(reviews),
        # For a round of finalists, ties surviving the cascade are broken by these scores.
        "previous_scores": {
            str(sid): score
            for sid, score in round.finalists.values_list("submission_id", "source_score")
        },
        "criteria": [
            {
                "id": c.id,
                "name": names[c.id],
                "weight": c.weight,
                "min": c.min_value,
                "max": c.max_value,
                "tiebreak": c.is_tiebreak,
            }
            for c in specs
        ],
        "scores": [
            {
                "judge": r.judge,
                "submission": r.submission,
                "criterion": cid,
                "value": value,
                "submitted_at": _iso(times.get((r.judge, r.submission))),
            }
            for r in sorted(reviews, key=lambda r: (r.submission, r.judge))
            for cid, value in r.values.items()
        ],
        "rankings": {
            method: [
                {"submission": e.submission, "score": e.score, "rank": e.rank}
                for e in result.entries
            ]
            for method, result in results.items()
        },
    }


def _iso(value):
    return value.isoformat() if value else None


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in data["criteria"]:
        writer.writerow(
            {
                "table": "criterion",
                "id": c["id"],
                "name": safe_cell(c["name"]),
                "weight": c["weight"],
                "min": c["min"],
                "max": c["max"],
                "tiebreak": int(c["tiebreak"]),
            }
        )
    for s in data["scores"]:
        writer.writerow(
            {
                "table": "score",
                **{k: s[k] for k in ("judge", "submission", "criterion", "submitted_at")},
                "value": "" if s["value"] is None else s["value"],
            }
        )
    for c in data.get("comparisons", []):
        writer.writerow({"table": "comparison", **c})
    for method, entries in data["rankings"].items():
        for e in entries:
            row = {k: e[k] for k in ("submission", "score", "rank")}
            writer.writerow({"table": "ranking", "method": method, **row})
    return out.getvalue()


def export_round(round, fmt: str) -> str:
    data = round_export(round)
    return to_json(data) if fmt == "json" else to_csv(data)
