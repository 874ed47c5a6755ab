"""The streamed rows of a checked sheet are exactly openpyxl's read-only rows, only sooner.

One crafted sheet holds every kind of cell a workbook can carry (numbers, dates in both
calendars, durations, percentages, shared and inline strings, rich text, booleans, errors,
ISO dates, formulas with and without saved values, shared and array formulas, cells and rows
without positions, rows missing, repeated or out of order); it is read through the guard's
streamed sheet and through openpyxl's own read-only sheet, over many bounds, as cells and as
values, with formulas and with saved values, and the two must agree on every field.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.read_only import EmptyCell
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from evaluator.workbook_guard import CellValue, WorkbookRejected, open_workbook_checked, read_range
from evaluator.workbook_rows import StreamedSheet
from tests.hostile_files import SHEET1, SHEET_NS, replace_members

CONTENT_TYPES, STRINGS = "[Content_Types].xml", "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS = (
    f'<?xml version="1.0"?><sst xmlns="{SHEET_NS}" count="2" uniqueCount="2">'
    "<si><t>alpha</t></si><si><r><t>beta </t></r><r><rPr><b/></rPr><t>shared</t></r></si></sst>"
)
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "duration": "[h]:mm:ss",
           "percent": "0%", "custom": "0.0%"}  # fmt: skip


def style_ids(path: Path) -> dict[str, str]:
    """The `s` openpyxl gave each format's cell (A1.. in FORMATS order)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SHEET1).decode()
    found = dict(re.findall(r'<c r="([A-Z]+)1" s="(\d+)"', xml))
    return {name: found[chr(ord("A") + i)] for i, name in enumerate(FORMATS)}


def crafted_sheet(s: dict[str, str], dimension: bool) -> str:
    rows = [
        f'<row r="1"><c r="A1"><v>42</v></c><c r="B1"><v>2.5</v></c><c r="C1"><v>1E3</v></c>'
        f'<c r="D1" s="{s["percent"]}"><v>-7</v></c><c r="E1" s="{s["custom"]}"><v>0.35</v></c>'
        '<c r="F1" t="s"><v>0</v></c><c r="G1" t="s"><v>1</v></c><c r="H1" t="b"><v>1</v></c>'
        '<c r="I1" t="b"><v>0</v></c><c r="J1" t="e"><v>#N/A</v></c></row>',
        f'<row r="2"><c r="A2" s="{s["date"]}"><v>45382</v></c>'
        f'<c r="B2" s="{s["datetime"]}"><v>45382.5</v></c>'
        f'<c r="C2" s="{s["duration"]}"><v>1.25</v></c>'
        f'<c r="D2" s="{s["date"]}"><v>1E10</v></c>'
        '<c r="E2" t="d"><v>2024-03-31T10:20:30</v></c>'
        '<c r="F2" t="str"><f>CONCAT("a","b")</f><v>ab</v></c>'
        '<c r="G2"><f>SUM(A1:B1)</f><v>44.5</v></c><c r="H2"><f>1/0</f><v/></c>'
        '<c r="I2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="J2"><v></v></c></row>',
        "<row><c><v>1</v></c>"
        '<c t="inlineStr"><is><t>plain</t></is></c><c t="inlineStr"><is><t/></is></c>'
        '<c t="inlineStr"><is><t xml:space="preserve">  spaced  </t></is></c>'
        '<c t="inlineStr"><is><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r></is></c>'
        '<c t="inlineStr"><is><t>x</t><rPh sb="0" eb="1"><t>y</t></rPh></is></c>'
        '<c t="inlineStr"/><c t="inlineStr"><is><t>one</t><t>two</t></is></c>'
        '<c t="inlineStr" s="1"><is><t>= not a formula</t></is></c></row>',
        '<row r="5"><c r="A5"><f t="shared" ref="A5:B5" si="0">A1*2</f><v>84</v></c>'
        '<c r="B5"><f t="shared" si="0"/><v>5</v></c>'
        '<c r="C5"><f t="array" ref="C5:C6">SUM(A1:A2*B1:B2)</f><v>9</v></c>'
        '<c r="E5"><v>5</v></c><c r="D5"><v>4</v></c><c r="F5"><v>1</v></c>'
        '<c r="F5"><v>2</v></c><c r="G9"><v>9</v></c><c><v>8</v></c></row>',
        '<row r="3"><c r="A3"><v>333</v></c></row>',  # repeated, out of order: not read
        '<row r="6" spans="1:10" ht="20" customHeight="1">'
        '<c r="J6"><f t="shared" ref="B7:J7" si="1">K6+1</f><v>1</v></c></row>',
        '<row r="7"><c r="B7"><f t="shared" si="1"/><v>2</v></c>'
        '<c r="C7" t="inlineStr"><f>"=x"</f><is><t>=x</t></is></c></row>',
        '<row r="8.0"><c r="A8"><v>8</v></c><c r="L8" t="inlineStr"><is><t>far</t></is></c></row>',
        '<row r="20"><c r="A20" t="inlineStr"><is><t>last</t></is></c></row>',
    ]
    head = '<dimension ref="A1:L20"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{SHEET_NS}">'
        f"{head}<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def crafted_workbook(folder: Path, *, mac: bool = False, dimension: bool = True) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if mac:
        book.epoch = CALENDAR_MAC_1904
    for i, number_format in enumerate(FORMATS.values()):
        cell = sheet.cell(1, i + 1, 1)
        cell.number_format = number_format
    plain = folder / f"plain-{mac}-{dimension}.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as archive:
        types = archive.read(CONTENT_TYPES).decode()
    types = types.replace(
        "</Types>", f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}"/></Types>'
    )
    target = folder / f"crafted-{mac}-{dimension}.xlsx"
    replacements = {
        SHEET1: crafted_sheet(style_ids(plain), dimension).encode(),
        CONTENT_TYPES: types.encode(),
        STRINGS: SHARED_STRINGS.encode(),
    }
    return replace_members(plain, target, replacements)


