"""Hostile user text through every workbook the app writes, via the commands a user runs.

An evaluation is built through the services with names, rubrics, questions, choices,
justifications, consensus notes and answers that a spreadsheet would evaluate (= + - @ tab CR,
`=HYPERLINK(...)`, `#N/A`), control characters and 40,000-character text. The questionnaire
template, a scoresheet and the report workbook are then written with the CLI and taken apart:
no formula holds user text, no cell is an error, every part is well-formed XML without raw
control characters, and the files re-import with the hostile text intact as text. All
organisations and people are fictitious (and hostile only in their spelling).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from cli.runner import run
from evaluator import services
from evaluator.db import open_database
from evaluator.domain import AnswerType, Criterion, CriterionKind, Question
from evaluator.services import process
from evaluator.xlsx_text import stored_text
from tests.core_fixtures import start_consensus, start_scoring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TOKEN = "EVIL"  # in every hostile string, so a formula that quotes one is easy to see
LINK = '=HYPERLINK("http://x.invalid","c")'
LONG = "=EVIL\x07 " + "long justification " * 2_100 + "end"  # 39,910 characters
assert len(LONG) > 32_767

EVALUATION = '=HYPERLINK("http://x.invalid","ev") EVIL\x07'
CLIENT = "@EVIL(A1:A9)\x1b[31m"
CANDIDATE_LINK, CANDIDATE_BELL = LINK, "+EVIL\x07Vendor"
CANDIDATES = (CANDIDATE_LINK, CANDIDATE_BELL, "-EVIL+1", "@EVIL(A1)", "#N/A EVIL")
MEMBER = "@EVIL Ann\x07 Example"
CHOICES = ("=EVIL()|cmd", "+EVIL", "#N/A", "plain\x03EVIL")
JUSTIFICATIONS = (
    LONG,
    '=HYPERLINK("http://x.invalid","j") EVIL',
    "-EVIL+1 \x00\x01\x1f end",
    "@EVIL line one\r\nline two\x07",
    "+EVIL\tcmd",
    "#N/A EVIL",
)
TEXT_ANSWERS = ("=EVIL(1)", "+EVIL", "-EVIL", "@EVIL", "#N/A EVIL", LONG)
FORBIDDEN_IN_FORMULAS = (TOKEN, "HYPERLINK", "x.invalid", "cmd", "N/A", "\u2407")


def hostile_tree() -> list[Criterion]:
    rubric = {0: "#N/A EVIL", 1: "+EVIL", 2: "=EVIL()", 3: "\x00EVIL\x1f", 4: "-EVIL", 5: LONG}
    return [
        Criterion(
            "cat",
            "=EVIL cat\x07",
            weight=1,
            children=[
                Criterion(
                    "cat.link",
                    '=HYPERLINK("http://x.invalid","leaf") EVIL',
                    CriterionKind.RATED,
                    2,
                    rubric=rubric,
                    description="-EVIL description\x07",
                    question=Question("=EVIL question\x07: describe " + LONG, AnswerType.TEXT),
                ),
                Criterion(
                    "@EVIL.key",
                    "-EVIL name",
                    CriterionKind.RATED,
                    1,
                    rubric=rubric,
                    question=Question("@EVIL pick one", AnswerType.CHOICE, choices=CHOICES),
                ),
                Criterion(
                    "cat.number",
                    "+EVIL number\x1b",
                    CriterionKind.RATED,
                    1,
                    rubric=rubric,
                    question=Question("How many EVIL?", AnswerType.NUMBER, unit="=EVIL u\x07"),
                ),
                Criterion(
                    "cat.note",
                    "\tEVIL note",
                    CriterionKind.RATED,
                    1,
                    question=Question("\r=EVIL comment on anything", AnswerType.TEXT),
                ),
            ],
        )
    ]


def build(path: Path) -> int:
    """The hostile evaluation, through the services; returns its id."""
    db = open_database(path)
    try:
        ev = services.create_evaluation(
            db, EVALUATION, hostile_tree(), client=CLIENT, actor="chair"
        )
        for name in CANDIDATES:
            services.add_candidate(db, ev, name, notes="=EVIL notes\x07", actor="chair")
        services.add_evaluator(db, ev, MEMBER, "=EVIL role\x07", "-EVIL conflict\x1f")
        start_scoring(db, ev)
        keys = ["cat.link", "@EVIL.key", "cat.number", "cat.note"]
        cells = [(c, k) for c in CANDIDATES[1:] for k in keys]
        for (candidate, key), why in zip(cells, JUSTIFICATIONS * 3, strict=False):
            services.set_score(db, ev, MEMBER, candidate, key, 3, why, actor=MEMBER)
        start_consensus(db, ev)
        services.set_consensus(db, ev, CANDIDATE_BELL, "cat.link", 4, LONG, actor="chair")
        services.set_consensus(db, ev, "-EVIL+1", "cat.number", 2, "=EVIL()\x07 agreed")
        for answer, candidate in zip(TEXT_ANSWERS, CANDIDATES[1:], strict=False):
            services.set_response(
                db, ev, candidate, "cat.note", answer, raw=answer, comment="@EVIL\x07 " + answer
            )
        services.set_response(db, ev, CANDIDATE_BELL, "@EVIL.key", CHOICES[0], raw=CHOICES[0])
    finally:
        db.close()
    return ev


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


Hostile = tuple[Path, str, dict[str, Path]]  # the database, evaluation id and workbooks


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """The database, the evaluation id and the three workbooks written by the CLI."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.db"
    ev = str(build(db))
    files = {
        "template": folder / "template.xlsx",
        "blank": folder / "blank.xlsx",
        "scoresheet": folder / "scoresheet.xlsx",
        "report": folder / "report.xlsx",
    }
    commands = [
        ("questionnaire", "template", ev, "-o", str(files["template"]), "--candidate", LINK),
        ("questionnaire", "template", ev, "-o", str(files["blank"])),
        ("scoresheet", "export", ev, "--evaluator", MEMBER, "-o", str(files["scoresheet"])),
        ("export", ev, "--xlsx", str(files["report"])),
    ]
    for command in commands:
        code, out, err = cli(*command, "--db", str(db))
        assert code == 0, (command, err)
        assert not RAW_CONTROL.search(out + err), (out, err)
    return db, ev, files


