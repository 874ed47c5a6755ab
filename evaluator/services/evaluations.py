"""Creating evaluations and moving them through their life cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaluator.codec import question_to_dict, rubric_to_dict, rule_to_dict
from evaluator.db import Database
from evaluator.domain import STATUS_ORDER, Aggregation, Criterion, Scale, Status, walk_tree
from evaluator.models import (
    CandidateRow,
    CriterionRow,
    EvaluationRow,
    EvaluatorRow,
    QuestionRow,
)
from evaluator.services.common import (
    EvalRef,
    ServiceError,
    audit,
    clean_name,
    editable_evaluation,
    get_evaluation,
)


@dataclass(frozen=True)
class EvaluationSummary:
    id: int
    name: str
    client: str
    status: Status
    candidates: int
    evaluators: int
    updated_at: datetime


def insert_criteria(
    session: Session, evaluation_id: int, roots: list[Criterion], parent_id: int | None = None
) -> None:
    """Write a criteria subtree (and the leaves' questions) under `parent_id`."""
    for position, node in enumerate(roots):
        row = CriterionRow(
            evaluation_id=evaluation_id,
            parent_id=parent_id,
            position=position,
            key=node.key,
            name=node.name,
            kind=node.kind.value,
            weight=float(node.weight),
            description=node.description,
            rubric=rubric_to_dict(node.rubric),
            rule=rule_to_dict(node.rule),
        )
        session.add(row)
        session.flush()
        if node.question is not None:
            q = question_to_dict(node.question) or {}
            session.add(
                QuestionRow(
                    evaluation_id=evaluation_id,
                    criterion_id=row.id,
                    key=node.key,
                    text=q["text"],
                    answer_type=q["answer_type"],
                    choices=q.get("choices", []),
                    unit=q.get("unit", ""),
                    is_key=bool(q.get("key", False)),
                )
            )
        insert_criteria(session, evaluation_id, node.children, row.id)


def validate_tree(roots: list[Criterion], scale: Scale) -> None:
    """Refuse trees the scoring engine could not use; messages name the criterion."""
    seen: set[str] = set()
    for node in walk_tree(roots):
        if not node.key.strip():
            raise ServiceError(f"criterion {node.name!r} has no id")
        if node.key in seen:
            raise ServiceError(f"criterion id {node.key!r} is used twice: ids must be unique")
        seen.add(node.key)
        if node.weight < 0:
            raise ServiceError(f"criterion {node.key!r} has a negative weight ({node.weight})")
        if node.is_leaf and node.children:
            raise ServiceError(
                f"criterion {node.key!r} is a {node.kind.value} leaf but has children"
            )
    if scale.maximum <= scale.minimum:
        raise ServiceError(
            f"the scale {scale.minimum}..{scale.maximum} is empty: the maximum must be larger"
        )


def create_evaluation(
    db: Database,
    name: str,
    criteria: list[Criterion],
    *,
    client: str = "",
    scale: Scale | None = None,
    aggregation: Aggregation = Aggregation.MEAN,
    catalog_id: str = "",
    actor: str | None = None,
) -> int:
    """A new draft evaluation with a copy of the given criteria tree; returns its id."""
    name = clean_name(name, "evaluation name")
    scale = scale or Scale()
    validate_tree(criteria, scale)
    with db.transaction() as session:
        if session.scalar(select(EvaluationRow.id).where(EvaluationRow.name == name)):
            raise ServiceError(f"an evaluation named {name!r} already exists: choose another name")
        row = EvaluationRow(
            name=name,
            client=client.strip(),
            status=Status.DRAFT.value,
            scale_min=scale.minimum,
            scale_max=scale.maximum,
            aggregation=Aggregation(aggregation).value,
            catalog_id=catalog_id,
        )
        session.add(row)
        session.flush()
        insert_criteria(session, row.id, criteria)
        source = f" from catalog {catalog_id}" if catalog_id else ""
        audit(session, row.id, actor, "create evaluation", name, new=f"{name}{source}")
        return row.id


def list_evaluations(db: Database) -> list[EvaluationSummary]:
    with db.reading() as session:
        cand = (
            select(func.count())
            .where(CandidateRow.evaluation_id == EvaluationRow.id)
            .scalar_subquery()
        )
        evals = (
            select(func.count())
            .where(EvaluatorRow.evaluation_id == EvaluationRow.id)
            .scalar_subquery()
        )
        rows = session.execute(
            select(
                EvaluationRow.id,
                EvaluationRow.name,
                EvaluationRow.client,
                EvaluationRow.status,
                cand,
                evals,
                EvaluationRow.updated_at,
            ).order_by(EvaluationRow.name)
        ).all()
    return [EvaluationSummary(r[0], r[1], r[2], Status(r[3]), r[4], r[5], r[6]) for r in rows]


def change_status(
    db: Database,
    evaluation: EvalRef,
    status: Status | str,
    *,
    why: str = "",
    actor: str | None = None,
) -> Status:
    """Move one step along draft → scoring → consensus → final (or one step back, before final)."""
    try:
        target = Status(status)
    except ValueError:
        names = ", ".join(s.value for s in STATUS_ORDER)
        raise ServiceError(f"unknown status {status!r}: use one of {names}") from None
    with db.transaction() as session:
        row = editable_evaluation(session, evaluation)
        current = Status(row.status)
        if target == current:
            return current
        step = STATUS_ORDER.index(target) - STATUS_ORDER.index(current)
        if abs(step) != 1:
            raise ServiceError(
                f"evaluation {row.name!r} is {current.value}: it can move one step at a time "
                f"(next: {_neighbours(current)})"
            )
        row.status = target.value
        audit(session, row.id, actor, "change status", row.name, current.value, target.value, why)
        return target


def _neighbours(current: Status) -> str:
    i = STATUS_ORDER.index(current)
    return " or ".join(s.value for s in STATUS_ORDER[max(0, i - 1) : i + 2] if s != current)


def update_evaluation(
    db: Database,
    evaluation: EvalRef,
    *,
    name: str | None = None,
    client: str | None = None,
    aggregation: Aggregation | str | None = None,
    actor: str | None = None,
) -> None:
    """Rename an evaluation, change its client or its aggregation method."""
    with db.transaction() as session:
        row = editable_evaluation(session, evaluation)
        if name is not None:
            new = clean_name(name, "evaluation name")
            clash = session.scalar(
                select(EvaluationRow.id).where(
                    EvaluationRow.name == new, EvaluationRow.id != row.id
                )
            )
            if clash:
                raise ServiceError(f"an evaluation named {new!r} already exists")
            if new != row.name:
                audit(session, row.id, actor, "rename evaluation", row.name, row.name, new)
                row.name = new
        if client is not None and client.strip() != row.client:
            audit(session, row.id, actor, "set client", row.name, row.client, client.strip())
            row.client = client.strip()
        if aggregation is not None:
            try:
                method = Aggregation(aggregation)
            except ValueError:
                raise ServiceError(
                    f"unknown aggregation {aggregation!r}: use mean or median"
                ) from None
            if method.value != row.aggregation:
                audit(
                    session,
                    row.id,
                    actor,
                    "set aggregation",
                    row.name,
                    row.aggregation,
                    method.value,
                )
                row.aggregation = method.value


def evaluation_id(db: Database, evaluation: EvalRef) -> int:
    with db.reading() as session:
        return get_evaluation(session, evaluation).id
