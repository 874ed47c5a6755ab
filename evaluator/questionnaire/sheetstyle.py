"""The look shared by every workbook we send out: header band, input cells, print set-up.

Vendors and committee members judge a tool by the file they receive, so the questionnaire and
the scoresheet look alike and behave alike: a dark header that stays frozen, pale-yellow cells
where you type and grey locked cells where you read, wrapped text with rows tall enough to show
it, and a page set-up that prints landscape, one page wide, with the header on every page.

Sheets are protected *without a password*: protection only prevents accidental edits of ids and
questions (Review > Unprotect Sheet lifts it); the importer never relies on it.

Every string goes into its cell through `evaluator.xlsx_text` (names, questions and
justifications are user text: never a formula, control characters shown visibly).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from evaluator.xlsx_text import plain_text, set_text

ACCENT = "1F4E79"  # the reports' navy
HEADER_FONT = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=ACCENT)
TITLE_FONT = Font(name="Calibri", size=16, bold=True, color=ACCENT)
SUBTITLE_FONT = Font(name="Calibri", size=11, bold=True, color="404040")
BODY_FONT = Font(name="Calibri", size=11)
MUTED_FONT = Font(name="Calibri", size=10, color="595959")
LABEL_FONT = Font(name="Calibri", size=11, bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")  # pale yellow: "type here"
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")  # light grey: "read only"
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
LINE_HEIGHT_PT = 15.0
MAX_ROW_HEIGHT_PT = 409  # Excel's limit: a taller row makes it "repair" the file
PASSWORDLESS_NOTE = (
    "The sheets are protected without a password, only to prevent accidental changes to ids "
    "and questions (Review > Unprotect Sheet)."
)


def set_widths(sheet: Any, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def wrapped_lines(text: object, width: float) -> int:
    """How many lines `text` takes in a wrapped column `width` characters wide (an estimate)."""
    if text is None or text == "":
        return 1
    chars = max(int(width * 1.15) - 1, 8)  # Calibri fits about 1.2 average letters per unit
    return sum(
        max(1, len(textwrap.wrap(part, chars, break_long_words=True)) or 1)
        for part in str(text).split("\n")
    )


def fit_row_height(sheet: Any, row: int, texts: Iterable[tuple[object, float]], minimum: int = 1):
    """Set a row tall enough for its wrapped texts (LibreOffice and Excel keep this height)."""
    lines = max([minimum, *(wrapped_lines(text, width) for text, width in texts)])
    height = math.ceil(lines * LINE_HEIGHT_PT + 4)
    sheet.row_dimensions[row].height = min(height, MAX_ROW_HEIGHT_PT)


def header_row(sheet: Any, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = set_text(sheet.cell(row, column), label)
        cell.font, cell.fill, cell.alignment, cell.border = (
            HEADER_FONT,
            HEADER_FILL,
            HEADER_ALIGN,
            GRID,
        )
    sheet.row_dimensions[row].height = 22


def locked_cell(cell: Any, value: object, *, center: bool = False, bold: bool = False) -> None:
    """A read-only cell; text (user text included) goes in through the safe writer."""
    _put(cell, value)
    cell.fill, cell.border = LOCKED_FILL, GRID
    cell.alignment = CENTER_TOP if center else WRAP_TOP
    cell.font = LABEL_FONT if bold else BODY_FONT


def input_cell(cell: Any, value: object = None, number_format: str | None = None) -> None:
    """A pale-yellow cell to type in, prefilled with `value` (text through the safe writer)."""
    if value is not None:
        _put(cell, value)
    cell.fill, cell.border, cell.alignment = INPUT_FILL, GRID, WRAP_TOP
    cell.font, cell.protection = BODY_FONT, UNLOCKED
    if number_format:
        cell.number_format = number_format


def _put(cell: Any, value: object) -> None:
    """Text as text (never a formula); numbers, dates and blanks as they are."""
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def protect(sheet: Any, *, allow_filter: bool = True) -> None:
    """Passwordless protection that still lets people resize, filter and select."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.autoFilter = not allow_filter
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def print_setup(
    sheet: Any, header_row_number: int, last_row: int, last_column: int, left: str, right: str
) -> None:
    """Landscape, one page wide, header repeated, page numbers and titles in the margins."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_title_rows = f"{header_row_number}:{header_row_number}"
    sheet.print_area = f"A1:{get_column_letter(last_column)}{max(last_row, header_row_number)}"
    sheet.oddHeader.left.text = _escape_header(left)
    sheet.oddHeader.left.size = 9
    sheet.oddHeader.right.text = _escape_header(right)
    sheet.oddHeader.right.size = 9
    sheet.oddFooter.center.text = "Page &P of &N"
    sheet.oddFooter.center.size = 9


def _escape_header(text: str) -> str:
    """User text in a page header: cleaned and cut first, then "&" (a header code) doubled."""
    return plain_text(text, 100).replace("&", "&&")


def instructions_sheet(
    sheet: Any,
    title: str,
    facts: Sequence[tuple[str, str]],
    steps: Sequence[str],
    notes: Sequence[str] = (),
) -> None:
    """A readable first page: title, what the file is for, numbered steps, small print."""
    sheet.sheet_view.showGridLines = False
    set_widths(sheet, (3, 22, 95))
    set_text(sheet["B1"], title).font = TITLE_FONT
    sheet.row_dimensions[1].height = 30
    row = 3
    for label, value in facts:
        set_text(sheet.cell(row, 2), label).font = LABEL_FONT
        cell = set_text(sheet.cell(row, 3), value)
        cell.font, cell.alignment = BODY_FONT, WRAP_TOP
        row += 1
    row += 1
    set_text(sheet.cell(row, 2), "How to fill it in").font = SUBTITLE_FONT
    row += 1
    for number, step in enumerate(steps, start=1):
        number_cell = set_text(sheet.cell(row, 2), f"{number}.")
        number_cell.alignment = Alignment(horizontal="right", vertical="top")
        cell = set_text(sheet.cell(row, 3), step)
        cell.font, cell.alignment = BODY_FONT, WRAP_TOP
        fit_row_height(sheet, row, [(step, 95)])
        row += 1
    if notes:
        row += 1
        for note in notes:
            cell = set_text(sheet.cell(row, 3), note)
            cell.font, cell.alignment = MUTED_FONT, WRAP_TOP
            fit_row_height(sheet, row, [(note, 100)])
            row += 1
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_area = f"A1:C{row}"
    sheet.protection.sheet = True
