"""Cell helpers of the report workbooks, written with XlsxWriter: styles, the safe text writer,
numbers, formulas with their results, headers, tables, page setup.

User text goes through `put_text`, which applies the app's one rule for text in a cell
(`evaluator.xlsx_text.safe_text`): text is always a string cell, never a formula, an error or a
number; control characters show as visible symbols; text that a spreadsheet would read as a
formula gets a quote prefix; over-long text is cut with a marker and a note. Formulas come only
from the code's own text (`put_formula`), each with the result the app computed stored beside
it, so that a viewer that does not recalculate (a mail previewer, a phone, Excel's protected
view) shows the figures; Excel and LibreOffice still recalculate on open.

Rows and columns are 1-based here, as in the sheets' own formulas (`G7`); XlsxWriter's are
0-based. A style is a hashable tuple of XlsxWriter format properties (`style(bold=True)`), made
into one workbook format the first time it is used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.domain import GateState
from evaluator.gates import GATE_LOOKS
from evaluator.xlsx_text import (
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    NOTE_AUTHOR,
    TRUNCATION_NOTE,
    Truncations,
    clean_text,
    document_properties,
    fit_text,
    safe_text,
)

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

__all__ = [
    "FORMULA_TRIGGERS",
    "MAX_CELL_CHARS",
    "Book",
    "Sheet",
    "Truncations",
    "clean_text",
    "fit_text",
    "put_formula",
    "put_number",
    "put_text",
]

Style = tuple[tuple[str, object], ...]


def style(**properties: object) -> Style:
    """XlsxWriter format properties (bold=True, num_format="0.0%"...) as a hashable style."""
    return tuple(sorted(properties.items()))


def plus(*styles: Style) -> Style:
    """The styles combined, later ones winning."""
    merged: dict[str, object] = {}
    for part in styles:
        merged.update(part)
    return tuple(sorted(merged.items()))


def fill(colour: str) -> Style:
    """A solid background ("#RRGGBB" or "RRGGBB")."""
    return style(pattern=1, bg_color="#" + colour.lstrip("#").upper())


PLAIN: Style = ()
HEADER_FONT = style(bold=True, font_color="#FFFFFF")
TITLE_FONT = style(bold=True, font_size=14)
NOTE_FONT = style(italic=True, font_color="#5F6B76")
BOLD = style(bold=True)
WRAP_TOP = style(text_wrap=True, valign="top")
TOP = style(valign="top")
LEFT = style(align="left")
HEADER_BORDER = style(bottom=1, bottom_color="#C9D1D9")
INPUT_FILL = fill("FFF4CC")  # cells the client may edit
MISSING_FILL = fill("E3E8EE")
QUOTED = style(quote_prefix=True)  # editing the cell in Excel keeps it text


def gate_font(state: GateState) -> Style:
    """Bold, in the gate state's colour from the one table (evaluator.gates)."""
    return style(bold=True, font_color=GATE_LOOKS[state].colour)


PERCENT = "0.0%"
PERCENT_2 = "0.00%"
POINTS = "0.0"
SHARE = "0.000"
DATE_TIME = "yyyy-mm-dd hh:mm"


def number_style(number_format: str) -> Style:
    return style(num_format=number_format) if number_format else PLAIN


class Book:
    """An XlsxWriter workbook and its formats, one per style (and quote prefix)."""

    def __init__(self, path: str | Path) -> None:
        from xlsxwriter import Workbook

        # in memory: no temporary files of its own (the caller's path is already temporary)
        self.workbook = Workbook(str(path), {"in_memory": True})
        self._formats: dict[tuple[Style, bool], Format | None] = {}

    def format(self, look: Style, quoted: bool = False) -> Format | None:
        key = (look, quoted)
        made = self._formats.get(key, False)
        if made is False:
            properties = dict(plus(look, QUOTED) if quoted else look)
            made = self.workbook.add_format(properties) if properties else None
            self._formats[key] = made
        return made  # type: ignore[return-value]

    def sheet(self, title: str) -> Sheet:
        ws = self.workbook.add_worksheet(title)
        ws.set_margins(left=0.75, right=0.75, top=1, bottom=1)  # the margins the sheets had
        return Sheet(self, ws, title)

    def properties(self, *, title: object, subject: object, creator: object) -> None:
        """Document properties (File > Info), cleaned as every workbook's are."""
        cleaned = document_properties(title=title, subject=subject, creator=creator)
        self.workbook.set_properties(
            {"title": cleaned["title"], "subject": cleaned["subject"], "author": cleaned["creator"]}
        )

    def close(self) -> None:
        """Write the file. XlsxWriter marks it fullCalcOnLoad: Excel and LibreOffice recalculate
        every formula when they open it."""
        self.workbook.close()


