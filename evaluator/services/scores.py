"""Scores, consensus values and answers by name, for the command line and scripts.

Each function resolves names to ids, takes the stored value as what the caller saw (the shell
user saw nothing else) and writes one change through `evaluator.changes.write`, which validates
it, audits it and returns the applied change with its inverse. The window builds the same
change objects itself, with what it showed the user as `before`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.changes import normalise
from evaluator.changes.model import (
    Answer,
    Applied,
    ConsensusCell,
    ScoreCell,
    SetAnswer,
    SetConsensus,
    SetScore,
)
from evaluator.changes.write import Actor, write_changes
from evaluator.db import Database
from evaluator.models import (
    ConsensusRow,
    CriterionRow,
    EvaluationRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
)
from evaluator.records import (
    EvalRef,
    editable_evaluation,
    get_candidate,
    get_criterion,
    get_evaluator,
)

parse_gate_decision = normalise.gate_decision


def stored_score(session: Session, ev: EvaluationRow, evaluator_id: int, candidate_id: int,
                 key: str) -> ScoreCell | None:  # fmt: skip
    row = session.execute(
        select(ScoreRow.value, ScoreRow.justification)
        .join(CriterionRow, CriterionRow.id == ScoreRow.criterion_id)
        .where(
            ScoreRow.evaluator_id == evaluator_id,
            ScoreRow.candidate_id == candidate_id,
            CriterionRow.evaluation_id == ev.id,
            CriterionRow.key == key,
        )
    ).first()
    return None if row is None else ScoreCell(row.value, row.justification)


def stored_consensus(session: Session, ev: EvaluationRow, candidate_id: int, key: str
                     ) -> ConsensusCell | None:  # fmt: skip
    row = session.execute(
        select(ConsensusRow.value, ConsensusRow.note)
        .join(CriterionRow, CriterionRow.id == ConsensusRow.criterion_id)
        .where(
            ConsensusRow.candidate_id == candidate_id,
            CriterionRow.evaluation_id == ev.id,
            CriterionRow.key == key,
        )
    ).first()
    return None if row is None else ConsensusCell(row.value, row.note)


def stored_answer(session: Session, ev: EvaluationRow, candidate_id: int, key: str
                  ) -> Answer | None:  # fmt: skip
    row = session.execute(
        select(ResponseRow.value, ResponseRow.raw, ResponseRow.comment)
        .join(QuestionRow, QuestionRow.id == ResponseRow.question_id)
        .where(
            ResponseRow.candidate_id == candidate_id,
            QuestionRow.evaluation_id == ev.id,
            QuestionRow.key == key,
        )
    ).first()
    return None if row is None else Answer(row.value, row.raw, row.comment)


def _score(
    db: Database,
    evaluation: EvalRef,
    evaluator: str,
    candidate: str,
    criterion: str,
    after: ScoreCell | None,
    why: str,
    actor: Actor,
) -> Applied:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        person = get_evaluator(session, ev, evaluator)
        cand = get_candidate(session, ev, candidate)
        get_criterion(session, ev, criterion)
        before = stored_score(session, ev, person.id, cand.id, criterion)
        change = SetScore(person.id, cand.id, criterion, before, after, why)
        return write_changes(session, ev, [change], actor)[0]


def set_score(
    db: Database,
    evaluation: EvalRef,
    evaluator: str,
    candidate: str,
    criterion: str,
    value: float | str,
    justification: str,
    *,
    actor: Actor = None,
    abstain: bool = False,
) -> Applied:
    """Record one committee member's score for a candidate on a rated criterion (or, with
    `abstain`, their abstention: the justification is the reason)."""
    after = ScoreCell(value, justification, abstain)  # type: ignore[arg-type]  # core validates
    return _score(db, evaluation, evaluator, candidate, criterion, after, "", actor)


def clear_score(
    db: Database,
    evaluation: EvalRef,
    evaluator: str,
    candidate: str,
    criterion: str,
    *,
    why: str = "",
    actor: Actor = None,
) -> Applied:
    return _score(db, evaluation, evaluator, candidate, criterion, None, why, actor)


def _consensus(
    db: Database,
    evaluation: EvalRef,
    candidate: str,
    criterion: str,
    after: ConsensusCell | None,
    why: str,
    actor: Actor,
) -> Applied:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        cand = get_candidate(session, ev, candidate)
        get_criterion(session, ev, criterion)
        before = stored_consensus(session, ev, cand.id, criterion)
        change = SetConsensus(cand.id, criterion, before, after, why)
        return write_changes(session, ev, [change], actor)[0]


def set_consensus(
    db: Database,
    evaluation: EvalRef,
    candidate: str,
    criterion: str,
    value: float | str,
    note: str,
    *,
    actor: Actor = None,
) -> Applied:
    """The committee's agreed value for a cell; overrides evaluators, rules and prices.

    For a gate the value is a decision: pass (1) or fail (0).
    """
    after = ConsensusCell(value, note)  # type: ignore[arg-type]  # validated by the core
    return _consensus(db, evaluation, candidate, criterion, after, "", actor)


def clear_consensus(
    db: Database,
    evaluation: EvalRef,
    candidate: str,
    criterion: str,
    *,
    why: str = "",
    actor: Actor = None,
) -> Applied:
    return _consensus(db, evaluation, candidate, criterion, None, why, actor)


def set_response(
    db: Database,
    evaluation: EvalRef,
    candidate: str,
    question: str,
    value: bool | float | str | None,
    *,
    raw: str = "",
    comment: str = "",
    source: str = "",
    actor: Actor = None,
) -> Applied:
    """Record (or with value None and no raw text, clear) one questionnaire answer."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        cand = get_candidate(session, ev, candidate)
        before = stored_answer(session, ev, cand.id, question)
        change = SetAnswer(cand.id, question, before, Answer(value, raw, comment), source)
        return write_changes(session, ev, [change], actor)[0]
