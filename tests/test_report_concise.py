"""A report that reads in an hour at any scale (issue 12, part 6).

At committee scale (50 candidates x 200 criteria x 10 members, the fictitious evaluation of
benchmarks' `build_data`, built in memory in a second or two) the PDF body stays under 60
pages: concise profiles, the most consequential disagreements, the categories' weights. The
appendix the user asks for (`appendix=True`, `export --appendix`) restores the detail.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from benchmarks.bench_scoring import build_data
from cli import run
from criteria.demo import DEMO_CHAIR, DEMO_NAME, build_demo
from evaluator.db import open_database
from evaluator.scoring import score_evaluation
from evaluator.simulation_settings import Settings
from reports.branding import Branding
from reports.data import build_report
from reports.pdf import render_pdf
from reports.pdf.blocks import LISTED_ROWS
from reports.sensitivity_data import build_sensitivity

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def report_of(data):
    sensitivity = build_sensitivity(data, Settings(draws=200, seed=1))
    results = score_evaluation(data)
    return build_report(data, results, [], Branding(), "9.9.9", WHEN, sensitivity=sensitivity)


def pages_of(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


def fewer_candidates(count: int):
    """The committee-scale evaluation cut down to its first `count` candidates."""
    data = build_data()
    kept = {candidate.id for candidate in data.candidates[:count]}
    return dataclasses.replace(
        data,
        candidates=data.candidates[:count],
        scores=[s for s in data.scores if s.candidate_id in kept],
        responses=[r for r in data.responses if r.candidate_id in kept],
    )


@pytest.fixture(scope="module")
def committee_scale(tmp_path_factory) -> tuple[object, list[str]]:
    report = report_of(build_data())
    path = tmp_path_factory.mktemp("concise") / "committee.pdf"
    render_pdf(report, path)
    return report, pages_of(path)


def test_the_committee_scale_report_stays_under_60_pages(committee_scale):
    report, pages = committee_scale
    assert len(report.candidates) == 50 and len(report.matrix) == 190  # and 10 gates
    assert len(pages) < 60, len(pages)
    text = " ".join(pages)
    for number, section in enumerate(report.candidates, start=1):  # a profile for everyone
        assert f"3.{number} {section.row.name}" in text
    assert "Appendix A Methodology" in text and "Appendix B" not in text


def test_the_body_lists_the_most_consequential_rows_and_says_where_the_rest_are(committee_scale):
    report, pages = committee_scale
    text = " ".join(pages)
    flagged = len(report.disagreements)
    assert flagged > LISTED_ROWS
    assert f"The {LISTED_ROWS} most consequential of {flagged:,} disagreements" in text
    assert "an export with the appendix lists them all" in text
    assert "The 10 categories; the weights of all 200 criteria" in text
    assert "Leaf 9.19" not in text.split("Appendix A Methodology")[1]  # no leaf listed there
    assert "Committee justifications" not in text and "Justifications:" not in text


def test_the_appendix_restores_every_criterion_disagreement_and_justification(tmp_path):
    report = report_of(fewer_candidates(3))
    concise, full = tmp_path / "concise.pdf", tmp_path / "full.pdf"
    render_pdf(report, concise)
    render_pdf(report, full, appendix=True)
    body, pages = pages_of(concise), pages_of(full)
    start = next(i for i, page in enumerate(pages) if i and "Appendix B Criterion detail" in page)
    assert start == len(body)  # the appendix follows the same body
    appendix = " ".join(pages[start:])
    assert "Appendix B Criterion detail" in pages[0]  # the cover's contents list it
    assert "B.1 Every criterion and its weight" in appendix and "Leaf 9.19" in appendix
    assert "Every disagreement" in appendix
    for item in report.disagreements[-3:]:
        assert f"{item.candidate_name} {item.criterion_name}" in appendix
    for section in report.candidates:
        assert f"Justifications: {section.row.name}" in appendix
        shown = {j.criterion_key for j in section.justifications}
        assert len(shown) == 30 and section.justifications_omitted > 100
    assert "are in the Excel workbook (Scores sheet)" in appendix


def test_export_appendix_flag_adds_the_appendix(tmp_path):
    database = tmp_path / "demo.db"
    db = open_database(database)
    build_demo(db)
    db.close()
    plain, full = tmp_path / "plain.pdf", tmp_path / "full.pdf"
    common = ["--db", str(database), "export", DEMO_NAME, "--as", DEMO_CHAIR, "--pdf"]
    assert run([*common, str(plain)]) == 0
    assert run([*common, str(full), "--appendix"]) == 0
    assert not any("Appendix B" in page for page in pages_of(plain))
    appendix = " ".join(page for page in pages_of(full) if "Justifications:" in page)
    assert "Justifications:" in appendix and len(pages_of(full)) > len(pages_of(plain))
