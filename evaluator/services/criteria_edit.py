"""Editing an evaluation's criteria tree by key: details, weights, adding, removing, moving.

Each call reads the stored tree as what the caller saw and writes one change object through
`evaluator.changes.write` (validation, audit, inverse); the window builds the same changes.
"""

from __future__ import annotations

from typing import Any

from evaluator.changes.model import (
    CRITERION_FIELDS,
    AddCriterion,
    Applied,
    EditCriterion,
    MoveCriterion,
    Place,
    RemoveCriterion,
    place_of,
)
from evaluator.changes.write import Actor, apply_change, write_changes
from evaluator.db import Database
from evaluator.domain import AutoRule, Criterion, CriterionKind, Question, find_criterion
from evaluator.errors import NotFound
from evaluator.records import EvalRef, editable_evaluation, read_criteria

_UNSET: Any = object()


def _stored(session, ev, key: str) -> tuple[list[Criterion], Criterion]:  # type: ignore[no-untyped-def]
    roots = read_criteria(session, ev.id)[0]
    node = find_criterion(roots, key)
    if node is None:
        raise NotFound(f"no criterion with id {key!r} in evaluation {ev.name!r}")
    return roots, node


def update_criterion(
    db: Database,
    evaluation: EvalRef,
    key: str,
    *,
    name: str | None = None,
    weight: float | None = None,
    kind: CriterionKind | str | None = None,
    description: str | None = None,
    rubric: dict[int, str] | None = None,
    rule: AutoRule | None = _UNSET,
    question: Question | None = _UNSET,
    why: str = "",
    actor: Actor = None,
) -> Applied:
    """Change some of a criterion's fields (those given)."""
    given = {"name": name, "weight": weight, "kind": kind, "description": description,
             "rubric": rubric, "rule": rule, "question": question}  # fmt: skip
    after = {
        field: value
        for field, value in given.items()
        if value is not (_UNSET if field in ("rule", "question") else None)
    }
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        _, node = _stored(session, ev, key)
        if not after:
            after = {"name": node.name}
        before = {field: getattr(node, field) for field in after}
        change = EditCriterion(key, before, after, why)
        return write_changes(session, ev, [change], actor)[0]


def add_criterion(
    db: Database,
    evaluation: EvalRef,
    criterion: Criterion,
    *,
    parent: str | None = None,
    position: int | None = None,
    actor: Actor = None,
) -> Applied:
    """Insert a criterion (with any children) under `parent` (None: the top level)."""
    return apply_change(db, evaluation, AddCriterion(criterion, parent, position), actor=actor)


def remove_criterion(
    db: Database, evaluation: EvalRef, key: str, *, why: str = "", actor: Actor = None
) -> RemoveCriterion:
    """Remove a criterion, its sub-criteria and their rows; returns what went, for undo."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        _, node = _stored(session, ev, key)
        change = RemoveCriterion(node, why=why)
        return write_changes(session, ev, [change], actor)[0].change  # type: ignore[return-value]


def restore_criterion(
    db: Database, evaluation: EvalRef, removed: RemoveCriterion, *, actor: Actor = None
) -> Applied:
    """Undo a removal: the subtree at its place (parents first) and its rows again."""
    return apply_change(db, evaluation, removed.inverse(), actor=actor)


def move_criterion(
    db: Database,
    evaluation: EvalRef,
    key: str,
    *,
    parent: str | None,
    position: int,
    actor: Actor = None,
) -> tuple[str | None, int]:
    """Move a criterion under another category (or the top level) at a position.

    Returns where it was (parent key, position), for undo.
    """
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        roots, _ = _stored(session, ev, key)
        before = place_of(roots, key)
        change = MoveCriterion(key, before, Place(parent, position))
        write_changes(session, ev, [change], actor)
        return before.parent, before.index


__all__ = [
    "CRITERION_FIELDS",
    "add_criterion",
    "move_criterion",
    "place_of",
    "remove_criterion",
    "restore_criterion",
    "update_criterion",
]
