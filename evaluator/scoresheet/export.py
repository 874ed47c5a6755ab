"""Export one committee member's scoresheet for offline scoring.

One row per candidate and rated criterion, with the rubric beside it, a drop-down on the scale
and a justification column; the member's existing scores are filled in (an abstention as a blank
score beside its reason). Candidates the member declared a conflict with are left out: their
scores would not be taken. During blind scoring a sheet holding scores goes only to its member
(or to the chair looking at live results, audited): see `evaluator.visibility`. The very hidden
metadata sheet records, for every row, the score and a digest of the justification as they
were at export time: on import that is the common ancestor of the sheet and the database, so
a score changed in the database meanwhile is recognised as a conflict rather than overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evaluator.atomic import atomic_path
from evaluator.db import Database
from evaluator.domain import EvaluationData, Evaluator, Scale, Score
from evaluator.identity import Identity
from evaluator.names import find_named
from evaluator.questionnaire import sheetstyle as S
from evaluator.questionnaire.fingerprint import write_metadata
from evaluator.records import EvalRef, ServiceError
from evaluator.scoresheet import layout as L
from evaluator.xlsx_text import set_formula, set_properties, set_text

WIDTHS = (22, 0.0, 18, 28, 62, 9, 46)


@dataclass(frozen=True)
class ScoresheetSummary:
    path: Path
    evaluator: str
    rows: int
    filled: int  # rows that already had a score


def find_evaluator(data: EvaluationData, name: str) -> Evaluator:
    """A committee member by exact name, else by name ignoring case and spacing."""
    return find_named(data.evaluators, name, data.name, "committee member", "members")


def _value(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def build_scoresheet(data: EvaluationData, member: Evaluator) -> tuple[Workbook, int, int]:
    """(workbook, rows, rows already scored) for one committee member."""
    allowed = [c for c in data.candidates if not member.conflicted_with(c.id)]
    data = replace(data, candidates=allowed)
    leaves = L.rated_leaves(data.criteria)
    if not leaves or not data.candidates:
        what = "rated criteria" if not leaves else "candidates"
        raise ServiceError(f"evaluation {data.name!r} has no {what} to score yet")
    shown = {c.id for c in data.candidates}
    mine = {
        (s.candidate_id, s.criterion_key): s
        for s in data.scores
        if s.evaluator_id == member.id and s.candidate_id in shown
    }
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = L.INSTRUCTIONS_SHEET
    sheet = workbook.create_sheet(L.SCORES_SHEET)
    _instructions(instructions, data, member, len(leaves))
    items = _scores_sheet(sheet, data, member, leaves, mine)
    write_metadata(
        workbook,
        (L.FORMAT_NAME, L.FORMAT_VERSION),
        data,
        {
            "evaluator": member.name,
            "evaluator_id": member.id,
            "scale_min": data.scale.minimum,
            "scale_max": data.scale.maximum,
            "fingerprint": L.criteria_fingerprint(leaves, data.scale),
        },
        L.ITEM_HEADER,
        items,
    )
    set_properties(workbook, title=f"{data.name}: scoresheet of {member.name}")
    workbook.active = 1
    return workbook, len(items), len(mine)


def _instructions(sheet: Any, data: EvaluationData, member: Evaluator, leaves: int) -> None:
    scale = data.scale
    facts = [("Evaluation", data.name), ("Committee member", member.name)]
    if member.role:
        facts.append(("Role", member.role))
    if member.conflict_of_interest:
        facts.append(("Declared conflict", member.conflict_of_interest))
    facts += [
        ("Scale", f"whole numbers from {scale.minimum} to {scale.maximum}"),
        ("To score", f"{len(data.candidates)} candidates \u00d7 {leaves} criteria"),
    ]
    steps = [
        f"On the {L.SCORES_SHEET} sheet, pick a score from the drop-down in the Score column "
        "(pale-yellow) for each candidate and criterion. The column beside it says what each "
        "point of the scale means.",
        "Write a justification for every score: what you saw or read that supports it. A score "
        "without a justification is not imported.",
        "Your scores already in SupportScope are filled in; change them if your view changed. "
        "Leaving a score blank never deletes a score on record. Where you abstained, the score "
        "is blank and your reason stands beside it: pick a score to replace the abstention.",
        "You may filter by candidate or category; do not change the Candidate and Criterion id "
        "columns, which identify each row.",
        "Save as an Excel Workbook (.xlsx), without a password, and give it to the chair. If a "
        "score was also changed in SupportScope meanwhile, the chair decides which one stands.",
    ]
    S.instructions_sheet(sheet, "Evaluator scoresheet", facts, steps, [S.PASSWORDLESS_NOTE])


def _scores_sheet(
    sheet: Any,
    data: EvaluationData,
    member: Evaluator,
    leaves: list[L.RatedLeaf],
    mine: dict[tuple[int, str], Score],
) -> list[tuple[object, ...]]:
    id_width = float(min(30, max(12, *(len(leaf.key) + 2 for leaf in leaves))))
    widths = list(WIDTHS)
    widths[1] = id_width
    S.set_widths(sheet, widths)
    last_column = len(L.HEADERS)
    last_letter = get_column_letter(last_column)
    scale = data.scale
    rows = len(leaves) * len(data.candidates)
    last = L.FIRST_ROW + rows - 1

    set_text(sheet.cell(L.TITLE_ROW, 1), f"{data.name}: scoresheet").font = S.TITLE_FONT
    sheet.merge_cells(f"A{L.TITLE_ROW}:{last_letter}{L.TITLE_ROW}")
    sheet.row_dimensions[L.TITLE_ROW].height = 28
    set_text(sheet.cell(L.MEMBER_ROW, 1), "Committee member").font = S.LABEL_FONT
    who = member.name + (f", {member.role}" if member.role else "")
    set_text(sheet.cell(L.MEMBER_ROW, 2), who).font = S.LABEL_FONT
    score_letter = get_column_letter(L.SCORE_COLUMN)
    set_formula(
        sheet.cell(L.MEMBER_ROW, L.HEADERS.index(L.RUBRIC_HEADER) + 1),
        f'=COUNT({score_letter}{L.FIRST_ROW}:{score_letter}{last})&" of {rows} scored"',
    ).font = S.LABEL_FONT
    hint = set_text(
        sheet.cell(L.HINT_ROW, 1),
        f"Scores are whole numbers from {scale.minimum} to {scale.maximum}; every score needs a "
        "justification. Type in the pale-yellow cells only.",
    )
    hint.font = S.MUTED_FONT
    sheet.merge_cells(f"A{L.HINT_ROW}:{last_letter}{L.HINT_ROW}")
    S.header_row(sheet, L.HEADER_ROW, L.HEADERS)

    rubrics = {leaf.key: L.rubric_text(leaf.rubric, scale) for leaf in leaves}
    validation = _score_validation(scale)
    items: list[tuple[object, ...]] = []
    row = L.FIRST_ROW
    for candidate in data.candidates:
        for index, leaf in enumerate(leaves):
            score = mine.get((candidate.id, leaf.key))
            value = None if score is None or score.abstained else _value(score.value)
            S.locked_cell(sheet.cell(row, 1), candidate.name, bold=index == 0)
            S.locked_cell(sheet.cell(row, 2), leaf.key)
            S.locked_cell(sheet.cell(row, 3), leaf.category)
            S.locked_cell(sheet.cell(row, 4), leaf.name)
            S.locked_cell(sheet.cell(row, 5), rubrics[leaf.key])
            score_cell = sheet.cell(row, L.SCORE_COLUMN)
            S.input_cell(score_cell, value)
            score_cell.alignment = S.CENTER_TOP
            S.input_cell(
                sheet.cell(row, L.JUSTIFICATION_COLUMN), score.justification if score else None
            )
            S.fit_row_height(
                sheet,
                row,
                [
                    (candidate.name, widths[0]),
                    (leaf.key, widths[1]),
                    (leaf.category, widths[2]),
                    (leaf.name, widths[3]),
                    (rubrics[leaf.key], widths[4]),
                    (score.justification if score else "", widths[6]),
                ],
                2,
            )
            items.append(
                (
                    candidate.id,
                    candidate.name,
                    leaf.key,
                    "" if value is None else f"{value:.12g}",
                    "" if score is None else L.justification_digest(score.justification),
                )
            )
            row += 1
    validation.add(f"{score_letter}{L.FIRST_ROW}:{score_letter}{last}")
    sheet.add_data_validation(validation)
    sheet.freeze_panes = f"A{L.FIRST_ROW}"
    sheet.auto_filter.ref = f"A{L.HEADER_ROW}:{last_letter}{last}"
    S.protect(sheet)
    S.print_setup(sheet, L.HEADER_ROW, last, last_column, data.name, member.name)
    return items


def _score_validation(scale: Scale) -> DataValidation:
    prompt = f"Pick a whole number from {scale.minimum} to {scale.maximum}."
    common: dict[str, Any] = {
        "allow_blank": True,
        "showInputMessage": True,
        "showErrorMessage": True,
        "promptTitle": "Score",
        "prompt": prompt,
        "errorTitle": "Not on the scale",
        "error": prompt,
    }
    if scale.span + 1 <= L.DROPDOWN_MAX_POINTS:
        points = ",".join(str(p) for p in scale.points())
        return DataValidation(type="list", formula1=f'"{points}"', **common)
    return DataValidation(
        type="whole",
        operator="between",
        formula1=str(scale.minimum),
        formula2=str(scale.maximum),
        **common,
    )


def write_scoresheet(
    db: Database,
    evaluation: EvalRef,
    evaluator: str,
    target: str | Path,
    *,
    viewer: Identity | None = None,
    live_view: bool = False,
    why: str = "scoresheet export",
) -> ScoresheetSummary:
    """Write one committee member's scoresheet to `target`, atomically, if `viewer` may have
    it now (`evaluator.visibility.require_scoresheet_view`; a refusal writes nothing). The
    chair's look at live results (`live_view`) is recorded with `why` before the file is made."""
    from evaluator.services import load_evaluation
    from evaluator.services.process import view_live_results
    from evaluator.visibility import require_scoresheet_view

    data = load_evaluation(db, evaluation)
    member = find_evaluator(data, evaluator)
    if require_scoresheet_view(data, viewer, member, live_view):
        view_live_results(db, data.id, f"{why}: {member.name}", actor=viewer)
    workbook, rows, filled = build_scoresheet(data, member)
    target = Path(target)
    with atomic_path(target) as temp:
        workbook.save(temp)
    return ScoresheetSummary(target, member.name, rows, filled)
