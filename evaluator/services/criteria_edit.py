"""Editing an evaluation's criteria tree: details, weights, adding, removing, moving."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from evaluator.codec import (
    criterion_to_dict,
    question_to_dict,
    rubric_from_dict,
    rubric_to_dict,
    rule_from_dict,
    rule_to_dict,
)
from evaluator.db import Database
from evaluator.domain import (
    AnswerType,
    AutoRule,
    Criterion,
    CriterionKind,
    Question,
    Scale,
)
from evaluator.models import (
    ConsensusRow,
    CriterionRow,
    EvaluationRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
)
from evaluator.services.common import (
    EvalRef,
    ServiceError,
    audit,
    clean_name,
    editable_evaluation,
    get_criterion,
)
from evaluator.services.evaluations import insert_criteria, validate_tree

_UNSET: Any = object()


@dataclass(frozen=True)
class RemovedCriterion:
    """A removed subtree with everything that hung off it, for undo."""

    criteria: list[dict[str, Any]]
    questions: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)


def _kind(kind: CriterionKind | str) -> CriterionKind:
    try:
        return CriterionKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in CriterionKind)
        raise ServiceError(f"unknown criterion kind {kind!r}: use one of {names}") from None


def _children_count(session: Session, row: CriterionRow) -> int:
    return session.scalar(select(func.count()).where(CriterionRow.parent_id == row.id)) or 0


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
    actor: str | None = None,
) -> Criterion:
    """Change a criterion's details; returns the criterion as it was (for undo)."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_criterion(session, ev, key)
        before = _as_criterion(session, row)
        label = f"{row.name} [{row.key}]"
        if name is not None:
            new = clean_name(name, "criterion name")
            if new != row.name:
                audit(session, ev.id, actor, "rename criterion", label, row.name, new, why)
                row.name = new
        if weight is not None:
            weight = float(weight)
            if not weight >= 0 or weight == float("inf"):
                raise ServiceError(f"the weight of {row.key!r} must be a number of 0 or more")
            if weight != row.weight:
                audit(session, ev.id, actor, "set weight", label, row.weight, weight, why)
                row.weight = weight
        if kind is not None:
            new_kind = _kind(kind)
            is_category = new_kind is CriterionKind.CATEGORY
            if not is_category and _children_count(session, row):
                raise ServiceError(f"{row.key!r} has sub-criteria: it must stay a category")
            if new_kind.value != row.kind:
                audit(session, ev.id, actor, "set kind", label, row.kind, new_kind.value, why)
                row.kind = new_kind.value
        if description is not None and description != row.description:
            audit(session, ev.id, actor, "set description", label, row.description, description)
            row.description = description
        if rubric is not None:
            encoded = rubric_to_dict(rubric)
            if encoded != (row.rubric or {}):
                audit(session, ev.id, actor, "set rubric", label, row.rubric, encoded, why)
                row.rubric = encoded
        if rule is not _UNSET:
            encoded_rule = rule_to_dict(rule)
            if encoded_rule != row.rule:
                audit(session, ev.id, actor, "set rule", label, row.rule, encoded_rule, why)
                row.rule = encoded_rule
        if question is not _UNSET:
            _set_question(session, ev, row, question, actor, why)
        return before


def _set_question(
    session: Session,
    ev: EvaluationRow,
    row: CriterionRow,
    question: Question | None,
    actor: str | None,
    why: str,
) -> None:
    current = session.scalar(select(QuestionRow).where(QuestionRow.criterion_id == row.id))
    old = question_to_dict(_question_of(current)) if current else None
    new = question_to_dict(question)
    if old == new:
        return
    audit(session, ev.id, actor, "set question", f"{row.name} [{row.key}]", old, new, why)
    if question is None:
        if current is not None:
            session.delete(current)
        return
    if current is None:
        current = QuestionRow(evaluation_id=ev.id, criterion_id=row.id, key=row.key, text="")
        session.add(current)
    current.text = question.text
    current.answer_type = question.answer_type.value
    current.choices = list(question.choices)
    current.unit = question.unit
    current.is_key = question.key


def _question_of(row: QuestionRow) -> Question:
    return Question(
        row.text, AnswerType(row.answer_type), tuple(row.choices or ()), row.unit, bool(row.is_key)
    )


def _as_criterion(session: Session, row: CriterionRow) -> Criterion:
    """The criterion's own fields as they are now (without its children), for undo."""
    question = session.scalar(select(QuestionRow).where(QuestionRow.criterion_id == row.id))
    return Criterion(
        key=row.key,
        name=row.name,
        kind=CriterionKind(row.kind),
        weight=row.weight,
        description=row.description,
        rubric=rubric_from_dict(row.rubric),
        question=_question_of(question) if question is not None else None,
        rule=rule_from_dict(row.rule),
    )


