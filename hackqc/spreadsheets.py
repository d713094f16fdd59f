"""Tables written for people who open them in a spreadsheet: CSV and XLSX, one door.

`spreadsheet_response` is what every organizer export returns. Its CSV opens by a
double-click in Excel: UTF-8 with a byte-order mark (without it Excel reads Windows-1252),
and in French the semicolon as separator and the comma as decimal mark, since French Excel
(fr-CA, fr-FR) splits columns on its list separator, the semicolon, and reads "7.5" as text.
The XLSX variant carries typed cells and opens the same everywhere.

Open-data files are for programs: they keep plain UTF-8, comma-separated CSV
(`judging.results.exports`) and gain an XLSX beside it through `xlsx_bytes`.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses a cell longer than this; the rest of a huge text is cut, not the file.
XLSX_CELL_MAX = 32_767


def safe_cell(value):
    """Text that a spreadsheet would run as a formula (CSV injection) gets a leading quote;
    numbers and other values pass unchanged, so the data stays machine-readable."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_french() -> bool:
    return (get_language() or "").startswith("fr")


def _csv_value(value, decimal):
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    return safe_cell(value)


def csv_text(header: Sequence, rows: Iterable[Sequence], *, for_people=True) -> str:
    """The table as CSV text. For people (organizers' exports): byte-order mark, and the
    separators of French Excel when the active language is French. Otherwise plain CSV."""
    french = for_people and is_french()
    decimal = "," if french else "."
    out = io.StringIO()
    if for_people:
        out.write("\ufeff")
    delimiter, ending = (";" if french else ","), ("\r\n" if for_people else "\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    writer.writerow([_csv_value(v, ".") for v in header])
    writer.writerows([_csv_value(v, decimal) for v in row] for row in rows)
    return out.getvalue()


def _xlsx_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # Excel has no time zones: the local wall-clock time, as people read it.
        return timezone.make_naive(timezone.localtime(value))
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_MAX]
    return value


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, title="Export") -> bytes:
    """The table as an XLSX workbook of one sheet, bold header frozen on top.

    Text is stored as text, never as a formula: openpyxl would read a value starting with
    "=" as one, so such cells are typed as strings (no CSV-injection quote needed).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value, *, font=None):
        c = WriteOnlyCell(sheet, value=_xlsx_value(value))
        if isinstance(c.value, str):
            c.data_type = "s"
        if font:
            c.font = font
        return c

    sheet.append([cell(str(v), font=bold) for v in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # Excel's sheet names: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\").strip()
    return cleaned[:31] or "Export"


def spreadsheet_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], fmt: str = "csv", *, title=""
) -> HttpResponse:
    """The download of one organizer table: `filename` without extension, `fmt` "csv" or
    "xlsx" (the caller 404s on any other)."""
    if fmt == "xlsx":
        body = xlsx_bytes(header, rows, title=title or filename)
        response = HttpResponse(body, content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
