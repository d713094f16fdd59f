"""Open-data files keep plain UTF-8 CSV for programs and gain an XLSX beside it for people."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories.submissions import DatasetLinkFactory, record_submitted_version
from tests.results.test_open_data import publish


@pytest.mark.parametrize("name", ["results", "submissions", "datasets"])
def test_xlsx_beside_the_csv_has_the_same_rows(make_field, organizer, edition, name):
    field = make_field([9, 7])
    DatasetLinkFactory(submission=field.submissions[0])
    for submission in field.submissions:
        record_submitted_version(submission)
    publish(field, organizer)
    base = f"/open-data/{edition.slug}/{name}"

    csv_response = Client().get(base + ".csv")
    xlsx_response = Client().get(base + ".xlsx")

    assert not csv_response.content.startswith(b"\xef\xbb\xbf")  # plain UTF-8 for programs
    assert xlsx_response.status_code == 200
    assert xlsx_response["Content-Type"].startswith("application/vnd.openxmlformats")
    csv_rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    xlsx_rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert len(csv_rows) > 1
    assert xlsx_rows == csv_rows


def test_xlsx_404_before_publication(make_field, edition):
    make_field([9])

    assert Client().get(f"/open-data/{edition.slug}/results.xlsx").status_code == 404
