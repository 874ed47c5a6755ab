"""Gates and missing data in the reports: the same symbols, words and colours as the window, and
criteria without a value listed apart, never as a candidate's weakness.

The sample (tests/report_fixtures.py): Northwind and Acme answered "yes" to the BAA gate
(passed), Fails Gate Services "no" (failed: disqualified), Zephyr not at all (pending:
provisional). Zephyr has not answered the severity-1 response time either: 25 points without a
value, which used to head its weaknesses. A variant adds the committee's decision to fail Acme
on the gate, so that a gate decision appears in the decision tables.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pypdf
import pytest

from evaluator.domain import ConsensusScore, GateState, ValueSource
from evaluator.gates import GATE_LOOKS, candidate_status, gate_look
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.pdf import render_pdf
from reports.pdf.fonts import FontSet, report_fonts
from reports.pdf.styles import make_theme
from reports.xlsx import render_xlsx
from tests.report_fixtures import ACME, FAILS, NORTHWIND, ZEPHYR, sample_audit, sample_data

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
GATE_NAME = "Signs the business associate agreement"
RESPONSE = "Severity-1 response time"


def acme_fails_by_decision():
    data = sample_data()
    decision = ConsensusScore(2, "gates.baa", 0, "Withdrew its signature")
    return dataclasses.replace(data, consensus=[*data.consensus, decision])


def report_of(data):
    return build_report(data, score_evaluation(data), sample_audit(), Branding(), "9.9.9", WHEN)


def section(report, name):
    return next(s for s in report.candidates if s.row.name == name)


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(path)).pages]


@pytest.fixture(scope="module")
def decided_pdf(tmp_path_factory) -> list[str]:
    path = tmp_path_factory.mktemp("gates") / "report.pdf"
    render_pdf(report_of(acme_fails_by_decision()), path)
    return pdf_pages(path)


def test_statuses_read_as_sentences():
    assert candidate_status(["Signs a HIPAA BAA"], []) == (
        GateState.FAILED,
        "Disqualified: failed the gate “Signs a HIPAA BAA”",
    )
    assert candidate_status(["A", "B", "C"], ["D"])[1] == (
        "Disqualified: failed the gates “A”, “B” and “C”"
    )
    assert candidate_status([], ["A", "B"]) == (
        GateState.PENDING,
        "Provisional: the gates “A” and “B” are not decided yet",
    )
    assert candidate_status([], []) == (None, "Ranked")


def test_report_rows_and_decisions_carry_the_gate_state():
    report = report_of(acme_fails_by_decision())
    rows = {row.name: row for row in report.ranking}
    assert rows[FAILS].gate_state is GateState.FAILED
    assert rows[FAILS].status_sentence == f"Disqualified: failed the gate “{GATE_NAME}”"
    assert rows[ZEPHYR].gate_state is GateState.PENDING
    assert rows[ZEPHYR].status_sentence == (
        f"Provisional: the gate “{GATE_NAME}” is not decided yet"
    )
    assert rows[NORTHWIND].gate_state is None and rows[NORTHWIND].status_sentence == "Ranked"
    gate_decision = next(d for d in report.decisions if d.criterion_key == "gates.baa")
    assert (gate_decision.gate_state, gate_decision.value_label) == (GateState.FAILED, "Failed")
    value_decision = next(d for d in report.decisions if d.criterion_key == "support.tiers")
    assert value_decision.gate_state is None


def test_missing_values_are_listed_apart_never_as_weaknesses():
    data = sample_data()
    results = score_evaluation(data)
    report = report_of(data)
    for part in report.candidates:
        result = results.for_candidate(part.row.candidate_id)
        missing = {
            key
            for key, weight in results.effective_weights.items()
            if weight > 0 and result.leaf_values[key].source is ValueSource.MISSING
        }
        listed = part.strengths + part.weaknesses
        assert all(c.value is not None for c in listed), part.row.name
        assert {m.key for m in part.missing} == missing, part.row.name
    zephyr = section(report, ZEPHYR)
    assert [(m.name, m.reason, m.max_points) for m in zephyr.missing] == [
        (RESPONSE, "not answered", 25.0)
    ]
    # nothing answered about its response time says nothing about Zephyr's Support model
    assert "weakest" not in "".join(span.text for span in zephyr.overview)


def test_a_criterion_nobody_scored_yet_is_not_scored_yet():
    data = sample_data()
    data = dataclasses.replace(data, scores=[s for s in data.scores if s.candidate_id != 3])
    zephyr = section(report_of(data), ZEPHYR)
    assert [(m.key, m.reason) for m in zephyr.missing] == [
        ("support.tiers", "not scored yet"),
        ("support.response", "not answered"),
    ]
    assert zephyr.weaknesses == () and zephyr.strengths[0].key == "cost.fee"


def test_pdf_shows_gates_with_symbol_and_word(decided_pdf):
    text = " ".join(decided_pdf)
    summary = next(page for page in decided_pdf[1:] if "1 Executive summary" in page)
    assert f"✗ Disqualified: failed the gate “{GATE_NAME}”" in summary
    assert "? Provisional: the gate" in summary
    assert "failed Signs" not in text  # the old fragment, never a sentence
    assert f"✓ Passed: {GATE_NAME}." in text  # Northwind's profile names its passed gates
    assert f"{GATE_NAME} ? Pending No answer or decision yet" in text  # Zephyr's
    assert f"{GATE_NAME} ✗ Failed Committee decision: Withdrew its signature" in text  # Acme's
    assert "✗ Failed Withdrew its signature" in text  # the consensus decisions list it so too
    assert f"{FAILS} is disqualified: it failed the gate “{GATE_NAME}”." in text


def test_pdf_lists_what_is_not_answered_apart_from_weaknesses(decided_pdf):
    profile = next(
        page
        for page in decided_pdf
        if "Strengths and weaknesses" in page and ("Not answered or not scored yet" in page)
    )
    weaknesses = profile.split("Weaknesses", 1)[1].split("Not answered or not scored yet")[0]
    assert RESPONSE not in weaknesses
    apart = profile.split("Not answered or not scored yet", 1)[1]
    assert f"{RESPONSE} (not answered, 25.0 pts)" in apart


def test_pdf_falls_back_to_plain_symbols_when_the_font_lacks_them():
    fonts = report_fonts()
    bare = dataclasses.replace(fonts, coverage=frozenset(map(ord, "?√×PassedFil ")))
    assert isinstance(bare, FontSet)
    theme = dataclasses.replace(make_theme(Branding()), fonts=bare)
    assert theme.gate_label(GateState.PASSED) == "√ Passed"
    assert theme.gate_label(GateState.FAILED) == "× Failed"
    assert theme.gate_label(GateState.PENDING) == "? Pending"
    full = make_theme(Branding())
    assert ord("✓") in fonts.coverage  # the DejaVu Sans shipped with the package has it
    assert full.gate_label(GateState.PASSED) == "✓ Passed"


def test_workbook_marks_gates_with_symbol_word_and_colour(tmp_path):
    path = tmp_path / "report.xlsx"
    render_xlsx(report_of(acme_fails_by_decision()), path)
    book = openpyxl.load_workbook(path)
    summary = book["Summary"]
    top = next(r for r in range(1, 12) if summary.cell(r, 1).value == "Rank")
    assert summary.cell(top, 5).value == "Gates"
    rows = {summary.cell(r, 2).value: r for r in range(top + 1, top + 5)}

    def colour(cell) -> str:
        return cell.font.color.rgb[-6:]

    red = GATE_LOOKS[GateState.FAILED].colour[1:]
    amber = GATE_LOOKS[GateState.PENDING].colour[1:]
    for name in (FAILS, ACME):
        status, gates = summary.cell(rows[name], 4), summary.cell(rows[name], 5)
        assert status.value == "Disqualified" and colour(status) == red
        assert gates.value == f"✗ failed the gate “{GATE_NAME}”" and colour(gates) == red
    status, gates = summary.cell(rows[ZEPHYR], 4), summary.cell(rows[ZEPHYR], 5)
    assert (status.value, colour(status)) == ("Provisional", amber)
    assert gates.value == f"? the gate “{GATE_NAME}” is not decided yet"
    assert colour(gates) == amber
    assert summary.cell(rows[NORTHWIND], 5).value is None
    decisions = book["Consensus"]
    row = next(r for r in range(5, 10) if decisions.cell(r, 2).value == "gates.baa")
    cell = decisions.cell(row, 4)
    assert cell.value == gate_look(GateState.FAILED).labelled == "✗ Failed"
    assert colour(cell) == red
    assert decisions.cell(row, 5).value == 0


def test_the_same_undecided_gates_are_said_once_under_the_ranking(tmp_path):
    """Two candidates waiting for the very same gate: the summary's table says "? Provisional"
    in each row and the sentence once under it (a tester read it repeated on every row)."""
    data = sample_data()
    northwind = next(c.id for c in data.candidates if c.name == NORTHWIND)
    answers = [
        r
        for r in data.responses
        if not (r.candidate_id == northwind and r.criterion_key == "gates.baa")
    ]
    render_pdf(report_of(dataclasses.replace(data, responses=answers)), tmp_path / "r.pdf")
    summary = next(
        page for page in pdf_pages(tmp_path / "r.pdf")[1:] if "1 Executive summary" in page
    )
    sentence = f"Provisional: the gate “{GATE_NAME}” is not decided yet"
    assert summary.count(sentence) == 1
    assert f"{sentence} (for every candidate marked provisional)." in summary
    assert summary.count("? Provisional") == 2
