"""Questionnaire import: typed spellings, problems by cell, preview old -> new, all or nothing,
files from elsewhere, and every hostile file refused with the database unchanged."""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator import services
from evaluator.db import Database
from evaluator.domain import AnswerType, Question
from evaluator.progress import Cancelled
from evaluator.questionnaire.importer import (
    ChangeKind,
    apply_questionnaire,
    preview_questionnaire,
    preview_questionnaires,
)
from evaluator.questionnaire.problems import ImportRefused
from evaluator.questionnaire.template import write_questionnaire_template
from evaluator.scoring import score_evaluation
from evaluator.services import ServiceError, audit_trail, load_evaluation
from evaluator.workbook_guard import WorkbookRejected
from tests import hostile_files as hostile
from tests.core_fixtures import start_consensus
from tests.excel_fixtures import (
    BLUEFIN,
    FIXTURE_BLANKS,
    FIXTURE_CANDIDATE,
    FIXTURE_ERRORS,
    FIXTURE_EXPECTED,
    GOOD,
    GOOD_VALUES,
    KESTREL,
    LOFFICE_FIXTURE,
    NORTHWIND,
    dump_tables,
    fill_questionnaire,
    lakeside_db,
)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Database, int, Path]:
    """A database and the Northwind template written from it."""
    db, ev = lakeside_db(tmp_path)
    template = tmp_path / "template-northwind.xlsx"
    write_questionnaire_template(db, ev, template, NORTHWIND)
    return db, ev, template


def answers_of(db: Database, ev: int, candidate: str) -> dict[str, object]:
    data = load_evaluation(db, ev)
    cid = next(c.id for c in data.candidates if c.name == candidate)
    return {r.criterion_key: r.value for r in data.responses if r.candidate_id == cid}


def test_every_answer_type_and_spelling_imports(setup: tuple[Database, int, Path]) -> None:
    db, ev, template = setup
    path = fill_questionnaire(
        template,
        template.with_name("northwind.xlsx"),
        GOOD,
        {"cost.fee": "Fixed for 3 years"},
        reverse_rows=True,
    )
    preview = preview_questionnaire(db, ev, path)
    assert preview.candidate == NORTHWIND
    assert preview.errors == [] and preview.warnings == []
    assert {c.key: c.value for c in preview.changes} == GOOD_VALUES
    assert all(c.kind is ChangeKind.NEW for c in preview.changes)
    assert not preview.needs_confirmation
    outcome = apply_questionnaire(db, preview, actor="procurement")
    assert (outcome.written, outcome.new, outcome.replaced, outcome.skipped) == (15, 15, 0, 0)
    assert answers_of(db, ev, NORTHWIND) == GOOD_VALUES
    data = load_evaluation(db, ev)
    fee = next(r for r in data.responses if r.criterion_key == "cost.fee")
    assert (fee.raw, fee.comment) == ("$980,000", "Fixed for 3 years")


def test_auto_scored_criteria_and_gates_follow_the_answers(
    setup: tuple[Database, int, Path],
) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("n.xlsx"), GOOD)
    apply_questionnaire(db, preview_questionnaire(db, ev, path))
    result = score_evaluation(load_evaluation(db, ev))
    northwind = next(r for r in result.candidates if r.candidate_id == 1)
    values = {k: v.value for k, v in northwind.leaf_values.items()}
    # own staff yes -> 5, on-site no -> 0, weekend no -> 0, 3 hours -> 5, Gold -> 5,
    # 5% offshore -> 5, 20% -> 3, 50% -> 0; the only price -> the top of the scale.
    assert values["support.own-staff"] == 5 and values["support.onsite"] == 0
    assert values["support.weekend"] == 0 and values["support.l4-hours"] == 5
    assert values["support.tier"] == 5
    assert (values["offshore.share"], values["offshore.l1-share"], values["offshore.l2-share"]) == (
        5,
        3,
        0,
    )
    assert values["cost.fee"] == 5
    assert northwind.failed_gates == () and northwind.pending_gates == ()


