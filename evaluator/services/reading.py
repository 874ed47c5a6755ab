"""Reading an evaluation into plain domain data, with Core selects (fast at committee scale)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from evaluator.collector import collector_paused
from evaluator.db import Database
from evaluator.domain import (
    Aggregation,
    Candidate,
    CandidateKind,
    ConsensusScore,
    Declaration,
    EvaluationData,
    Evaluator,
    Judgment,
    Response,
    Scale,
    Score,
    Status,
    WeightSet,
)
from evaluator.models import (
    AhpJudgmentRow,
    AuditRow,
    CandidateRow,
    ConsensusRow,
    DeclarationRow,
    EvaluationRow,
    EvaluatorRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
    WeightSetRow,
)
from evaluator.records import EvalRef, get_evaluation, read_criteria


@dataclass(frozen=True)
class AuditEntry:
    at: datetime  # UTC
    actor: str
    action: str
    target: str
    old: str
    new: str
    why: str
    context: str = ""  # OS user@machine
    imported: bool = False  # taken from a file or from before the chain
    hash: str = ""  # its link in the evaluation's hash chain (evaluator.audit_chain)


def load_evaluation(db: Database, evaluation: EvalRef) -> EvaluationData:
    """Everything about one evaluation as an `EvaluationData` snapshot."""
    with db.reading() as session:
        return read_evaluation(session, evaluation)


def read_evaluation(session: Session, evaluation: EvalRef) -> EvaluationData:
    """The snapshot, read with Core selects into plain objects (collector paused)."""
    with collector_paused():
        return _read_evaluation(session, evaluation)


def _read_evaluation(session: Session, evaluation: EvalRef) -> EvaluationData:
    ev = get_evaluation(session, evaluation)
    core = session.connection()  # Core results: no ORM row processing for 100,000 rows
    criteria, keys = read_criteria(session, ev.id)
    uid_rows = session.execute(
        select(CandidateRow.id, CandidateRow.name, CandidateRow.kind, CandidateRow.notes,
               CandidateRow.uid)
        .where(CandidateRow.evaluation_id == ev.id)
        .order_by(CandidateRow.position, CandidateRow.id)
    ).all()  # fmt: skip
    candidates = [Candidate(r.id, r.name, CandidateKind(r.kind), r.notes) for r in uid_rows]
    declarations = read_declarations(session, ev.id, {r.uid: r.id for r in uid_rows})
    evaluators = [
        Evaluator(
            r.id, r.name, r.role, r.conflict_of_interest, declarations.get(r.id),
            r.submitted_at is not None, r.excused, r.secret is not None,
        )
        for r in session.execute(
            select(
                EvaluatorRow.id,
                EvaluatorRow.name,
                EvaluatorRow.role,
                EvaluatorRow.conflict_of_interest,
                EvaluatorRow.submitted_at,
                EvaluatorRow.excused,
                EvaluatorRow.secret,
            )
            .where(EvaluatorRow.evaluation_id == ev.id)
            .order_by(EvaluatorRow.position, EvaluatorRow.id)
        )
    ]  # fmt: skip
    scores = [
        Score(e, c, keys[k], v, j, bool(a))
        for e, c, k, v, j, a in _plain_rows(
            core,
            select(
                ScoreRow.evaluator_id,
                ScoreRow.candidate_id,
                ScoreRow.criterion_id,
                ScoreRow.value,
                ScoreRow.justification,
                ScoreRow.abstained,
            )
            .where(ScoreRow.evaluation_id == ev.id)
            .order_by(ScoreRow.id),
        )
    ]
    consensus = [
        ConsensusScore(c, keys[k], v, n)
        for c, k, v, n in _plain_rows(
            core,
            select(
                ConsensusRow.candidate_id,
                ConsensusRow.criterion_id,
                ConsensusRow.value,
                ConsensusRow.note,
            )
            .where(ConsensusRow.evaluation_id == ev.id)
            .order_by(ConsensusRow.id),
        )
    ]
    responses = [
        Response(c, k, v, raw, comment)
        for c, k, v, raw, comment in core.execute(
            select(
                ResponseRow.candidate_id,
                QuestionRow.key,
                ResponseRow.value,
                ResponseRow.raw,
                ResponseRow.comment,
            )
            .join(QuestionRow, QuestionRow.id == ResponseRow.question_id)
            .where(ResponseRow.evaluation_id == ev.id)
            .order_by(ResponseRow.id)
        ).all()
    ]
    judgments = [
        Judgment(e, p or None, a, b, v)
        for e, p, a, b, v in _plain_rows(
            core,
            select(
                AhpJudgmentRow.evaluator_id,
                AhpJudgmentRow.parent_key,
                AhpJudgmentRow.first_key,
                AhpJudgmentRow.second_key,
                AhpJudgmentRow.value,
            )
            .where(AhpJudgmentRow.evaluation_id == ev.id)
            .order_by(AhpJudgmentRow.id),
        )
    ]
    return EvaluationData(
        id=ev.id,
        name=ev.name,
        client=ev.client,
        status=Status(ev.status),
        scale=Scale(ev.scale_min, ev.scale_max),
        aggregation=Aggregation(ev.aggregation),
        criteria=criteria,
        candidates=candidates,
        evaluators=evaluators,
        scores=scores,
        consensus=consensus,
        responses=responses,
        revision=ev.revision,
        chair=ev.chair,
        chair_protected=ev.chair_secret is not None,
        weight_sets=read_weight_sets(session, ev.id),
        judgments=judgments,
    )


def _plain_rows(core: Connection, query: Select[Any]) -> list[Any]:
    """The rows as the driver returns them, without SQLAlchemy's per-row processing (half the
    cost of 100,000 scores): for columns the driver already gives as the domain's types
    (ids, numbers, text, 0/1 flags read through bool())."""
    result = core.execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def read_weight_sets(session: Session, evaluation_id: int) -> list[WeightSet]:
    """The evaluation's weighting sets in their order (stored as [key, weight] pairs)."""
    rows = session.execute(
        select(WeightSetRow.id, WeightSetRow.name, WeightSetRow.weights, WeightSetRow.note)
        .where(WeightSetRow.evaluation_id == evaluation_id)
        .order_by(WeightSetRow.position, WeightSetRow.id)
    )
    return [
        WeightSet(r.id, r.name, tuple((str(k), float(w)) for k, w in r.weights), r.note)
        for r in rows
    ]


