import csv
import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from hackqc.spreadsheets import csv_text, safe_cell, spreadsheet_response, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Vélo futé", "Vélo futé"),
        (-0.5, -0.5),
        (3, 3),
        ("", ""),
    ],
)
def test_safe_cell_quotes_formulas_only(value, expected):
    assert safe_cell(value) == expected


# --- One door for organizers' tables: CSV for Excel, XLSX beside it -------------------------

HEADER = ["Équipe", "Score", "Note"]
ROWS = [["Les Castors", 7.5, '=HYPERLINK("http://evil")'], ["Vélo futé", 3, None]]


def _sheet_rows(body):
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_for_people_in_french_opens_in_french_excel():
    with translation.override("fr"):
        text = csv_text(HEADER, ROWS)

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [
        ["Équipe", "Score", "Note"],
        ["Les Castors", "7,5", '\'=HYPERLINK("http://evil")'],
        ["Vélo futé", "3", ""],
    ]


def test_csv_for_people_in_english_uses_commas_and_points():
    with translation.override("en"):
        text = csv_text(HEADER, ROWS)

    assert text.startswith("\ufeff")
    assert text.splitlines()[1] == 'Les Castors,7.5,"\'=HYPERLINK(""http://evil"")"'


def test_csv_for_programs_is_plain():
    with translation.override("fr"):
        text = csv_text(HEADER, ROWS, for_people=False)

    assert not text.startswith("\ufeff")
    assert text.splitlines()[1].startswith("Les Castors,7.5,")


def test_xlsx_has_the_csv_rows_typed_and_no_formula():
    body = xlsx_bytes(HEADER, ROWS, title="Équipes: [2026]")

    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.active
    assert sheet.title == "Équipes 2026"
    assert _sheet_rows(body) == [
        ["Équipe", "Score", "Note"],
        ["Les Castors", 7.5, '=HYPERLINK("http://evil")'],
        ["Vélo futé", 3, None],
    ]
    assert sheet["C2"].data_type == "s"  # text, never a formula


def test_xlsx_survives_hostile_text_and_aware_datetimes():
    at = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)
    body = xlsx_bytes(["a", "b"], [["nul\x00 byte\x07", at], ["x" * 40_000, -1e308]])

    rows = _sheet_rows(body)
    assert rows[1][0] == "nul byte"
    # Montréal's wall-clock time, as Excel has no time zones.
    assert rows[1][1] == dt.datetime(2026, 3, 1, 12, 30)  # noqa: DTZ001
    assert len(rows[2][0]) == 32_767


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_response_names_the_file(fmt):
    response = spreadsheet_response("hackqc-2026-teams", HEADER, ROWS, fmt)

    assert response["Content-Disposition"] == f'attachment; filename="hackqc-2026-teams.{fmt}"'
    if fmt == "xlsx":
        assert _sheet_rows(response.content)[1][0] == "Les Castors"
    else:
        assert response.content.startswith(b"\xef\xbb\xbf")
