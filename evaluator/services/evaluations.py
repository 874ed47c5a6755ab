"""Creating evaluations and moving them through their life cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from evaluator.changes.normalise import clean_name
from evaluator.changes.write import Actor
from evaluator.db import Database
from evaluator.domain import Aggregation, Criterion, Scale, Status, walk_tree
from evaluator.models import (
    CandidateRow,
    EvaluationRow,
    EvaluatorRow,
)
from evaluator.records import (
    EvalRef,
    ServiceError,
    audit,
    editable_evaluation,
    get_evaluation,
    insert_criteria,
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
    actor: Actor = None,
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
    actor: Actor = None,
) -> Status:
    """Move one step along draft → scoring → consensus → final (or one step back, before final)."""
    from evaluator.changes.model import SetStatus
    from evaluator.changes.write import write_changes

    with db.transaction() as session:
        row = editable_evaluation(session, evaluation)
        change = SetStatus(Status(row.status), status, why)  # type: ignore[arg-type]
        applied = write_changes(session, row, [change], actor)[0]
        return applied.change.after  # type: ignore[union-attr]


def update_evaluation(
    db: Database,
    evaluation: EvalRef,
    *,
    name: str | None = None,
    client: str | None = None,
    aggregation: Aggregation | str | None = None,
    actor: Actor = None,
) -> None:
    """Rename an evaluation, change its client or its aggregation method."""
    from evaluator.changes.model import EditEvaluation, EvaluationFields
    from evaluator.changes.write import write_changes

    with db.transaction() as session:
        row = editable_evaluation(session, evaluation)
        before = EvaluationFields(row.name, row.client, Aggregation(row.aggregation))
        after = EvaluationFields(
            before.name if name is None else name,
            before.client if client is None else client,
            before.aggregation if aggregation is None else aggregation,  # type: ignore[arg-type]
        )
        write_changes(session, row, [EditEvaluation(before, after)], actor)


def evaluation_id(db: Database, evaluation: EvalRef) -> int:
    with db.reading() as session:
        return get_evaluation(session, evaluation).id
