"""Read a filled questionnaire into parsed answers and problems, touching only bounded ranges.

The file goes through the workbook guard first (type sniffing, zip limits, defusedxml) and is
opened read-only. The table is found by its header labels within the first rows of any sheet,
so moved, renamed or reordered layouts still import; rows are matched by question id and only
`questions + margin` rows below the header are ever read, never the sheet's declared size.
Formula cells are told apart from blanks: the first pass reads formulas as text; only when it
finds some is the file opened a second time to read their saved values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import pairwise
from pathlib import Path
from typing import Any

from evaluator.answers import FORMULA_MESSAGE, ParsedAnswer, format_cell_problem, parse_answer
from evaluator.questionnaire import layout as L
from evaluator.questionnaire.fingerprint import (
    META_SHEET,
    QuestionSpec,
    question_set_fingerprint,
    read_metadata,
)
from evaluator.questionnaire.problems import (
    ImportRefused,
    Problem,
    ReadFile,
    error,
    refuse_other_format,
    warning,
)
from evaluator.workbook_guard import (
    CellValue,
    Limits,
    find_header_row,
    open_workbook_checked,
    read_range,
)

DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class CellAnswer:
    """One question's row as found in the file."""

    key: str
    row: int
    cell: str  # "Questionnaire!E14"
    parsed: ParsedAnswer
    raw: str  # what the cell showed, kept with the answer for the record
    comment: str


@dataclass
class QuestionnaireFile(ReadFile):
    """Everything read from one file; `answers` holds the rows whose id is a known question."""

    typed_candidate: str  # what was typed into the Candidate cell (blank templates)
    answers: dict[str, CellAnswer] = field(default_factory=dict)
    fingerprint: str = ""  # of the questions it was read against, when it has metadata


@dataclass(frozen=True)
class _Row:
    key: str
    row: int
    answer: CellValue
    comment: CellValue | None


def read_questionnaire(
    path: Path, questions: Sequence[QuestionSpec], limits: Limits = DEFAULT_LIMITS
) -> QuestionnaireFile:
    """Parse a questionnaire against the evaluation's questions; raises WorkbookRejected or
    ImportRefused when the file cannot be used at all."""
    path = Path(path)
    specs = {spec.key: spec for spec in questions}
    with open_workbook_checked(path, limits, data_only=False) as checked:
        workbook = checked.workbook
        date1904 = _is_1904(workbook)
        metadata = read_metadata(workbook, 0)
        refuse_other_format(metadata, L.FORMAT_NAME, path.name)
        fingerprint = question_set_fingerprint(questions) if metadata else ""
        if metadata and metadata.text("fingerprint") != fingerprint:
            # an older question set: the per-question digests say which questions changed
            metadata = read_metadata(workbook, len(specs) + max(L.ROW_MARGIN_MIN, len(specs)))
        sheet, header = _find_table(workbook, path.name)
        title = sheet.title
        typed_candidate = _typed_candidate(sheet, header.row)
        rows, problems = _table_rows(sheet, header, specs, len(specs))
        info = checked.info
    formulas = [r for r in rows if _is_formula_cell(r.answer) or _is_formula_cell(r.comment)]
    saved = _saved_values(path, title, formulas, limits, info.sha256) if formulas else {}
    result = QuestionnaireFile(
        info.file_name,
        info.sha256,
        title,
        metadata,
        typed_candidate,
        problems=problems,
        notices=info.notices,
        fingerprint=fingerprint,
    )
    sheet_prefix = format_cell_problem(title, "", "").removesuffix(": ")  # "Questionnaire!"
    for row in rows:
        answer, comment = saved.get(row.row, (row.answer, row.comment))
        spec = specs[row.key]
        cell = sheet_prefix + answer.ref
        if _is_formula_cell(answer):
            parsed = ParsedAnswer(error=FORMULA_MESSAGE)
        else:
            parsed = parse_answer(
                answer.value,
                spec.question.answer_type,
                spec.question.choices,
                is_percent_format=answer.is_percent_format,
                date1904=date1904,
                formulas_told_apart=True,  # a string cell starting with "=" is text
            )
        comment_text = "" if comment is None or _is_formula_cell(comment) else _text(comment)
        result.answers[row.key] = CellAnswer(
            row.key, row.row, cell, parsed, _raw_text(answer), comment_text
        )
        if parsed.error is not None:
            result.problems.append(
                error(format_cell_problem(title, answer.ref, parsed.error), row.key, cell)
            )
        elif parsed.is_unanswered:
            result.problems.append(warning(f"{cell}: unanswered", row.key, cell))
    for key in specs:
        if key not in result.answers and not any(p.key == key for p in problems):
            result.problems.append(
                warning(f"question {key} is not in the file (no row has this id)", key)
            )
    return result


def _is_1904(workbook: Any) -> bool:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    return getattr(workbook, "epoch", None) == CALENDAR_MAC_1904


def _worksheets(workbook: Any) -> list[Any]:
    """The worksheets to search, the template's sheet first; never chart or metadata sheets."""
    sheets = [
        ws
        for ws in workbook.worksheets[: L.MAX_SHEETS_SEARCHED]
        if hasattr(ws, "iter_rows") and ws.title not in (META_SHEET, L.LISTS_SHEET)
    ]
    return sorted(sheets, key=lambda ws: ws.title != L.QUESTIONNAIRE_SHEET)