def test_libreoffice_fixture_with_reordered_rows_variants_blanks_and_errors(
    tmp_path: Path,
) -> None:
    with zipfile.ZipFile(LOFFICE_FIXTURE) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")  # not written by openpyxl
    db, ev = lakeside_db(tmp_path)
    preview = preview_questionnaire(db, ev, LOFFICE_FIXTURE)
    assert preview.candidate == FIXTURE_CANDIDATE and not preview.outdated
    assert {c.key: c.value for c in preview.changes} == FIXTURE_EXPECTED
    sheet = load_workbook(LOFFICE_FIXTURE, read_only=True)["Questionnaire"]
    row_of = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=5, max_row=19)}
    assert row_of["gates.baa"] == 5  # the rows really are in another order
    errors = {p.key: p.text for p in preview.errors}
    assert set(errors) == set(FIXTURE_ERRORS)
    assert errors["offshore.l3-share"] == (
        f'Questionnaire!E{row_of["offshore.l3-share"]}: "about half" is not a percentage'
    )
    assert errors["support.engineers"].startswith(
        f"Questionnaire!E{row_of['support.engineers']}: the cell shows the Excel error #DIV/0!"
    )
    unanswered = {p.key for p in preview.warnings if p.text.endswith(": unanswered")}
    assert unanswered == set(FIXTURE_BLANKS)
    before = dump_tables(db)
    with pytest.raises(ServiceError, match="2 problems that stop the import"):
        apply_questionnaire(db, preview)
    assert dump_tables(db) == before
    outcome = apply_questionnaire(db, preview, valid_only=True)
    assert (outcome.written, outcome.skipped) == (len(FIXTURE_EXPECTED), 2)
    assert answers_of(db, ev, FIXTURE_CANDIDATE) == FIXTURE_EXPECTED


def test_audit_names_the_file_and_its_sha256(setup: tuple[Database, int, Path]) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("northwind-bafo.xlsx"), GOOD)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    apply_questionnaire(db, preview_questionnaire(db, ev, path), actor="Pat Procurement")
    trail = audit_trail(db, ev)
    summary = trail[-1]
    assert summary.action == "import questionnaire" and summary.actor == "Pat Procurement"
    assert summary.target == f"{NORTHWIND} / northwind-bafo.xlsx"
    assert f"SHA-256 {digest}" in summary.why and "15 new" in summary.why
    answers = [e for e in trail if e.action == "set answer"]
    assert len(answers) == 15 and all(e.why == "from northwind-bafo.xlsx" for e in answers)


def test_reimport_shows_old_to_new_and_asks_before_replacing(
    setup: tuple[Database, int, Path],
) -> None:
    db, ev, template = setup
    first = fill_questionnaire(template, template.with_name("first.xlsx"), GOOD)
    apply_questionnaire(db, preview_questionnaire(db, ev, first))
    revised = dict(GOOD, **{"cost.fee": 900000, "support.onsite": "Yes", "support.tier": None})
    second = fill_questionnaire(template, template.with_name("bafo.xlsx"), revised)
    preview = preview_questionnaire(db, ev, second)
    changed = {c.key: (c.old_text, c.new_text) for c in preview.changes if c.replaces}
    assert changed == {
        "cost.fee": ("980,000 USD", "900,000 USD"),
        "support.onsite": ("No", "Yes"),
    }
    unchanged = [c.key for c in preview.changes if c.kind is ChangeKind.UNCHANGED]
    assert len(unchanged) == 12  # 15 - 2 changed - 1 left blank
    assert preview.needs_confirmation
    kept = [p.text for p in preview.warnings if p.key == "support.tier"]
    assert kept == [
        f"{preview.changes[0].cell.split('!')[0]}!E11: unanswered (the answer on "
        "record, 'Gold', is kept)"
    ]
    outcome = apply_questionnaire(db, preview)
    assert (outcome.written, outcome.replaced) == (2, 2)
    assert answers_of(db, ev, NORTHWIND)["support.tier"] == "Gold"  # a blank never deletes
    assert answers_of(db, ev, NORTHWIND)["cost.fee"] == 900_000.0


