"""Is an evaluation's record intact? Its audit chain, and its stored values against the chain.

    verdict = verify(db, "Harbor RFP")
    verdict.intact      True when nothing is wrong
    verdict.sentence()  "audit chain intact: 412 entries, head 3f1c…" or the first broken link

The chain check (evaluator.audit_chain) finds an edited, removed or inserted entry, a time that
goes back, an imported entry after live ones. The state check finds what the chain cannot see: a
stored score or consensus value changed behind the app's back (a raw `UPDATE scores ...`). For
each stored value, the newest audit entry with its ref must show it, as the writers in
evaluator/changes/write_cells.py put it (4, not 4.0; pass/fail for a gate; "abstain"). A value
with no entry at all is accepted only when the record begins before this database's live entries
(the evaluation was loaded from a file, or predates the chain): such values are counted, not
named.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.audit_chain import Break, ChainEntry, check_entries
from evaluator.changes.context import REFS_SURVIVE_A_MOVE, stored_cell_ref
from evaluator.changes.normalise import fmt
from evaluator.db import Database
from evaluator.domain import CriterionKind
from evaluator.errors import ServiceError
from evaluator.kinds import is_pass_fail, passes
from evaluator.models import (
    AuditRow,
    CandidateRow,
    ConsensusRow,
    CriterionRow,
    EvaluatorRow,
    ScoreRow,
)
from evaluator.progress import CancelCheck, Cancelled, raise_if_cancelled
from evaluator.records import EvalRef, get_evaluation

T = TypeVar("T")
CHUNK = 4096  # rows read at a time, so a cancelled check stops between chunks

LOAD_ACTION = "load evaluation"
CELL_PREFIXES = ("score:", "consensus:")


class AuditBroken(ServiceError):
    """The record of an evaluation does not hold; the message names the first broken link."""


@dataclass(frozen=True)
class Verdict:
    evaluation: str
    count: int  # entries in the chain
    head: str  # the newest entry's hash ("" for an empty chain)
    broken: Break | None
    unrecorded: int = 0  # stored values older than the record (loaded, or from before it)
    in_state: bool = False  # the chain holds, a stored value does not match it

    @property
    def intact(self) -> bool:
        return self.broken is None

    def sentence(self) -> str:
        if self.broken is None:
            return f"audit chain intact: {self.count} entries, head {self.head or '(none)'}"
        if self.in_state:
            return f"stored values differ from the audit chain at {self.broken.sentence()}"
        return f"audit chain broken at {self.broken.sentence()}"


def verify(db: Database, evaluation: EvalRef, cancel: CancelCheck | None = None) -> Verdict:
    """The evaluation's chain and stored values checked, in one consistent read; `cancel`
    (asked every few thousand rows) stops a check nobody waits for with `Cancelled`."""
    with db.reading() as session:
        if db.engine.dialect.name == "postgresql":  # chain and values from one snapshot
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return verify_in(session, evaluation, cancel)


def verify_in(session: Session, evaluation: EvalRef, cancel: CancelCheck | None = None) -> Verdict:
    ev = get_evaluation(session, evaluation)
    entries = list(_checking(read_chain(session, ev.id), cancel))
    count, head, broken = check_entries(entries)
    if broken is not None:
        return Verdict(ev.name, count, head, broken)
    broken, unrecorded = _check_state(session, ev.id, entries, cancel)
    return Verdict(ev.name, count, head, broken, unrecorded, broken is not None)


def _checking(items: Iterable[T], cancel: CancelCheck | None, every: int = CHUNK) -> Iterator[T]:
    """`items`, asking `cancel` every `every` items: a closed window's check stops promptly."""
    if cancel is None:
        yield from items
        return
    for index, item in enumerate(items):
        if index % every == 0:
            raise_if_cancelled(cancel)
        yield item


def read_chain(session: Session, evaluation_id: int | None) -> Iterator[ChainEntry]:
    """The chain's entries, oldest first."""
    chain = (
        AuditRow.evaluation_id.is_(None)
        if evaluation_id is None
        else AuditRow.evaluation_id == evaluation_id
    )
    query = select(
        AuditRow.id,
        AuditRow.at,
        AuditRow.actor,
        AuditRow.context,
        AuditRow.action,
        AuditRow.target,
        AuditRow.old,
        AuditRow.new,
        AuditRow.why,
        AuditRow.ref,
        AuditRow.imported,
        AuditRow.prev_hash,
        AuditRow.hash,
    ).where(chain)
    for r in session.execute(query.order_by(AuditRow.id).execution_options(yield_per=CHUNK)):
        yield ChainEntry(
            f"entry {r.id}",
            r.at,
            r.actor or "",
            r.context or "",
            r.action or "",
            r.target or "",
            r.old or "",
            r.new or "",
            r.why or "",
            r.ref or "",
            bool(r.imported),
            r.prev_hash or "",
            r.hash or "",
            r.id,
        )


