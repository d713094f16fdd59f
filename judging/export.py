"""A round's raw scores and rankings as JSON or CSV, so anyone can recompute the result.

JSON: {"edition", "round", "method", "policy", "median", "bias_lambda", "normalise_scales"
(criteria moved to 0-10 before weighting), "digest",
"previous_scores" (finalists rounds: {submission id: score in the previous round}),
"criteria": [{"id", "name", "weight", "min", "max", "tiebreak"}],
"scores": [{"judge", "submission", "criterion", "value", "submitted_at"}],
"rankings": {"mean": [{"submission", "score", "rank"}], "zscore": [...], "bias": [...]},
"judges": {judge id: name}, "submissions": {submission id: {"title", "team"}}}: the labels
of the ids, for people reading the export (organizers only).

A pairwise round exports its comparisons instead (see `judging.pairwise.export`).

CSV and XLSX: one table in long form; the first column, ``table``, says what a row is
(``criterion``, ``score``, ``comparison`` or ``ranking``) and only that kind's columns are
filled; the project's title and the judge's name sit beside their ids. The organizers'
download is written for a spreadsheet (`hackqc.spreadsheets`); `to_csv` is plain CSV.
"""

import json

from hackqc.spreadsheets import csv_text, xlsx_bytes
from judging.ranking import scores_digest
from submissions.models import Submission

from .models import Judge, Review
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
    "judge_name",
    "submission",
    "title",
    "team",
    "criterion",
    "value",
    "submitted_at",
    "method",
    "score",
    "rank",
    "winner",
    "winner_title",
    "loser",
    "loser_title",
    "at",
]


def round_export(round) -> dict:
    """Everything needed to recompute the round's rankings, and the labels of its ids;
    8 or 9 queries."""
    data = _export_data(round)
    data.update(_labels(round))
    return data


def _labels(round) -> dict:
    """{"judges": {id: name}, "submissions": {id: {"title", "team"}}} of the round (2 queries)."""
    judges = Judge.objects.filter(edition=round.edition_id).values_list("pk", "user__display_name")
    subs = Submission.objects.filter(edition=round.edition_id).values_list(
        "pk", "title", "team__name"
    )
    return {
        "judges": dict(judges),
        "submissions": {pk: {"title": title, "team": team} for pk, title, team in subs},
    }


def _export_data(round) -> dict:
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


def export_rows(data: dict) -> list[list]:
    """The long-form table of `round_export`, one list per row in `CSV_COLUMNS` order."""
    judges, subs = data.get("judges", {}), data.get("submissions", {})

    def title(sid):
        return subs.get(sid, {}).get("title", "")

    def team(sid):
        return subs.get(sid, {}).get("team", "")

    rows = []
    for c in data["criteria"]:
        rows.append({"table": "criterion", **{k: c[k] for k in ("id", "name", "weight")}})
        rows[-1].update(min=c["min"], max=c["max"], tiebreak=int(c["tiebreak"]))
    for s in data["scores"]:
        row = {k: s[k] for k in ("judge", "submission", "criterion", "value", "submitted_at")}
        sid = s["submission"]
        judge_name = judges.get(s["judge"], "")
        rows.append({"table": "score", **row, "judge_name": judge_name, "title": title(sid)})
        rows[-1]["team"] = team(sid)
    for c in data.get("comparisons", []):
        rows.append({"table": "comparison", **c, "judge_name": judges.get(c["judge"], "")})
        rows[-1].update(winner_title=title(c["winner"]), loser_title=title(c["loser"]))
    for method, entries in data["rankings"].items():
        for e in entries:
            sid = e["submission"]
            row = {"table": "ranking", "method": method, "submission": sid, "title": title(sid)}
            rows.append({**row, "team": team(sid), "score": e["score"], "rank": e["rank"]})
    return [[row.get(column) for column in CSV_COLUMNS] for row in rows]


def to_csv(data: dict) -> str:
    """Plain UTF-8 CSV for programs (the management command)."""
    return csv_text(CSV_COLUMNS, export_rows(data), for_people=False)


def export_round(round, fmt: str) -> str:
    data = round_export(round)
    return to_json(data) if fmt == "json" else to_csv(data)


def export_for_people(round, fmt: str):
    """The organizers' download: JSON text, or a spreadsheet's CSV text or XLSX bytes."""
    data = round_export(round)
    if fmt == "json":
        return to_json(data)
    if fmt == "xlsx":
        return xlsx_bytes(CSV_COLUMNS, export_rows(data), title=f"round-{round.number}")
    return csv_text(CSV_COLUMNS, export_rows(data))