def norm(value: Any) -> Any:
    if hasattr(value, "ref") and hasattr(value, "text"):  # an array formula
        return ("array", value.ref, value.text)
    return (type(value).__name__, value)


def cells(rows: Any, values_only: bool) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        shown: list[Any] = []
        for cell in row:
            if values_only:
                shown.append(norm(cell))
            elif isinstance(cell, EmptyCell):
                shown.append("empty")
            else:
                fmt = cell.number_format if cell.value is not None else None
                shown.append(
                    (cell.row, cell.column, norm(cell.value), cell.data_type, cell._style_id, fmt)
                )
        out.append(tuple(shown))
    return out


def shown(grid: list[tuple[CellValue, ...]]) -> list[tuple[Any, ...]]:
    return [
        (c.row, c.column, norm(c.value), c.number_format, c.is_formula) for r in grid for c in r
    ]


BOUNDS = [
    {"min_row": 1, "max_row": 25, "min_col": 1, "max_col": 12},
    {"min_row": 2, "max_row": 7, "min_col": 2, "max_col": 4},
    {"min_row": 4, "max_row": 4, "min_col": 1, "max_col": 3},
    {"min_row": 3, "max_row": 3, "min_col": 1, "max_col": 9},
    {"min_row": 21, "max_row": 30, "min_col": 1, "max_col": 2},
    {"min_row": 1, "max_row": 10, "min_col": 3, "max_col": 3},
    {"min_row": 5, "max_row": 5, "min_col": 1, "max_col": 8},
    {"min_row": 7, "max_row": 8},
    {"min_col": 2, "max_col": 3},
    {},
]


