"""The workbook's formulas carry the app's results, so a viewer that does not recalculate (a mail
previewer, a phone, Excel's protected view) shows the totals, ranks and completeness."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.xlsx import render_xlsx
from reports.xlsx.cells import Book, put_formula
from tests.report_fixtures import sample_audit, sample_data

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    data = sample_data()
    results = score_evaluation(data)
    path = tmp_path_factory.mktemp("cached") / "report.xlsx"
    render_xlsx(build_report(data, results, sample_audit(), Branding(), "9.9.9", WHEN), path)
    return data, results, path


def top_row(ws) -> int:
    return next(r for r in range(1, 12) if ws.cell(r, 1).value in {"Rank", "Key"})


def test_a_viewer_that_does_not_recalculate_reads_the_apps_figures(exported):
    data, results, path = exported
    names = {c.id: c.name for c in data.candidates}
    top_keys = [c.key for c in data.criteria if c.key != "gates"]
    summary = openpyxl.load_workbook(path, data_only=True)["Summary"]
    top = top_row(summary)
    shown = {
        summary.cell(r, 2).value: [c.value for c in summary[r]]
        for r in range(top + 1, top + 1 + len(results.candidates))
    }
    assert set(shown) == set(names.values())
    for result in results.candidates:
        row = shown[names[result.candidate_id]]
        rank, total, completeness = row[0], row[5], row[6]
        assert rank == result.rank  # a disqualified candidate's rank is empty
        assert total == pytest.approx(result.total, abs=1e-12)
        assert completeness == pytest.approx(result.completeness, abs=1e-12)
        points = [result.category_totals[key] for key in top_keys]
        assert row[9 : 9 + len(points)] == pytest.approx(points, abs=1e-12)
    assert any(row[0] is None for row in shown.values())  # the sample has a disqualified one


def test_the_cells_stay_live_formulas_and_the_weights_carry_their_values(exported):
    _data, _results, path = exported
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    summary = formulas["Summary"]
    top = top_row(summary)
    assert str(summary.cell(top + 1, 6).value).startswith("=100*(SUMPRODUCT(")
    assert str(summary.cell(top + 1, 1).value).startswith("=IF(")
    weights, weight_values = formulas["Weights"], values["Weights"]
    first = top_row(weights) + 1
    for row in range(first, weights.max_row + 1):
        if not str(weights.cell(row, 9).value or "").startswith("=H"):
            continue
        # the stored effective weight is the one the app exported beside it (column J)
        assert weight_values.cell(row, 9).value == pytest.approx(weights.cell(row, 10).value)
        assert 0 < weight_values.cell(row, 8).value <= 1  # the share of siblings
    rows = range(first, weights.max_row + 1)
    check = next(r for r in rows if "should be 100%" in str(weights[f"B{r}"].value))
    assert weight_values.cell(check, 9).value == pytest.approx(1.0)
    assert formulas.calculation.fullCalcOnLoad  # Excel and LibreOffice still recalculate


def test_formulas_store_numbers_and_text_results_but_never_a_non_finite_one(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    book = Book(path)
    sheet = book.sheet("Sheet")
    put_formula(sheet, 1, 1, "=1/0", float("nan"))
    put_formula(sheet, 1, 2, "=2*3", 6)
    put_formula(sheet, 1, 3, '=IF(B1>5,"big","")', "big")
    put_formula(sheet, 1, 4, '=IF(B1>9,1,"")', "")
    put_formula(sheet, 1, 5, "=B1/4", 1.5)
    with pytest.raises(ValueError, match="not a formula"):
        put_formula(sheet, 2, 1, "B1", 6)
    book.close()
    values = openpyxl.load_workbook(path, data_only=True).active
    assert [c.value for c in values[1]] == [None, 6, "big", None, 1.5]
    formulas = openpyxl.load_workbook(path).active
    assert [c.value for c in formulas[1]][:2] == ["=1/0", "=2*3"]
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]  # no temporary file left
