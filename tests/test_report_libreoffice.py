"""LibreOffice recalculates the workbook: its totals must equal the app's, also after a client
changes a weight in the spreadsheet.

Skipped only when LibreOffice is not installed (`apt-get install libreoffice-calc`); CI has it.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from evaluator.domain import EvaluationData, Scale
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.xlsx import render_xlsx
from tests.report_fixtures import sample_audit, sample_data

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
    # openpyxl drops LibreOffice's own extensions when reading the values back: harmless here
    pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning"),
]
WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def recalculated(paths: list[Path], tmp_path: Path) -> list[Path]:
    """Let LibreOffice open, recalculate and save each workbook; returns the saved copies."""
    out = tmp_path / "recalculated"
    out.mkdir()
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no clash with a desktop
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        *map(str, paths),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    copies = [out / path.name for path in paths]
    assert all(copy.exists() for copy in copies), result.stdout + result.stderr
    return copies


def summary_rows(path: Path) -> dict[str, tuple]:
    """Candidate -> (rank, total, completeness, category points...) as LibreOffice computed."""
    ws = openpyxl.load_workbook(path, data_only=True)["Summary"]
    top = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Rank")
    rows = {}
    for r in range(top + 1, ws.max_row + 1):
        name = ws.cell(r, 2).value
        if not name:
            break
        rows[name] = tuple(ws.cell(r, c).value for c in (1, 6, 7, *range(10, ws.max_column + 1)))
    return rows


def app_rows(data: EvaluationData) -> dict[str, tuple]:
    results = score_evaluation(data)
    names = {c.id: c.name for c in data.candidates}
    top_keys = [c.key for c in data.criteria if c.key != "gates"]
    return {
        names[r.candidate_id]: (
            r.rank,
            r.total,
            r.completeness,
            *(r.category_totals[key] for key in top_keys),
        )
        for r in results.candidates
    }


def write(data: EvaluationData, path: Path) -> Path:
    report = build_report(data, score_evaluation(data), sample_audit(), Branding(), "9.9.9", WHEN)
    render_xlsx(report, path)
    return path


def assert_same(calc: dict[str, tuple], app: dict[str, tuple]) -> None:
    assert list(calc) == list(app)
    for name, expected in app.items():
        rank, *numbers = calc[name]
        assert rank == expected[0], name  # LibreOffice shows "" (read as None) when disqualified
        assert numbers == pytest.approx(list(expected[1:]), abs=1e-6), name


def test_libreoffice_totals_equal_the_apps_and_follow_a_changed_weight(tmp_path):
    data = sample_data()
    as_exported = write(data, tmp_path / "as-exported.xlsx")

    # The client doubles the weight of Cost in the spreadsheet...
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(as_exported)
    weights = book["Weights"]
    row = next(r for r in range(1, weights.max_row + 1) if weights.cell(r, 1).value == "cost")
    weights.cell(row, 7).value = 2
    book.save(edited)
    # ...which must give what the app gives for the same change.
    reweighted = dataclasses.replace(
        data,
        criteria=[
            dataclasses.replace(c, weight=2) if c.key == "cost" else c for c in data.criteria
        ],
    )

    exported_calc, edited_calc = recalculated([as_exported, edited], tmp_path)
    assert_same(summary_rows(exported_calc), app_rows(data))
    edited_rows = summary_rows(edited_calc)
    assert edited_rows != summary_rows(exported_calc)  # the totals did move
    expected = app_rows(reweighted)
    for name in edited_rows:  # rows keep the export's order; compare by name
        rank, *numbers = edited_rows[name]
        assert rank == expected[name][0]
        assert numbers == pytest.approx(list(expected[name][1:]), abs=1e-6)


def test_libreoffice_totals_on_a_scale_that_does_not_start_at_zero(tmp_path):
    """The Matrix shows values on the committee's scale (here 1 to 5); the totals normalise
    them as the app does, from the scale's ends written above the Matrix."""
    data = dataclasses.replace(sample_data(), scale=Scale(1, 5))
    (calculated,) = recalculated([write(data, tmp_path / "one-to-five.xlsx")], tmp_path)
    assert_same(summary_rows(calculated), app_rows(data))
    matrix = openpyxl.load_workbook(calculated)["Matrix"]
    values = [c.value for row in matrix.iter_rows(min_row=7, min_col=6) for c in row]
    assert all(v is None or 1 <= v <= 5 for v in values) and 4.5 in values
    assert [matrix["C4"].value, matrix["E4"].value] == [1, 5]
