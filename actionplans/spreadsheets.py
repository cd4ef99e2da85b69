"""Rows of text as CSV or Excel downloads that no cell can turn into a formula.

Task text is typed by many people. A spreadsheet program runs a cell that starts with
=, +, - or @ (or a tab or carriage return before one) as a formula, which can fetch
URLs or run commands (CSV injection). Every such cell is written with a leading
apostrophe, so it shows as the text it is. Text is always written as text; in Excel,
dates are real dates and whole numbers real numbers, so the board can sort and filter.
"""

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Column widths (in characters) for Excel: long text columns wide enough to read,
# the rest to fit their heading; rows wrap.
WIDE_COLUMN = 60
MAX_WIDTH = 18
DATE_FORMAT = "d mmm yyyy"


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


def _excel_value(value):
    """Dates and whole numbers as themselves, None as an empty cell, anything else as
    neutralised text (openpyxl would read a string that starts with "=" as a formula)."""
    if value is None or isinstance(value, bool):
        return None if value is None else neutralise(value)
    if isinstance(value, (date, int)) and not isinstance(value, datetime):
        return value
    return neutralise(value)


def xlsx_response(rows, filename, *, sheet_title, wide=()) -> HttpResponse:
    """One sheet, header row first and frozen, with a filter on every column; `wide`
    names the headings of long text columns."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]  # Excel's limit on sheet names
    rows = iter(rows)
    header = [neutralise(value) for value in next(rows, [])]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_excel_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, heading in enumerate(header, start=1):
        width = WIDE_COLUMN if heading in wide else min(max(len(heading) + 2, 12), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{sheet.max_row}"
    out = io.BytesIO()
    workbook.save(out)
    return _download(out.getvalue(), XLSX_TYPE, filename)
