"""Reading a ticket or call-statistics export, CSV or XLSX, without trusting it.

A workbook goes through the workbook guard (evaluator.workbook_guard: type sniffing, zip and
XML limits) like a questionnaire; a CSV file is bounded in size and rows, must be UTF-8 (the
first undecodable byte is reported by line) and must not be binary. Each refusal names the file,
the line or cell, and what to do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evaluator.errors import ServiceError
from evaluator.workbook_guard import Limits, open_workbook_checked
from evaluator.workbook_rejection import MB

MAX_CSV_BYTES = 400 * MB
MAX_ROWS = 2_000_000
HEADER_SEARCH = 20
WORKBOOK_LIMITS = Limits(
    max_file_bytes=200 * MB, max_member_bytes=1500 * MB, max_total_bytes=1600 * MB
)
CSV_AGAIN = "save it as 'CSV UTF-8' and import it again"


class FileRefused(ServiceError):
    """A file that will not be imported; nothing was written."""


@dataclass
class Table:
    """A file's header row and its data rows as (line or row number, cells)."""

    name: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[object]]]


def read_table(path: Path, wanted: set[str]) -> Table:
    """The first sheet (or the CSV) from the header row, the first row within the first 20 that
    names one of `wanted` (casefolded)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, wanted)
    return _read_csv(path, wanted)


def _header(name: str, rows: Iterator[tuple[int, list[object]]], wanted: set[str]) -> Table:
    for line, cells in rows:
        labels = [" ".join(str(c).split()) if c is not None else "" for c in cells]
        if any(label.casefold() in wanted for label in labels):
            return Table(name, labels, line, [])
        if line >= HEADER_SEARCH:
            break
    raise FileRefused(
        f"{name}: no header row with a known column in its first {HEADER_SEARCH} rows: choose "
        "the preset of the tool that exported it, or map the columns (--map COLUMN=FIELD)"
    )


def _read_csv(path: Path, wanted: set[str]) -> Table:
    name = path.name
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise FileRefused(
            f"{name} is {size / MB:,.0f} MB, over {MAX_CSV_BYTES // MB} MB: "
            "export a shorter period and import the files one by one"
        )
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        raise FileRefused(f"{name} is a workbook, not a CSV file: name it .xlsx and import it")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise FileRefused(f"{name} line {line}: binary data, not text: {CSV_AGAIN}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            f"{name} line {line}: byte 0x{data[error.start]:02x} is not UTF-8 text: {CSV_AGAIN}"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))

    def numbered() -> Iterator[tuple[int, list[object]]]:
        try:
            for cells in reader:
                if reader.line_num > MAX_ROWS:
                    raise FileRefused(
                        f"{name} has over {MAX_ROWS:,} rows: export a shorter "
                        "period and import the files one by one"
                    )
                yield reader.line_num, list(cells)
        except csv.Error as error:
            raise FileRefused(f"{name} line {reader.line_num}: {error}: {CSV_AGAIN}") from None

    rows = numbered()
    table = _header(name, rows, wanted)
    table.rows = [(line, cells) for line, cells in rows if any(str(c).strip() for c in cells)]
    return table


def _read_workbook(path: Path, wanted: set[str]) -> Table:
    from evaluator.workbook_rejection import parse_rejection

    with open_workbook_checked(path, WORKBOOK_LIMITS) as checked:
        sheet = checked.workbook.worksheets[0]

        def numbered() -> Iterator[tuple[int, list[object]]]:
            try:
                for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if number > MAX_ROWS:
                        raise FileRefused(
                            f"{path.name} has over {MAX_ROWS:,} rows: export a shorter period"
                        )
                    yield number, list(cells)
            except FileRefused:
                raise
            except Exception as error:  # a sheet is parsed lazily: hostile XML surfaces here
                raise parse_rejection(path.name, error) from None

        rows = numbered()
        table = _header(path.name, rows, wanted)
        table.rows = [(n, cells) for n, cells in rows if any(c not in (None, "") for c in cells)]
    return table


def cell_name(table: Table, line: int, column: int) -> str:
    """Where a value is: "file line 12" for a CSV file, "file cell C12" for a workbook."""
    if table.name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl.utils import get_column_letter

        return f"{table.name} cell {get_column_letter(column + 1)}{line}"
    return f"{table.name} line {line}"
