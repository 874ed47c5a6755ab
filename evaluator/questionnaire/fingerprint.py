"""Hidden metadata in the workbooks we send out, and fingerprints of what they were made from.

A questionnaire or scoresheet comes back weeks later, possibly after the criteria were edited.
The workbook therefore carries, on a very hidden sheet, the evaluation it was made for and a
fingerprint of its question set (one digest per question plus one for the whole set), so that
an import can say "this file is from another evaluation" or "these three questions changed
since the file was sent" instead of silently mixing answers to different questions.

The sheet is plain cells (key/value pairs, then one row per item), written by openpyxl and read
back in bounded ranges like every other cell from outside: a hand-edited or forged metadata
sheet can mislead an import, never crash it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from evaluator.domain import Criterion, CriterionKind, EvaluationData, Question
from evaluator.version import app_version

META_SHEET = "_supportscope"
META_TITLE = "SupportScope metadata: do not edit this sheet"
FIELDS_FIRST_ROW = 2
FIELDS_LAST_ROW = 29  # key/value pairs live in A2:B29
ITEMS_HEADER_ROW = 30
ITEMS_FIRST_ROW = 31
ITEM_COLUMNS = 6
MAX_ITEMS = 200_000  # a forged item count never makes a reader walk further than this


@dataclass(frozen=True)
class QuestionSpec:
    """One questionnaire row: a leaf's question with where it sits in the tree."""

    key: str
    category: str
    criterion: str
    kind: CriterionKind
    question: Question


def questionnaire_questions(roots: Sequence[Criterion]) -> list[QuestionSpec]:
    """Every leaf with a question, in tree order; the category is the path of its parents."""
    found: list[QuestionSpec] = []

    def visit(node: Criterion, path: tuple[str, ...]) -> None:
        if node.is_leaf:
            if node.question is not None:
                category = " / ".join(path)
                found.append(QuestionSpec(node.key, category, node.name, node.kind, node.question))
            return
        for child in node.children:
            visit(child, (*path, node.name))

    for root in roots:
        visit(root, ())
    return found


def digest(parts: object, length: int = 16) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def question_digest(spec: QuestionSpec) -> str:
    """Changes when what a vendor answers changes: wording, type, choices or unit."""
    q = spec.question
    return digest([spec.key, q.text, q.answer_type.value, list(q.choices), q.unit])


def set_fingerprint(digests: dict[str, str]) -> str:
    """One digest for a whole set (order-free: rows are matched by id, not position)."""
    return digest(sorted(digests.items()), 32)


def question_set_fingerprint(specs: Sequence[QuestionSpec]) -> str:
    return _set_fingerprint(tuple(specs))


@lru_cache(maxsize=8)
def _set_fingerprint(specs: tuple[QuestionSpec, ...]) -> str:
    """Kept per question set: a batch of 50 files is read against the same 500 questions."""
    return set_fingerprint({spec.key: question_digest(spec) for spec in specs})


def text_digest(text: str) -> str:
    """A short digest of a free text (a justification) for change detection."""
    return digest([text], 12)


# ---- the metadata sheet --------------------------------------------------------------------


@dataclass
class Metadata:
    """What a workbook says about itself; every field may be missing or forged."""

    fields: dict[str, str] = field(default_factory=dict)
    items: list[tuple[str, ...]] = field(default_factory=list)

    def text(self, name: str) -> str:
        return self.fields.get(name, "")

    def integer(self, name: str) -> int | None:
        try:
            return int(float(self.fields.get(name, "")))
        except (TypeError, ValueError, OverflowError):
            return None


def write_metadata(
    workbook: Any,
    file_format: tuple[str, str],
    data: EvaluationData,
    own_fields: dict[str, object],
    item_header: Sequence[str] = (),
    items: Sequence[Sequence[object]] = (),
) -> None:
    """Add the very hidden metadata sheet: the format (name, version) and the evaluation, the
    file's `own_fields`, when and by which version it was made; all must fit in rows 2..29.
    Values are stored as `stored_text` makes them (control characters shown as symbols), so
    readers compare names through `stored_text` too."""
    from evaluator.xlsx_text import set_text

    fields = {
        "format": file_format[0],
        "format_version": file_format[1],
        "evaluation_id": data.id,
        "evaluation_name": data.name,
        **own_fields,
        "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "app_version": app_version(),
    }
    if len(fields) > FIELDS_LAST_ROW - FIELDS_FIRST_ROW + 1:
        raise ValueError("too many metadata fields")
    sheet = workbook.create_sheet(META_SHEET)
    sheet.sheet_state = "veryHidden"
    set_text(sheet["A1"], META_TITLE)
    for row, (name, value) in enumerate(fields.items(), start=FIELDS_FIRST_ROW):
        set_text(sheet.cell(row, 1), name)
        set_text(sheet.cell(row, 2), value)  # names are user text: never a formula
    set_text(sheet.cell(FIELDS_LAST_ROW, 1), "item_count")
    set_text(sheet.cell(FIELDS_LAST_ROW, 2), str(len(items)))
    for column, name in enumerate(item_header, start=1):
        set_text(sheet.cell(ITEMS_HEADER_ROW, column), name)
    for row, item in enumerate(items, start=ITEMS_FIRST_ROW):
        for column, value in enumerate(item[:ITEM_COLUMNS], start=1):
            set_text(sheet.cell(row, column), value)
    sheet.protection.sheet = True


def read_metadata(workbook: Any, max_items: int) -> Metadata | None:
    """The metadata sheet's fields and at most `max_items` items (0: fields only), or None
    when the workbook has no metadata sheet."""
    from evaluator.workbook_guard import read_range

    if META_SHEET not in workbook.sheetnames:
        return None
    sheet = workbook[META_SHEET]
    fields: dict[str, str] = {}
    for name_cell, value_cell in read_range(sheet, FIELDS_FIRST_ROW, FIELDS_LAST_ROW, 1, 2):
        if name_cell.value is not None:
            fields[_cell_text(name_cell.value)] = _cell_text(value_cell.value)
    meta = Metadata(fields)
    declared = meta.integer("item_count") or 0
    count = max(0, min(declared, max_items, MAX_ITEMS))
    if count:
        last = ITEMS_FIRST_ROW + count - 1
        for row in read_range(sheet, ITEMS_FIRST_ROW, last, 1, ITEM_COLUMNS):
            meta.items.append(tuple(_cell_text(cell.value) for cell in row))
    return meta


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
