"""Build the questionnaire workbook a procurement manager sends to each candidate.

One row per question (every leaf criterion that has one), grouped by category in tree order.
Ids, categories and questions are locked; answers and comments are pale-yellow input cells with
a drop-down for yes/no and choice questions and numeric or date validation (with an input
message saying what to type) for the rest. A very hidden sheet names the evaluation, the
candidate and the fingerprint of the question set, so the file can be recognised on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from evaluator.atomic import atomic_path
from evaluator.db import Database
from evaluator.domain import AnswerType, Candidate, EvaluationData
from evaluator.names import find_named
from evaluator.questionnaire import layout as L
from evaluator.questionnaire import sheetstyle as S
from evaluator.questionnaire.fingerprint import (
    QuestionSpec,
    question_digest,
    question_set_fingerprint,
    questionnaire_questions,
    write_metadata,
)
from evaluator.records import EvalRef, ServiceError
from evaluator.xlsx_text import plain_text, set_formula, set_properties, set_text

WIDTHS = {"id": 0.0, "category": 20, "question": 58, "type": 17, "answer": 26, "comment": 34}
TEXT_ANSWER_LINES = 3  # free-text questions get room to write


@dataclass(frozen=True)
class TemplateSummary:
    path: Path
    questions: int
    candidate: str  # "" for a blank template
    fingerprint: str


def find_candidate(data: EvaluationData, name: str) -> Candidate:
    """A candidate by exact name, else by name ignoring case and spacing."""
    return find_named(data.candidates, name, data.name, "candidate", "candidates")


def build_questionnaire(data: EvaluationData, candidate: Candidate | None = None) -> Workbook:
    """The questionnaire workbook for one candidate, or blank (candidate None)."""
    specs = questionnaire_questions(data.criteria)
    if not specs:
        raise ServiceError(
            f"evaluation {data.name!r} has no questions: give some criteria a question first"
        )
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = L.INSTRUCTIONS_SHEET
    sheet = workbook.create_sheet(L.QUESTIONNAIRE_SHEET)
    lists = workbook.create_sheet(L.LISTS_SHEET)
    lists.sheet_state = "veryHidden"
    _write_instructions(instructions, data, candidate, specs)
    _write_questions(sheet, lists, data, candidate, specs)
    lists.protection.sheet = True
    fingerprint = question_set_fingerprint(specs)
    write_metadata(
        workbook,
        (L.FORMAT_NAME, L.FORMAT_VERSION),
        data,
        {
            "client": data.client,
            "candidate": candidate.name if candidate else "",
            "candidate_id": candidate.id if candidate else "",
            "fingerprint": fingerprint,
        },
        ("question_id", "digest"),
        [(spec.key, question_digest(spec)) for spec in specs],
    )
    set_properties(
        workbook,
        title=f"{data.name}: vendor questionnaire",
        subject=candidate.name if candidate else "blank questionnaire",
    )
    workbook.active = 0
    return workbook


def _write_instructions(
    sheet: Any, data: EvaluationData, candidate: Candidate | None, specs: list[QuestionSpec]
) -> None:
    facts = [("Evaluation", data.name)]
    if data.client:
        facts.append(("Client", data.client))
    facts.append(
        (
            "Candidate",
            candidate.name
            if candidate
            else "Type your organisation's name in the Candidate cell of the Questionnaire sheet",
        )
    )
    facts.append(("Questions", f"{len(specs)} on the {L.QUESTIONNAIRE_SHEET} sheet"))
    steps = [
        f"Answer every question on the {L.QUESTIONNAIRE_SHEET} sheet in the Answer column "
        "(pale-yellow cells). Ids, categories and questions are locked.",
        "Yes / No and \u201cChoose from the list\u201d questions have a drop-down: pick one entry.",
        "Numbers and amounts: type the number only, without the unit (the Answer type column "
        "gives the unit), e.g. 24 or 1250000.",
        "Percentages: type 35 or 35% for thirty-five percent.",
        "Dates: type them as YYYY-MM-DD, e.g. 2025-03-31.",
        "Put conditions, details and references to attachments in the Comment column. Leave an "
        "answer blank rather than guessing; blank answers are reported as unanswered.",
        "Do not change the question ids in column A and do not rename or delete the sheet: "
        "answers are matched by id, so the order of the rows does not matter.",
        "Save the file as an Excel Workbook (.xlsx), without a password, and return it. Please "
        "do not convert it to CSV, PDF or the old .xls format.",
    ]
    notes = [
        S.PASSWORDLESS_NOTE,
        "The file carries a hidden fingerprint of its questions so that answers are matched to "
        "the right version of the questionnaire.",
    ]
    title = "Vendor questionnaire"
    S.instructions_sheet(sheet, title, facts, steps, notes)


def _id_width(specs: list[QuestionSpec]) -> float:
    return float(min(30, max(12, *(len(spec.key) + 2 for spec in specs))))


def _write_questions(
    sheet: Any,
    lists: Any,
    data: EvaluationData,
    candidate: Candidate | None,
    specs: list[QuestionSpec],
) -> None:
    widths = dict(WIDTHS, id=_id_width(specs))
    S.set_widths(sheet, list(widths.values()))
    last_column = len(L.HEADERS)
    last_letter = get_column_letter(last_column)
    first, last = L.FIRST_QUESTION_ROW, L.FIRST_QUESTION_ROW + len(specs) - 1
    answer_letter = get_column_letter(L.ANSWER_COLUMN)

    set_text(sheet.cell(L.TITLE_ROW, 1), f"{data.name}: vendor questionnaire").font = S.TITLE_FONT
    sheet.merge_cells(f"A{L.TITLE_ROW}:{last_letter}{L.TITLE_ROW}")
    sheet.row_dimensions[L.TITLE_ROW].height = 28
    set_text(sheet.cell(L.CANDIDATE_ROW, 1), L.CANDIDATE_LABEL).font = S.LABEL_FONT
    name_cell = sheet.cell(L.CANDIDATE_ROW, 2)
    sheet.merge_cells(
        start_row=L.CANDIDATE_ROW, start_column=2, end_row=L.CANDIDATE_ROW, end_column=3
    )
    if candidate is not None:
        set_text(name_cell, candidate.name)
        name_cell.font = S.LABEL_FONT
    else:
        S.input_cell(name_cell)
    count = set_formula(
        sheet.cell(L.CANDIDATE_ROW, L.ANSWER_COLUMN),
        f'=COUNTA({answer_letter}{first}:{answer_letter}{last})&" of {len(specs)} answered"',
    )
    count.font = S.LABEL_FONT
    hint = set_text(
        sheet.cell(L.HINT_ROW, 1),
        "Type your answers in the pale-yellow cells; the Instructions sheet explains each answer "
        "type. Hover over an answer cell to see what it expects.",
    )
    hint.font = S.MUTED_FONT
    sheet.merge_cells(f"A{L.HINT_ROW}:{last_letter}{L.HINT_ROW}")
    S.header_row(sheet, L.HEADER_ROW, L.HEADERS)

    validations = _Validations(sheet, lists)
    for row, spec in enumerate(specs, start=first):
        question = spec.question
        type_label = L.answer_type_label(question.answer_type, question.unit)
        S.locked_cell(sheet.cell(row, 1), spec.key)
        S.locked_cell(sheet.cell(row, 2), spec.category)
        S.locked_cell(sheet.cell(row, 3), question.text)
        S.locked_cell(sheet.cell(row, 4), type_label)
        number_format = L.DATE_FORMAT if question.answer_type is AnswerType.DATE else None
        answer = sheet.cell(row, L.ANSWER_COLUMN)
        S.input_cell(answer, number_format=number_format)
        S.input_cell(sheet.cell(row, L.COMMENT_COLUMN))
        validations.add(answer.coordinate, question.answer_type, question.choices, question.unit)
        minimum = TEXT_ANSWER_LINES if question.answer_type is AnswerType.TEXT else 1
        S.fit_row_height(
            sheet,
            row,
            [
                (spec.key, widths["id"]),
                (spec.category, widths["category"]),
                (question.text, widths["question"]),
                (type_label, widths["type"]),
            ],
            minimum,
        )
    validations.install()
    sheet.freeze_panes = f"A{first}"
    sheet.auto_filter.ref = f"A{L.HEADER_ROW}:{last_letter}{last}"
    S.protect(sheet)
    who = candidate.name if candidate else "Candidate: ____________________"
    S.print_setup(sheet, L.HEADER_ROW, last, last_column, data.name, who)
    sheet.sheet_view.zoomScale = 100


class _Validations:
    """One validation per answer type (and one per choice list), each over many cells."""

    def __init__(self, sheet: Any, lists: Any) -> None:
        self.sheet, self.lists = sheet, lists
        self.by_type: dict[tuple[AnswerType, str], DataValidation] = {}
        self.by_choices: dict[tuple[str, ...], DataValidation] = {}

    def add(self, ref: str, answer_type: AnswerType, choices: tuple[str, ...], unit: str) -> None:
        if answer_type is AnswerType.CHOICE and choices:
            validation = self.by_choices.get(choices) or self._choice_list(choices)
            self.by_choices[choices] = validation
        elif answer_type in _SIMPLE:
            key = (
                answer_type,
                unit if answer_type in (AnswerType.NUMBER, AnswerType.CURRENCY) else "",
            )
            validation = self.by_type.get(key) or _simple_validation(answer_type, unit)
            self.by_type[key] = validation
        else:
            return
        validation.add(ref)

    def _choice_list(self, choices: tuple[str, ...]) -> DataValidation:
        column = len(self.by_choices) + 1
        letter = get_column_letter(column)
        for row, choice in enumerate(choices, start=1):
            set_text(self.lists.cell(row, column), choice)  # referenced, never in a formula
        source = f"{quote_sheetname(L.LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"
        return DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            promptTitle="Choose from the list",
            prompt="Pick the entry that fits best; explain in the Comment column.",
            errorTitle="Not one of the choices",
            error="Pick one of the entries in the drop-down list.",
        )

    def install(self) -> None:
        for validation in [*self.by_type.values(), *self.by_choices.values()]:
            self.sheet.add_data_validation(validation)


_SIMPLE = frozenset(
    {AnswerType.YES_NO, AnswerType.NUMBER, AnswerType.PERCENT, AnswerType.CURRENCY, AnswerType.DATE}
)


class _Rule(NamedTuple):
    """Excel's data validation for an answer type: what it allows and what it tells the vendor."""

    kind: str
    operator: str | None
    formula1: str
    formula2: str | None
    title: str
    prompt: str  # "{unit_note}": where the unit, if any, is named
    error_title: str
    error: str