class Sheet:
    """One worksheet of a `Book`."""

    def __init__(self, book: Book, ws: Worksheet, title: str) -> None:
        self.book, self.ws, self.title = book, ws, title

    def height(self, row: int, points: float) -> None:
        self.ws.set_row(row - 1, points)

    def freeze(self, row: int, column: int) -> None:
        """Freeze the rows above `row` and the columns left of `column` (its top-left cell)."""
        self.ws.freeze_panes(row - 1, column - 1)


def _written(status: int, ws: Sheet, row: int, column: int) -> None:
    if status < 0:  # out of the sheet, or a string XlsxWriter had to cut: never silent
        raise RuntimeError(f"could not write {ws.title}!{cell_name(row, column)} ({status})")


def cell_name(row: int, column: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row - 1, column - 1)


def put_text(
    ws: Sheet,
    row: int,
    column: int,
    value: object,
    truncations: Truncations | None = None,
    look: Style = PLAIN,
) -> None:
    """Write `value` (user text or not) as a string cell, whatever it looks like."""
    text, quoted, cut = safe_text(value)
    cell_format = ws.book.format(look, quoted)
    if not text:  # no text: an empty cell (with its style), as a spreadsheet keeps it
        status = ws.ws.write_blank(row - 1, column - 1, None, cell_format)
    elif text.startswith("<r>") and text.endswith("</r>"):
        # XlsxWriter copies such a string into the file as rich-text XML, unescaped: written
        # as three runs instead ("<", "r", ">..."), it is escaped and reads back as the same text
        pieces = [text[:1], text[1:2], text[2:]] + ([cell_format] if cell_format else [])
        status = ws.ws.write_rich_string(row - 1, column - 1, *pieces)
    else:
        status = ws.ws.write_string(row - 1, column - 1, text, cell_format)
    _written(status, ws, row, column)
    if cut:
        ws.ws.write_comment(row - 1, column - 1, TRUNCATION_NOTE, {"author": NOTE_AUTHOR})
        if truncations is not None:
            truncations.cells.append(f"{ws.title}!{cell_name(row, column)}")


Number = float | int | datetime | None


def put_number(
    ws: Sheet, row: int, column: int, value: Number, number_format: str = "", look: Style = PLAIN
) -> None:
    """A number, a date-time (naive) or a blank; text must go through `put_text`. A blank or a
    non-finite number leaves the cell empty (with its style)."""
    if isinstance(value, str):
        raise TypeError(f"put_number given text {value[:40]!r}: use put_text")
    cell_format = ws.book.format(plus(look, number_style(number_format)) if number_format else look)
    r, c = row - 1, column - 1
    if isinstance(value, bool):
        status = ws.ws.write_boolean(r, c, value, cell_format)
    elif isinstance(value, datetime):
        status = ws.ws.write_datetime(r, c, value, cell_format)
    elif value is None or not math.isfinite(value):
        status = ws.ws.write_blank(r, c, None, cell_format)
    else:
        status = ws.ws.write_number(r, c, value, cell_format)
    _written(status, ws, row, column)


Result = float | int | str | None


def put_formula(
    ws: Sheet,
    row: int,
    column: int,
    formula: str,
    value: Result,
    number_format: str = "",
    look: Style = PLAIN,
) -> None:
    """A formula the code wrote itself (references, numbers, its own words; never user text),
    with the result the app computed for it stored beside it (None or a non-finite number:
    nothing stored, the cell shows blank until recalculated)."""
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    if value is None or (not isinstance(value, str) and not math.isfinite(value)):
        value = ""
    cell_format = ws.book.format(plus(look, number_style(number_format)) if number_format else look)
    _written(ws.ws.write_formula(row - 1, column - 1, formula, cell_format, value), ws, row, column)


def header(ws: Sheet, row: int, titles: Sequence[str], accent: Style, height: float = 32) -> None:
    """A header row in the accent colour (the titles are the code's own words)."""
    ws.height(row, height)
    for column, title in enumerate(titles, start=1):
        put_text(ws, row, column, title, look=header_style(accent))


