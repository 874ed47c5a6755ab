"""The committee part of the reports, from a hand-built evaluation: declarations with their
dates (earlier ones kept), submissions, excuses, abstentions and the process record, in the
report data, the PDF a reader sees and the workbook.

The evaluation is the report sample (tests/report_fixtures.py, all names fictitious) with the
committee process added:
- Dr. Élodie Brandt declared no conflict (09:00) and submitted (day 2, 16:00).
- Sam Ortiz declared no conflict (09:00), then a conflict with Northwind (day 2, 11:30); his
  Northwind score (4) leaves the aggregate, so Northwind's tiers value is Brandt's 5.
- Kim Vale (nurse informaticist) abstained on Zephyr's tiers (Brandt's Zephyr score is
  removed), so Zephyr's tiers has no value but counts as reviewed; the chair excused her.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from evaluator.domain import Declaration, Evaluator, Score, Status
from evaluator.scoring import score_evaluation
from evaluator.services import AuditEntry
from evaluator.services.committee import MemberHistory, PastDeclaration
from reports.branding import Branding
from reports.data import build_report
from reports.pdf import render_pdf
from reports.xlsx import render_xlsx
from tests.report_fixtures import NORTHWIND, ZEPHYR, sample_audit, sample_data
from tests.test_report_pdf import pdf_text

DAY1 = datetime(2025, 3, 1, 9, 0)
REDECLARED = datetime(2025, 3, 2, 11, 30)
SUBMITTED = {1: datetime(2025, 3, 2, 16, 0), 2: datetime(2025, 3, 2, 17, 15)}
WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
ALL = (1, 2, 3, 4)
KIM = "Kim Vale"
SAM_NOTE = "Worked for Northwind until 2019."


def committee_data(status: Status = Status.FINAL):
    data = sample_data(status)
    members = [
        dataclasses.replace(
            data.evaluators[0], declaration=Declaration((), ALL, "", DAY1), submitted=True
        ),
        dataclasses.replace(
            data.evaluators[1],
            declaration=Declaration((1,), ALL, SAM_NOTE, REDECLARED),
            submitted=True,
        ),
        Evaluator(
            3, KIM, "Nurse informaticist", declaration=Declaration((), ALL, "", DAY1),
            excused="On leave until May",
        ),
    ]  # fmt: skip
    scores = [s for s in data.scores if (s.evaluator_id, s.candidate_id) != (1, 3)]
    scores.append(Score(3, 3, "support.tiers", 0, "Missed their demo", abstained=True))
    return dataclasses.replace(data, evaluators=members, scores=scores)


def history() -> dict[int, MemberHistory]:
    return {
        1: MemberHistory((PastDeclaration(DAY1),), SUBMITTED[1]),
        2: MemberHistory(
            (PastDeclaration(DAY1), PastDeclaration(REDECLARED, (NORTHWIND,), SAM_NOTE)),
            SUBMITTED[2],
        ),
        3: MemberHistory((PastDeclaration(DAY1),), None),
    }


def process_audit() -> list[AuditEntry]:
    at = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

    def entry(hours: float, actor: str, action: str, old: str, new: str, why: str = "",
              target: str = "Riverside"):  # fmt: skip
        return AuditEntry(at + timedelta(hours=hours), actor, action, target, old, new, why,
                          "cora@laptop-7")  # fmt: skip

    return [
        *sample_audit(),
        entry(0, "setup", "name chair", "", "Cora Chair"),
        entry(1, "Cora Chair", "change status", "draft", "scoring"),
        entry(2, "Sam Ortiz", "set score", "", "4", "not a process step"),
        entry(30, "Cora Chair", "view live results", "", "", "Progress check for the board"),
        entry(
            31, "Cora Chair", "excuse member", "", "On leave until May", "On leave until May", KIM
        ),
        entry(32, "Cora Chair", "change status", "scoring", "consensus"),
        entry(50, "Cora Chair", "change status", "consensus", "final", "Board deadline"),
        entry(60, "Cora Chair", "reopen evaluation", "final", "consensus", "Protest upheld"),
        entry(70, "Cora Chair", "change status", "consensus", "final", "Protest answered"),
    ]


def committee_report(status: Status = Status.FINAL):
    data = committee_data(status)
    results = score_evaluation(data)
    report = build_report(
        data, results, process_audit(), Branding(), "9.9.9", WHEN, history=history()
    )
    return dataclasses.replace(report, chair="Cora Chair"), results


def test_members_carry_every_declaration_with_its_date_and_their_submission():
    report, _ = committee_report()
    brandt, sam, kim = report.committee
    assert [(d.at, d.text, d.current) for d in sam.declarations] == [
        (DAY1, "No conflict", False),
        (REDECLARED, f"Conflict with {NORTHWIND}: {SAM_NOTE}", True),
    ]
    assert [(d.at, d.text, d.current) for d in brandt.declarations] == [(DAY1, "No conflict", True)]
    # Sam's Northwind score no longer counts (declared conflict): 3 scores, 2 count
    assert [(m.scores_given, m.abstentions) for m in (brandt, sam, kim)] == [(3, 0), (2, 0), (0, 1)]
    assert [(m.submitted, m.submitted_at) for m in (brandt, sam, kim)] == [
        (True, SUBMITTED[1]),
        (True, SUBMITTED[2]),
        (False, None),
    ]
    assert (kim.excused, brandt.excused) == ("On leave until May", "")


def test_without_a_history_the_latest_declaration_stands_alone():
    data = committee_data()
    report = build_report(data, score_evaluation(data), [], Branding(), "9.9.9", WHEN)
    sam = report.committee[1]
    assert [(d.at, d.text) for d in sam.declarations] == [
        (REDECLARED, f"Conflict with {NORTHWIND}: {SAM_NOTE}")
    ]
    assert sam.submitted and sam.submitted_at is None


def test_abstentions_read_abstain_are_not_counted_and_count_as_reviewed():
    report, results = committee_report()
    zephyr = next(s for s in report.candidates if s.row.name == ZEPHYR)
    (kim,) = [j for j in zephyr.justifications if j.evaluator_name == KIM]
    assert kim.abstained and kim.text == "Missed their demo"
    lines = {(s.candidate_name, s.evaluator_name): s for s in report.scores}
    assert lines[(ZEPHYR, KIM)].abstained and lines[(ZEPHYR, KIM)].counted_label == "No: abstained"
    sam_northwind = lines[(NORTHWIND, "Sam Ortiz")]
    assert sam_northwind.counted_label == "No: declared a conflict"
    assert lines[(NORTHWIND, "Dr. Élodie Brandt")].counted_label == "Yes"
    # Zephyr: tiers has no value (only an abstention) but was reviewed; response unanswered.
    # Total = fee only: 100 * 0.25 * 5/6; completeness = tiers 0.5 + fee 0.25
    row = next(r for r in report.ranking if r.name == ZEPHYR)
    assert row.total == pytest.approx(100 * 0.25 * 5 / 6)
    assert row.completeness == pytest.approx(0.75)
    missing = {m.key: m.reason for m in zephyr.missing}
    assert missing == {
        "support.tiers": "every member abstained",
        "support.response": "not answered",
    }
    # Northwind: Brandt's 5 alone (Sam conflicted): 0.5*1 + 0.25*1 + 0.25*1 = 100
    assert next(r for r in report.ranking if r.name == NORTHWIND).total == pytest.approx(100.0)
    assert results.for_candidate(1).leaf_values["support.tiers"].value == 5


def test_process_record_keeps_the_steps_with_who_when_and_why():
    report, _ = committee_report()
    steps = [(e.kind, e.actor, e.what, e.why) for e in report.process]
    assert steps == [
        ("chair", "setup", "Named the chair: Cora Chair", ""),
        ("phase", "Cora Chair", "Moved the evaluation from draft to scoring", ""),
        ("live view", "Cora Chair", "Looked at live results during blind scoring",
         "Progress check for the board"),
        ("excuse", "Cora Chair", f"Excused {KIM} from submitting", "On leave until May"),
        ("phase", "Cora Chair", "Moved the evaluation from scoring to consensus", ""),
        ("finalise", "Cora Chair", "Finalised (from consensus to final)", "Board deadline"),
        ("reopen", "Cora Chair", "Reopened the final evaluation (back to consensus)",
         "Protest upheld"),
        ("finalise", "Cora Chair", "Finalised (from consensus to final)", "Protest answered"),
    ]  # fmt: skip
    live = report.process[2]
    assert live.at == datetime(2025, 3, 2, 14, 0, tzinfo=UTC) and live.context == "cora@laptop-7"


def test_open_items_of_a_final_evaluation_are_those_it_was_finalised_with():
    report, _ = committee_report(Status.FINAL)
    # Zephyr: response unanswered (75%), BAA gate unanswered; Acme's disagreement is settled;
    # Fails is disqualified (never "incomplete"); Kim is excused, the others submitted
    assert report.open_when_final == (
        f"{ZEPHYR} is 75% complete",
        f"{ZEPHYR}: gate “Signs the business associate agreement” has no decision",
    )
    assert committee_report(Status.CONSENSUS)[0].open_when_final == ()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("committee")
    report, _ = committee_report()
    render_pdf(report, folder / "r.pdf", appendix=True)  # with the members' justifications
    render_xlsx(report, folder / "r.xlsx")
    return folder / "r.pdf", folder / "r.xlsx"


def test_the_pdf_shows_declarations_abstentions_live_views_and_the_finalise_reason(rendered):
    pages = pdf_text(rendered[0])
    committee = next(p for p in pages if "4 Committee and consensus" in p and "Member" in p)
    assert "2025-03-01 09:00 No conflict (earlier)" in committee
    assert f"2025-03-02 11:30 Conflict with {NORTHWIND}: {SAM_NOTE}" in committee
    assert "2025-03-02 16:00" in committee and "2025-03-02 17:15" in committee
    assert "Excused: On leave until May" in committee and "1 abstained" in committee
    assert "The chair is Cora Chair." in committee
    record = " ".join(pages[pages.index(committee) :])
    assert "2025-03-02 14:00 Cora Chair cora@laptop-7 Looked at live results during blind " \
        "scoring Progress check for the board" in record  # fmt: skip
    assert "Finalised (from consensus to final) Board deadline" in record
    assert "Reopened the final evaluation (back to consensus) Protest upheld" in record
    assert f"• {ZEPHYR} is 75% complete" in record
    profile = " ".join(p for p in pages if "Justifications:" in p)  # appendix B
    assert f"{KIM} Nurse informaticist abstain Missed their demo" in profile
    assert f"{KIM} Nurse informaticist 0 / 5" not in profile


def test_the_workbook_lists_members_declarations_and_the_process(rendered):
    book = openpyxl.load_workbook(rendered[1])
    rows = {
        name: [r for r in book[name].iter_rows(min_row=5, values_only=True)]
        for name in ("Committee", "Declarations", "Process", "Scores")
    }
    sam = next(r for r in rows["Committee"] if r[0] == "Sam Ortiz")
    assert sam[2:] == (f"Conflict with {NORTHWIND}: {SAM_NOTE}", REDECLARED, 2, 2, 0,
                       SUBMITTED[2], None)  # fmt: skip
    kim = next(r for r in rows["Committee"] if r[0] == KIM)
    assert (kim[6], kim[7], kim[8]) == (1, None, "On leave until May")
    assert [(r[0], r[1], r[3]) for r in rows["Declarations"] if r[0] == "Sam Ortiz"] == [
        ("Sam Ortiz", DAY1, "No"),
        ("Sam Ortiz", REDECLARED, "Yes"),
    ]
    live = next(r for r in rows["Process"] if r[2].startswith("Looked at live results"))
    assert live == (datetime(2025, 3, 2, 14, 0), "Cora Chair",
                    "Looked at live results during blind scoring",
                    "Progress check for the board", "cora@laptop-7")  # fmt: skip
    assert f"Open when finalised: {ZEPHYR} is 75% complete" in [r[2] for r in rows["Process"]]
    abstained = next(r for r in rows["Scores"] if r[4] == KIM)
    assert (abstained[6], abstained[7], abstained[8]) == ("abstain", "Missed their demo",
                                                          "No: abstained")  # fmt: skip
    committee = book["Committee"]
    sam_row = next(
        r for r in range(5, committee.max_row + 1) if committee.cell(r, 1).value == "Sam Ortiz"
    )
    # the 70-character declaration wraps in its 48-wide column: the row is two lines tall and
    # its other cells line up at the top (nothing cut off or drawn over the next row)
    assert committee.row_dimensions[sam_row].height >= 30
    assert committee.cell(sam_row, 1).alignment.vertical == "top"
    assert committee.row_dimensions[sam_row - 1].height is None  # one line: left alone
    for name in ("Committee", "Declarations", "Process"):
        ws = book[name]
        widths = [ws.column_dimensions[c].width for c in "ABCD"]
        assert all(w and w >= 10 for w in widths), (name, widths)  # every column sized
        assert ws.tables and ws.freeze_panes == "A5"
