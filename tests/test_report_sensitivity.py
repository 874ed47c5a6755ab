"""The sensitivity section of the reports: its numbers by hand, the PDF text a reader sees, the
workbook's cells (user text always text), and the export's settings, progress and cancel."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pypdf
import pytest

from evaluator.domain import Aggregation, Candidate, Status, WeightSet
from evaluator.jsonio import load_document, to_document
from evaluator.progress import Cancelled
from evaluator.scoring import score_evaluation
from evaluator.simulation_settings import Settings
from reports.branding import Branding
from reports.data import build_report
from reports.export import export_reports
from reports.pdf import render_pdf
from reports.sensitivity_data import build_sensitivity
from reports.xlsx import render_xlsx
from tests.core_fixtures import new_db
from tests.sensitivity_fixtures import one_cell, two_way

WHEN = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://example.invalid","Prize")'


def with_sets():  # type: ignore[no-untyped-def]
    data = two_way()
    data.weight_sets = [
        WeightSet(1, "Clinical", (("cost", 2.0), ("quality", 1.0)), "Nursing staff"),
        WeightSet(2, "Finance", (("cost", 1.0), ("quality", 3.0))),
    ]
    return data


def report_with_section(data, settings: Settings):  # type: ignore[no-untyped-def]
    section = build_sensitivity(data, settings)
    return build_report(
        data, score_evaluation(data), [], Branding(), "9.9.9", WHEN, sensitivity=section
    )


def test_section_numbers_by_hand():
    section = build_sensitivity(
        with_sets(), Settings(draws=300, concentration=None, resample=False)
    )
    cost, fee, quality, q = section.flips
    assert (cost.weight, cost.change_points, cost.flip_weight, cost.flip_raw_weight) == (
        pytest.approx(0.75), pytest.approx(-25.0), pytest.approx(0.5), pytest.approx(1.0),
    )  # fmt: skip
    assert (cost.new_leader, cost.verdict, fee.verdict, q.verdict) == (
        "Example Outsourcer Y", "", "alone", "alone",
    )  # fmt: skip
    assert quality.flip_raw_weight == pytest.approx(3.0)
    assert [line.key for line in section.nearest] == ["cost", "quality"]  # both 25 points
    assert [(o.name, o.chance, o.rank_low, o.rank_high) for o in section.odds] == [
        ("Example Vendor X", 1.0, 1, 1), ("Example Outsourcer Y", 0.0, 2, 2),
    ]  # fmt: skip
    current, clinical, finance = section.sets
    assert section.candidates == ("Example Vendor X", "Example Outsourcer Y")
    assert current.totals == pytest.approx((80.0, 50.0))
    assert clinical.totals == pytest.approx((20 + 160 / 3, 80 - 80 / 3))
    assert (finance.ranks, finance.totals) == ((2, 1), pytest.approx((40.0, 70.0)))
    assert (clinical.note, section.holds) == ("Nursing staff", False)
    assert section.summary == (
        "The weight closest to changing the winner is that of Cost: lower its weight by 25.0 "
        "points (from 75.0% to 50.0%): Example Outsourcer Y takes the lead. Example Vendor X "
        "ranks first in 100% of 300 simulated draws. The winner does not hold: Example Vendor X "
        "leads on the current weights, but under Finance Example Outsourcer Y leads."
    )


def test_the_pdf_shows_the_section_with_its_seed_and_a_close_call(tmp_path):
    data = one_cell([5, 5, 0], 4, Aggregation.MEAN)  # B leads, wins 19/27 of the draws
    report = report_with_section(data, Settings(draws=4000, seed=17, concentration=None))
    render_pdf(report, tmp_path / "r.pdf")
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "r.pdf").pages]
    assert "5 Sensitivity of the result" in pages[0]  # in the contents on the cover
    text = " ".join(pages[1:])
    assert "5 Sensitivity of the result" in text
    assert "4,000 draws from seed 17: members' scores resampled in every cell" in text
    assert "sensitivity EVAL --draws 4000 --seed 17" in text
    share = report.sensitivity.leader_chance
    assert abs(share - 19 / 27) <= 4.5 * math.sqrt(19 / 27 * 8 / 27 / 4000)
    assert f"Close call: Example B ranks first in only {100 * share:.0f}% of the draws" in text
    assert "No weighting sets yet" in text


def test_a_report_built_without_the_section_says_so(tmp_path):
    data = two_way()
    report = build_report(data, score_evaluation(data), [], Branding(), "9.9.9", WHEN)
    render_pdf(report, tmp_path / "r.pdf")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "The sensitivity analysis was not run for this report." in " ".join(text.split())
    render_xlsx(report, tmp_path / "r.xlsx")
    assert "Sensitivity" not in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames


def test_the_workbook_sheet_holds_numbers_and_keeps_user_text_as_text(tmp_path):
    data = with_sets()
    data.candidates[1] = Candidate(2, HOSTILE)
    data.weight_sets[1] = WeightSet(2, "@SUM(A1)", data.weight_sets[1].weights)
    render_xlsx(report_with_section(data, Settings(draws=200, seed=3)), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Sensitivity"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=5) if row[0].value}
    cost = rows["Cost"]
    assert [cell.value for cell in cost[2:8]] == [
        0.75, 3, pytest.approx(-25.0), pytest.approx(0.5), pytest.approx(1.0), HOSTILE,
    ]  # fmt: skip
    assert cost[7].data_type == "s"  # the hostile name is text, not a formula
    headers = [c.value for row in sheet.iter_rows() for c in row if c.value and ": rank" in
               str(c.value)]  # fmt: skip
    assert headers == ["Current weights: rank", "Clinical: rank", "@SUM(A1): rank"]
    everything = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in everything)
    assert any("seed 3" in c.value for c in everything)


def test_export_runs_the_simulation_with_its_settings_and_can_stop(tmp_path):
    db = new_db(tmp_path)
    data = with_sets()
    data.status = Status.CONSENSUS
    evaluation = load_document(db, to_document(data))
    seen: list[int] = []
    export_reports(db, evaluation, tmp_path / "r.pdf", tmp_path / "r.xlsx",
                   progress=lambda done, total: seen.append(done),
                   simulation=Settings(draws=700, seed=42))  # fmt: skip
    assert seen == sorted(seen) and seen[-1] == 1000
    assert 0 < seen[0] <= 100  # the simulation reports within the first tenth
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Sensitivity"]
    assert any("700 draws from seed 42" in str(c.value) for row in sheet.iter_rows() for c in row)
    checks = iter([False, False, True])
    with pytest.raises(Cancelled):
        export_reports(db, evaluation, tmp_path / "s.pdf", simulation=Settings(draws=5000),
                       cancel=lambda: next(checks, True))  # fmt: skip
    assert not Path(tmp_path / "s.pdf").exists()
    db.close()


def test_no_ranked_candidate_still_makes_a_section():
    data = two_way()
    data.candidates, data.consensus = [], []
    section = build_sensitivity(data, Settings(draws=10))
    assert (section.leader, section.flips, section.odds) == ("", (), ())
    assert section.summary.startswith("No candidate can be ranked yet")


def test_the_flip_charts_axis_caption_keeps_clear_of_the_table_below(tmp_path):
    """A tester saw the caption under the "what would change the winner" chart touch the
    table's header: on the page, the caption's line sits well above the header's."""
    report = report_with_section(with_sets(), Settings(draws=300, concentration=None))
    render_pdf(report, tmp_path / "r.pdf")
    lines: dict[str, float] = {}

    def seen(text, cm, tm, _font, _size) -> None:  # type: ignore[no-untyped-def]
        for label in ("Change of share needed", "Category or criterion"):
            if text.startswith(label):  # the baseline on the page: text matrix x transform
                lines[label] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    for page in pypdf.PdfReader(tmp_path / "r.pdf").pages:
        lines.clear()
        page.extract_text(visitor_text=seen)
        if len(lines) == 2:
            break
    assert len(lines) == 2, lines
    gap = lines["Change of share needed"] - lines["Category or criterion"]
    assert gap >= 18, gap  # the header's row (about 15 pt) and the spacer above it