@pytest.mark.parametrize("mac", [False, True], ids=["1900", "1904"])
@pytest.mark.parametrize("dimension", [True, False], ids=["dimension", "no-dimension"])
@pytest.mark.parametrize("data_only", [False, True], ids=["formulas", "saved-values"])
def test_streamed_rows_equal_openpyxl_rows(
    tmp_path: Path, mac: bool, dimension: bool, data_only: bool
) -> None:
    path = crafted_workbook(tmp_path, mac=mac, dimension=dimension)
    reference = load_workbook(path, read_only=True, data_only=data_only)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the out-of-range date warns, on both sides
        with open_workbook_checked(path, data_only=data_only) as checked:
            streamed, plain = checked.workbook["Sheet"], reference["Sheet"]
            assert type(streamed) is StreamedSheet and type(plain) is ReadOnlyWorksheet
            for bounds in BOUNDS:
                for values_only in (False, True):
                    got = cells(streamed.iter_rows(**bounds, values_only=values_only), values_only)
                    want = cells(plain.iter_rows(**bounds, values_only=values_only), values_only)
                    assert got == want, (bounds, values_only)
            for bounds in ((1, 25, 1, 12), (2, 9, 3, 6), (3, 3, 1, 20)):
                assert shown(read_range(streamed, *bounds)) == shown(read_range(plain, *bounds))
    reference.close()


def test_the_crafted_sheet_holds_what_it_claims(tmp_path: Path) -> None:
    """The comparison above is only as good as the sheet: check a few values outright."""
    path = crafted_workbook(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open_workbook_checked(path) as checked:
            grid = read_range(checked.workbook["Sheet"], 1, 8, 1, 12)
    value = {cell.ref: cell.value for row in grid for cell in row}
    assert value["A1"] == 42 and value["C1"] == 1000.0 and value["F1"] == "alpha"
    assert grid[0][4].is_percent_format and grid[0][3].is_percent_format
    assert value["A2"] == datetime(2024, 3, 31) and value["C2"] == timedelta(days=1, hours=6)
    assert value["D2"] == "#VALUE!" and value["F2"] == "ab" and value["G2"] == 44.5
    assert value["H1"] is True and value["J1"] == "#N/A"
    assert [value[f"{c}3"] for c in "ABCDEFGHI"] == [
        1, "plain", "", "  spaced  ", "rich", "x", None, "two", "= not a formula"
    ]  # fmt: skip
    assert value["D5"] == 4 and value["F5"] == 2 and value["G5"] == 9 and value["H5"] == 8
    assert value["A8"] == 8 and value["L8"] == "far"


def test_a_sheet_with_a_doctype_or_in_utf16_is_read_by_openpyxl_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The C parser reads only sheets that cannot declare entities; others go the defused
    way, with the same result."""
    plain = crafted_workbook(tmp_path)
    with zipfile.ZipFile(plain) as archive:
        xml = archive.read(SHEET1).decode()
    body = xml.split("?>", 1)[1]
    variants = {
        "doctype.xlsx": ('<?xml version="1.0"?><!DOCTYPE worksheet>' + body).encode(),
        "utf16.xlsx": ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16"),
    }
    defused: list[str] = []
    original = ReadOnlyWorksheet._cells_by_row

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        defused.append(self.parent.path)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", spy)
    for name, data in variants.items():
        path = replace_members(plain, tmp_path / name, {SHEET1: data})
        reference = load_workbook(path, read_only=True, data_only=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open_workbook_checked(path) as checked:
                got = read_range(checked.workbook["Sheet"], 1, 25, 1, 12)
                assert len(defused) == 1  # the guard's sheet went openpyxl's own way
                assert shown(got) == shown(read_range(reference["Sheet"], 1, 25, 1, 12))
        reference.close()
        defused.clear()


def test_cells_past_the_bounds_are_not_interpreted_but_cells_inside_are(
    tmp_path: Path,
) -> None:
    """A broken cell (a shared string that does not exist) outside the bounds no longer
    refuses the read; inside them it is refused with the file named, as before."""
    body = (
        f'<?xml version="1.0"?><worksheet xmlns="{SHEET_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>q1</t></is></c>'
        '<c r="B1"><v>4</v></c><c r="C1" t="s"><v>999</v></c></row></sheetData></worksheet>'
    )
    path = replace_members(crafted_workbook(tmp_path), tmp_path / "vendor-k.xlsx", {SHEET1: body})
    with open_workbook_checked(path) as checked:
        sheet = checked.workbook["Sheet"]
        assert [c.value for c in read_range(sheet, 1, 1, 1, 2)[0]] == ["q1", 4]
        with pytest.raises(WorkbookRejected, match=r"^vendor-k\.xlsx could not be read"):
            read_range(sheet, 1, 1, 1, 3)
