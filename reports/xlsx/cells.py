"""Writing cells safely: user text is always text, never a formula, an error or a number.

openpyxl turns any string that starts with "=" into a formula and strings such as "#N/A" into
errors, rejects control characters and silently cuts text at 32,767 characters. `put_text`
guards against all four: it forces the string type, marks text that a spreadsheet would
otherwise read as a formula with a quote prefix (so editing the cell keeps it text), replaces
forbidden control characters with visible symbols, and shortens over-long text with an explicit
marker and a cell note. Only `put_formula` writes formulas, and only from the code's own text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

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

PERCENT = "0.0%"
PERCENT_2 = "0.00%"
POINTS = "0.0"
SHARE = "0.000"
DATE_TIME = "yyyy-mm-dd hh:mm"


def _visible_control(match) -> str:  # type: ignore[no-untyped-def]
    """U+0000..U+001F become their Unicode "control picture" (␀, ␇, ␛...), so they show."""
    return chr(0x2400 + ord(match.group(0)))


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut_utf16(text: str, units: int) -> str:
    """The longest prefix of `text` that takes at most `units` UTF-16 code units."""
    if _utf16_length(text) <= units:
        return text
    cut = text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore")
    return cut


@dataclass
class Truncations:
    """Cells whose text had to be shortened, so the workbook can say so on its first sheet."""

    cells: list[str] = field(default_factory=list)  # "Sheet!B12"


def clean_text(text: str) -> str:
    """Forbidden control characters replaced with visible symbols; nothing else changes."""
    return ILLEGAL_CHARACTERS_RE.sub(_visible_control, text)


def fit_text(text: str) -> tuple[str, bool]:
    """`text` within Excel's cell limit; over-long text ends in an explicit marker."""
    if 2 * len(text) <= MAX_CELL_CHARS:  # fast path: a code point is at most 2 UTF-16 units
        return text, False
    length = _utf16_length(text)
    if length <= MAX_CELL_CHARS:
        return text, False
    marker = (
        f" [… TRUNCATED: the full text has {length:,} characters, more than a cell holds; "
        "see SupportScope or the PDF report for all of it]"
    )
    return _cut_utf16(text, MAX_CELL_CHARS - _utf16_length(marker)) + marker, True


def put_text(
    ws: Worksheet,
    row: int,
    column: int,
    text: object,
    truncations: Truncations | None = None,
) -> Cell:
    """Write user-supplied text as a string cell, whatever it looks like."""
    value = clean_text("" if text is None else str(text))
    value, cut = fit_text(value)
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # never a formula ("=...") or an error ("#N/A")
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # editing the cell in Excel keeps it text
    if cut:
        cell.comment = Comment(
            "This text was longer than the 32,767 characters an Excel cell can hold and has "
            "been shortened; the marker at its end says so.",
            "SupportScope",
        )
        if truncations is not None:
            truncations.cells.append(f"{ws.title}!{cell.coordinate}")
    return cell


def put_number(
    ws: Worksheet, row: int, column: int, value: float | int | None, number_format: str = ""
) -> Cell:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def put_formula(
    ws: Worksheet, row: int, column: int, formula: str, number_format: str = ""
) -> Cell:
    """A formula the code wrote itself (cell references and numbers only, never user text)."""
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell = ws.cell(row=row, column=column)
    cell.value = formula
    if number_format:
        cell.number_format = number_format
    return cell


def header(
    ws: Worksheet, row: int, titles: Sequence[str], fill: PatternFill, height: float = 32
) -> None:
    """A header row in the accent colour (the titles are the code's own words)."""
    ws.row_dimensions[row].height = height
    for column, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=column, value=title)
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


def widths(ws: Worksheet, sizes: Sequence[float]) -> None:
    for column, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(column)].width = size


def title_block(ws: Worksheet, title: str, lines: Sequence[str]) -> None:
    """Row 1: a title (may be user text); rows 2..: notes in the code's own words."""
    put_text(ws, 1, 1, title).font = TITLE_FONT
    for offset, line in enumerate(lines, start=2):
        put_text(ws, offset, 1, line).font = NOTE_FONT


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
