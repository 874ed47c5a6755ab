"""The questionnaire template: structure, protection, validation, print set-up, metadata."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator.domain import AnswerType, Question
from evaluator.questionnaire.fingerprint import (
    META_SHEET,
    question_digest,
    question_set_fingerprint,
    questionnaire_questions,
)
from evaluator.questionnaire.template import write_questionnaire_template
from evaluator.services import ServiceError, load_evaluation, update_criterion
from tests.excel_fixtures import CANDIDATES, EVALUATION, lakeside_db, lakeside_tree

KEYS_IN_TREE_ORDER = [
    "support.own-staff",
    "support.onsite",
    "support.weekend",
    "support.l4-hours",
    "support.analysts",
    "support.engineers",
    "support.tier",
    "support.description",
    "offshore.share",
    "offshore.l1-share",
    "offshore.l2-share",
    "offshore.l3-share",
    "cost.fee",
    "plan.go-live",
    "gates.baa",
]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    db, ev = lakeside_db(tmp_path)
    path = tmp_path / "northwind.xlsx"
    summary = write_questionnaire_template(db, ev, path, CANDIDATES[0])
    assert summary.questions == 15 and summary.candidate == CANDIDATES[0]
    return path


def test_sheets_and_the_question_table(template: Path) -> None:
    workbook = load_workbook(template)
    assert workbook.sheetnames == ["Instructions", "Questionnaire", "Lists", META_SHEET]
    states = {ws.title: ws.sheet_state for ws in workbook.worksheets}
    assert states == {
        "Instructions": "visible",
        "Questionnaire": "visible",
        "Lists": "veryHidden",
        META_SHEET: "veryHidden",
    }
    sheet = workbook["Questionnaire"]
    assert [c.value for c in sheet[4]] == [
        "Question id",
        "Category",
        "Question",
        "Answer type",
        "Answer",
        "Comment",
    ]
    assert [sheet.cell(r, 1).value for r in range(5, 20)] == KEYS_IN_TREE_ORDER
    assert sheet.cell(20, 1).value is None
    assert sheet["B2"].value == CANDIDATES[0]
    assert sheet["B5"].value == "Support model"
    assert sheet["C5"].value == "Do your own employees deliver Level 2 support?"
    types = {sheet.cell(r, 1).value: sheet.cell(r, 4).value for r in range(5, 20)}
    assert types["support.own-staff"] == "Yes / No"
    assert types["support.l4-hours"] == "Number (hours)"
    assert types["offshore.share"] == "Percentage"
    assert types["cost.fee"] == "Amount (USD)"
    assert types["support.tier"] == "Choose from the list"
    assert types["plan.go-live"] == "Date (YYYY-MM-DD)"
    assert types["support.description"] == "Text"
    assert all(sheet.cell(r, 5).value is None for r in range(5, 20))  # nothing pre-answered
    assert sheet["E2"].value == '=COUNTA(E5:E19)&" of 15 answered"'


def test_ids_and_questions_locked_answers_and_comments_open(template: Path) -> None:
    sheet = load_workbook(template)["Questionnaire"]
    assert sheet.protection.sheet is True
    assert not sheet.protection.password  # passwordless, as the instructions say
    assert sheet.protection.formatColumns is False  # people may still resize columns
    for row in range(5, 20):
        assert [sheet.cell(row, c).protection.locked for c in range(1, 7)] == [
            True,
            True,
            True,
            True,
            False,
            False,
        ]
    assert sheet["B2"].protection.locked is True  # the candidate's name is filled and locked


def test_drop_downs_and_numeric_validation_with_input_messages(template: Path) -> None:
    sheet = load_workbook(template)["Questionnaire"]
    row_of = {sheet.cell(r, 1).value: r for r in range(5, 20)}
    by_cell = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row, column in cell_range.cells:
                by_cell[(row, column)] = validation

    def validation_of(key: str):  # type: ignore[no-untyped-def]
        return by_cell[(row_of[key], 5)]

    for key in ("support.own-staff", "support.onsite", "support.weekend", "gates.baa"):
        v = validation_of(key)
        assert (v.type, v.formula1) == ("list", '"Yes,No"')
        assert v.showDropDown in (None, False)  # openpyxl: True would hide the arrow
    tier = validation_of("support.tier")
    assert tier.type == "list" and tier.formula1 == "'Lists'!$A$1:$A$3"
    lists = load_workbook(template)["Lists"]
    assert [lists.cell(r, 1).value for r in (1, 2, 3)] == ["Gold", "Silver", "Bronze, basic"]
    share = validation_of("offshore.share")
    assert (share.type, share.operator, share.formula1, share.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert share.showInputMessage and "35 or 35%" in share.prompt
    fee = validation_of("cost.fee")
    assert (fee.type, fee.operator, fee.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "USD" in fee.prompt
    hours = validation_of("support.l4-hours")
    assert hours.type == "decimal" and "hours" in hours.prompt
    assert validation_of("plan.go-live").type == "date"
    assert sheet.cell(row_of["plan.go-live"], 5).number_format == "yyyy-mm-dd"
    assert (row_of["support.description"], 5) not in by_cell  # free text: no validation
    for v in sheet.data_validations.dataValidation:
        assert len(v.prompt or "") <= 255 and len(v.promptTitle or "") <= 32


def test_frozen_header_widths_wrapping_and_print_setup(template: Path) -> None:
    sheet = load_workbook(template)["Questionnaire"]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:F19"
    assert sheet.column_dimensions["C"].width == 58
    assert sheet.column_dimensions["A"].width == len("support.description") + 2
    assert sheet["C5"].alignment.wrap_text and sheet["E5"].alignment.wrap_text
    assert sheet.row_dimensions[12].height >= 3 * 15  # free-text answers get room
    setup = sheet.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.oddFooter.center.text == "Page &P of &N"
    assert sheet.oddHeader.right.text == CANDIDATES[0]


def test_hidden_metadata_names_evaluation_candidate_and_fingerprint(template: Path) -> None:
    specs = questionnaire_questions(lakeside_tree())
    meta = load_workbook(template)[META_SHEET]
    fields = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, 30)}
    assert fields["format"] == "supportscope-questionnaire"
    assert fields["evaluation_id"] == "1" and fields["evaluation_name"] == EVALUATION
    assert fields["candidate"] == CANDIDATES[0]
    assert fields["fingerprint"] == question_set_fingerprint(specs)
    assert fields["item_count"] == "15"
    items = [(meta.cell(r, 1).value, meta.cell(r, 2).value) for r in range(31, 46)]
    assert items == [(s.key, question_digest(s)) for s in specs]


def test_blank_template_leaves_the_candidate_cell_open(tmp_path: Path) -> None:
    db, ev = lakeside_db(tmp_path)
    path = tmp_path / "blank.xlsx"
    assert write_questionnaire_template(db, ev, path).candidate == ""
    workbook = load_workbook(path)
    sheet = workbook["Questionnaire"]
    assert sheet["B2"].value is None and sheet["B2"].protection.locked is False
    meta = workbook[META_SHEET]
    assert {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, 30)}["candidate"] in (
        "",
        None,
    )


def test_fingerprint_follows_wording_not_order() -> None:
    specs = questionnaire_questions(lakeside_tree())
    base = question_set_fingerprint(specs)
    assert question_set_fingerprint(list(reversed(specs))) == base
    reworded = [
        replace(s, question=replace(s.question, text=s.question.text + " (in hours)"))
        if s.key == "support.l4-hours"
        else s
        for s in specs
    ]
    assert question_set_fingerprint(reworded) != base
    retyped = [
        replace(s, question=Question(s.question.text, AnswerType.TEXT))
        if s.key == "cost.fee"
        else s
        for s in specs
    ]
    assert question_set_fingerprint(retyped) != base


def test_unknown_candidate_and_an_evaluation_without_questions_are_refused(
    tmp_path: Path,
) -> None:
    db, ev = lakeside_db(tmp_path)
    target = tmp_path / "q.xlsx"
    target.write_bytes(b"previous file")
    with pytest.raises(ServiceError, match="no candidate named 'Nobody Ltd'"):
        write_questionnaire_template(db, ev, target, "Nobody Ltd")
    assert target.read_bytes() == b"previous file"
    from evaluator.services import create_evaluation

    empty = create_evaluation(db, "Empty RFP", [])
    with pytest.raises(ServiceError, match="has no questions"):
        write_questionnaire_template(db, empty, target)
    assert target.read_bytes() == b"previous file"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".q.xlsx")) == []


def test_candidate_name_matches_ignoring_case_and_spacing(tmp_path: Path) -> None:
    db, ev = lakeside_db(tmp_path)
    summary = write_questionnaire_template(db, ev, tmp_path / "k.xlsx", "  kestrel   health desk ")
    assert summary.candidate == "Kestrel Health Desk"


def test_questions_follow_criteria_edits(tmp_path: Path) -> None:
    db, ev = lakeside_db(tmp_path)
    first = write_questionnaire_template(db, ev, tmp_path / "a.xlsx").fingerprint
    update_criterion(db, ev, "cost.fee", name="Annual support fee", why="clearer name")
    assert write_questionnaire_template(db, ev, tmp_path / "b.xlsx").fingerprint == first
    data = load_evaluation(db, ev)
    assert len(questionnaire_questions(data.criteria)) == 15