def _check_state(
    session: Session,
    evaluation_id: int,
    entries: list[ChainEntry],
    cancel: CancelCheck | None = None,
) -> tuple[Break | None, int]:
    """The first stored value the record does not show, and how many values predate it."""
    position: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry.ref.startswith(CELL_PREFIXES) and (REFS_SURVIVE_A_MOVE or not entry.imported):
            position[entry.ref] = index
    baseline = bool(entries) and (entries[0].imported or entries[0].action == LOAD_ACTION)
    problems: list[tuple[int, Break]] = []
    unrecorded = 0
    for row, shown, what in _checking(_stored_cells(session, evaluation_id), cancel):
        index = position.get(stored_cell_ref(row))
        if index is None:
            if baseline:
                unrecorded += 1
            else:
                problems.append(
                    (
                        len(entries),
                        Break(
                            f"the stored {what}",
                            None,
                            "",
                            _cell_name(row),
                            f"{shown} has no audit entry (written outside the app)",
                        ),
                    )
                )
            continue
        entry = entries[index]
        if entry.new != shown:
            recorded = f"says {entry.new}" if entry.new else "says it was cleared"
            problems.append(
                (
                    index,
                    Break(
                        entries[index].label,
                        entry.at,
                        entry.action,
                        entry.target,
                        f"the stored {what} is {shown} but the record {recorded} "
                        "(changed outside the app)",
                    ),
                )
            )
    if not problems:
        return None, unrecorded
    return min(problems, key=lambda item: item[0])[1], unrecorded


def _stored_cells(session: Session, evaluation_id: int) -> Iterator[tuple[Any, str, str]]:
    """(row for stored_cell_ref, the value as the writers record it, what it is) per cell."""

    def cells(table: type[ScoreRow] | type[ConsensusRow], *columns: Any) -> Any:
        """The evaluation's `table` rows: `columns`, the cell's candidate and criterion, and
        its value (scores joined with their member first)."""
        query = select(
            *columns,
            table.candidate_id,
            CandidateRow.uid.label("candidate_uid"),
            CandidateRow.name.label("candidate_name"),
            CriterionRow.key,
            CriterionRow.name.label("criterion_name"),
            table.value,
        )
        if table is ScoreRow:
            query = query.join(EvaluatorRow, EvaluatorRow.id == ScoreRow.evaluator_id)
        return (
            query.join(CandidateRow, CandidateRow.id == table.candidate_id)
            .join(CriterionRow, CriterionRow.id == table.criterion_id)
            .where(table.evaluation_id == evaluation_id)
        )

    scores = cells(
        ScoreRow,
        ScoreRow.evaluator_id,
        EvaluatorRow.uid.label("evaluator_uid"),
        EvaluatorRow.name.label("evaluator_name"),
        ScoreRow.abstained,
    )
    for row in session.execute(scores.execution_options(yield_per=CHUNK)):
        yield row, "abstain" if row.abstained else fmt(row.value), "score"
    consensus = cells(ConsensusRow, CriterionRow.kind)
    for row in session.execute(consensus.execution_options(yield_per=CHUNK)):
        cell = _ConsensusCell(row)
        yield cell, _consensus_text(row.kind, row.value), "consensus value"


class _ConsensusCell:
    """A consensus row seen as a cell without a member (evaluator_id None)."""

    evaluator_id = None
    evaluator_uid = None
    evaluator_name = ""

    def __init__(self, row: Any) -> None:
        self.candidate_id = row.candidate_id
        self.candidate_uid = row.candidate_uid
        self.candidate_name = row.candidate_name
        self.key = row.key
        self.criterion_name = row.criterion_name


def _consensus_text(kind: str, value: float) -> str:
    try:
        gate = is_pass_fail(CriterionKind(kind))
    except ValueError:
        gate = False
    if gate:
        return "pass" if passes(value) else "fail"
    return fmt(value)


def stored_values(session: Session, evaluation_id: int) -> dict[str, tuple[str, str, str]]:
    """What the record must show for each stored score and consensus value: ref -> (kind,
    "score" or "consensus"; the cell as the writers name it; the value as they record it)."""
    found = {}
    for row, shown, what in _stored_cells(session, evaluation_id):
        member = f"{row.evaluator_name}: " if row.evaluator_name else ""
        cell = f"{member}{row.candidate_name} / {row.criterion_name} [{row.key}]"
        found[stored_cell_ref(row)] = (what.split()[0], cell, shown)
    return found


def _cell_name(row: Any) -> str:
    member = f"{row.evaluator_name}: " if row.evaluator_name else ""
    return f"{member}{row.candidate_name} / {row.key}"


def require_intact(db: Database, evaluation: EvalRef) -> Verdict:
    """The verdict when intact; else `AuditBroken` naming the first broken link."""
    verdict = verify(db, evaluation)
    if not verdict.intact:
        raise AuditBroken(verdict.sentence())
    return verdict


def warning(db: Database, evaluation: EvalRef, cancel: CancelCheck | None = None) -> str:
    """ "" when the record holds, else the sentence a window shows (raises only `Cancelled`)."""
    try:
        verdict = verify(db, evaluation, cancel)
    except Cancelled:
        raise
    except Exception as exc:  # a window must open even when the check itself fails
        return f"The audit trail could not be checked: {exc}"
    return "" if verdict.intact else f"The audit trail does not hold: {verdict.sentence()}"
