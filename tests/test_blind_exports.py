"""Blind scoring from the shell: no member sees a colleague's score by any path (`show`, `rank`,
`export`, `scoresheet export` and `import`) until every member has submitted or been excused;
the chair sees them only by looking at live results (`--live`), which the audit records and the
report shows. Checked on what the files and the output hold, not only on exit codes.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from evaluator import services
from evaluator.db import open_database
from tests.core_fixtures import target
from tests.test_cli import cli, fail, ok
from tests.test_report_pdf import pdf_text

pytestmark = pytest.mark.usefixtures("backend")

EV, CHAIR, ANN, BEN, CY = "Harbor RFP", "Cora Chair", "Ann Example", "Ben Sample", "Cy Later"
ZEPHYR, ORBIS = "Zephyr Care IT", "Orbis Support"
LEAF, OTHER = "tiers.l4-engineering", "tiers.l1-help-desk"
ANN_WHY = "ANN-ONLY named engineers on call"  # what Ben must never see while scoring is blind
BEN_WHY = "BEN-ONLY weak references"


def score(member: str, candidate: str, leaf: str, value: str, why: str) -> list[str]:
    return ["score", EV, "--as", member, "--evaluator", member, "--candidate", candidate,
            "--criterion", leaf, value, "--why", why]  # fmt: skip


def blind_committee(tmp_path: Path) -> Path:
    """Ann and Ben have scored (Ann also abstained once); Cy has not scored; nobody submitted."""
    db = tmp_path / "p.db"
    ok(db, "new", EV, "--catalog", "ehr-direct", "--client", "Harbor Health (fictitious)")
    for name in (ZEPHYR, ORBIS):
        ok(db, "candidate", "add", EV, name)
    for name in (ANN, BEN, CY):
        ok(db, "evaluator", "add", EV, name, "--role", "CMO")
    ok(db, "chair", EV, CHAIR)
    ok(db, "status", EV, "scoring", "--as", CHAIR)
    ok(db, "declare", EV, "--as", ANN, "--none")
    ok(db, "declare", EV, "--as", BEN, "--none")
    ok(db, "declare", EV, "--as", CY, "--conflict", ORBIS, "--note", "Advised Orbis in 2024")
    ok(db, *score(ANN, ZEPHYR, LEAF, "5", ANN_WHY))
    ok(db, *score(ANN, ORBIS, OTHER, "abstain", "ANN-ONLY missed their demo"))
    ok(db, *score(BEN, ZEPHYR, LEAF, "1", BEN_WHY))
    return db


def workbook_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(
        str(cell) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
        for cell in row if cell is not None
    )  # fmt: skip


def audit_actions(db: Path) -> list[tuple[str, str, str]]:
    database = open_database(target(db))
    try:
        return [(e.actor, e.action, e.why) for e in services.audit_trail(database, EV)]
    finally:
        database.close()


def test_a_member_sees_no_colleagues_score_by_any_path(tmp_path):
    db = blind_committee(tmp_path)
    shown = ok(db, "show", EV, "--as", BEN)
    assert "1 scores" in shown and "ANN-ONLY" not in shown  # Ben's own score only

    code, out, err = cli(db, "rank", EV, "--as", BEN)
    assert code == 2 and out == "" and "opens when every committee member has submitted" in err
    assert ZEPHYR not in out

    pdf, xlsx = tmp_path / "ben.pdf", tmp_path / "ben.xlsx"
    err = fail(db, "export", EV, "--pdf", str(pdf), "--xlsx", str(xlsx), "--as", BEN)
    assert "the committee's report opens when every committee member has submitted" in err
    assert "waiting for Ann Example, Ben Sample, Cy Later" in err and "--live" not in err
    assert not pdf.exists() and not xlsx.exists()
    err = fail(db, "export", EV, "--pdf", str(pdf), "--as", BEN, "--live")  # not the chair's
    assert "opens when every committee member has submitted" in err and not pdf.exists()

    anns = tmp_path / "ann-by-ben.xlsx"
    err = fail(db, "scoresheet", "export", EV, "--evaluator", ANN, "-o", str(anns), "--as", BEN)
    assert "Ben Sample can have their own scoresheet only" in err and not anns.exists()

    own = tmp_path / "ben-own.xlsx"
    assert "1 already scored" in ok(
        db, "scoresheet", "export", EV, "--evaluator", BEN, "-o", str(own), "--as", BEN
    )
    text = workbook_text(own)
    assert BEN_WHY in text and "ANN-ONLY" not in text

    # Ann's own sheet, read in by Ben: refused before the preview shows what is on record
    ann_sheet = tmp_path / "ann-own.xlsx"
    ok(db, "scoresheet", "export", EV, "--evaluator", ANN, "-o", str(ann_sheet), "--as", ANN)
    code, out, err = cli(db, "scoresheet", "import", EV, str(ann_sheet), "--as", BEN)
    assert code == 2 and out == "" and "Ben Sample can import their own scoresheet only" in err
    assert not any(a == "view live results" for _, a, _ in audit_actions(db))


def test_nobody_unnamed_sees_the_scores_once_a_chair_is_named(tmp_path):
    db = blind_committee(tmp_path)
    pdf = tmp_path / "anon.pdf"
    assert "say who you are" in fail(db, "export", EV, "--pdf", str(pdf))
    assert "say who you are" in fail(db, "rank", EV, "--json")
    sheet = tmp_path / "anon.xlsx"
    assert "say who you are" in fail(db, "scoresheet", "export", EV, "--evaluator", ANN,
                                     "-o", str(sheet))  # fmt: skip
    assert not pdf.exists() and not sheet.exists()


def test_the_chair_looks_at_live_results_only_on_the_record(tmp_path):
    db = blind_committee(tmp_path)
    pdf, xlsx = tmp_path / "live.pdf", tmp_path / "live.xlsx"
    err = fail(db, "export", EV, "--pdf", str(pdf), "--as", CHAIR)
    assert "the chair may look at live results" in err and "(add --live to look now)" in err
    assert not pdf.exists()
    sheet = tmp_path / "ann-by-chair.xlsx"
    err = fail(db, "scoresheet", "export", EV, "--evaluator", ANN, "-o", str(sheet), "--as", CHAIR)
    assert "Ann Example already has 2 scores on record" in err and not sheet.exists()
    assert not any(a == "view live results" for _, a, _ in audit_actions(db))

    # a member's sheet with nothing on it yet goes out without a look (the chair sends it);
    # Cy declared a conflict with Orbis: Orbis is not on Cy's sheet
    blank = tmp_path / "cy.xlsx"
    ok(db, "scoresheet", "export", EV, "--evaluator", CY, "-o", str(blank), "--as", CHAIR)
    rows = openpyxl.load_workbook(blank)["Scores"].iter_rows(min_row=5, values_only=True)
    assert {r[0] for r in rows if r[0]} == {ZEPHYR}

    ok(db, "scoresheet", "export", EV, "--evaluator", ANN, "-o", str(sheet), "--as", CHAIR,
       "--live")  # fmt: skip
    assert ANN_WHY in workbook_text(sheet)
    ok(db, "export", EV, "--pdf", str(pdf), "--xlsx", str(xlsx), "--as", CHAIR, "--live")
    looks = [(who, why) for who, action, why in audit_actions(db) if action == "view live results"]
    assert looks == [(CHAIR, f"scoresheet export --live: {ANN}"), (CHAIR, "export --live")]
    text = " ".join(pdf_text(pdf))
    assert ANN_WHY in text and BEN_WHY in text
    assert "Looked at live results during blind scoring export --live" in text  # its own look
    assert "abstain ANN-ONLY missed their demo" in text
    assert ANN_WHY in workbook_text(xlsx)
    ranking = json.loads(ok(db, "rank", EV, "--json", "--as", CHAIR, "--live"))
    assert {r["candidate"] for r in ranking["ranking"]} == {ZEPHYR, ORBIS}


def test_once_everyone_submitted_the_report_is_everyones_and_shows_the_record(tmp_path):
    db = blind_committee(tmp_path)
    ok(db, "submit", EV, "--as", ANN)
    ok(db, "submit", EV, "--as", BEN)
    ok(db, "excuse", EV, CY, "--why", "Joined after the demos", "--as", CHAIR)
    pdf = tmp_path / "ben-after.pdf"
    ok(db, "export", EV, "--pdf", str(pdf), "--as", BEN)  # the committee is open now
    text = " ".join(pdf_text(pdf))
    assert ANN_WHY in text and BEN_WHY in text and "abstain" in text
    assert "Excused: Joined after the demos" in text
    assert "Conflict with Orbis Support: Advised Orbis in 2024" in text
    assert "Looked at live results" not in text  # nobody looked
    ok(db, "status", EV, "consensus", "--as", CHAIR)
    ok(db, "finalise", EV, "--as", CHAIR, "--why", "Board deadline: gates settled in contract")
    final = tmp_path / "final.pdf"
    ok(db, "export", EV, "--pdf", str(final))  # final: anyone may have the report
    record = " ".join(pdf_text(final))
    assert "Finalised (from consensus to final) Board deadline: gates settled in contract" in (
        record
    )
    assert "Open when it was finalised" in record and "complete" in record


def test_the_agreement_in_the_reports_follows_the_blind_rule(tmp_path):
    """The agreement shows every member's scores side by side (Ann +4.00 against Ben on their
    one shared cell tells Ben that Ann gave 5): a member gets no report while scoring is blind;
    the chair's recorded look has it, and so does everyone once the committee has submitted."""
    db = blind_committee(tmp_path)
    xlsx = tmp_path / "ben.xlsx"
    assert "opens when every committee member" in fail(db, "export", EV, "--xlsx", str(xlsx),
                                                       "--as", BEN)  # fmt: skip
    assert not xlsx.exists()

    def leniency(path: Path) -> dict[str, float | None]:
        sheet = openpyxl.load_workbook(path)["Agreement"]
        rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=6, max_col=2, values_only=True)}
        return {name: rows[name] for name in (ANN, BEN, CY)}

    live = tmp_path / "live.xlsx"
    ok(db, "export", EV, "--xlsx", str(live), "--as", CHAIR, "--live")
    assert leniency(live) == {ANN: 4.0, BEN: -4.0, CY: None}
    for member in (ANN, BEN):
        ok(db, "submit", EV, "--as", member)
    ok(db, "excuse", EV, CY, "--why", "Joined after the demos", "--as", CHAIR)
    pdf = tmp_path / "ben-after.pdf"
    ok(db, "export", EV, "--pdf", str(pdf), "--xlsx", str(xlsx), "--as", BEN)
    assert leniency(xlsx) == {ANN: 4.0, BEN: -4.0, CY: None}
    text = " ".join(pdf_text(pdf))
    assert "6 Committee agreement" in text and "Ann Example scores the most generously" in text