@pytest.fixture
def own_copy(hostile: Hostile, tmp_path: Path) -> Hostile:
    """`hostile` with this test's own copy of the database, for a test that changes it."""
    db_path, ev, files = hostile
    db = tmp_path / "copy.db"
    db.write_bytes(db_path.read_bytes())
    return db, ev, files


def _parts(path: Path) -> dict[str, ElementTree.Element]:
    """Every XML part of the workbook, parsed (a malformed one fails here)."""
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                text = archive.read(name).decode("utf-8")
                assert not RAW_CONTROL.search(text), f"{path.name}:{name} has a raw control char"
                parts[name] = ElementTree.fromstring(text)
    return parts


def _user_strings() -> list[str]:
    """Every hostile string as given and as a cell stores it (long ones by their start)."""
    texts = [EVALUATION, CLIENT, MEMBER, *CANDIDATES, *CHOICES, *JUSTIFICATIONS, *TEXT_ANSWERS]
    texts += [c.name for c in hostile_tree()[0].children] + ["=EVIL cat\x07"]
    shown = [stored_text(t)[:40] for t in texts] + [t[:40] for t in texts]
    return [s.strip() for s in shown if len(s.strip()) >= 4]


@pytest.mark.parametrize("which", ["template", "blank", "scoresheet", "report"])
def test_no_formula_holds_user_text_and_no_cell_is_an_error(hostile: Hostile, which: str) -> None:
    path = hostile[2][which]
    parts = _parts(path)
    sheets = {n: root for n, root in parts.items() if n.startswith("xl/worksheets/sheet")}
    assert sheets
    formulas: list[str] = []
    for name, root in sheets.items():
        formulas += [f.text or "" for f in root.iter(f"{MAIN}f")]
        formulas += [f.text or "" for f in root.iter(f"{MAIN}formula1")]
        formulas += [f.text or "" for f in root.iter(f"{MAIN}formula2")]
        errors = [c.get("r") for c in root.iter(f"{MAIN}c") if c.get("t") == "e"]
        assert not errors, f"{which} {name}: error cells {errors}"
    formulas += [d.text or "" for d in parts["xl/workbook.xml"].iter(f"{MAIN}definedName")]
    assert any(f for f in formulas), "the workbook's own formulas are still there"
    users = _user_strings()
    for formula in formulas:
        assert not any(bad in formula for bad in FORBIDDEN_IN_FORMULAS), formula
        assert not any(text in formula for text in users), formula


