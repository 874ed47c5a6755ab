"""The scores, consensus values and answers that go with a removed candidate, member or
criterion: read as plain domain objects before the removal, inserted again by its undo."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from evaluator.changes.context import WriteContext
from evaluator.changes.model import Dependents
from evaluator.domain import ConsensusScore, Response, Score
from evaluator.models import (
    AhpJudgmentRow,
    CandidateRow,
    ConsensusRow,
    CriterionRow,
    DeclarationRow,
    EvaluatorRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
)


def read_dependents(
    ctx: WriteContext, scores_where: Any, consensus_where: Any, responses_where: Any
) -> Dependents:
    """The rows matching each condition (None: none of that table), oldest first."""
    session = ctx.session
    scores: tuple[Score, ...] = ()
    consensus: tuple[ConsensusScore, ...] = ()
    responses: tuple[Response, ...] = ()
    if scores_where is not None:
        scores = tuple(
            Score(
                r.evaluator_id, r.candidate_id, r.key, r.value, r.justification, bool(r.abstained)
            )
            for r in session.execute(
                select(
                    ScoreRow.evaluator_id,
                    ScoreRow.candidate_id,
                    CriterionRow.key,
                    ScoreRow.value,
                    ScoreRow.justification,
                    ScoreRow.abstained,
                )
                .join(CriterionRow, CriterionRow.id == ScoreRow.criterion_id)
                .where(ScoreRow.evaluation_id == ctx.ev.id, scores_where)
                .order_by(ScoreRow.id)
            )
        )
    if consensus_where is not None:
        consensus = tuple(
            ConsensusScore(r.candidate_id, r.key, r.value, r.note)
            for r in session.execute(
                select(ConsensusRow.candidate_id, CriterionRow.key, ConsensusRow.value,
                       ConsensusRow.note)
                .join(CriterionRow, CriterionRow.id == ConsensusRow.criterion_id)
                .where(ConsensusRow.evaluation_id == ctx.ev.id, consensus_where)
                .order_by(ConsensusRow.id)
            )
        )  # fmt: skip
    if responses_where is not None:
        responses = tuple(
            Response(r.candidate_id, r.key, r.value, r.raw, r.comment)
            for r in session.execute(
                select(ResponseRow.candidate_id, QuestionRow.key, ResponseRow.value,
                       ResponseRow.raw, ResponseRow.comment)
                .join(QuestionRow, QuestionRow.id == ResponseRow.question_id)
                .where(ResponseRow.evaluation_id == ctx.ev.id, responses_where)
                .order_by(ResponseRow.id)
            )
        )  # fmt: skip
    return Dependents(scores, consensus, responses)


def insert_dependents(ctx: WriteContext, dependents: Dependents) -> Dependents:
    """Insert the rows again, in order; rows whose member, candidate or criterion has gone
    meanwhile are left out, and the result says what was put back."""
    if not dependents:
        return dependents
    session, ev_id = ctx.session, ctx.ev.id
    criteria = dict(
        session.execute(
            select(CriterionRow.key, CriterionRow.id).where(CriterionRow.evaluation_id == ev_id)
        ).all()
    )
    questions = dict(
        session.execute(
            select(QuestionRow.key, QuestionRow.id).where(QuestionRow.evaluation_id == ev_id)
        ).all()
    )
    candidates = set(
        session.scalars(select(CandidateRow.id).where(CandidateRow.evaluation_id == ev_id))
    )
    members = set(
        session.scalars(select(EvaluatorRow.id).where(EvaluatorRow.evaluation_id == ev_id))
    )
    scores = tuple(
        s
        for s in dependents.scores
        if s.evaluator_id in members
        and s.candidate_id in candidates
        and s.criterion_key in criteria
    )
    consensus = tuple(
        c
        for c in dependents.consensus
        if c.candidate_id in candidates and c.criterion_key in criteria
    )
    responses = tuple(
        r
        for r in dependents.responses
        if r.candidate_id in candidates and r.criterion_key in questions
    )
    if scores:
        session.execute(
            insert(ScoreRow),
            [
                {
                    "evaluation_id": ev_id,
                    "evaluator_id": s.evaluator_id,
                    "candidate_id": s.candidate_id,
                    "criterion_id": criteria[s.criterion_key],
                    "value": s.value,
                    "justification": s.justification,
                    "abstained": s.abstained,
                }
                for s in scores
            ],
        )
    if consensus:
        session.execute(
            insert(ConsensusRow),
            [
                {
                    "evaluation_id": ev_id,
                    "candidate_id": c.candidate_id,
                    "criterion_id": criteria[c.criterion_key],
                    "value": c.value,
                    "note": c.note,
                }
                for c in consensus
            ],
        )
    if responses:
        session.execute(
            insert(ResponseRow),
            [
                {
                    "evaluation_id": ev_id,
                    "candidate_id": r.candidate_id,
                    "question_id": questions[r.criterion_key],
                    "value": r.value,
                    "raw": r.raw,
                    "comment": r.comment,
                    "source": "",
                }
                for r in responses
            ],
        )
    tables = {"declarations": DeclarationRow.__table__, "ahp_judgments": AhpJudgmentRow.__table__}
    for table, row in dependents.records:
        session.execute(insert(tables[table]).values(**row))
    return Dependents(scores, consensus, responses, dependents.records)
