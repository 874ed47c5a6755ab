"""An evaluation's audit trail as rows to browse, filter and export (the window's audit viewer).

Each row carries the entry as recorded plus what it is about, resolved to names: the member
whose score it is, the candidate, the criterion. Refs name things in machine form
(evaluator.changes.context); names come from the current rows and, for things since removed or
renamed, from the trail's own add/rename entries. Entries carried over by a load speak in the
refs of the database they came from (until refs use stable uids), so they are resolved apart.

`write_csv` and `write_xlsx` export rows (all or the filtered ones) atomically; the workbook
puts every user text through the one safe writer (text, never a formula).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from evaluator.atomic import atomic_path
from evaluator.audit_chain import at_text
from evaluator.audit_verify import read_chain
from evaluator.changes.context import (
    REFS_SURVIVE_A_MOVE,
    ref_subjects,
    stored_person_ref,
)
from evaluator.db import Database
from evaluator.models import CandidateRow, CriterionRow, EvaluatorRow
from evaluator.records import EvalRef, get_evaluation
from evaluator.xlsx_text import needs_quote_prefix, write_table


@dataclass(frozen=True)
class TrailRow:
    id: int
    at: datetime  # UTC, naive
    actor: str  # the member or chair (or OS user) who acted
    context: str  # OS user@machine
    action: str
    target: str
    old: str
    new: str
    why: str
    ref: str
    imported: bool
    hash: str
    member: str = ""  # whose score the entry is about (a name), "" when none
    candidate: str = ""  # the candidate it is about (a name)
    criterion: str = ""  # the criterion's key

    @property
    def change(self) -> str:
        """old → new as the viewer shows it."""
        if self.old and self.new:
            return f"{self.old} → {self.new}"
        if self.old:
            return f"{self.old} → (cleared)"
        return self.new


_NAMING = {  # action -> the field holding the name it gives its ref's subject
    "add candidate": "target",
    "restore candidate": "target",
    "remove candidate": "target",
    "rename candidate": "new",
    "add evaluator": "target",
    "restore evaluator": "target",
    "remove evaluator": "target",
    "rename evaluator": "new",
}


def read_trail(db: Database, evaluation: EvalRef) -> list[TrailRow]:
    """Every entry of the evaluation, oldest first, with its subjects resolved to names."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        entries = list(read_chain(session, ev.id))
        names: dict[tuple[bool, str], str] = {}
        for entry in entries:  # names as the trail gave them, the latest winning
            field = _NAMING.get(entry.action)
            if field and entry.ref:
                names[_space(entry.imported), entry.ref] = getattr(entry, field)
        for model, noun in ((CandidateRow, "candidate"), (EvaluatorRow, "evaluator")):
            for row in session.execute(
                select(model.id, model.uid, model.name).where(model.evaluation_id == ev.id)
            ):
                names[False, stored_person_ref(row, noun)] = row.name
    rows = []
    for entry in entries:
        member, candidate, criterion = ref_subjects(entry.ref)
        space = _space(entry.imported)
        rows.append(
            TrailRow(
                entry.row_id,
                entry.at,
                entry.actor,
                entry.context,
                entry.action,
                entry.target,
                entry.old,
                entry.new,
                entry.why,
                entry.ref,
                entry.imported,
                entry.hash,
                names.get((space, member), "") if member else "",
                names.get((space, candidate), "") if candidate else "",
                criterion,
            )
        )
    return rows


def _space(imported: bool) -> bool:
    """Which namespace a ref lives in: this database's, or (imported) the one it came from."""
    return imported and not REFS_SURVIVE_A_MOVE


def criterion_names(db: Database, evaluation: EvalRef) -> dict[str, str]:
    """Criterion key -> name, for the viewer's criterion filter."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        return dict(
            session.execute(
                select(CriterionRow.key, CriterionRow.name).where(
                    CriterionRow.evaluation_id == ev.id
                )
            ).all()
        )


# ---- export --------------------------------------------------------------------------------------

HEADERS = (
    "When (UTC)",
    "Who",
    "From (OS user@machine)",
    "Action",
    "What",
    "Member",
    "Candidate",
    "Criterion",
    "Old value",
    "New value",
    "Why",
    "Ref",
    "Imported",
    "Entry hash",
)
WIDTHS = (27, 20, 22, 18, 44, 18, 22, 22, 14, 14, 50, 28, 9, 66)


def _cells(row: TrailRow) -> tuple[str, ...]:
    return (
        at_text(row.at) + "Z",
        row.actor,
        row.context,
        row.action,
        row.target,
        row.member,
        row.candidate,
        row.criterion,
        row.old,
        row.new,
        row.why,
        row.ref,
        "yes" if row.imported else "no",
        row.hash,
    )


def write_csv(path: str | Path, rows: Sequence[TrailRow]) -> None:
    """The rows as UTF-8 CSV (with a BOM, so Excel reads the accents); a text a spreadsheet
    would run as a formula gets a leading apostrophe, the usual guard for CSV files."""
    with atomic_path(path) as temp, open(temp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow(["'" + c if needs_quote_prefix(c) else c for c in _cells(row)])


def write_xlsx(path: str | Path, rows: Sequence[TrailRow], title: str = "") -> None:
    """The rows as a workbook: one sheet, every cell text through the safe writer."""
    named = f"Audit trail: {title}" if title else "Audit trail"
    cells = (_cells(row) for row in rows)
    write_table(path, HEADERS, WIDTHS, cells, sheet_name="Audit trail", title=named, wrap=(5, 11))