def _text_cells(path: Path) -> dict[str, list[object]]:
    """Every text cell by its value: (sheet, coordinate, quote prefix); formulas left out."""
    found: dict[str, list[object]] = {}
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "s":
                    found.setdefault(cell.value, []).append(
                        (sheet.title, cell.coordinate, cell.quotePrefix)
                    )
    return found


def test_template_shows_hostile_names_questions_and_choices_as_quoted_text(
    hostile: Hostile,
) -> None:
    cells = _text_cells(hostile[2]["template"])
    for text in (LINK, *CHOICES, "=EVIL cat\u2407", "@EVIL pick one", "How many EVIL?"):
        shown = stored_text(text)
        assert shown in cells, text
        quoted = shown.startswith(("=", "+", "-", "@", "#"))
        assert all(prefix == quoted for *_, prefix in cells[shown]), text
    sheet = load_workbook(hostile[2]["template"])["Questionnaire"]
    assert sheet["B2"].value == LINK and sheet["B2"].quotePrefix
    assert "\u2407" in sheet.oddHeader.left.text  # the page header names the evaluation, cleaned
    long_question = next(v for v in cells if v.startswith("=EVIL question"))
    assert "TRUNCATED" in long_question


def test_scoresheet_keeps_justifications_as_text(hostile: Hostile) -> None:
    cells = _text_cells(hostile[2]["scoresheet"])
    for text in JUSTIFICATIONS:
        assert stored_text(text) in cells, text
    assert stored_text(MEMBER) + ", =EVIL role\u2407" in cells


def test_report_keeps_every_hostile_record_as_text(hostile: Hostile) -> None:
    cells = _text_cells(hostile[2]["report"])
    for text in (*CANDIDATES, *JUSTIFICATIONS, *TEXT_ANSWERS, "=EVIL()\x07 agreed"):
        assert stored_text(text) in cells, text
    book = load_workbook(hostile[2]["report"])
    assert book.properties.title.startswith('=HYPERLINK("http://x.invalid","ev") EVIL\u2407')


def test_untouched_scoresheet_reimports_as_no_change(hostile: Hostile) -> None:
    db, ev, files = hostile
    code, out, err = cli("scoresheet", "import", ev, str(files["scoresheet"]), "--db", str(db))
    assert code == 0, err
    assert "0 new scores, 0 changed, 0 unchanged, 0 conflicts, 0 errors" in out
    assert not RAW_CONTROL.search(out + err)


def test_scoresheet_edits_import_hostile_text_exactly(own_copy: Hostile, tmp_path: Path) -> None:
    db, ev, files = own_copy
    book = load_workbook(files["scoresheet"])
    sheet = book["Scores"]
    new_text = '=HYPERLINK("http://x.invalid","new") EVIL'
    edited = {}
    for row in range(5, sheet.max_row + 1):
        name, key = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        if sheet.cell(row, 6).value is None and name == CANDIDATE_LINK and key == "cat.link":
            sheet.cell(row, 6).value = 5
            sheet.cell(row, 7).value = new_text  # typed as '=... in Excel: text, quote-prefixed
            sheet.cell(row, 7).data_type, sheet.cell(row, 7).quotePrefix = "s", True
            edited[(name, key)] = new_text
        elif sheet.cell(row, 7).value == "-EVIL+1 \u2400\u2401\u241f end" and len(edited) < 2:
            sheet.cell(row, 6).value = 1  # only the score changes
            edited[(stored_text(name), key)] = "-EVIL+1 \u2400\u2401\u241f end"
    assert len(edited) == 2
    sheet.parent.save(tmp_path / "edited.xlsx")
    copy = open_database(db)  # the chair takes the committee back to scoring for this sheet
    services.change_status(copy, int(ev), "scoring")
    process.reopen_sheet(copy, int(ev), MEMBER, "late corrections by post")
    copy.close()
    code, out, err = cli(
        "scoresheet", "import", ev, str(tmp_path / "edited.xlsx"), "--yes", "--db", str(db)
    )
    assert code == 0, err
    assert "1 new score, 1 changed, 0 unchanged, 0 conflicts" in out
    data = services.load_evaluation(open_database(db), int(ev))
    names = {c.id: stored_text(c.name) for c in data.candidates}
    stored = {(names[s.candidate_id], s.criterion_key): s.justification for s in data.scores}
    for cell, text in edited.items():
        assert stored[cell] == text  # no quote, no prefix: exactly the text