_RULES = {
    AnswerType.YES_NO: _Rule(
        "list", None, '"Yes,No"', None,
        "Yes or No", "Pick Yes or No; add conditions in the Comment column.",
        "Yes or No", "Pick Yes or No from the drop-down list.",
    ),
    AnswerType.PERCENT: _Rule(
        "decimal", "between", "0", "100",
        "Percentage", "Type a percentage from 0 to 100, e.g. 35 or 35%.",
        "Not a percentage", "Type a number from 0 to 100, e.g. 35 or 35%.",
    ),
    AnswerType.CURRENCY: _Rule(
        "decimal", "greaterThanOrEqual", "0", None,
        "Amount", "Type the amount as a number only, e.g. 1250000.{unit_note}",
        "Not an amount", "Type the amount as a number of 0 or more.",
    ),
    AnswerType.DATE: _Rule(
        "date", "greaterThan", "1", None,
        "Date", "Type the date as YYYY-MM-DD, e.g. 2025-03-31.",
        "Not a date", "Type the date as YYYY-MM-DD, e.g. 2025-03-31.",
    ),
    AnswerType.NUMBER: _Rule(
        "decimal", "between", "-1000000000000", "1000000000000",
        "Number", "Type the number only, e.g. 24.{unit_note}",
        "Not a number", "Type a number only; put any remark in the Comment.",
    ),
}  # fmt: skip


def _simple_validation(answer_type: AnswerType, unit: str) -> DataValidation:
    rule = _RULES.get(answer_type, _RULES[AnswerType.NUMBER])
    unit = plain_text(unit, 60)  # user text in a prompt Excel caps at 255 characters
    unit_note = f" The unit is {unit}." if unit else ""
    return DataValidation(
        type=rule.kind,
        operator=rule.operator,
        formula1=rule.formula1,
        formula2=rule.formula2,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=rule.title,
        prompt=rule.prompt.format(unit_note=unit_note),
        errorTitle=rule.error_title,
        error=rule.error,
    )


def write_questionnaire_template(
    db: Database, evaluation: EvalRef, target: str | Path, candidate: str | None = None
) -> TemplateSummary:
    """Write the template (blank, or for one candidate) to `target`, atomically."""
    from evaluator.services import load_evaluation

    data = load_evaluation(db, evaluation)
    chosen = find_candidate(data, candidate) if candidate else None
    workbook = build_questionnaire(data, chosen)
    target = Path(target)
    with atomic_path(target) as temp:
        workbook.save(temp)
    specs = questionnaire_questions(data.criteria)
    return TemplateSummary(
        target, len(specs), chosen.name if chosen else "", question_set_fingerprint(specs)
    )
