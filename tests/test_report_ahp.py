"""Pairwise weighting in the report's methodology: each compared set with who compared what,
each member's CR, the committee's weights and consistency (named random index), and whether the
raw weights are those weights; absent when nobody compared anything."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest

from evaluator.domain import Judgment
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.pdf import render_pdf
from tests.report_fixtures import sample_audit, sample_data

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def judged():
    data = sample_data()
    # top level: support 3 x as important as cost (both members); the gates category takes no
    # share and is not compared. Under support: tiers over response, by Sam only.
    judgments = [
        Judgment.ordered(1, None, "support", "cost", 3),
        Judgment.ordered(2, None, "cost", "support", 1 / 3),
        Judgment.ordered(2, "support", "support.tiers", "support.response", 5),
    ]
    return dataclasses.replace(data, judgments=judgments)


def report_for(data):
    return build_report(data, score_evaluation(data), sample_audit(), Branding(), "9.9.9", WHEN)


def test_report_data_lists_each_compared_set():
    top, support = report_for(judged()).ahp
    assert top.label == "the top level" and support.label == "Support model"
    assert [(m.name, m.given, m.consistency_ratio) for m in top.members] == [
        ("Dr. Élodie Brandt", 1, 0.0), ("Sam Ortiz", 1, 0.0),
    ]  # fmt: skip
    assert [(w.name, w.weight, w.raw_weight) for w in top.weights] == [
        ("Support model", pytest.approx(0.75), 3), ("Cost", pytest.approx(0.25), 1),
    ]  # fmt: skip
    assert top.applied  # raw 3 : 1 is the committee's 3 : 1
    assert [m.name for m in support.members] == ["Sam Ortiz"]
    assert support.weights[0].weight == pytest.approx(5 / 6) and not support.applied
    assert report_for(sample_data()).ahp == ()


def test_pdf_methodology_explains_the_weights(tmp_path: Path):
    path = tmp_path / "report.pdf"
    render_pdf(report_for(judged()), path)
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(str(path)).pages]
    method = " ".join(p for p in pages if "Weights from pairwise comparisons (AHP)" in p)
    assert "geometric mean" in method and "Harker's method" in method
    assert "Saaty (1980)'s random-index table" in method
    assert "Compared by Dr. Élodie Brandt (1 of 1 pairs, CR 0.000); Sam Ortiz" in method
    assert "The raw weights are these weights." in method
    assert "The raw weights are not these weights." in method  # support: 2 : 1 raw, 5 : 1 AHP
    plain = tmp_path / "plain.pdf"
    render_pdf(report_for(sample_data()), plain)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(str(plain)).pages)
    assert "pairwise comparisons" not in text
