"""Candidates and committee members: add, rename, edit details, remove (and restore, for undo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from evaluator.db import Database
from evaluator.domain import CandidateKind
from evaluator.models import (
    CandidateRow,
    ConsensusRow,
    EvaluationRow,
    EvaluatorRow,
    ResponseRow,
    ScoreRow,
)
from evaluator.services.common import (
    EvalRef,
    ServiceError,
    audit,
    clean_name,
    editable_evaluation,
    get_candidate,
    get_evaluator,
)


@dataclass(frozen=True)
class Removed:
    """What a removal took away, so that undo can put it back exactly."""

    table: str  # "candidates" or "evaluators"
    row: dict[str, Any]
    scores: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)


def _candidate_kind(kind: CandidateKind | str) -> CandidateKind:
    try:
        return CandidateKind(kind)
    except ValueError:
        raise ServiceError(f"unknown candidate kind {kind!r}: use vendor or outsourcer") from None


def _unique(
    session: Session,
    model: type,
    evaluation: EvaluationRow,
    name: str,
    what: str,
    exclude: int | None = None,
) -> None:
    query = select(model.id).where(model.evaluation_id == evaluation.id, model.name == name)
    if exclude is not None:
        query = query.where(model.id != exclude)
    if session.scalar(query) is not None:
        raise ServiceError(f"a {what} named {name!r} already exists in {evaluation.name!r}")


def _next_position(session: Session, model: type, evaluation: EvaluationRow) -> int:
    top = session.scalar(
        select(func.max(model.position)).where(model.evaluation_id == evaluation.id)
    )
    return 0 if top is None else top + 1


def add_candidate(
    db: Database,
    evaluation: EvalRef,
    name: str,
    kind: CandidateKind | str = CandidateKind.VENDOR,
    notes: str = "",
    *,
    actor: str | None = None,
) -> int:
    name = clean_name(name, "candidate name")
    kind = _candidate_kind(kind)
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        _unique(session, CandidateRow, ev, name, "candidate")
        row = CandidateRow(
            evaluation_id=ev.id,
            name=name,
            kind=kind.value,
            notes=notes,
            position=_next_position(session, CandidateRow, ev),
        )
        session.add(row)
        session.flush()
        audit(session, ev.id, actor, "add candidate", name, new=f"{name} ({kind.value})")
        return row.id


def update_candidate(
    db: Database,
    evaluation: EvalRef,
    name: str,
    *,
    new_name: str | None = None,
    kind: CandidateKind | str | None = None,
    notes: str | None = None,
    actor: str | None = None,
) -> None:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_candidate(session, ev, name)
        if new_name is not None:
            new_name = clean_name(new_name, "candidate name")
            if new_name != row.name:
                _unique(session, CandidateRow, ev, new_name, "candidate", exclude=row.id)
                audit(session, ev.id, actor, "rename candidate", row.name, row.name, new_name)
                row.name = new_name
        if kind is not None:
            new_kind = _candidate_kind(kind).value
            if new_kind != row.kind:
                audit(session, ev.id, actor, "set candidate kind", row.name, row.kind, new_kind)
                row.kind = new_kind
        if notes is not None and notes != row.notes:
            audit(session, ev.id, actor, "set candidate notes", row.name, row.notes, notes)
            row.notes = notes


def add_evaluator(
    db: Database,
    evaluation: EvalRef,
    name: str,
    role: str = "",
    conflict_of_interest: str = "",
    *,
    actor: str | None = None,
) -> int:
    name = clean_name(name, "committee member name")
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        _unique(session, EvaluatorRow, ev, name, "committee member")
        row = EvaluatorRow(
            evaluation_id=ev.id,
            name=name,
            role=role.strip(),
            conflict_of_interest=conflict_of_interest.strip(),
            position=_next_position(session, EvaluatorRow, ev),
        )
        session.add(row)
        session.flush()
        audit(session, ev.id, actor, "add evaluator", name, new=f"{name}, {role or 'no role'}")
        return row.id


def update_evaluator(
    db: Database,
    evaluation: EvalRef,
    name: str,
    *,
    new_name: str | None = None,
    role: str | None = None,
    conflict_of_interest: str | None = None,
    actor: str | None = None,
) -> None:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_evaluator(session, ev, name)
        if new_name is not None:
            new_name = clean_name(new_name, "committee member name")
            if new_name != row.name:
                _unique(session, EvaluatorRow, ev, new_name, "committee member", exclude=row.id)
                audit(session, ev.id, actor, "rename evaluator", row.name, row.name, new_name)
                row.name = new_name
        if role is not None and role.strip() != row.role:
            audit(session, ev.id, actor, "set evaluator role", row.name, row.role, role.strip())
            row.role = role.strip()
        if conflict_of_interest is not None and conflict_of_interest.strip() != (
            row.conflict_of_interest
        ):
            audit(
                session,
                ev.id,
                actor,
                "declare conflict of interest",
                row.name,
                row.conflict_of_interest,
                conflict_of_interest.strip(),
            )
            row.conflict_of_interest = conflict_of_interest.strip()


def _rows(session: Session, model: type, *where: Any) -> list[dict[str, Any]]:
    table = model.__table__
    return [dict(r._mapping) for r in session.execute(select(table).where(*where))]


def remove_candidate(
    db: Database, evaluation: EvalRef, name: str, *, why: str = "", actor: str | None = None
) -> Removed:
    """Remove a candidate with its scores, consensus and answers; returns them for undo."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_candidate(session, ev, name)
        removed = Removed(
            "candidates",
            _rows(session, CandidateRow, CandidateRow.id == row.id)[0],
            _rows(session, ScoreRow, ScoreRow.candidate_id == row.id),
            _rows(session, ConsensusRow, ConsensusRow.candidate_id == row.id),
            _rows(session, ResponseRow, ResponseRow.candidate_id == row.id),
        )
        session.execute(delete(CandidateRow).where(CandidateRow.id == row.id))
        audit(
            session, ev.id, actor, "remove candidate", name, old=_removed_summary(removed), why=why
        )
        return removed


