"""The open-data documents: published results, the gallery and dataset reuse, as plain
dicts (JSON) and rows (CSV). Names and fields are documented in the README's data dictionary
and in the OpenAPI schema; they are stable and in English whatever the site's language.

Only project data and team names are published: never a member's name or address.
"""

import csv
import io

from hackqc.spreadsheets import safe_cell, xlsx_bytes
from submissions.queries import judged_links
from submissions.showcase import showcase_payload as submissions_showcase_payload
from submissions.snapshots import build_snapshot

from . import conditions, queries

LICENCE = {
    "id": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def _iso(value):
    return value.isoformat() if value else None


def _dataset(dataset) -> dict:
    return {"ckan_id": str(dataset.ckan_id), "name": dataset.name}


def _edition(edition) -> dict:
    return {"slug": edition.slug, "name": edition.name, "year": edition.year}


def _submission(submission) -> dict:
    challenge = submission.challenge
    return {
        "id": submission.pk,
        "title": submission.title,
        "pitch": submission.pitch,
        "team": submission.team.name,
        "challenge_number": challenge.number if challenge else None,
        "challenge_title": challenge.title if challenge else None,
        "repository_url": conditions.repository_url(submission) or None,
        "licence": conditions.licence(submission) or None,
        "datasets": [_dataset(link.dataset) for link in judged_links(submission)],
    }


def results_document(edition, snapshot) -> dict:
    """The published results: prizes and winners, the ranking if published, the method."""
    blocks = queries.prize_blocks(snapshot)
    document = {
        "edition": _edition(edition),
        "licence": LICENCE,
        "published_at": _iso(snapshot.published_at),
        "method": list(snapshot.parameters.values()),
        "scores_hash": snapshot.scores_hash,
        "corrections": [
            {"withdrawn_at": _iso(c.withdrawn_at), "reason": c.withdrawal_reason}
            for c in queries.corrections(edition)
        ],
        "prizes": [
            {
                "name": block.prize.name,
                "sponsor": block.prize.sponsor,
                "reward": block.prize.reward,
                "priority": block.prize.priority,
                "places": [
                    {
                        "place": award.place,
                        "submission": _submission(award.submission) if award.submission else None,
                    }
                    for award in block.places
                ],
            }
            for block in blocks
        ],
        "ranking": None,
        "rankings": None,
        # The people's choice prize and each project's counted votes (frozen at the close).
        "public_votes": snapshot.public_votes or None,
    }
    if edition.show_full_ranking:
        rankings = queries.round_rankings(snapshot)
        document["rankings"] = [
            {
                "round": ranking.round_id,
                "round_name": ranking.name,
                "sponsor": ranking.parameters.get("sponsor", ""),
                "published": ranking.is_main,
                "method": ranking.parameters,
                "entries": [_ranking_entry(line) for line in ranking.lines],
            }
            for ranking in rankings
        ]
        main = [r for r in document["rankings"] if r["published"]]
        document["ranking"] = main[0]["entries"] if main else []
    return document


def _ranking_entry(line) -> dict:
    return {
        "rank": line.rank,
        "score": line.score,
        "submission_id": line.submission.pk,
        "title": line.submission.title,
        "team": line.submission.team.name,
        "tie_break": line.tie_break,
        "tied": line.tied,
    }


RESULTS_COLUMNS = [
    "kind",
    "prize",
    "sponsor",
    "reward",
    "place",
    "rank",
    "score",
    "submission_id",
    "title",
    "team",
    "challenge_number",
    "repository_url",
    "licence",
    "dataset_ckan_ids",
]


def results_rows(document) -> list[dict]:
    rows = []
    for prize in document["prizes"]:
        for place in prize["places"]:
            sub = place["submission"] or {}
            rows.append(
                {
                    "kind": "award",
                    "prize": prize["name"],
                    "sponsor": prize["sponsor"],
                    "reward": prize["reward"],
                    "place": place["place"],
                    "submission_id": sub.get("id"),
                    "title": sub.get("title"),
                    "team": sub.get("team"),
                    "challenge_number": sub.get("challenge_number"),
                    "repository_url": sub.get("repository_url"),
                    "licence": sub.get("licence"),
                    "dataset_ckan_ids": " ".join(d["ckan_id"] for d in sub.get("datasets", [])),
                }
            )
    for line in document["ranking"] or []:
        rows.append(
            {
                "kind": "ranking",
                "rank": line["rank"],
                "score": line["score"],
                "submission_id": line["submission_id"],
                "title": line["title"],
                "team": line["team"],
            }
        )
    return rows


def submissions_document(edition) -> dict:
    return {
        "edition": _edition(edition),
        "licence": LICENCE,
        "submissions": [_submission(s) for s in queries.open_data_gallery(edition)],
    }


SUBMISSIONS_COLUMNS = [
    "id",
    "title",
    "pitch",
    "team",
    "challenge_number",
    "challenge_title",
    "repository_url",
    "licence",
    "dataset_ckan_ids",
    "dataset_names",
]


def submissions_rows(document) -> list[dict]:
    return [
        {
            **{k: v for k, v in sub.items() if k != "datasets"},
            "dataset_ckan_ids": " ".join(d["ckan_id"] for d in sub["datasets"]),
            "dataset_names": " ".join(d["name"] for d in sub["datasets"]),
        }
        for sub in document["submissions"]
    ]


def datasets_document(edition) -> dict:
    return {
        "edition": _edition(edition),
        "licence": LICENCE,
        "datasets": [
            {
                "ckan_id": str(d.ckan_id),
                "name": d.name,
                "title": d.title,
                "organization_name": d.organization.name if d.organization else None,
                "organization_title": d.organization.title if d.organization else None,
                "url": queries.dataset_url(d),
                "reuse_count": d.reuse_count,
            }
            for d in queries.reused_datasets(edition)
        ],
    }


DATASETS_COLUMNS = [
    "ckan_id",
    "name",
    "title",
    "organization_name",
    "organization_title",
    "url",
    "reuse_count",
]


def to_csv(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else safe_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def to_xlsx(columns, rows, *, title) -> bytes:
    """The CSV's table as a workbook for people: same columns, same rows, typed cells."""
    return xlsx_bytes(columns, ([row.get(k) for k in columns] for row in rows), title=title)


def showcase_payload(submission, *, project_url) -> dict:
    """The submissions app's ckanext-showcase payload, from the last submitted version."""
    version = submission.versions.order_by("-number").first()
    data = version.data if version else build_snapshot(submission)
    return submissions_showcase_payload(submission, data, project_url=project_url)
