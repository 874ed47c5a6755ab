"""Records of the portfolio database that every writer shares: who is acting, finding an
evaluation (locked for writing, refused when final), its candidates, members and criteria by
name, the criteria tree read and written as rows, and audit entries.

The change writers (evaluator.changes) and the services (evaluator.services) both build on this
module; it imports neither, so neither imports the other through it."""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from evaluator.audit_chain import append_entries
from evaluator.changes.normalise import clean_name as clean_name  # re-exported
from evaluator.changes.normalise import require_text as require_text
from evaluator.codec import (
    question_to_dict,
    rubric_from_dict,
    rubric_to_dict,
    rule_from_dict,
    rule_to_dict,
)
from evaluator.domain import AnswerType, Criterion, CriterionKind, Question, Status
from evaluator.errors import NotFound as NotFound
from evaluator.errors import ServiceError as ServiceError
from evaluator.models import (
    CandidateRow,
    CriterionRow,
    EvaluationRow,
    EvaluatorRow,
    QuestionRow,
)


def current_actor() -> str:
    """Who is acting, for the audit trail: SUPPORTSCOPE_USER, else the login name."""
    name = os.environ.get("SUPPORTSCOPE_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name on some CI runners
        return "unknown"


def machine_context() -> str:
    """Where an action came from, recorded beside the member's name: OS user @ machine."""
    import socket

    try:
        host = socket.gethostname()
    except OSError:
        host = "unknown"
    return f"{current_actor() if not os.environ.get('SUPPORTSCOPE_USER') else _login()}@{host}"


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some CI runners
        return "unknown"


EvalRef = int | str


def get_evaluation(session: Session, ref: EvalRef, *, lock: bool = False) -> EvaluationRow:
    """An evaluation by id (an int) or by exact name (a str; an all-digit text that names no
    evaluation is tried as an id, for the command line).

    `lock` takes the row lock (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serialises writers), so a status check and the write that depends on it are atomic.
    """
    query = select(EvaluationRow)
    if lock:
        query = query.with_for_update()
    if isinstance(ref, int):
        row = session.scalar(query.where(EvaluationRow.id == ref))
    else:
        row = session.scalar(query.where(EvaluationRow.name == ref))
        if row is None and ref.isdigit():
            row = session.scalar(query.where(EvaluationRow.id == int(ref)))
    if row is None:
        raise NotFound(f"no evaluation named {str(ref)!r}: run 'list' to see the evaluations")
    return row


def editable_evaluation(session: Session, ref: EvalRef) -> EvaluationRow:
    """The evaluation, locked for this transaction; refused when it is final."""
    row = get_evaluation(session, ref, lock=True)
    if row.status == Status.FINAL.value:
        raise ServiceError(
            f"evaluation {row.name!r} is final and read-only: to revise it, work on a copy "
            "(dump it and load the file under another name)"
        )
    return row


RowT = TypeVar("RowT", CandidateRow, EvaluatorRow, CriterionRow)


def _evaluation_row(
    session: Session, evaluation: EvaluationRow, model: type[RowT], where: Any, missing: str
) -> RowT:
    """The evaluation's one `model` row matching `where`; NotFound ("`missing` in evaluation
    'X'") when there is none."""
    row = session.scalar(select(model).where(model.evaluation_id == evaluation.id, where))
    if row is None:
        raise NotFound(f"{missing} in evaluation {evaluation.name!r}")
    return row


def get_candidate(session: Session, evaluation: EvaluationRow, name: str) -> CandidateRow:
    where, missing = CandidateRow.name == name, f"no candidate named {name!r}"
    return _evaluation_row(session, evaluation, CandidateRow, where, missing)


def get_evaluator(session: Session, evaluation: EvaluationRow, name: str) -> EvaluatorRow:
    where, missing = EvaluatorRow.name == name, f"no committee member named {name!r}"
    return _evaluation_row(session, evaluation, EvaluatorRow, where, missing)


def get_criterion(session: Session, evaluation: EvaluationRow, key: str) -> CriterionRow:
    where, missing = CriterionRow.key == key, f"no criterion with id {key!r}"
    return _evaluation_row(session, evaluation, CriterionRow, where, missing)


def audit(
    session: Session,
    evaluation_id: int | None,
    actor: str | None,
    action: str,
    target: str = "",
    old: object = "",
    new: object = "",
    why: str = "",
    ref: str = "",
    context: str = "",
) -> None:
    """Record one audit entry in the caller's transaction (so it commits or rolls back with it),
    sealed into its evaluation's hash chain at the database's time (evaluator.audit_chain).

    `ref` names what the entry is about in machine form (see evaluator.changes.context)."""
    audit_entries(session, evaluation_id, actor, [(action, target, old, new, why, ref)], context)


AuditItem = tuple[str, str, object, object, str, str]  # action, target, old, new, why, ref


def audit_entries(
    session: Session,
    evaluation_id: int | None,
    actor: str | None,
    items: Sequence[AuditItem],
    context: str = "",
) -> None:
    """Record entries by one actor in order, as `audit` would one by one, in one insert."""
    actor, context = actor or current_actor(), context or machine_context()
    entries = [
        {"actor": actor, "context": context, "action": action, "target": target,
         "old": _text(old), "new": _text(new), "why": why, "ref": ref}
        for action, target, old, new, why, ref in items
    ]  # fmt: skip
    append_entries(session, evaluation_id, entries)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- the criteria tree as rows --------------------------------------------------------------

_INSERT_CRITERION = insert(CriterionRow.__table__)  # plain Core: compiled once


def insert_criteria(
    session: Session, evaluation_id: int, roots: list[Criterion], parent_id: int | None = None
) -> None:
    """Write a criteria subtree (and the leaves' questions) under `parent_id`: a node at a time
    through Core (its id is its children's parent), the questions in one executemany; ORM
    objects and a flush per node cost ten times as much for a 500-leaf tree (a backup writes
    one before every import)."""
    questions: list[dict[str, Any]] = []
    _insert_nodes(session, evaluation_id, roots, parent_id, questions)
    if questions:
        session.execute(insert(QuestionRow.__table__), questions)


def _insert_nodes(
    session: Session,
    evaluation_id: int,
    nodes: list[Criterion],
    parent_id: int | None,
    questions: list[dict[str, Any]],
) -> None:
    for position, node in enumerate(nodes):
        row = {
            "evaluation_id": evaluation_id,
            "parent_id": parent_id,
            "position": position,
            "key": node.key,
            "name": node.name,
            "kind": node.kind.value,
            "weight": float(node.weight),
            "description": node.description,
            "rubric": rubric_to_dict(node.rubric),
            "rule": rule_to_dict(node.rule),
        }
        row_id = session.execute(_INSERT_CRITERION, row).inserted_primary_key[0]
        if node.question is not None:
            q = question_to_dict(node.question) or {}
            questions.append(
                {
                    "evaluation_id": evaluation_id,
                    "criterion_id": row_id,
                    "key": node.key,
                    "text": q["text"],
                    "answer_type": q["answer_type"],
                    "choices": q.get("choices", []),
                    "unit": q.get("unit", ""),
                    "is_key": bool(q.get("key", False)),
                }
            )
        _insert_nodes(session, evaluation_id, node.children, row_id, questions)


def read_criteria(session: Session, evaluation_id: int) -> tuple[list[Criterion], dict[int, str]]:
    """The criteria tree, and a map from row id to criterion key."""
    questions = {
        r.criterion_id: Question(
            r.text, AnswerType(r.answer_type), tuple(r.choices or ()), r.unit, bool(r.is_key)
        )
        for r in session.execute(
            select(
                QuestionRow.criterion_id,
                QuestionRow.text,
                QuestionRow.answer_type,
                QuestionRow.choices,
                QuestionRow.unit,
                QuestionRow.is_key,
            ).where(QuestionRow.evaluation_id == evaluation_id)
        )
    }
    rows = session.execute(
        select(
            CriterionRow.id,
            CriterionRow.parent_id,
            CriterionRow.key,
            CriterionRow.name,
            CriterionRow.kind,
            CriterionRow.weight,
            CriterionRow.description,
            CriterionRow.rubric,
            CriterionRow.rule,
        )
        .where(CriterionRow.evaluation_id == evaluation_id)
        .order_by(CriterionRow.position, CriterionRow.id)
    ).all()
    nodes: dict[int, Criterion] = {}
    for r in rows:
        nodes[r.id] = Criterion(
            key=r.key,
            name=r.name,
            kind=CriterionKind(r.kind),
            weight=r.weight,
            description=r.description,
            rubric=rubric_from_dict(r.rubric),
            question=questions.get(r.id),
            rule=rule_from_dict(r.rule),
        )
    roots: list[Criterion] = []
    for r in rows:
        parent = nodes.get(r.parent_id) if r.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[r.id])
    return roots, {r.id: r.key for r in rows}