def remove_evaluator(
    db: Database, evaluation: EvalRef, name: str, *, why: str = "", actor: str | None = None
) -> Removed:
    """Remove a committee member and their scores; returns them for undo."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_evaluator(session, ev, name)
        removed = Removed(
            "evaluators",
            _rows(session, EvaluatorRow, EvaluatorRow.id == row.id)[0],
            _rows(session, ScoreRow, ScoreRow.evaluator_id == row.id),
        )
        session.execute(delete(EvaluatorRow).where(EvaluatorRow.id == row.id))
        audit(
            session, ev.id, actor, "remove evaluator", name, old=_removed_summary(removed), why=why
        )
        return removed


def _removed_summary(removed: Removed) -> str:
    return (
        f"{removed.row['name']} with {len(removed.scores)} scores, "
        f"{len(removed.consensus)} consensus scores, {len(removed.responses)} answers"
    )


def restore(
    db: Database, evaluation: EvalRef, removed: Removed, *, actor: str | None = None
) -> None:
    """Put back exactly what a removal took (same ids), e.g. to undo it."""
    model = CandidateRow if removed.table == "candidates" else EvaluatorRow
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        _unique(session, model, ev, removed.row["name"], "name")
        session.execute(insert(model.__table__), [removed.row])
        for table, rows in (
            (ScoreRow, removed.scores),
            (ConsensusRow, removed.consensus),
            (ResponseRow, removed.responses),
        ):
            if rows:
                session.execute(insert(table.__table__), rows)
        audit(
            session,
            ev.id,
            actor,
            f"restore {removed.table[:-1]}",
            removed.row["name"],
            new=_removed_summary(removed),
        )