def test_database_changed_after_the_preview_refuses_the_whole_file(
    setup: tuple[Database, int, Path],
) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("n.xlsx"), GOOD)
    preview = preview_questionnaire(db, ev, path)
    services.set_response(db, ev, NORTHWIND, "cost.fee", 1.0, raw="1")
    before = dump_tables(db)
    with pytest.raises(ServiceError, match="changed after the preview"):
        apply_questionnaire(db, preview)
    assert dump_tables(db) == before


def test_final_evaluation_is_not_changed(setup: tuple[Database, int, Path]) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("n.xlsx"), GOOD)
    preview = preview_questionnaire(db, ev, path)
    start_consensus(db, ev)
    services.change_status(db, ev, "final", why="decided without this vendor's answers")
    before = dump_tables(db)
    with pytest.raises(ServiceError, match="final and read-only"):
        apply_questionnaire(db, preview)
    assert dump_tables(db) == before


def test_which_candidate(setup: tuple[Database, int, Path], tmp_path: Path) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, tmp_path / "n.xlsx", GOOD)
    other = preview_questionnaire(db, ev, path, candidate=BLUEFIN)
    assert other.candidate == BLUEFIN
    assert [p.text for p in other.warnings] == [
        f"n.xlsx: made for {NORTHWIND!r}; imported for {BLUEFIN!r} as asked"
    ]
    blank = tmp_path / "blank.xlsx"
    write_questionnaire_template(db, ev, blank)
    workbook = load_workbook(blank)
    workbook["Questionnaire"]["B2"] = "Kestrel Health Desk Inc."
    workbook.save(blank)
    filled = fill_questionnaire(blank, tmp_path / "blank-filled.xlsx", GOOD)
    with pytest.raises(ImportRefused) as refused:
        preview_questionnaire(db, ev, filled)
    assert str(refused.value) == (
        "blank-filled.xlsx does not say which candidate it is for, as it was made as a blank "
        "template (the name typed in it is 'Kestrel Health Desk Inc.'): choose the candidate to "
        "import it for (--candidate NAME on the command line)."
    )
    assert preview_questionnaire(db, ev, filled, candidate=KESTREL).candidate == KESTREL
    services.remove_candidate(db, ev, NORTHWIND, why="withdrew")
    with pytest.raises(ImportRefused, match="made for the candidate 'Northwind Clinical IT'"):
        preview_questionnaire(db, ev, path)
    with pytest.raises(ServiceError, match="no candidate named 'Nobody'"):
        preview_questionnaire(db, ev, path, candidate="Nobody")


def test_file_from_another_evaluation_is_refused(tmp_path: Path) -> None:
    db, _ = lakeside_db(tmp_path)
    services.create_evaluation(db, "Harbor Clinic RFP", [])
    other_db, other_ev = lakeside_db(tmp_path, "other.db")
    services.update_evaluation(other_db, other_ev, name="Pinewood RFP")
    template = tmp_path / "pinewood.xlsx"
    write_questionnaire_template(other_db, other_ev, template, NORTHWIND)
    path = fill_questionnaire(template, tmp_path / "pinewood-filled.xlsx", GOOD)
    before = dump_tables(db)
    with pytest.raises(ImportRefused) as refused:
        preview_questionnaire(db, "Harbor Clinic RFP", path)
    assert str(refused.value) == (
        "pinewood-filled.xlsx was made for the evaluation 'Pinewood RFP', not 'Harbor Clinic "
        "RFP': import it into that evaluation, or send this evaluation's questionnaire."
    )
    assert dump_tables(db) == before


def test_file_from_an_older_question_set_is_flagged_per_question(
    setup: tuple[Database, int, Path],
) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("n.xlsx"), GOOD)
    services.update_criterion(
        db,
        ev,
        "support.l4-hours",
        question=Question(
            "Minutes from escalation to a Level 4 engineer?", AnswerType.NUMBER, unit="minutes"
        ),
        why="sharper question",
    )
    preview = preview_questionnaire(db, ev, path)
    assert preview.outdated and preview.needs_confirmation
    texts = [p.text for p in preview.warnings]
    assert texts[0] == (
        "n.xlsx: was made from an older version of the questionnaire (1 changed, 0 added, "
        "0 removed questions since then)"
    )
    assert any(
        t.startswith("Questionnaire!E8: question support.l4-hours was changed after this file")
        for t in texts
    )


