"""The committee-agreement part of the reports: its numbers and sentences by hand (the cases of
tests/test_agreement.py), the PDF section a reader sees, and the workbook's Agreement sheet
reopened (user text always text). The blind rule for exports is in tests/test_blind_exports.py.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import openpyxl
import pytest

from evaluator.domain import Evaluator
from evaluator.scoring import score_evaluation
from reports.agreement_data import build_agreement
from reports.branding import Branding
from reports.data import build_report
from reports.pdf import render_pdf
from reports.xlsx import render_xlsx
from tests.agreement_fixtures import committee, leniency_case
from tests.test_report_pdf import pdf_text

WHEN = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://example.invalid","Prize")'
# leniency_case, each member's own totals (q1 and q2 weigh half each, 0-5 scale):
# A: vendor 1 (4, 5) 90, vendor 2 (3, 2) 50 -> ranks 1, 2; B: (2, 3) 50, (3, -) 30 -> 1, 2;
# C: (3, abstains) 30, (3, -) 30 -> 1.5, 1.5. Rank sums 3.5, 5.5 (mean 4.5): S = 2; C ties two
# candidates: T = 6. W = 12 x 2 / (9 x (8 - 2) - 3 x 6) = 24 / 36
W_BY_HAND = 24 / 36


def report_for(data):  # type: ignore[no-untyped-def]
    return build_report(
        data, score_evaluation(data), [], Branding(), "9.9.9", WHEN, agreement=build_agreement(data)
    )


def test_section_numbers_and_sentences_by_hand() -> None:
    section = build_agreement(leniency_case())
    assert section is not None
    assert section.w == pytest.approx(W_BY_HAND) and section.w_words == "moderate"
    a, b, c = section.members
    assert (a.name, a.leniency, a.cells) == ("A", pytest.approx(3.5 / 3), 3)
    assert a.apart_text == "Leaf q2 (+2.0), Leaf q1 (+0.8)"  # 0.75 shown to one decimal
    assert (b.leniency, b.apart_text) == (pytest.approx(-3.5 / 3), "Leaf q2 (-2.0), Leaf q1 (-0.8)")
    assert (c.leniency, c.apart_text) == (0, "")
    q1, _ = section.spreads
    assert (q1.name, q1.cells, q1.flagged) == ("Leaf q1", 2, 1)
    assert q1.mean_sd == pytest.approx(math.sqrt(2 / 3) / 2)  # (4, 2, 3) and (3, 3, 3)
    assert [s.name for s in section.widest] == ["Leaf q2", "Leaf q1"]  # mean SD 1 > 0.41
    assert section.threshold == 2
    assert section.summary.startswith(
        "Kendall's W = 0.67 over 3 members' rankings of 2 candidates: moderate agreement "
    )
    assert (
        "A scores the most generously (+1.17 points against the others on the same cells), "
        "B the most strictly (-1.17). 2 of the 3 cells scored by two members or more spread by "
        "2 points or more."
    ) in section.summary
    assert [line.name for line in section.ranking] == ["Example Vendor 1", "Example Vendor 2"]
    assert build_agreement(committee({(1, 1, "q1"): 4}, members=1)) is None  # nobody to agree


def test_the_normalised_ranking_is_worded_as_not_applied() -> None:
    # two members, hand-worked in tests/test_agreement.py: raw 50 and 40, normalised 45 and 45
    values = {(1, 1, "q"): 5, (1, 2, "q"): 3, (2, 1, "q"): 0, (2, 2, "q"): 1}
    tie = build_agreement(committee(values, keys=("q",), members=2))
    assert tie is not None
    assert [(r.rank, r.total, r.normalised_rank, r.moved) for r in tie.ranking] == [
        (1, 50.0, 1, False), (2, 40.0, 1, True),
    ]  # fmt: skip
    assert tie.ranking_sentence == (
        "On each member's normalised scores Example Vendor 1 would share first place with "
        "Example Vendor 2 (1 of 2 candidates would change rank; not applied)."
    )
    # A (generous) 5, 4, 3 and B (strict) 0, 2, 1 have the same spread: z = (+1.22, 0, -1.22)
    # and (-1.22, +1.22, 0). Raw means 2.5, 3, 2; normalised 2.5, 2.5 + 1.05, 2.5 - 1.05
    values = {(1, 1, "q"): 5, (1, 2, "q"): 4, (1, 3, "q"): 3,
              (2, 1, "q"): 0, (2, 2, "q"): 2, (2, 3, "q"): 1}  # fmt: skip
    still = build_agreement(committee(values, keys=("q",), candidates=3, members=2))
    assert still is not None
    assert [r.normalised_total for r in still.ranking] == pytest.approx(
        [20 * (2.5 + math.sqrt(1.5) / 2 * math.sqrt(17.5 / 6)), 50.0,
         20 * (2.5 - math.sqrt(1.5) / 2 * math.sqrt(17.5 / 6))]
    )  # fmt: skip
    assert still.ranking_sentence == (
        "On each member's normalised scores Example Vendor 2 would still rank first (0 of 3 "
        "candidates would change rank; not applied)."
    )


def test_the_pdf_section_a_reader_sees(tmp_path) -> None:
    render_pdf(report_for(leniency_case()), tmp_path / "r.pdf")
    pages = pdf_text(tmp_path / "r.pdf")
    assert "6 Committee agreement" in pages[0]  # in the contents on the cover
    text = " ".join(pages[1:])
    start = text.index("6 Committee agreement")
    section = text[start : text.index("Appendix A Methodology", start)]
    assert "Kendall's W = 0.67 over 3 members' rankings of 2 candidates: moderate agreement" in (
        section
    )
    assert "Members: leniency and where they stand apart" in section
    assert "A +1.17 3 Leaf q2 (+2.0), Leaf q1 (+0.8)" in section
    assert "B -1.17 3 Leaf q2 (-2.0), Leaf q1 (-0.8)" in section
    assert "Leaf q2 1 1.00 2.00 2 1" in section  # the widest spread first
    assert "Ranking on normalised scores (not applied)" in section
    assert "Shown only, not applied: the ranking in this report is on the scores" in section


def test_a_committee_of_one_gets_a_line_not_a_section(tmp_path) -> None:
    data = committee({(1, 1, "q1"): 4}, members=1)
    render_pdf(report_for(data), tmp_path / "r.pdf")
    text = " ".join(pdf_text(tmp_path / "r.pdf"))
    assert "How the members agree is measured for a committee of two members or more." in text
    render_xlsx(report_for(data), tmp_path / "r.xlsx")
    assert "Agreement" not in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames


def test_the_workbook_sheet_reopened(tmp_path) -> None:
    data = leniency_case()
    data.evaluators[0] = Evaluator(1, HOSTILE)
    render_xlsx(report_for(data), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Agreement"]
    assert sheet["A1"].value == "Committee agreement"
    assert sheet["B3"].value == pytest.approx(W_BY_HAND)
    assert sheet["C3"].value == "moderate agreement"
    rows = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=6)}
    assert rows[HOSTILE][1:4] == [pytest.approx(3.5 / 3), 3, "Leaf q2 (+2.0), Leaf q1 (+0.8)"]
    assert rows["B"][1] == pytest.approx(-3.5 / 3) and rows["C"][1] == 0
    assert rows["Leaf q1"][1:6] == [2, pytest.approx(math.sqrt(2 / 3) / 2), 1, 2, 1]
    assert rows["Example Vendor 1"][1] == 1 and rows["Example Vendor 1"][5] == "No"
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # the hostile name is text, not a formula
    assert any(c.value.startswith("Shown only, not applied") for c in cells)
    assert "Normalised rank (not applied)" in [c.value for c in cells]
