"""Rows of text as CSV or Excel downloads that no cell can turn into a formula.

Task text is typed by many people. A spreadsheet program runs a cell that starts with
=, +, - or @ (or a tab or carriage return before one) as a formula, which can fetch
URLs or run commands (CSV injection). Every such cell is written with a leading
apostrophe, so it shows as the text it is. Everything is written as text.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> str:
    """The cell's text, with an apostrophe in front if a spreadsheet would run it.

    Control characters (other than tab and newlines) go first: they are not allowed in
    an .xlsx file, and removing them afterwards could uncover a "=".
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows, filename) -> HttpResponse:
    """UTF-8 with a byte order mark, which Excel needs to read the text as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return _download(out.getvalue(), "text/csv; charset=utf-8", filename)


def xlsx_response(rows, filename, *, sheet_title) -> HttpResponse:
    """One sheet, header row first, every cell a string (openpyxl would otherwise read a
    string that starts with "=" as a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])  # Excel's limit on sheet names
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return _download(out.getvalue(), XLSX_TYPE, filename)