def test_formula_without_saved_value_duplicates_and_stray_rows(
    setup: tuple[Database, int, Path],
) -> None:
    db, ev, template = setup
    path = fill_questionnaire(
        template, template.with_name("n.xlsx"), dict(GOOD, **{"support.l4-hours": "=2+2"})
    )
    workbook = load_workbook(path)
    sheet = workbook["Questionnaire"]
    sheet["A21"], sheet["E21"] = "support.tier", "Silver"  # a second row for one question
    sheet["A22"], sheet["E22"] = "support.legacy", "Yes"  # an id this evaluation lacks
    sheet["E23"] = "orphan answer"
    sheet["H5"] = "an extra column"
    workbook.save(path)
    preview = preview_questionnaire(db, ev, path)
    errors = [p.text for p in preview.errors]
    assert errors == [
        "Questionnaire!A21: question support.tier appears again (first in row 11); keep one row "
        "per question",
        "Questionnaire!E8: formula without a saved value: open the file in Excel, save it, and "
        "import again",
    ]
    warnings = [p.text for p in preview.warnings]
    assert warnings == [
        "Questionnaire!A22: question id 'support.legacy' is not in this evaluation; the row is "
        "ignored",
        "Questionnaire!E23: an answer in a row without a question id is ignored",
    ]
    keys = {c.key for c in preview.changes}
    assert "support.tier" not in keys and "support.l4-hours" not in keys and len(keys) == 13


def test_formula_with_a_saved_value_is_read(setup: tuple[Database, int, Path]) -> None:
    """A formula cell whose value a spreadsheet program saved imports as that value."""
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("n.xlsx"), GOOD)
    cell_xml_before = b'<c r="E8"'
    data = path.read_bytes()
    with zipfile.ZipFile(path) as source:
        sheet_xml = source.read("xl/worksheets/sheet2.xml")
    start = sheet_xml.index(cell_xml_before)
    end = sheet_xml.index(b"</c>", start) + 4
    patched = sheet_xml[:start] + b'<c r="E8"><f>1+2</f><v>3</v></c>' + sheet_xml[end:]
    hostile.replace_members(
        path, path.with_name("formula.xlsx"), {"xl/worksheets/sheet2.xml": patched}
    )
    assert data  # the original stays as it was
    preview = preview_questionnaire(db, ev, path.with_name("formula.xlsx"))
    assert {c.key: c.value for c in preview.changes}["support.l4-hours"] == 3.0


def test_macro_workbook_is_read_with_macros_ignored(setup: tuple[Database, int, Path]) -> None:
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("plain.xlsx"), GOOD)
    macro = hostile.replace_members(
        path, path.with_name("northwind.xlsm"), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"}
    )
    preview = preview_questionnaire(db, ev, macro)
    assert preview.notices == (
        "northwind.xlsm contains macros; macros ignored, only the cell values were read.",
    )
    assert len(preview.changes) == 15


def handles_on(path: Path) -> list[str]:
    """Open file descriptors of this process that point at `path` (Linux; else none seen)."""
    folder = Path("/proc/self/fd")
    if not folder.is_dir():
        return []
    found = []
    for fd in os.listdir(folder):
        try:
            if Path(os.readlink(folder / fd)) == path.resolve():
                found.append(fd)
        except OSError:
            continue
    return found


