"""Bounded reads of worksheet cells: exactly the range asked for, never a sheet's dimension.

A sheet is parsed lazily by openpyxl, so hostile XML can surface while reading cells; such
errors become `WorkbookRejected` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from evaluator.workbook_rejection import parse_rejection

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own sheet size


class CellValue(NamedTuple):
    """A cell's value and number format, detached from openpyxl. `is_formula` tells a formula
    from text that merely starts with "=" (a quote-prefixed string cell). A named tuple: a
    500-row questionnaire makes thousands, and a tuple is made several times faster than a
    frozen dataclass."""

    row: int
    column: int
    value: object
    number_format: str = "General"
    is_formula: bool = False

    @property
    def ref(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def is_percent_format(self) -> bool:
        """A % outside quoted literals and escapes: Excel shows the value times 100."""
        return "%" in re.sub(r'"[^"]*"|\\.', "", self.number_format)


@dataclass(frozen=True)
class HeaderRow:
    row: int
    columns: dict[str, int]  # each wanted name, as given, -> its column number


def read_range(
    ws: Any, min_row: int, max_row: int, min_col: int, max_col: int, *, pad: bool = True
) -> list[tuple[CellValue, ...]]:
    """Exactly the rows and columns asked for, padded with blanks; never the sheet's dimension.
    `pad=False` leaves out the blank rows after the sheet's last (a caller that skips blank rows
    need not have hundreds made)."""
    if not (1 <= min_row <= max_row <= MAX_ROWS and 1 <= min_col <= max_col <= MAX_COLUMNS):
        raise ValueError(f"bad range rows {min_row}..{max_row}, columns {min_col}..{max_col}")
    height, width = max_row - min_row + 1, max_col - min_col + 1
    grid: list[tuple[CellValue, ...]] = []
    try:
        rows = ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)
        for row_number, cells in zip(range(min_row, max_row + 1), rows, strict=False):
            values = [_cell_value(cell, row_number, min_col + i) for i, cell in enumerate(cells)]
            values += [
                CellValue(row_number, c, None) for c in range(min_col + len(values), max_col + 1)
            ]
            grid.append(tuple(values[:width]))
    except Exception as exc:  # a sheet is parsed lazily: hostile XML surfaces here
        raise parse_rejection(_source_name(ws), exc) from None
    for row_number in range(min_row + len(grid), min_row + height if pad else 0):
        grid.append(tuple(CellValue(row_number, c, None) for c in range(min_col, max_col + 1)))
    return grid


def _cell_value(cell: Any, row: int, column: int) -> CellValue:
    value = cell.value
    if value is None:
        return CellValue(row, column, None)
    is_formula = getattr(cell, "data_type", None) == "f"
    return CellValue(row, column, value, cell.number_format or "General", is_formula)


def _source_name(ws: Any) -> str:
    archive = getattr(getattr(ws, "parent", None), "_archive", None)
    return getattr(archive, "filename", None) or "the workbook"


def find_header_row(
    ws: Any,
    names: Iterable[str],
    optional: Iterable[str] = (),
    *,
    search_rows: int = 20,
    search_cols: int = 50,
) -> HeaderRow | None:
    """The first row within `search_rows` holding every name (case and spacing ignored)."""
    wanted, extra = list(names), list(optional)
    for row in read_range(ws, 1, search_rows, 1, search_cols):
        found: dict[str, int] = {}
        for cell in row:
            if cell.value is None:
                continue
            label = _label(cell.value)
            for name in wanted + extra:
                if name not in found and _label(name) == label:
                    found[name] = cell.column
        if all(name in found for name in wanted):
            return HeaderRow(row[0].row, found)
    return None


def _label(value: object) -> str:
    return " ".join(str(value).split()).strip(" *:").casefold()
