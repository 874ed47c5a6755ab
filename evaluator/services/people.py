"""Candidates and committee members by name: add, edit, remove, put back (for the shell).

Each call reads the stored record as what the caller saw and writes one change object through
`evaluator.changes.write`; the returned `Applied` carries the inverse (a removal's inverse puts
the record back with its scores, consensus values and answers).
"""

from __future__ import annotations

from dataclasses import replace

from evaluator.changes.model import (
    AddCandidate,
    AddEvaluator,
    Applied,
    Change,
    EditCandidate,
    EditEvaluator,
    RemoveCandidate,
    RemoveEvaluator,
)
from evaluator.changes.write import Actor, apply_change, write_changes
from evaluator.db import Database
from evaluator.domain import Candidate, CandidateKind, Evaluator
from evaluator.records import EvalRef, editable_evaluation, get_candidate, get_evaluator

Removal = RemoveCandidate | RemoveEvaluator


def _candidate(row) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(row.id, row.name, CandidateKind(row.kind), row.notes)


def _evaluator(row) -> Evaluator:  # type: ignore[no-untyped-def]
    return Evaluator(row.id, row.name, row.role, row.conflict_of_interest)


def add_candidate(
    db: Database,
    evaluation: EvalRef,
    name: str,
    kind: CandidateKind | str = CandidateKind.VENDOR,
    notes: str = "",
    *,
    actor: Actor = None,
) -> int:
    """Add a candidate at the end of the list; returns its id."""
    change = AddCandidate(Candidate(0, name, kind, notes))  # type: ignore[arg-type]
    applied = apply_change(db, evaluation, change, actor=actor)
    return applied.change.candidate.id  # type: ignore[union-attr]


def update_candidate(
    db: Database,
    evaluation: EvalRef,
    name: str,
    *,
    new_name: str | None = None,
    kind: CandidateKind | str | None = None,
    notes: str | None = None,
    actor: Actor = None,
) -> Applied:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        before = _candidate(get_candidate(session, ev, name))
        after = replace(
            before,
            name=before.name if new_name is None else new_name,
            kind=before.kind if kind is None else kind,
            notes=before.notes if notes is None else notes,
        )
        return write_changes(session, ev, [EditCandidate(before, after)], actor)[0]


def add_evaluator(
    db: Database,
    evaluation: EvalRef,
    name: str,
    role: str = "",
    conflict_of_interest: str = "",
    *,
    actor: Actor = None,
) -> int:
    """Add a committee member at the end of the list; returns their id."""
    change = AddEvaluator(Evaluator(0, name, role, conflict_of_interest))
    applied = apply_change(db, evaluation, change, actor=actor)
    return applied.change.evaluator.id  # type: ignore[union-attr]


def update_evaluator(
    db: Database,
    evaluation: EvalRef,
    name: str,
    *,
    new_name: str | None = None,
    role: str | None = None,
    conflict_of_interest: str | None = None,
    actor: Actor = None,
) -> Applied:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        before = _evaluator(get_evaluator(session, ev, name))
        after = replace(
            before,
            name=before.name if new_name is None else new_name,
            role=before.role if role is None else role,
            conflict_of_interest=(
                before.conflict_of_interest
                if conflict_of_interest is None
                else conflict_of_interest
            ),
        )
        return write_changes(session, ev, [EditEvaluator(before, after)], actor)[0]


def remove_candidate(
    db: Database, evaluation: EvalRef, name: str, *, why: str = "", actor: Actor = None
) -> RemoveCandidate:
    """Remove a candidate with its scores, consensus and answers; returns what went, for
    `restore`."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        change = RemoveCandidate(_candidate(get_candidate(session, ev, name)), why=why)
        return write_changes(session, ev, [change], actor)[0].change  # type: ignore[return-value]


def remove_evaluator(
    db: Database, evaluation: EvalRef, name: str, *, why: str = "", actor: Actor = None
) -> RemoveEvaluator:
    """Remove a committee member and their scores; returns what went, for `restore`."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        change = RemoveEvaluator(_evaluator(get_evaluator(session, ev, name)), why=why)
        return write_changes(session, ev, [change], actor)[0].change  # type: ignore[return-value]


def restore(db: Database, evaluation: EvalRef, removed: Removal, *, actor: Actor = None) -> Applied:
    """Put back exactly what a removal took (same id, same place, its rows)."""
    inverse: Change = removed.inverse()
    return apply_change(db, evaluation, inverse, actor=actor)
