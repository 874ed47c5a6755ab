"""What every service shares: the error type, finding an evaluation, guarding `final`, auditing."""

from __future__ import annotations

import getpass
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.domain import Status
from evaluator.models import (
    AuditRow,
    CandidateRow,
    CriterionRow,
    EvaluationRow,
    EvaluatorRow,
)


class ServiceError(ValueError):
    """A user action was refused; the message says what is wrong and what to do."""


class NotFound(ServiceError):
    """The evaluation, candidate, evaluator or criterion named does not exist."""


def current_actor() -> str:
    """Who is acting, for the audit trail: SUPPORTSCOPE_USER, else the login name."""
    name = os.environ.get("SUPPORTSCOPE_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name on some CI runners
        return "unknown"


EvalRef = int | str


def get_evaluation(session: Session, ref: EvalRef) -> EvaluationRow:
    """An evaluation by id (an int) or by exact name (a str; an all-digit text that names no
    evaluation is tried as an id, for the command line)."""
    if isinstance(ref, int):
        row = session.get(EvaluationRow, ref)
    else:
        row = session.scalar(select(EvaluationRow).where(EvaluationRow.name == ref))
        if row is None and ref.isdigit():
            row = session.get(EvaluationRow, int(ref))
    if row is None:
        raise NotFound(f"no evaluation named {str(ref)!r}: run 'list' to see the evaluations")
    return row


def editable_evaluation(session: Session, ref: EvalRef) -> EvaluationRow:
    row = get_evaluation(session, ref)
    if row.status == Status.FINAL.value:
        raise ServiceError(
            f"evaluation {row.name!r} is final and read-only: to revise it, work on a copy "
            "(dump it and load the file under another name)"
        )
    return row


def get_candidate(session: Session, evaluation: EvaluationRow, name: str) -> CandidateRow:
    row = session.scalar(
        select(CandidateRow).where(
            CandidateRow.evaluation_id == evaluation.id, CandidateRow.name == name
        )
    )
    if row is None:
        raise NotFound(f"no candidate named {name!r} in evaluation {evaluation.name!r}")
    return row


def get_evaluator(session: Session, evaluation: EvaluationRow, name: str) -> EvaluatorRow:
    row = session.scalar(
        select(EvaluatorRow).where(
            EvaluatorRow.evaluation_id == evaluation.id, EvaluatorRow.name == name
        )
    )
    if row is None:
        raise NotFound(f"no committee member named {name!r} in evaluation {evaluation.name!r}")
    return row


def get_criterion(session: Session, evaluation: EvaluationRow, key: str) -> CriterionRow:
    row = session.scalar(
        select(CriterionRow).where(
            CriterionRow.evaluation_id == evaluation.id, CriterionRow.key == key
        )
    )
    if row is None:
        raise NotFound(f"no criterion with id {key!r} in evaluation {evaluation.name!r}")
    return row


def clean_name(value: str, what: str) -> str:
    name = " ".join(str(value).split())
    if not name:
        raise ServiceError(f"the {what} cannot be empty")
    if len(name) > 200:
        raise ServiceError(f"the {what} is longer than 200 characters")
    return name


def require_text(value: str, what: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ServiceError(f"a {what} is required: say why, in a sentence")
    return text


def audit(
    session: Session,
    evaluation_id: int | None,
    actor: str | None,
    action: str,
    target: str = "",
    old: object = "",
    new: object = "",
    why: str = "",
) -> None:
    """Record one audit entry in the caller's transaction (so it commits or rolls back with it)."""
    session.add(
        AuditRow(
            evaluation_id=evaluation_id,
            actor=actor or current_actor(),
            action=action,
            target=target,
            old=_text(old),
            new=_text(new),
            why=why,
        )
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
