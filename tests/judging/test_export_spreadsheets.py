"""A round's export for organizers: titles and judge names beside ids, CSV for Excel, XLSX."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from judging import services
from judging.export import CSV_COLUMNS


@pytest.fixture
def reviewed(round_, judge_role, assigned):
    ids = list(round_.criteria.order_by("order").values_list("pk", flat=True))
    return services.save_review(
        round_,
        judge=judge_role,
        submission=assigned.submission,
        by=judge_role.user,
        values=dict(zip(ids, [8, 6], strict=True)),
        version=0,
        submit=True,
    )


def _get(client, round_, fmt):
    return client.get(reverse("judging:export", args=[round_.edition.slug, round_.number, fmt]))


def _same(value):
    """A cell as a comparable value: numbers as floats (Excel stores 2.0 as 2), else text."""
    if value is None or value == "":
        return ""
    try:
        return float(value)
    except ValueError:
        return str(value)


def _by_kind(rows):
    kinds = {}
    for row in rows:
        kinds.setdefault(row["table"], []).append(row)
    return kinds


def test_csv_carries_titles_and_judge_names(client, organizer, round_, reviewed):
    client.force_login(organizer)
    submission, judge = reviewed.submission, reviewed.judge

    response = _get(client, round_, "csv")

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _by_kind(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    scores = {(r["judge_name"], r["title"], r["team"]) for r in rows["score"]}
    assert scores == {(judge.user.display_name, submission.title, submission.team.name)}
    assert {r["submission"] for r in rows["score"]} == {str(submission.pk)}
    assert {(r["method"], r["title"]) for r in rows["ranking"]} == {
        (m, submission.title) for m in ("mean", "zscore", "bias")
    }


def test_json_names_the_ids(client, organizer, round_, reviewed):
    client.force_login(organizer)

    data = json.loads(_get(client, round_, "json").content)

    assert data["judges"] == {str(reviewed.judge_id): reviewed.judge.user.display_name}
    assert data["submissions"][str(reviewed.submission_id)]["title"] == reviewed.submission.title


def test_xlsx_has_the_rows_of_the_csv(client, organizer, round_, reviewed):
    client.force_login(organizer)

    text = _get(client, round_, "csv").content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(_get(client, round_, "xlsx").content)).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert xlsx_rows[0] == CSV_COLUMNS
    assert len(xlsx_rows) == len(csv_rows) == 1 + 2 + 2 + 3
    assert [[_same(v) for v in row] for row in xlsx_rows] == [
        [_same(v) for v in row] for row in csv_rows
    ]
    score = next(row for row in xlsx_rows if row[0] == "score")
    assert isinstance(score[CSV_COLUMNS.index("value")], int | float)  # a number, not text


def test_xlsx_export_refused_to_the_judge(client, round_, judge_role, reviewed):
    client.force_login(judge_role.user)

    response = _get(client, round_, "xlsx")

    assert response.status_code == 403
