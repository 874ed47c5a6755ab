"""Rows of a checked read-only sheet at the speed of the XML parse, with openpyxl's cell rules.

openpyxl's read-only worksheet turns every cell of every row it passes into values (inline
strings through its descriptor classes) and, when a sheet ends before the last row asked for,
the data validations and formatting after the data too: reading a 500-row questionnaire cost
about ten times the parse itself. `StreamedSheet` is that worksheet with one method replaced,
`_cells_by_row` (what `iter_rows` returns, so every bounded read still asks `iter_rows`): it
walks the same XML with the standard library's C parser, stops after the last row asked for as
openpyxl does, and interprets only the cells inside the column bounds, through openpyxl's own
`WorkSheetParser.parse_cell`; a plain inline string (one `<t>`) is taken directly, as the text
openpyxl's `Text.content` gives for it. Formulas outside the bounds still go through openpyxl,
so shared formulas translate as openpyxl translates them. Cells outside the bounds are not
interpreted at all: junk there no longer refuses a file whose read cells are sound.
tests/test_workbook_rows.py reads one crafted sheet both ways and compares every field.

The C parser cannot refuse entity definitions as defusedxml's does, so it only reads a sheet
that cannot hold any: entities are declared only inside a DOCTYPE, and a part without NUL bytes
is in an encoding where "<!DOCTYPE" is those very bytes (expat refuses encodings that move ASCII
characters). A sheet with either is read by openpyxl's own defused path, unchanged; openpyxl has
already refused one whose DOCTYPE declares entities when it loaded the workbook.

python-calamine was measured here and is not used: it allocates a sheet's whole used range at
once, so a workbook of a few kilobytes with cells at A1 and XFD1048576 aborts the process (a
failed allocation in Rust, not an exception) before any bound can apply.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import Any

from openpyxl.cell.read_only import EMPTY_CELL, ReadOnlyCell
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW_TAG, FORMULA_TAG, INLINE_TAG, TEXT_TAG = (_NS + tag for tag in ("row", "f", "is", "t"))
_NOT_PLAIN = object()
_CHUNK = 16 * 1024  # as openpyxl reads: a read of the first rows parses little more
_DIGITS = "0123456789"


def stream_sheets(workbook: Any) -> None:
    """Make a read-only workbook's worksheets read their rows through `StreamedSheet`.

    openpyxl builds its worksheet objects itself while loading, so the class is switched
    afterwards; `StreamedSheet` only replaces a method and adds no state."""
    for ws in workbook.worksheets:
        if type(ws) is ReadOnlyWorksheet:
            ws.__class__ = StreamedSheet


class StreamedSheet(ReadOnlyWorksheet):
    """A read-only worksheet whose `iter_rows` yields what openpyxl's would, sooner."""

    def _cells_by_row(
        self,
        min_col: int,
        min_row: int,
        max_col: int | None,
        max_row: int | None,
        values_only: bool = False,
    ) -> Iterator[Any]:
        """openpyxl's ReadOnlyWorksheet._cells_by_row, step for step, without its per-cell cost
        outside the bounds."""
        with self._get_source() as source:
            data = source.read()  # no larger than the part's size, which the guard checked
        if b"\x00" in data or b"<!DOCTYPE" in data:
            yield from super()._cells_by_row(min_col, min_row, max_col, max_row, values_only)
            return
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        filler = None if values_only else EMPTY_CELL
        empty_row: Any = [] if max_col is None else (filler,) * (max_col + 1 - min_col)
        reader = _RowReader(self, min_col, max_col, values_only)
        counter, idx, row_counter = min_row, 1, 0
        for element in _row_elements(data):
            idx = row_counter = _row_number(element, row_counter)
            if max_row is not None and idx > max_row:
                break
            if idx < counter:  # before the range, or a row repeated out of order
                reader.skip(element)
                element.clear()
                continue
            for _ in range(counter, idx):  # rows missing from the file
                counter += 1
                yield empty_row
            row = reader.read(element, idx)
            counter += 1
            element.clear()
            yield row
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


def _row_elements(data: bytes) -> Iterator[Any]:
    """The sheet's row elements in document order, parsed a chunk at a time (as openpyxl's
    iterparse does: a parse error surfaces when the parse reaches it, after the rows before)."""
    parser = ElementTree.XMLPullParser(events=("end",))
    for start in range(0, len(data), _CHUNK):
        parser.feed(data[start : start + _CHUNK])
        for _event, element in parser.read_events():
            if element.tag == ROW_TAG:
                yield element
    parser.close()
    for _event, element in parser.read_events():
        if element.tag == ROW_TAG:
            yield element


