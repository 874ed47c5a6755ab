"""Evaluator scoresheets: export, import with validation, conflicts decided by the chair."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator import services
from evaluator.db import Database
from evaluator.questionnaire.fingerprint import META_SHEET, text_digest
from evaluator.questionnaire.problems import ImportRefused
from evaluator.questionnaire.template import write_questionnaire_template
from evaluator.scoresheet.apply import apply_scoresheet
from evaluator.scoresheet.export import write_scoresheet
from evaluator.scoresheet.merge import Resolution, ScoreChangeKind, preview_scoresheet
from evaluator.services import ServiceError, audit_trail, load_evaluation
from tests.excel_fixtures import BLUEFIN, CANDIDATES, KESTREL, NORTHWIND, dump_tables, lakeside_db

ROSA, IVO = "Rosa Ferreira", "Ivo Brandt"
RATED = [
    "support.analysts",
    "support.engineers",
    "support.description",
    "offshore.l3-share",
    "plan.go-live",
]


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Database, int, Path]:
    """Rosa has two scores on record; her scoresheet is exported."""
    db, ev = lakeside_db(tmp_path)
    services.set_score(db, ev, ROSA, NORTHWIND, "support.analysts", 4, "Six named analysts.")
    services.set_score(db, ev, ROSA, BLUEFIN, "support.analysts", 2, "Pool, not named.")
    services.set_score(db, ev, IVO, NORTHWIND, "support.analysts", 5, "Ivo's own view.")
    path = tmp_path / "rosa.xlsx"
    summary = write_scoresheet(db, ev, ROSA, path)
    assert (summary.rows, summary.filled, summary.evaluator) == (15, 2, ROSA)
    return db, ev, path


def row_of(sheet, candidate: str, key: str) -> int:  # type: ignore[no-untyped-def]
    for row in range(5, 5 + 200):
        if sheet.cell(row, 1).value == candidate and sheet.cell(row, 2).value == key:
            return row
    raise KeyError((candidate, key))


def fill(source: Path, target: Path, cells: dict[tuple[str, str], tuple[object, object]]) -> Path:
    workbook = load_workbook(source)
    sheet = workbook["Scores"]
    for (candidate, key), (score, why) in cells.items():
        row = row_of(sheet, candidate, key)
        sheet.cell(row, 6).value, sheet.cell(row, 7).value = score, why
    workbook.save(target)
    return target


def scores_of(db: Database, ev: int, member: str) -> dict[tuple[str, str], tuple[float, str]]:
    data = load_evaluation(db, ev)
    names = {c.id: c.name for c in data.candidates}
    member_id = next(e.id for e in data.evaluators if e.name == member)
    return {
        (names[s.candidate_id], s.criterion_key): (s.value, s.justification)
        for s in data.scores
        if s.evaluator_id == member_id
    }


def test_export_rows_rubric_dropdown_existing_scores_and_metadata(
    exported: tuple[Database, int, Path],
) -> None:
    _, _, path = exported
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Scores", META_SHEET]
    assert workbook[META_SHEET].sheet_state == "veryHidden"
    sheet = workbook["Scores"]
    assert [c.value for c in sheet[4]] == [
        "Candidate",
        "Criterion id",
        "Category",
        "Criterion",
        "What each score means",
        "Score",
        "Justification",
    ]
    cells = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(5, 20)]
    assert cells == [(c, k) for c in CANDIDATES for k in RATED]
    assert sheet.cell(20, 1).value is None
    assert (sheet["F5"].value, sheet["G5"].value) == (4, "Six named analysts.")
    assert (sheet["F10"].value, sheet["G10"].value) == (2, "Pool, not named.")
    assert sheet["F6"].value is None and sheet["F15"].value is None
    assert sheet["E5"].value == (
        "0 \u2013 absent\n1 \u2013 poor\n2 \u2013 weak\n3 \u2013 adequate\n4 \u2013 strong\n"
        "5 \u2013 exemplary"
    )
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.formula1) == ("list", '"0,1,2,3,4,5"')
    assert str(validation.sqref) == "F5:F19"
    assert [sheet.cell(5, c).protection.locked for c in range(1, 8)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert sheet.protection.sheet and sheet.freeze_panes == "A5"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
    meta = workbook[META_SHEET]
    fields = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, 30)}
    assert (fields["format"], fields["evaluator"], fields["item_count"]) == (
        "supportscope-scoresheet",
        ROSA,
        "15",
    )
    first = [meta.cell(31, c).value for c in range(1, 6)]
    assert first == ["1", NORTHWIND, "support.analysts", "4", text_digest("Six named analysts.")]
    second = [meta.cell(32, c).value for c in range(1, 6)]
    assert second[3:] == [None, None] or second[3:] == ["", ""]


def test_three_way_merge_and_conflicts_decided_by_the_chair(
    exported: tuple[Database, int, Path], tmp_path: Path
) -> None:
    db, ev, path = exported
    # Meanwhile, in the database: Rosa's Bluefin score is revised, a new one is entered.
    services.set_score(db, ev, ROSA, BLUEFIN, "support.analysts", 3, "Revised after call.")
    services.set_score(db, ev, ROSA, KESTREL, "support.analysts", 1, "Entered at the office.")
    filled = fill(
        path,
        tmp_path / "rosa-filled.xlsx",
        {
            (NORTHWIND, "support.analysts"): (5, "Six named analysts, met them."),  # changed
            (NORTHWIND, "support.engineers"): (3, "Two per shift."),  # new
            (BLUEFIN, "support.analysts"): (1, "Pool only, no names."),  # conflict (db 3)
            (KESTREL, "support.analysts"): (1, "Entered at the office."),  # same as db already
            (KESTREL, "plan.go-live"): (2, "Late."),  # new
        },
    )
    preview = preview_scoresheet(db, ev, filled)
    kinds = {(c.candidate, c.criterion_key): c.kind for c in preview.changes}
    assert kinds == {
        (NORTHWIND, "support.analysts"): ScoreChangeKind.CHANGED,
        (NORTHWIND, "support.engineers"): ScoreChangeKind.NEW,
        (BLUEFIN, "support.analysts"): ScoreChangeKind.CONFLICT,
        (KESTREL, "support.analysts"): ScoreChangeKind.UNCHANGED,
        (KESTREL, "plan.go-live"): ScoreChangeKind.NEW,
    }
    (conflict,) = preview.conflicts
    assert (conflict.base.value, conflict.current.value, conflict.value) == (2.0, 3.0, 1.0)
    assert preview.needs_confirmation and preview.errors == []
    before = dump_tables(db)
    with pytest.raises(ServiceError, match="1 score changed in the database after"):
        apply_scoresheet(db, preview)
    assert dump_tables(db) == before

    outcome = apply_scoresheet(db, preview, resolution=Resolution.KEEP_DATABASE, actor="chair")
    assert (outcome.written, outcome.kept_database) == (3, 1)
    scores = scores_of(db, ev, ROSA)
    assert scores[(BLUEFIN, "support.analysts")] == (3.0, "Revised after call.")
    assert scores[(NORTHWIND, "support.analysts")] == (5.0, "Six named analysts, met them.")
    assert scores[(NORTHWIND, "support.engineers")] == (3.0, "Two per shift.")
    assert scores[(KESTREL, "plan.go-live")] == (2.0, "Late.")
    assert scores_of(db, ev, IVO) == {(NORTHWIND, "support.analysts"): (5.0, "Ivo's own view.")}
    trail = audit_trail(db, ev)
    digest = hashlib.sha256(filled.read_bytes()).hexdigest()
    assert trail[-1].action == "import scoresheet" and f"SHA-256 {digest}" in trail[-1].why
    assert trail[-1].target == f"{ROSA} / rosa-filled.xlsx"
    set_scores = [e for e in trail[-4:-1] if e.action == "set score"]
    assert [e.target for e in set_scores] == [
        f"{ROSA}: {NORTHWIND} / Named analysts [support.analysts]",
        f"{ROSA}: {NORTHWIND} / Engineers on call [support.engineers]",
        f"{ROSA}: {KESTREL} / Support ready date [plan.go-live]",
    ]
    assert (set_scores[0].old, set_scores[0].new) == ("4", "5")


def test_take_sheet_and_per_cell_decisions(
    exported: tuple[Database, int, Path], tmp_path: Path
) -> None:
    db, ev, path = exported
    services.set_score(db, ev, ROSA, NORTHWIND, "support.analysts", 3, "Office revision.")
    services.set_score(db, ev, ROSA, BLUEFIN, "support.analysts", 3, "Office revision.")
    filled = fill(
        path,
        tmp_path / "f.xlsx",
        {
            (NORTHWIND, "support.analysts"): (5, "Sheet says 5."),
            (BLUEFIN, "support.analysts"): (0, "Sheet says 0."),
        },
    )
    preview = preview_scoresheet(db, ev, filled)
    assert len(preview.conflicts) == 2
    decisions = {(1, "support.analysts"): Resolution.TAKE_SHEET}
    with pytest.raises(ServiceError, match="1 score changed"):
        apply_scoresheet(db, preview, decisions=decisions)
    outcome = apply_scoresheet(
        db, preview, decisions=decisions, resolution=Resolution.KEEP_DATABASE
    )
    assert (outcome.written, outcome.kept_database) == (1, 1)
    scores = scores_of(db, ev, ROSA)
    assert scores[(NORTHWIND, "support.analysts")] == (5.0, "Sheet says 5.")
    assert scores[(BLUEFIN, "support.analysts")] == (3.0, "Office revision.")


def test_untouched_rows_never_overwrite_newer_database_scores(
    exported: tuple[Database, int, Path],
) -> None:
    db, ev, path = exported
    services.set_score(db, ev, ROSA, NORTHWIND, "support.analysts", 1, "Downgraded later.")
    preview = preview_scoresheet(db, ev, path)  # the sheet exactly as exported
    assert preview.changes == [] and preview.problems == []
    apply_scoresheet(db, preview)
    assert scores_of(db, ev, ROSA)[(NORTHWIND, "support.analysts")] == (1.0, "Downgraded later.")


def test_invalid_scores_are_errors_by_cell_and_block_the_file(
    exported: tuple[Database, int, Path], tmp_path: Path
) -> None:
    db, ev, path = exported
    filled = fill(
        path,
        tmp_path / "bad.xlsx",
        {
            (NORTHWIND, "support.engineers"): (4.5, "Half way."),
            (NORTHWIND, "support.description"): ("four", "Good."),
            (NORTHWIND, "offshore.l3-share"): (7, "Great."),
            (NORTHWIND, "plan.go-live"): (3, None),
            (BLUEFIN, "support.engineers"): ("4", "Typed as text."),
            (BLUEFIN, "support.analysts"): (None, None),  # cleared: the score on record stays
        },
    )
    preview = preview_scoresheet(db, ev, filled)
    assert [p.text for p in preview.errors] == [
        "Scores!F6: 4.5 is not a score on the scale: pick a whole number from 0 to 5",
        "Scores!F7: 'four' is not a score: pick a whole number from the drop-down",
        "Scores!F8: 7 is not a score on the scale: pick a whole number from 0 to 5",
        "Scores!G9: a justification is required for the score 3",
    ]
    assert [p.text for p in preview.warnings] == [
        "Scores!F10: left blank; the score on record (2) is kept"
    ]
    assert [(c.criterion_key, c.value) for c in preview.changes] == [("support.engineers", 4.0)]
    before = dump_tables(db)
    with pytest.raises(ServiceError, match="4 problems that stop the import"):
        apply_scoresheet(db, preview)
    assert dump_tables(db) == before
    outcome = apply_scoresheet(db, preview, valid_only=True)
    assert (outcome.written, outcome.skipped) == (1, 4)
    scores = scores_of(db, ev, ROSA)
    assert scores[(BLUEFIN, "support.engineers")] == (4.0, "Typed as text.")
    assert scores[(BLUEFIN, "support.analysts")] == (2.0, "Pool, not named.")


def test_a_candidate_renamed_after_export_is_still_recognised(
    exported: tuple[Database, int, Path], tmp_path: Path
) -> None:
    db, ev, path = exported
    services.update_candidate(db, ev, BLUEFIN, new_name="Bluefin Health Partners")
    filled = fill(path, tmp_path / "f.xlsx", {(BLUEFIN, "support.engineers"): (2, "Thin.")})
    preview = preview_scoresheet(db, ev, filled)
    assert [(c.candidate, c.kind) for c in preview.changes] == [
        ("Bluefin Health Partners", ScoreChangeKind.NEW)
    ]


def test_the_database_changing_after_the_preview_refuses_the_file(
    exported: tuple[Database, int, Path], tmp_path: Path
) -> None:
    db, ev, path = exported
    filled = fill(path, tmp_path / "f.xlsx", {(KESTREL, "support.engineers"): (2, "Thin.")})
    preview = preview_scoresheet(db, ev, filled)
    services.set_score(db, ev, ROSA, KESTREL, "support.engineers", 5, "Typed in meanwhile.")
    before = dump_tables(db)
    with pytest.raises(ServiceError, match="changed after the preview"):
        apply_scoresheet(db, preview)
    assert dump_tables(db) == before


def test_wrong_files_are_refused(exported: tuple[Database, int, Path], tmp_path: Path) -> None:
    db, ev, _ = exported
    questionnaire = tmp_path / "q.xlsx"
    write_questionnaire_template(db, ev, questionnaire, NORTHWIND)
    with pytest.raises(ImportRefused) as refused:
        preview_scoresheet(db, ev, questionnaire)
    assert str(refused.value) == (
        "q.xlsx is a vendor questionnaire, not a scoresheet: import it as a questionnaire."
    )
    other_db, other_ev = lakeside_db(tmp_path, "other.db")
    services.update_evaluation(other_db, other_ev, name="Pinewood RFP")
    services.create_evaluation(db, "Harbor RFP", [])
    foreign = tmp_path / "pinewood.xlsx"
    write_scoresheet(other_db, other_ev, IVO, foreign)
    with pytest.raises(ImportRefused, match="exported from the evaluation 'Pinewood RFP'"):
        preview_scoresheet(db, "Harbor RFP", foreign)
    with pytest.raises(ServiceError, match="no committee member named 'Nobody'"):
        write_scoresheet(db, ev, "Nobody", tmp_path / "x.xlsx")


def test_an_abstention_travels_as_a_blank_score_beside_its_reason(tmp_path: Path) -> None:
    """Exported blank with its reason (never as a 0); left alone it stays an abstention; a
    score typed over it replaces it (the abstention is what the import saw, so not stale)."""
    db, ev = lakeside_db(tmp_path)
    services.set_score(db, ev, ROSA, NORTHWIND, "support.analysts", 0, "Missed the demo",
                       abstain=True)  # fmt: skip
    path = tmp_path / "rosa.xlsx"
    assert write_scoresheet(db, ev, ROSA, path).filled == 1
    sheet = load_workbook(path)["Scores"]
    row = row_of(sheet, NORTHWIND, "support.analysts")
    assert (sheet.cell(row, 6).value, sheet.cell(row, 7).value) == (None, "Missed the demo")

    untouched = preview_scoresheet(db, ev, path)
    assert untouched.changes == []
    assert [p.text for p in untouched.warnings] == [
        f"Scores!F{row}: left blank; the abstention on record is kept"
    ]
    scored = fill(
        path, tmp_path / "scored.xlsx", {(NORTHWIND, "support.analysts"): (3, "Saw the recording")}
    )
    preview = preview_scoresheet(db, ev, scored)
    assert [c.kind for c in preview.changes] == [ScoreChangeKind.CHANGED]
    apply_scoresheet(db, preview, actor="chair")
    assert scores_of(db, ev, ROSA)[(NORTHWIND, "support.analysts")] == (3, "Saw the recording")
    assert not any(s.abstained for s in load_evaluation(db, ev).scores)