def add_criterion(
    db: Database,
    evaluation: EvalRef,
    criterion: Criterion,
    *,
    parent: str | None = None,
    position: int | None = None,
    actor: str | None = None,
) -> None:
    """Insert a criterion (with any children) under `parent` (None: the top level)."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        validate_tree([criterion], Scale(ev.scale_min, ev.scale_max))
        new_keys = [node.key for node in criterion.walk()]
        taken = session.scalar(
            select(CriterionRow.key).where(
                CriterionRow.evaluation_id == ev.id, CriterionRow.key.in_(new_keys)
            )
        )
        if taken is not None:
            raise ServiceError(f"criterion id {taken!r} is used twice: ids must be unique")
        parent_id = None
        if parent is not None:
            parent_row = get_criterion(session, ev, parent)
            if parent_row.kind != CriterionKind.CATEGORY.value:
                raise ServiceError(f"{parent!r} is a {parent_row.kind} criterion, not a category")
            parent_id = parent_row.id
        siblings = _siblings(session, ev.id, parent_id)
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        for i, sibling in enumerate(siblings):
            sibling.position = i if i < index else i + 1
        session.flush()
        insert_criteria(session, ev.id, [criterion], parent_id)
        session.execute(
            update(CriterionRow)
            .where(CriterionRow.evaluation_id == ev.id, CriterionRow.key == criterion.key)
            .values(position=index)
        )
        audit(
            session,
            ev.id,
            actor,
            "add criterion",
            f"{criterion.name} [{criterion.key}]",
            new=criterion_to_dict(criterion),
        )


def _subtree_ids(session: Session, root_id: int) -> list[int]:
    ids, frontier = [root_id], [root_id]
    while frontier:
        frontier = list(
            session.scalars(select(CriterionRow.id).where(CriterionRow.parent_id.in_(frontier)))
        )
        ids.extend(frontier)
    return ids


def _dump(session: Session, model: type, column: Any, ids: list[int]) -> list[dict[str, Any]]:
    rows = session.execute(select(model.__table__).where(column.in_(ids)))
    return [dict(r._mapping) for r in rows]


def remove_criterion(
    db: Database, evaluation: EvalRef, key: str, *, why: str = "", actor: str | None = None
) -> RemovedCriterion:
    """Remove a criterion, its sub-criteria and their scores and answers; returns them for undo."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_criterion(session, ev, key)
        ids = _subtree_ids(session, row.id)
        question_ids = list(
            session.scalars(select(QuestionRow.id).where(QuestionRow.criterion_id.in_(ids)))
        )
        removed = RemovedCriterion(
            criteria=_dump(session, CriterionRow, CriterionRow.id, ids),
            questions=_dump(session, QuestionRow, QuestionRow.id, question_ids),
            scores=_dump(session, ScoreRow, ScoreRow.criterion_id, ids),
            consensus=_dump(session, ConsensusRow, ConsensusRow.criterion_id, ids),
            responses=_dump(session, ResponseRow, ResponseRow.question_id, question_ids),
        )
        session.execute(delete(CriterionRow).where(CriterionRow.id == row.id))
        audit(
            session,
            ev.id,
            actor,
            "remove criterion",
            f"{row.name} [{row.key}]",
            old=f"{len(ids)} criteria, {len(removed.scores)} scores, "
            f"{len(removed.responses)} answers",
            why=why,
        )
        return removed


def restore_criterion(
    db: Database, evaluation: EvalRef, removed: RemovedCriterion, *, actor: str | None = None
) -> None:
    """Undo a removal: the same rows with the same ids, in parent-before-child order."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        for model, rows in (
            (CriterionRow, removed.criteria),
            (QuestionRow, removed.questions),
            (ScoreRow, removed.scores),
            (ConsensusRow, removed.consensus),
            (ResponseRow, removed.responses),
        ):
            if rows:
                session.execute(insert(model.__table__), rows)
        top = removed.criteria[0]
        audit(session, ev.id, actor, "restore criterion", f"{top['name']} [{top['key']}]")


def move_criterion(
    db: Database,
    evaluation: EvalRef,
    key: str,
    *,
    parent: str | None,
    position: int,
    actor: str | None = None,
) -> tuple[str | None, int]:
    """Move a criterion under another category (or the top level) at a position.

    Returns where it was (parent key, position), for undo.
    """
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        row = get_criterion(session, ev, key)
        old_parent = session.get(CriterionRow, row.parent_id) if row.parent_id else None
        old_siblings = _siblings(session, ev.id, row.parent_id)
        old_position = [s.id for s in old_siblings].index(row.id)
        new_parent_id = None
        if parent is not None:
            target = get_criterion(session, ev, parent)
            if target.kind != CriterionKind.CATEGORY.value:
                raise ServiceError(f"{parent!r} is not a category: criteria move into categories")
            if target.id in _subtree_ids(session, row.id):
                raise ServiceError(f"{key!r} cannot move inside itself")
            new_parent_id = target.id
        remaining = [s for s in old_siblings if s.id != row.id]
        for i, sibling in enumerate(remaining):
            sibling.position = i
        siblings = [s for s in _siblings(session, ev.id, new_parent_id) if s.id != row.id]
        index = max(0, min(position, len(siblings)))
        siblings.insert(index, row)
        row.parent_id = new_parent_id
        for i, sibling in enumerate(siblings):
            sibling.position = i
        audit(
            session,
            ev.id,
            actor,
            "move criterion",
            f"{row.name} [{row.key}]",
            f"{old_parent.key if old_parent else 'top level'} #{old_position + 1}",
            f"{parent or 'top level'} #{index + 1}",
        )
        return (old_parent.key if old_parent else None), old_position


def _siblings(session: Session, evaluation_id: int, parent_id: int | None) -> list[CriterionRow]:
    where = (
        CriterionRow.parent_id.is_(None)
        if parent_id is None
        else CriterionRow.parent_id == parent_id
    )
    return list(
        session.scalars(
            select(CriterionRow)
            .where(CriterionRow.evaluation_id == evaluation_id, where)
            .order_by(CriterionRow.position, CriterionRow.id)
        )
    )