def _find_table(workbook: Any, file_name: str) -> tuple[Any, Any]:
    for sheet in _worksheets(workbook):
        header = find_header_row(
            sheet,
            [L.ID_HEADER, L.ANSWER_HEADER],
            [L.COMMENT_HEADER],
            search_rows=L.HEADER_SEARCH_ROWS,
        )
        if header is not None:
            return sheet, header
    raise ImportRefused(
        file_name,
        f"has no questionnaire table (no sheet has a header row with '{L.ID_HEADER}' and "
        f"'{L.ANSWER_HEADER}' in its first {L.HEADER_SEARCH_ROWS} rows)",
        "import a questionnaire made by SupportScope, with its header row in place",
    )


def _typed_candidate(sheet: Any, header_row: int) -> str:
    """The value right of a 'Candidate' label above the header (bounded: a few cells)."""
    if header_row <= 1:
        return ""
    for row in read_range(sheet, 1, header_row - 1, 1, 4):
        for left, right in pairwise(row):
            if isinstance(left.value, str) and left.value.strip(" :").casefold() == "candidate":
                return " ".join(_text(right).split())
    return ""


def _table_rows(
    sheet: Any, header: Any, specs: dict[str, QuestionSpec], expected: int
) -> tuple[list[_Row], list[Problem]]:
    """The rows with a known, unique question id, and problems with the others."""
    columns = header.columns
    id_col, answer_col = columns[L.ID_HEADER], columns[L.ANSWER_HEADER]
    comment_col = columns.get(L.COMMENT_HEADER)
    used = [c for c in (id_col, answer_col, comment_col) if c is not None]
    first_col, last_col = min(used), max(used)
    first_row = header.row + 1
    last_row = header.row + expected + max(L.ROW_MARGIN_MIN, expected)
    folded = {key.casefold(): key for key in specs}
    title = sheet.title
    rows: list[_Row] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    duplicated: set[str] = set()
    for cells in read_range(sheet, first_row, last_row, first_col, last_col, pad=False):
        id_cell = cells[id_col - first_col]
        answer = cells[answer_col - first_col]
        comment = cells[comment_col - first_col] if comment_col is not None else None
        raw_id = _text(id_cell)
        if not raw_id:
            if _text(answer):
                problems.append(
                    warning(
                        format_cell_problem(
                            title, answer.ref, "an answer in a row without a question id is ignored"
                        )
                    )
                )
            continue
        key = raw_id if raw_id in specs else folded.get(raw_id.casefold())
        if raw_id.casefold() == L.ID_HEADER.casefold():
            continue  # a repeated header row, e.g. after copying the table
        if key is None and (_text(answer) or _text(comment)):
            problems.append(
                warning(
                    format_cell_problem(
                        title,
                        id_cell.ref,
                        f"question id {raw_id!r} is not in this evaluation; the row is ignored",
                    )
                )
            )
        if key is None:
            continue  # a note row, or a question removed from the evaluation
        if key in seen:
            duplicated.add(key)
            problems.append(
                error(
                    format_cell_problem(
                        title,
                        id_cell.ref,
                        f"question {key} appears again (first in row {seen[key]}); keep one row "
                        "per question",
                    ),
                    key,
                )
            )
            continue
        seen[key] = id_cell.row
        rows.append(_Row(key, id_cell.row, answer, comment))
    return [r for r in rows if r.key not in duplicated], problems


def _saved_values(
    path: Path, title: str, rows: list[_Row], limits: Limits, sha256: str
) -> dict[int, tuple[CellValue, CellValue | None]]:
    """The saved (cached) values of formula cells, from a second, data-only reading."""
    first_row, last_row = min(r.row for r in rows), max(r.row for r in rows)
    columns = [r.answer.column for r in rows] + [r.comment.column for r in rows if r.comment]
    first_col, last_col = min(columns), max(columns)
    with open_workbook_checked(path, limits, data_only=True) as checked:
        if checked.info.sha256 != sha256:
            raise ImportRefused(
                path.name, "changed while it was being read", "import it again once it is saved"
            )
        grid = read_range(checked.workbook[title], first_row, last_row, first_col, last_col)
    saved: dict[int, tuple[CellValue, CellValue | None]] = {}
    for r in rows:
        line = grid[r.row - first_row]
        answer = _saved(r.answer, line[r.answer.column - first_col])
        comment = r.comment
        if comment is not None:
            comment = _saved(comment, line[comment.column - first_col])
        saved[r.row] = (answer, comment)
    return saved


def _saved(original: CellValue, cached: CellValue) -> CellValue:
    """A formula cell's saved value; the formula itself when none was saved."""
    if not _is_formula_cell(original) or cached.value is None:
        return original
    return cached


def _is_formula_cell(cell: CellValue | None) -> bool:
    """A formula, not text that starts with "=" (our templates write such text as text)."""
    return cell is not None and cell.is_formula


def _text(cell: CellValue | None) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _raw_text(cell: CellValue) -> str:
    """The answer as the cell showed it, for the record (percent-formatted numbers as 35%)."""
    value = cell.value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float) and cell.is_percent_format:
        return f"{value * 100:.10g}%"
    if isinstance(value, int | float):
        return f"{value:.12g}"
    return _text(cell)[:2000]
