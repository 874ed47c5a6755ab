"""Evaluator scores, consensus scores and questionnaire answers: one service call per edit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.db import Database
from evaluator.domain import CriterionKind, Scale
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
    editable_evaluation,
    get_candidate,
    get_criterion,
    get_evaluator,
    require_text,
)


@dataclass(frozen=True)
class Previous:
    """A cell's value before an edit (None when it was empty), for undo."""

    value: float
    text: str


def _scale(ev: EvaluationRow) -> Scale:
    return Scale(ev.scale_min, ev.scale_max)


def _number(value: float | str, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{what} {value!r} is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise ServiceError(f"{what} must be a finite number")
    return number


def _check_on_scale(value: float, scale: Scale, what: str, integer: bool) -> None:
    if not scale.contains(value):
        raise ServiceError(
            f"{what} {_fmt(value)} is outside the scale {scale.minimum}..{scale.maximum}"
        )
    if integer and not float(value).is_integer():
        raise ServiceError(f"{what} {_fmt(value)} must be a whole number on the scale")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _cell(candidate: str, criterion: CriterionRow) -> str:
    return f"{candidate} / {criterion.name} [{criterion.key}]"


def set_score(
    db: Database,
    evaluation: EvalRef,
    evaluator: str,
    candidate: str,
    criterion: str,
    value: float | str,
    justification: str,
    *,
    actor: str | None = None,
) -> Previous | None:
    """Record one committee member's score for a candidate on a rated criterion."""
    value = _number(value, "score")
    justification = require_text(justification, "justification")
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        person = get_evaluator(session, ev, evaluator)
        cand = get_candidate(session, ev, candidate)
        crit = get_criterion(session, ev, criterion)
        if crit.kind != CriterionKind.RATED.value:
            raise ServiceError(
                f"criterion {crit.key!r} is {crit.kind}, not rated: committee members score rated "
                "criteria only (use consensus to override it)"
            )
        _check_on_scale(value, _scale(ev), "score", integer=True)
        row = session.scalar(
            select(ScoreRow).where(
                ScoreRow.evaluator_id == person.id,
                ScoreRow.candidate_id == cand.id,
                ScoreRow.criterion_id == crit.id,
            )
        )
        previous = Previous(row.value, row.justification) if row else None
        if row is None:
            session.add(
                ScoreRow(
                    evaluation_id=ev.id,
                    evaluator_id=person.id,
                    candidate_id=cand.id,
                    criterion_id=crit.id,
                    value=value,
                    justification=justification,
                )
            )
        else:
            row.value, row.justification = value, justification
        audit(
            session,
            ev.id,
            actor,
            "set score",
            f"{person.name}: {_cell(cand.name, crit)}",
            _fmt(previous.value) if previous else "",
            _fmt(value),
            justification,
        )
        return previous


def clear_score(
    db: Database,
    evaluation: EvalRef,
    evaluator: str,
    candidate: str,
    criterion: str,
    *,
    why: str = "",
    actor: str | None = None,
) -> Previous | None:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        person = get_evaluator(session, ev, evaluator)
        cand = get_candidate(session, ev, candidate)
        crit = get_criterion(session, ev, criterion)
        row = session.scalar(
            select(ScoreRow).where(
                ScoreRow.evaluator_id == person.id,
                ScoreRow.candidate_id == cand.id,
                ScoreRow.criterion_id == crit.id,
            )
        )
        if row is None:
            return None
        previous = Previous(row.value, row.justification)
        session.delete(row)
        audit(
            session,
            ev.id,
            actor,
            "clear score",
            f"{person.name}: {_cell(cand.name, crit)}",
            _fmt(previous.value),
            "",
            why,
        )
        return previous


def parse_gate_decision(value: float | str) -> float:
    """A gate's consensus: pass/passed/yes/1 -> 1, fail/failed/no/0 -> 0."""
    text = str(value).strip().casefold()
    if text in {"pass", "passed", "yes", "y", "1", "1.0", "true"}:
        return 1.0
    if text in {"fail", "failed", "no", "n", "0", "0.0", "false"}:
        return 0.0
    raise ServiceError(f"a gate decision is pass or fail, not {value!r}")


def set_consensus(
    db: Database,
    evaluation: EvalRef,
    candidate: str,
    criterion: str,
    value: float | str,
    note: str,
    *,
    actor: str | None = None,
) -> Previous | None:
    """The committee's agreed value for a cell; overrides evaluators, rules and prices.

    For a gate the value is a decision: pass (1) or fail (0).
    """
    note = require_text(note, "consensus note")
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        cand = get_candidate(session, ev, candidate)
        crit = get_criterion(session, ev, criterion)
        if crit.kind == CriterionKind.CATEGORY.value:
            raise ServiceError(f"{crit.key!r} is a category: consensus is set on its criteria")
        if crit.kind == CriterionKind.GATE.value:
            number = parse_gate_decision(value)
            shown = "pass" if number > 0 else "fail"
        else:
            number = _number(value, "consensus score")
            _check_on_scale(number, _scale(ev), "consensus score", integer=False)
            shown = _fmt(number)
        row = _consensus_row(session, cand.id, crit.id)
        previous = Previous(row.value, row.note) if row else None
        if row is None:
            session.add(
                ConsensusRow(
                    evaluation_id=ev.id,
                    candidate_id=cand.id,
                    criterion_id=crit.id,
                    value=number,
                    note=note,
                )
            )
        else:
            row.value, row.note = number, note
        audit(
            session,
            ev.id,
            actor,
            "set consensus",
            _cell(cand.name, crit),
            _fmt(previous.value) if previous else "",
            shown,
            note,
        )
        return previous


def _consensus_row(session: Session, candidate_id: int, criterion_id: int) -> ConsensusRow | None:
    return session.scalar(
        select(ConsensusRow).where(
            ConsensusRow.candidate_id == candidate_id, ConsensusRow.criterion_id == criterion_id
        )
    )


def clear_consensus(
    db: Database,
    evaluation: EvalRef,
    candidate: str,
    criterion: str,
    *,
    why: str = "",
    actor: str | None = None,
) -> Previous | None:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        cand = get_candidate(session, ev, candidate)
        crit = get_criterion(session, ev, criterion)
        row = _consensus_row(session, cand.id, crit.id)
        if row is None:
            return None
        previous = Previous(row.value, row.note)
        session.delete(row)
        audit(
            session,
            ev.id,
            actor,
            "clear consensus",
            _cell(cand.name, crit),
            _fmt(previous.value),
            "",
            why,
        )
        return previous


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
    actor: str | None = None,
) -> None:
    """Record (or with value None and no raw text, clear) one questionnaire answer."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        cand = get_candidate(session, ev, candidate)
        write_response(
            session, ev, cand.id, cand.name, question, value, raw, comment, source, actor
        )


def write_response(
    session: Session,
    ev: EvaluationRow,
    candidate_id: int,
    candidate_name: str,
    question: str,
    value: bool | float | str | None,
    raw: str,
    comment: str,
    source: str,
    actor: str | None,
) -> None:
    """Upsert one answer inside the caller's transaction (shared with bulk imports)."""
    q = session.scalar(
        select(QuestionRow).where(QuestionRow.evaluation_id == ev.id, QuestionRow.key == question)
    )
    if q is None:
        raise ServiceError(f"no question with id {question!r} in evaluation {ev.name!r}")
    row = session.scalar(
        select(ResponseRow).where(
            ResponseRow.candidate_id == candidate_id, ResponseRow.question_id == q.id
        )
    )
    old = "" if row is None else (row.raw or _shown(row.value))
    new = raw or _shown(value)
    if value is None and not raw and not comment:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(
            ResponseRow(
                evaluation_id=ev.id,
                candidate_id=candidate_id,
                question_id=q.id,
                value=value,
                raw=raw or _shown(value),
                comment=comment,
                source=source,
            )
        )
    else:
        row.value, row.raw, row.comment, row.source = value, raw or _shown(value), comment, source
    if old != new:
        why = f"from {source}" if source else ""
        audit(session, ev.id, actor, "set answer", f"{candidate_name} / {question}", old, new, why)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _fmt(value)
    return str(value)
