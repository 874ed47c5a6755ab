"""Read a filled scoresheet into rows and problems, touching only bounded ranges.

Rows are matched by (candidate, criterion id), never by position. A candidate is recognised by
the name it had at export (the metadata maps it to a stable id, so a rename in the meantime is
harmless) or by its current name. Scores must be whole numbers on the evaluation's scale, and a
score needs a justification; each refusal names the sheet and cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluator.answers import FORMULA_MESSAGE, format_cell_problem
from evaluator.domain import EvaluationData, Scale
from evaluator.questionnaire.fingerprint import META_SHEET, Metadata, read_metadata
from evaluator.questionnaire.problems import (
    ImportRefused,
    ReadFile,
    error,
    refuse_other_format,
    warning,
)
from evaluator.scoresheet import layout as L
from evaluator.workbook_guard import CellValue, Limits, find_header_row, open_workbook_checked
from evaluator.xlsx_text import stored_text

DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SheetScore:
    """One scored row: a whole number on the scale and its justification."""

    candidate_id: int
    criterion_key: str
    cell: str  # "Scores!F12"
    value: float | None  # None: left blank
    justification: str


@dataclass
class ScoresheetFile(ReadFile):
    rows: list[SheetScore] = field(default_factory=list)


def read_scoresheet(
    path: Path, data: EvaluationData, limits: Limits = DEFAULT_LIMITS
) -> ScoresheetFile:
    """Parse a scoresheet against an evaluation; raises WorkbookRejected or ImportRefused."""
    from evaluator.workbook_guard import read_range

    path = Path(path)
    leaves = {leaf.key: leaf for leaf in L.rated_leaves(data.criteria)}
    expected = len(leaves) * max(len(data.candidates), 1)
    with open_workbook_checked(path, limits, data_only=True) as checked:
        workbook = checked.workbook
        metadata = read_metadata(workbook, expected + L.ROW_MARGIN_MIN)
        refuse_other_format(metadata, L.FORMAT_NAME, path.name)
        sheet, header = _find_table(workbook, path.name)
        columns = header.columns
        first_col, last_col = min(columns.values()), max(columns.values())
        last_row = header.row + expected + max(L.ROW_MARGIN_MIN, expected // 10)
        grid = read_range(sheet, header.row + 1, last_row, first_col, last_col)
        info = checked.info
    result = ScoresheetFile(
        info.file_name, info.sha256, sheet.title, metadata, notices=info.notices
    )
    names = _candidate_names(data, metadata)
    seen: dict[tuple[int, str], int] = {}

    def at(cells: tuple[CellValue, ...], header_name: str) -> CellValue:
        return cells[columns[header_name] - first_col]

    for cells in grid:
        name_cell, id_cell = at(cells, L.CANDIDATE_HEADER), at(cells, L.ID_HEADER)
        score_cell = at(cells, L.SCORE_HEADER)
        text_cell = at(cells, L.JUSTIFICATION_HEADER)
        name, key = _text(name_cell.value), _text(id_cell.value)
        if not name and not key:
            continue
        if key == L.ID_HEADER:
            continue  # a repeated header row
        where = format_cell_problem(sheet.title, score_cell.ref, "").removesuffix(": ")
        candidate_id = names.get(name) or names.get(name.casefold())
        if candidate_id is None or key not in leaves:
            if score_cell.value is not None:
                what = f"candidate {name!r}" if candidate_id is None else f"criterion {key!r}"
                result.problems.append(
                    warning(f"{where}: {what} is not in this evaluation; the row is ignored")
                )
            continue
        if (candidate_id, key) in seen:
            result.problems.append(
                error(
                    f"{where}: {name} / {key} appears again (first in row "
                    f"{seen[(candidate_id, key)]}); keep one row each",
                    key,
                    where,
                )
            )
            continue
        seen[(candidate_id, key)] = score_cell.row
        value, problem = parse_score(score_cell.value, data.scale)
        justification = _text(text_cell.value)
        if problem is not None:
            result.problems.append(error(f"{where}: {problem}", key, where))
            continue
        if value is not None and not justification:
            ref = format_cell_problem(sheet.title, text_cell.ref, "")
            result.problems.append(
                error(f"{ref}a justification is required for the score {value:g}", key, where)
            )
            continue
        result.rows.append(SheetScore(candidate_id, key, where, value, justification))
    return result


def parse_score(raw: object, scale: Scale) -> tuple[float | None, str | None]:
    """(value, None), (None, None) for a blank, or (None, message) for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    shown = _text(raw)
    if isinstance(raw, str) and raw.strip().startswith("="):
        return None, FORMULA_MESSAGE
    if isinstance(raw, bool):
        return None, f"{shown} is not a score: pick a whole number from the drop-down"
    try:
        value = float(raw.strip().replace(",", ".")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None, f"{shown!r} is not a score: pick a whole number from the drop-down"
    if not math.isfinite(value) or not scale.contains(value) or not value.is_integer():
        return None, (
            f"{shown} is not a score on the scale: pick a whole number from {scale.minimum} to "
            f"{scale.maximum}"
        )
    return value, None


def _candidate_names(data: EvaluationData, metadata: Metadata | None) -> dict[str, int]:
    """Names (exact and case-folded) that identify each candidate, export-time names first."""
    current = {c.id for c in data.candidates}
    names: dict[str, int] = {}
    for candidate in data.candidates:
        shown = stored_text(candidate.name)  # as the sheet shows it (control characters too)
        for name in (candidate.name, shown):
            names.setdefault(name, candidate.id)
            names.setdefault(name.casefold(), candidate.id)
    for item in metadata.items if metadata else []:
        if len(item) >= 2 and item[0].isdigit() and int(item[0]) in current and item[1]:
            names[item[1]] = int(item[0])
            names.setdefault(item[1].casefold(), int(item[0]))
    return names


def _find_table(workbook: Any, file_name: str) -> tuple[Any, Any]:
    needed = [L.CANDIDATE_HEADER, L.ID_HEADER, L.SCORE_HEADER, L.JUSTIFICATION_HEADER]
    sheets = [
        ws
        for ws in workbook.worksheets[: L.MAX_SHEETS_SEARCHED]
        if hasattr(ws, "iter_rows") and ws.title != META_SHEET
    ]
    for sheet in sorted(sheets, key=lambda ws: ws.title != L.SCORES_SHEET):
        header = find_header_row(sheet, needed)
        if header is not None:
            return sheet, header
    raise ImportRefused(
        file_name,
        "has no scoresheet table (no sheet has a header row with "
        + ", ".join(repr(n) for n in needed)
        + " in its first 20 rows)",
        "import a scoresheet exported by SupportScope, with its header row in place",
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