def test_questionnaire_answers_typed_as_text_import_as_that_text(
    own_copy: Hostile, tmp_path: Path
) -> None:
    db, ev, files = own_copy
    book = load_workbook(files["template"])
    sheet = book["Questionnaire"]
    answers = {
        "cat.link": '=HYPERLINK("http://x.invalid","a") EVIL',
        "@EVIL.key": "+EVIL",
        "cat.number": "12",
        "cat.note": "-EVIL note",
    }
    comments = {"cat.link": "@EVIL comment", "cat.note": "=EVIL comment"}
    for row in range(5, 9):
        key = sheet.cell(row, 1).value
        for column, text in ((5, answers.get(key)), (6, comments.get(key))):
            if text is not None:
                cell = sheet.cell(row, column)
                cell.value, cell.data_type = text, "s"
                cell.quotePrefix = text.startswith(("=", "+", "-", "@"))
    book.save(tmp_path / "filled.xlsx")
    code, out, err = cli(
        "questionnaire", "import", ev, str(tmp_path / "filled.xlsx"), "--db", str(db)
    )
    assert code == 0, err
    assert "0 errors" in out, out
    data = services.load_evaluation(open_database(db), int(ev))
    link = next(c.id for c in data.candidates if c.name == CANDIDATE_LINK)
    got = {r.criterion_key: r for r in data.responses if r.candidate_id == link}
    assert got["cat.link"].value == answers["cat.link"]
    assert got["@EVIL.key"].value == "+EVIL"  # one of the (hostile) choices
    assert got["cat.number"].value == 12.0
    assert got["cat.note"].value == "-EVIL note"
    assert got["cat.link"].comment == "@EVIL comment"
    assert got["cat.note"].comment == "=EVIL comment"


def test_scoresheet_export_with_a_bell_in_a_justification_succeeds(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bell.db")
    tree = [Criterion("c", "Care", children=[Criterion("c.l", "Level 1", CriterionKind.RATED)])]
    ev = services.create_evaluation(db, "Bell RFP", tree, actor="chair")
    services.add_candidate(db, ev, "Zephyr Care IT", actor="chair")
    services.add_evaluator(db, ev, "Ann Example", "CMO")
    start_scoring(db, ev)
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "c.l", 4, "pasted\x07 text")
    db.close()
    target = tmp_path / "bell.xlsx"
    code, _, err = cli(
        "scoresheet", "export", "Bell RFP", "--evaluator", "Ann Example", "-o", str(target),
        "--db", str(tmp_path / "bell.db"),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert load_workbook(target)["Scores"]["G5"].value == "pasted\u2407 text"


def test_cli_output_naming_hostile_candidates_has_no_raw_control_characters(
    hostile: Hostile,
) -> None:
    db, ev, _ = hostile
    runs = [
        ("rank", ev),
        ("show", ev),
        ("list",),
        ("candidate", "rename", ev, CANDIDATE_BELL, CANDIDATE_LINK),  # taken: an error naming both
        ("candidate", "rename", ev, "Nobody\x07", "x"),
        ("score", ev, "--evaluator", MEMBER, "--candidate", "No\x1b[2Jbody", "--criterion",
         "cat.link", "3", "--why", "x"),
    ]  # fmt: skip
    for argv in runs:
        code, out, err = cli(*argv, "--db", str(db))
        assert code in (0, 2), (argv, err)
        assert not RAW_CONTROL.search(out + err), (argv, out, err)
        shown = out + err  # names show their controls as pictures, or escaped inside a repr
        assert any(mark in shown for mark in ("\u2407", "\u241b", "\\x07", "\\x1b")), argv
