"""The list of an import's problems, saved as a workbook for the vendor: one line per problem
(file, sheet, cell, question id, problem, what to do), errors first, reopened with openpyxl;
a hostile file name stays text."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from evaluator.import_problems import (
    ERROR_REMEDY,
    HEADERS,
    REFUSED_REMEDY,
    line_of,
    questionnaire_lines,
    write_problem_workbook,
)
from evaluator.questionnaire.importer import preview_questionnaires
from evaluator.questionnaire.problems import error, warning
from tests import hostile_files as hostile
from tests.excel_fixtures import FIXTURE_BLANKS, FIXTURE_ERRORS, LOFFICE_FIXTURE, lakeside_db

HOSTILE = '=HYPERLINK("http:evil",A1) answers.xlsx'


def test_the_problems_of_two_files_reopen_as_a_workbook_to_send_back(tmp_path: Path) -> None:
    db, ev = lakeside_db(tmp_path)
    filled = shutil.copy(LOFFICE_FIXTURE, tmp_path / HOSTILE)  # two errors, two blanks
    csv = hostile.write_csv_renamed(tmp_path / "kestrel.xlsx")
    previews = preview_questionnaires(db, ev, [Path(filled), csv], None)
    db.close()
    lines = questionnaire_lines(previews)
    target = write_problem_workbook(tmp_path / "problems.xlsx", lines, "Lakeside Support RFP")

    assert not list(tmp_path.glob("*.tmp*"))  # written through a temporary file
    workbook = load_workbook(target)
    sheet = workbook["Problems"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == HEADERS
    body = rows[1:]
    assert len(body) == len(FIXTURE_ERRORS) + len(FIXTURE_BLANKS) + 1  # + the refused file
    severities = [row[4] for row in body]
    assert severities == ["error", "error", "refused", "warning", "warning"]  # errors first
    by_question = {row[3]: row for row in body if row[3]}
    assert set(by_question) == {*FIXTURE_ERRORS, *FIXTURE_BLANKS}
    for key in FIXTURE_ERRORS:
        file, sheet_name, cell, _, _, problem, remedy = by_question[key]
        assert (file, sheet_name) == (HOSTILE, "Questionnaire")
        assert cell.startswith("E") and cell[1:].isdigit()
        assert problem and not problem.startswith("Questionnaire!")  # the place has its columns
        assert remedy == ERROR_REMEDY
    assert by_question["gates.baa"][5:] == ["unanswered", "Answer the question in this cell."]
    refused = next(row for row in body if row[4] == "refused")
    assert refused[0] == "kestrel.xlsx" and "CSV" in refused[5] and refused[6] == REFUSED_REMEDY
    # the hostile name is a string cell, never a formula, and reads back unchanged
    hostile_cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == HOSTILE]
    assert hostile_cells and all(c.data_type == "s" for c in hostile_cells)
    assert workbook.properties.title == "Problems found: Lakeside Support RFP"


def test_a_place_is_split_from_the_text_or_taken_from_the_problem() -> None:
    quoted = line_of(
        "a.xlsx", error("'Vendor''s answers'!C7: appears again; keep one row", key="q.1")
    )
    assert (quoted.sheet, quoted.cell, quoted.question) == ("Vendor's answers", "C7", "q.1")
    assert quoted.problem == "appears again; keep one row"
    assert quoted.remedy == "Keep one row per question and delete the copy."
    placed = line_of("a.xlsx", warning("left blank; the score is kept", "k", "Scores!D9"))
    assert (placed.sheet, placed.cell, placed.is_error) == ("Scores", "D9", False)
    bare = line_of("a.xlsx", warning("a.xlsx: made when this evaluation was called 'Old'"))
    assert (bare.sheet, bare.cell, bare.problem) == ("", "", "made when this evaluation was "
                                                     "called 'Old'")  # fmt: skip
