"""Cell helpers of the report workbook: styles, number formats, headers, tables.

User text goes through the app's one safe writer, `evaluator.xlsx_text` (re-exported here as
`put_text`, `put_formula`, `Truncations`...): text is always text, never a formula, an error or
a number; control characters show as visible symbols; over-long text is cut with a marker.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.domain import GateState
from evaluator.gates import GATE_LOOKS
from evaluator.xlsx_text import (
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    Truncations,
    clean_text,
    fit_text,
    put_formula,
    put_text,
    set_text,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "MAX_CELL_CHARS",
    "Truncations",
    "clean_text",
    "fit_text",
    "put_formula",
    "put_text",
]

FONT_NAME = "Calibri"  # the workbook default; a Font without a name would fall back to a serif
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
NOTE_FONT = Font(name=FONT_NAME, italic=True, color="5F6B76")
BOLD = Font(name=FONT_NAME, bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="C9D1D9")
HEADER_BORDER = Border(bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF4CC")  # cells the client may edit
MISSING_FILL = PatternFill("solid", fgColor="E3E8EE")


def gate_font(state: GateState) -> Font:
    """Bold, in the gate state's colour from the one table (evaluator.gates)."""
    return Font(name=FONT_NAME, bold=True, color=GATE_LOOKS[state].colour.removeprefix("#"))


PERCENT = "0.0%"
PERCENT_2 = "0.00%"
POINTS = "0.0"
SHARE = "0.000"
DATE_TIME = "yyyy-mm-dd hh:mm"


def put_number(
    ws: Worksheet, row: int, column: int, value: float | int | None, number_format: str = ""
) -> Cell:
    """A number (or a blank); text must go through `put_text`."""
    if isinstance(value, str):
        raise TypeError(f"put_number given text {value[:40]!r}: use put_text")
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def header(
    ws: Worksheet, row: int, titles: Sequence[str], fill: PatternFill, height: float = 32
) -> None:
    """A header row in the accent colour (the titles are the code's own words)."""
    ws.row_dimensions[row].height = height
    for column, title in enumerate(titles, start=1):
        cell = set_text(ws.cell(row=row, column=column), title)
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = HEADER_BORDER


def user_header(
    ws: Worksheet, row: int, column: int, text: str, fill: PatternFill, cuts: Truncations
) -> Cell:
    """A header cell whose title is user text (a candidate or category name)."""
    cell = put_text(ws, row, column, text, cuts)
    cell.font = HEADER_FONT
    cell.fill = fill
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    cell.border = HEADER_BORDER
    return cell


LINE_HEIGHT = 15.0  # points per line of 11 pt Calibri
MAX_ROW_HEIGHT = 409  # Excel's limit: a taller row makes it "repair" the file


def wrapped_lines(text: object, width: float) -> int:
    """About how many lines `text` takes wrapped in a column `width` characters wide: a quick
    estimate (the record sheets hold up to 100,000 rows), a little generous for word breaks."""
    if not isinstance(text, str) or not text:
        return 1
    per_line = max(int(width * 1.1) - 1, 6)
    return sum(max(1, math.ceil(len(part) * 1.1 / per_line)) for part in text.split("\n"))


def fit_height(ws: Worksheet, row: int, texts: Sequence[tuple[object, float]]) -> bool:
    """Make a row tall enough for its wrapped texts (True when it needs more than one line):
    LibreOffice does not grow a row written by openpyxl, so wrapped text would be cut off or
    drawn over the next row."""
    lines = max((wrapped_lines(text, width) for text, width in texts), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = min(math.ceil(lines * LINE_HEIGHT + 3), MAX_ROW_HEIGHT)
    return lines > 1


def widths(ws: Worksheet, sizes: Sequence[float]) -> None:
    for column, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(column)].width = size


def title_block(ws: Worksheet, title: str, lines: Sequence[str]) -> None:
    """Row 1: a title (may be user text); rows 2..: notes in the code's own words."""
    put_text(ws, 1, 1, title).font = TITLE_FONT
    for offset, line in enumerate(lines, start=2):
        put_text(ws, offset, 1, line).font = NOTE_FONT


def title_and_summary(
    ws: Worksheet, title: str, summary: str, cuts: Truncations, sizes: Sequence[float]
) -> None:
    """Column widths, row 1 the sheet's title, row 2 its summary (user text in it: names) across
    every column, wrapped; the caller sets row 2's height for the summary it expects."""
    widths(ws, sizes)
    put_text(ws, 1, 1, title).font = TITLE_FONT
    put_text(ws, 2, 1, summary, cuts).alignment = WRAP_TOP
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(sizes))


def print_setup(ws: Worksheet, header_row: int, *, landscape: bool = True) -> None:
    """Fit the columns on one page width, repeat the header row, number the pages."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddHeader.left.text = "&A"


def add_table(ws: Worksheet, name: str, header_row: int, columns: int, last_row: int) -> None:
    """An Excel table (filters, banded rows) over a header and at least one data row."""
    if last_row <= header_row:
        return  # a table needs a data row; an empty one makes Excel repair the file
    ref = f"A{header_row}:{get_column_letter(columns)}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
