"""Formulas that carry their results: the app's figures stored in the file beside each formula.

openpyxl writes a formula cell with an empty value (`<c r="F7"><f>…</f><v/></c>`), so a viewer
that does not recalculate (a mail previewer, a phone, Excel's protected view) shows blanks where
the totals, ranks and completeness should be. `FormulaValues.put` writes the formula through the
one safe writer and remembers the value the app computed for it; `store_values` then fills those
values into the saved file's worksheet parts (`<v>83.2</v>`, `t="str"` for text results) and
rewrites the file through `evaluator.atomic`. Excel and LibreOffice still recalculate on open
(the workbook asks for it); the stored values are what everyone else shows.

The worksheet parts are the ones openpyxl has just written, so each cell is found by its
reference in that known form; a cell that cannot be found is an error, never a silent blank.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from evaluator.atomic import atomic_path
from evaluator.xlsx_text import put_formula

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# a formula cell as openpyxl writes it: its attributes, the formula, an empty value
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)')
_TYPE = re.compile(r'\s+t="[^"]*"')

Result = float | int | str


@dataclass
class FormulaValues:
    """Per sheet title, the cell reference -> the result the app computed for its formula."""

    cells: dict[str, dict[str, Result]] = field(default_factory=dict)

    def put(
        self,
        ws: Any,
        row: int,
        column: int,
        formula: str,
        value: Result | None,
        number_format: str = "",
    ) -> Any:
        """`put_formula`, remembering `value` (None or a non-finite number: nothing stored)."""
        cell = put_formula(ws, row, column, formula, number_format)
        if isinstance(value, str) or (value is not None and math.isfinite(value)):
            self.cells.setdefault(ws.title, {})[cell.coordinate] = value
        return cell


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part's name in the archive (xl/worksheets/sheet1.xml)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{RELS}Relationship")}
    parts = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(R_ID), "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(name)
    return parts


def _number(value: float | int) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


def fill_values(xml: str, values: dict[str, Result]) -> str:
    """One worksheet part with each listed formula cell given its stored result."""
    found: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        ref, attributes, formula = match.groups()
        if ref not in values:
            return match.group(0)
        found.add(ref)
        value = values[ref]
        attributes = _TYPE.sub("", attributes)
        if isinstance(value, str):
            attributes += ' t="str"'
            text = escape(value)
        else:
            text = _number(value)
        return f'<c r="{ref}"{attributes}><f>{formula}</f><v>{text}</v>'

    filled = _CELL.sub(fill, xml)
    missing = sorted(set(values) - found)
    if missing:
        raise RuntimeError(f"formula cells not found to store their values: {missing[:5]}")
    ElementTree.fromstring(filled)  # still well-formed
    return filled


def store_values(path: Path, values: FormulaValues) -> None:
    """Rewrite the workbook at `path` with the remembered results stored in its formula cells."""
    if not values.cells:
        return
    # closed in reverse order: both archives before the rename (Windows cannot rename an open file)
    with (
        atomic_path(path) as temp,
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(temp, "w") as target,
    ):
        parts = _sheet_parts(source)
        unknown = sorted(set(values.cells) - set(parts))
        if unknown:
            raise RuntimeError(f"sheets not found in the workbook: {unknown}")
        changed = {parts[title]: cells for title, cells in values.cells.items()}
        for info in source.infolist():
            data = source.read(info)
            if info.filename in changed:
                xml = fill_values(data.decode("utf-8"), changed[info.filename])
                data = xml.encode("utf-8")
            target.writestr(info, data, compress_type=info.compress_type)