HOSTILE: list[tuple[Callable[[Path], Path], str, str]] = [
    (hostile.write_csv_renamed, "a.xlsx", "is a CSV text file renamed .xlsx"),
    (hostile.write_old_xls, "b.xls", "is an old Excel 97-2003 workbook (.xls)"),
    (hostile.write_encrypted_ooxml, "c.xlsx", "is password-protected"),
    (hostile.write_empty, "d.xlsx", "is empty (0 bytes)"),
    (hostile.write_truncated, "e.xlsx", "is incomplete"),
    (lambda p: hostile.write_zip_bomb(p, 200 * 1024 * 1024), "f.xlsx", "likely zip bomb"),
    (lambda p: hostile.write_many_members(p, 5_000), "g.xlsx", "likely zip bomb"),
    (hostile.write_not_a_workbook_zip, "h.xlsx", "zip archive but not an Excel workbook"),
    (hostile.write_billion_laughs, "i.xlsx", "XML entity"),
    (hostile.write_external_entity, "j.xlsx", "XML entity"),
    (hostile.write_html_renamed, "k.xls", "web page (HTML)"),
    (hostile.write_pdf_renamed, "l.xlsx", "PDF document"),
]


@pytest.mark.parametrize(("build", "name", "phrase"), HOSTILE, ids=[h[1] for h in HOSTILE])
def test_hostile_files_are_refused_with_one_sentence_and_nothing_changes(
    tmp_path: Path, build: Callable[[Path], Path], name: str, phrase: str
) -> None:
    db, ev = lakeside_db(tmp_path)
    path = build(tmp_path / name)
    before = dump_tables(db)
    start = time.perf_counter()
    with pytest.raises((WorkbookRejected, ImportRefused)) as refused:
        preview_questionnaire(db, ev, path, candidate=NORTHWIND)
    elapsed = time.perf_counter() - start
    message = str(refused.value)
    assert message.startswith(f"{name} ") and phrase in message
    assert "\n" not in message and message.endswith(".")
    print(f"{name}: refused in {elapsed * 1000:.1f} ms")  # a figure, not a timed assert
    assert dump_tables(db) == before
    assert handles_on(path) == []
    if Path("/proc/self/fd").is_dir():
        with path.open("rb"):
            assert handles_on(path)  # the check itself sees an open handle


def test_a_lying_sheet_dimension_is_never_walked(setup: tuple[Database, int, Path]) -> None:
    """A sheet declaring the whole grid imports in bounded time: only the template's rows."""
    db, ev, template = setup
    path = fill_questionnaire(template, template.with_name("n.xlsx"), GOOD)
    with zipfile.ZipFile(path) as source:
        sheet_xml = source.read("xl/worksheets/sheet2.xml")
    start = sheet_xml.index(b"<dimension")
    end = sheet_xml.index(b"/>", start) + 2
    lying = sheet_xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet_xml[end:]
    lying = lying.replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    forged = hostile.replace_members(
        path, path.with_name("lying.xlsx"), {"xl/worksheets/sheet2.xml": lying}
    )
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    asked: list[int] = []
    original = ReadOnlyWorksheet.iter_rows

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs.get("max_row") or 1_048_576)
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ReadOnlyWorksheet, "iter_rows", spy)
        preview = preview_questionnaire(db, ev, forged)
    assert asked and max(asked) < 1_000  # only the template's rows, never the declared grid
    assert len(preview.changes) == 15 and preview.errors == []


def test_batch_preview_reports_progress_refuses_per_file_and_cancels(
    setup: tuple[Database, int, Path], tmp_path: Path
) -> None:
    db, ev, template = setup
    first = fill_questionnaire(template, tmp_path / "one.xlsx", GOOD)
    second = fill_questionnaire(template, tmp_path / "two.xlsx", GOOD)  # also Northwind
    csv = hostile.write_csv_renamed(tmp_path / "three.xlsx")
    seen: list[tuple[int, int]] = []
    results = preview_questionnaires(
        db, ev, [first, second, csv], progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert results[0].preview is not None and results[0].refused == ""
    assert results[1].refused == (
        f"two.xlsx is for {NORTHWIND}, like one.xlsx: import one file per candidate at a time."
    )
    assert results[2].refused.startswith("three.xlsx is a CSV text file renamed .xlsx")
    calls = iter([False, True])
    with pytest.raises(Cancelled):
        preview_questionnaires(db, ev, [first, second], cancel=lambda: next(calls))