def header_style(accent: Style) -> Style:
    return plus(HEADER_FONT, accent, style(text_wrap=True, valign="vcenter"), HEADER_BORDER)


def user_header(
    ws: Sheet, row: int, column: int, text: str, accent: Style, cuts: Truncations
) -> None:
    """A header cell whose title is user text (a candidate or category name)."""
    put_text(ws, row, column, text, cuts, header_style(accent))


LINE_HEIGHT = 15.0  # points per line of 11 pt Calibri
MAX_ROW_HEIGHT = 409  # Excel's limit: a taller row makes it "repair" the file


def wrapped_lines(text: object, width: float) -> int:
    """About how many lines `text` takes wrapped in a column `width` characters wide: a quick
    estimate (the record sheets hold up to 100,000 rows), a little generous for word breaks."""
    if not isinstance(text, str) or not text:
        return 1
    per_line = max(int(width * 1.1) - 1, 6)
    return sum(max(1, math.ceil(len(part) * 1.1 / per_line)) for part in text.split("\n"))


def fit_height(ws: Sheet, row: int, texts: Sequence[tuple[object, float]]) -> bool:
    """Make a row tall enough for its wrapped texts (True when it needs more than one line):
    LibreOffice does not grow a row whose height the file leaves out, so wrapped text would be
    cut off or drawn over the next row."""
    lines = max((wrapped_lines(text, width) for text, width in texts), default=1)
    if lines > 1:
        ws.height(row, min(math.ceil(lines * LINE_HEIGHT + 3), MAX_ROW_HEIGHT))
    return lines > 1


# XlsxWriter adds Excel's 5-pixel cell padding to a width (30 -> 30.71); taken off here, the
# file stores the widths as given, as the openpyxl workbook did
PADDING = 5 / 7


def text_width(texts: Iterable[str], least: float, most: float) -> float:
    """A column as wide as its longest text (in characters, with a little room), within
    bounds: Excel shows a longer text cut off where the next cell is filled."""
    longest = max((len(text) for text in texts), default=0)
    return max(least, min(most, longest + 2))


def widths(ws: Sheet, sizes: Sequence[float]) -> None:
    for column, size in enumerate(sizes):
        ws.ws.set_column(column, column, size - PADDING)


def title_block(ws: Sheet, title: str, lines: Sequence[str]) -> None:
    """Row 1: a title (may be user text); rows 2..: notes in the code's own words."""
    put_text(ws, 1, 1, title, look=TITLE_FONT)
    for offset, line in enumerate(lines, start=2):
        put_text(ws, offset, 1, line, look=NOTE_FONT)


def title_and_summary(
    ws: Sheet, title: str, summary: str, cuts: Truncations, sizes: Sequence[float]
) -> None:
    """Column widths, row 1 the sheet's title, row 2 its summary (user text in it: names) across
    every column, wrapped; the caller sets row 2's height for the summary it expects."""
    widths(ws, sizes)
    put_text(ws, 1, 1, title, look=TITLE_FONT)
    ws.ws.merge_range(1, 0, 1, len(sizes) - 1, "", ws.book.format(WRAP_TOP))
    put_text(ws, 2, 1, summary, cuts, WRAP_TOP)  # the merged area's first cell, safely


def print_setup(ws: Sheet, header_row: int, *, landscape: bool = True) -> None:
    """Fit the columns on one page width, repeat the header row, number the pages."""
    ws.ws.repeat_rows(header_row - 1)
    if landscape:
        ws.ws.set_landscape()
    else:
        ws.ws.set_portrait()
    ws.ws.fit_to_pages(1, 0)
    ws.ws.set_footer("&CPage &P of &N", {"margin": 0.5})
    ws.ws.set_header("&L&A", {"margin": 0.5})


def add_table(
    ws: Sheet,
    name: str,
    header_row: int,
    titles: Sequence[str],
    last_row: int,
    accent: Style,
) -> None:
    """An Excel table (filters, banded rows) over a header and at least one data row; its
    header cells keep the header's look."""
    if last_row <= header_row:
        return  # a table needs a data row; an empty one makes Excel repair the file
    head = ws.book.format(header_style(accent))
    columns = [{"header": safe_text(title).text, "header_format": head} for title in titles]
    options = {"name": name, "style": "Table Style Light 9", "columns": columns}
    status = ws.ws.add_table(header_row - 1, 0, last_row - 1, len(titles) - 1, options)
    if status:
        raise RuntimeError(f"could not add the table {name} to {ws.title} ({status})")