def read_declarations(
    session: Session, evaluation_id: int, candidate_ids: dict[str, int]
) -> dict[int, Declaration]:
    """Each member's latest declaration (candidate uids turned into the ids of this database;
    candidates removed since are left out)."""
    latest: dict[int, Declaration] = {}
    for r in session.execute(
        select(
            DeclarationRow.evaluator_id,
            DeclarationRow.conflicted,
            DeclarationRow.covers,
            DeclarationRow.note,
            DeclarationRow.declared_at,
        )
        .where(DeclarationRow.evaluation_id == evaluation_id)
        .order_by(DeclarationRow.id)
    ):
        latest[r.evaluator_id] = Declaration(
            tuple(sorted(candidate_ids[u] for u in r.conflicted or () if u in candidate_ids)),
            tuple(sorted(candidate_ids[u] for u in r.covers or () if u in candidate_ids)),
            r.note,
            r.declared_at,
        )
    return latest


def current_revision(db: Database, evaluation_id: int) -> int | None:
    """The evaluation's change counter now (None when it was deleted): one cheap read, so a
    window can poll it to notice other processes' writes on SQLite and PostgreSQL alike."""
    with db.reading() as session:
        return session.scalar(
            select(EvaluationRow.revision).where(EvaluationRow.id == evaluation_id)
        )


def audit_trail(db: Database, evaluation: EvalRef, limit: int | None = None) -> list[AuditEntry]:
    """The evaluation's audit entries, oldest first (the last `limit` when given)."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        query = select(AuditRow).where(AuditRow.evaluation_id == ev.id).order_by(AuditRow.id.desc())
        if limit is not None:
            query = query.limit(limit)
        rows = list(session.scalars(query))
    return [
        AuditEntry(
            r.at, r.actor, r.action, r.target, r.old, r.new, r.why, r.context, r.imported, r.hash
        )
        for r in reversed(rows)
    ]