def _row_number(element: Any, previous: int) -> int:
    """A row's number as openpyxl's WorkSheetParser.parse_row reads it."""
    number = element.get("r")
    if number is None:
        return previous + 1
    try:
        return int(number)
    except ValueError:
        value = float(number)
        if not value.is_integer():
            raise ValueError(f"{number} is not a valid row number") from None
        return int(value)


class _RowReader:
    """One row element's cells inside the column bounds, as openpyxl's `_get_row` gives them."""

    def __init__(
        self, ws: StreamedSheet, min_col: int, max_col: int | None, values_only: bool
    ) -> None:
        book = ws.parent
        self.ws, self.min_col, self.max_col, self.values_only = ws, min_col, max_col, values_only
        self.parser = WorkSheetParser(
            None,
            ws._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        self.data_only = book.data_only
        self.columns: dict[str, int] = {}  # column letters -> number

    def read(self, element: Any, row: int) -> tuple[Any, ...]:
        min_col, max_col = self.min_col, self.max_col
        cells: list[tuple[Any, ...]] = []  # (row, column, value, data type, style id)
        column = last = 0
        columns = self.columns
        for cell in element:  # every child, as openpyxl's parse_row
            before, at_row = column, row
            coordinate = cell.get("r")
            if coordinate:
                letters = coordinate.rstrip(_DIGITS)
                column = columns.get(letters, 0)
                if not column:
                    at_row, column = self._coordinate(coordinate, letters)
            else:
                column += 1
            last = column
            if column >= min_col and (max_col is None or column <= max_col):
                if coordinate and letters in columns:  # "AB12": 12, as coordinate_to_tuple
                    at_row = int(coordinate[len(letters) :])
                cells.append(self._parse(cell, row, before, at_row, column))
            elif not self.data_only and cell.find(FORMULA_TAG) is not None:
                self.parser.parse_formula(cell)
        if len(element) == 0 and not max_col:
            return ()
        width = (max_col or last) + 1 - min_col
        new_row: list[Any] = [None if self.values_only else EMPTY_CELL] * width
        for parsed in cells:
            position = parsed[1] - min_col
            if position < width:  # a later cell for the same column wins, as in openpyxl
                new_row[position] = (
                    parsed[2] if self.values_only else ReadOnlyCell(self.ws, *parsed)
                )
        return tuple(new_row)

    def skip(self, element: Any) -> None:
        """A row outside the range: only its formulas, for openpyxl's shared-formula state."""
        if not self.data_only:
            for cell in element:
                if cell.find(FORMULA_TAG) is not None:
                    self.parser.parse_formula(cell)

    def _parse(self, cell: Any, row: int, before: int, at_row: int, column: int) -> tuple[Any, ...]:
        """openpyxl's parse_cell for one cell (`at_row`, `column`: where it says it is) as
        (row, column, value, data type, style id); a plain inline string without its Text."""
        if cell.get("t") == "inlineStr" and (self.data_only or cell.find(FORMULA_TAG) is None):
            text = _plain_inline(cell)
            if text is not _NOT_PLAIN:
                style_id = cell.get("s", 0)
                if style_id:
                    style_id = int(style_id)
                return at_row, column, text, "inlineStr" if text is None else "s", style_id
        self.parser.row_counter, self.parser.col_counter = row, before
        parsed = self.parser.parse_cell(cell)
        return (parsed["row"], parsed["column"], parsed["value"], parsed["data_type"],
                parsed["style_id"])  # fmt: skip

    def _coordinate(self, coordinate: str, letters: str) -> tuple[int, int]:
        """openpyxl's coordinate_to_tuple; the column of plain letters is kept for the next."""
        at_row, column = coordinate_to_tuple(coordinate)
        if letters.isascii() and letters.isalpha():
            self.columns[letters] = column
        return at_row, column


def _plain_inline(cell: Any) -> object:
    """The text of an inline string made of one `<t>` (None when the cell has no `<is>`), or
    _NOT_PLAIN for anything else (runs, phonetic parts, attributes), left to openpyxl."""
    child = cell.find(INLINE_TAG)
    if child is None:
        return None
    if child.attrib or len(child) != 1 or child[0].tag != TEXT_TAG:
        return _NOT_PLAIN
    return child[0].text or ""
