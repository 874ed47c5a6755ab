"""Random corruption of a valid filled questionnaire: the importer never crashes and never
writes part of a file.

Each example damages the file one way (flipped bytes, a cut, spliced bytes, mutated cells,
garbage inside a worksheet's XML), then previews and applies it all-or-nothing (or, at random,
valid answers only) against a fresh copy of one database. The only acceptable failures are a
rejected workbook or a refused import. Afterwards every table equals its dump from before,
except after a successful apply, where exactly the previewed answers and their audit entries
were added.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

from evaluator.db import open_database
from evaluator.questionnaire.importer import apply_questionnaire, preview_questionnaire
from evaluator.questionnaire.template import write_questionnaire_template
from evaluator.services import ServiceError
from evaluator.workbook_guard import WorkbookRejected
from tests.excel_fixtures import CANDIDATES, GOOD, dump_tables, fill_questionnaire, lakeside_db

SHEET = "xl/worksheets/sheet2.xml"


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database with one answer on record, and a valid filled questionnaire's bytes."""
    folder = tmp_path_factory.mktemp("originals")
    db, ev = lakeside_db(folder)
    from evaluator import services

    services.set_response(db, ev, CANDIDATES[0], "cost.fee", 5.0, raw="5")
    template = folder / "template.xlsx"
    write_questionnaire_template(db, ev, template, CANDIDATES[0])
    db.close()
    filled = fill_questionnaire(template, folder / "filled.xlsx", GOOD, reverse_rows=True)
    return folder / "lakeside.db", filled


def flip_bytes(data: bytes, draw: st.DrawFn) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 24))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return bytes(out)


def cut(data: bytes, draw: st.DrawFn) -> bytes:
    return data[: draw(st.integers(0, len(data) - 1))]


def splice(data: bytes, draw: st.DrawFn) -> bytes:
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, min(len(data), start + 4096)))
    return data[:start] + draw(st.binary(max_size=512)) + data[end:]


CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(["Yes", "no", "=1/0", "=A1", "35%", "0.35", "#N/A", "1,250,000", "\u200b"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
)


def mutate_cells(data: bytes, draw: st.DrawFn) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet_name = draw(st.sampled_from(["Questionnaire", "_supportscope", "Instructions"]))
    sheet = workbook[sheet_name]
    for _ in range(draw(st.integers(1, 12))):
        row, column = draw(st.integers(1, 45)), draw(st.integers(1, 8))
        value = draw(CELL_VALUES)
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch.isprintable())  # what openpyxl can store
        cell = sheet.cell(row, column)
        if not isinstance(cell, MergedCell):  # the title rows are merged
            cell.value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def garble_sheet_xml(data: bytes, draw: st.DrawFn) -> bytes:
    """Keep the zip valid but damage the questionnaire sheet's XML inside it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == SHEET:
                content = splice(flip_bytes(content, draw), draw)
            target.writestr(info.filename, content)
    return out.getvalue()


CORRUPTIONS = [flip_bytes, cut, splice, mutate_cells, garble_sheet_xml]


@settings(
    max_examples=int(os.environ.get("SUPPORTSCOPE_FUZZ_EXAMPLES", "80")),  # more to hunt bugs
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_corruption_never_crashes_or_half_writes(
    originals: tuple[Path, Path], tmp_path: Path, data: st.DataObject
) -> None:
    db_original, filled = originals
    file_bytes = filled.read_bytes()
    corrupt = data.draw(st.sampled_from(CORRUPTIONS), label="corruption")
    damaged = corrupt(file_bytes, data.draw)
    valid_only = data.draw(st.booleans(), label="valid_only")
    run = len(list(tmp_path.iterdir()))
    db_path = tmp_path / f"run{run}.db"
    shutil.copyfile(db_original, db_path)
    path = tmp_path / f"vendor{run}.xlsx"
    path.write_bytes(damaged)
    db = open_database(db_path)
    try:
        before = dump_tables(db)
        preview = None
        try:
            preview = preview_questionnaire(db, 1, path, candidate=CANDIDATES[0])
            outcome = apply_questionnaire(db, preview, valid_only=valid_only)
        except (WorkbookRejected, ServiceError) as refused:
            assert "\n" not in str(refused)
            assert dump_tables(db) == before
            return
        after = dump_tables(db)
        changed = {name for name in after if after[name] != before[name]}
        # the evaluation row changes only by its change counter (and last-changed time)
        assert changed <= {"responses", "audit_log", "evaluations"}
        written = preview.to_write
        assert outcome.written == len(written)
        assert len(after["audit_log"]) == len(before["audit_log"]) + len(written) + 1
        new_rows = len(after["responses"]) - len(before["responses"])
        assert new_rows == sum(c.old is None for c in written)
    finally:
        db.close()
