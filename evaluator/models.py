"""SQLAlchemy 2 typed tables of a SupportScope portfolio database.

Services read bulk data with Core selects over these tables (fast, plain tuples) and use the ORM
classes for small writes. The schema is created and upgraded by Alembic (evaluator/migrations);
keep a migration in step with every change here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_uid() -> str:
    """A stable identifier for a candidate or member that survives dump and load."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class EvaluationRow(Base):
    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    client: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    scale_min: Mapped[int] = mapped_column(Integer, default=0)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    aggregation: Mapped[str] = mapped_column(String(10), default="mean")
    catalog_id: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    chair: Mapped[str] = mapped_column(String(200), default="", server_default="")
    chair_secret: Mapped[str | None] = mapped_column(Text, nullable=True)  # scrypt hash


class CriterionRow(Base):
    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("evaluation_id", "key", name="uq_criteria_eval_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    description: Mapped[str] = mapped_column(Text, default="")
    rubric: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rule: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class QuestionRow(Base):
    """The questionnaire row of a leaf; `key` equals the leaf's criterion key."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("evaluation_id", "key", name="uq_questions_eval_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    answer_type: Mapped[str] = mapped_column(String(20), default="text")
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    unit: Mapped[str] = mapped_column(String(60), default="")
    is_key: Mapped[bool] = mapped_column(default=False)


class CandidateRow(Base):
    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("evaluation_id", "name", name="uq_candidates_eval_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="vendor")
    notes: Mapped[str] = mapped_column(Text, default="")
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, server_default="")


class EvaluatorRow(Base):
    __tablename__ = "evaluators"
    __table_args__ = (UniqueConstraint("evaluation_id", "name", name="uq_evaluators_eval_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    conflict_of_interest: Mapped[str] = mapped_column(Text, default="")
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, server_default="")
    secret: Mapped[str | None] = mapped_column(Text, nullable=True)  # scrypt hash, optional
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    excused: Mapped[str] = mapped_column(Text, default="", server_default="")  # chair's reason


class ScoreRow(Base):
    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("evaluator_id", "candidate_id", "criterion_id", name="uq_scores_cell"),
        Index("ix_scores_evaluation", "evaluation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    justification: Mapped[str] = mapped_column(Text)
    abstained: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ConsensusRow(Base):
    __tablename__ = "consensus_scores"
    __table_args__ = (
        UniqueConstraint("candidate_id", "criterion_id", name="uq_consensus_cell"),
        Index("ix_consensus_evaluation", "evaluation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ResponseRow(Base):
    """A candidate's answer; `value` holds the parsed answer as JSON (bool, number or text)."""

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("candidate_id", "question_id", name="uq_responses_cell"),
        Index("ix_responses_evaluation", "evaluation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    raw: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditRow(Base):
    """Append-only: triggers in the migration refuse UPDATE and DELETE on this table.

    `evaluation_id` is deliberately not a foreign key so that the trail outlives what it records.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_evaluation", "evaluation_id"),
        Index("ix_audit_ref", "evaluation_id", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(Text, default="")
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    ref: Mapped[str] = mapped_column(String(300), default="", server_default="")
    context: Mapped[str] = mapped_column(Text, default="", server_default="")  # OS user@machine
    imported: Mapped[bool] = mapped_column(default=False, server_default=false())
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class DeclarationRow(Base):
    """A member's conflict-of-interest declaration; never deleted, the newest one counts."""

    __tablename__ = "declarations"
    __table_args__ = (Index("ix_declarations_evaluator", "evaluator_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id", ondelete="CASCADE"))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    conflicted: Mapped[list[str]] = mapped_column(JSON, default=list)  # candidate uids
    covers: Mapped[list[str]] = mapped_column(JSON, default=list)  # candidate uids known then
    note: Mapped[str] = mapped_column(Text, default="")


class WeightSetRow(Base):
    """A stakeholder group's full set of raw weights (migration 0006): `weights` is a list of
    [criterion key, raw weight] pairs in tree order (a list, so every back end keeps the order)."""

    __tablename__ = "weight_sets"
    __table_args__ = (UniqueConstraint("evaluation_id", "name", name="uq_weight_sets_eval_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    weights: Mapped[list[Any]] = mapped_column(JSON, default=list)


class AhpJudgmentRow(Base):
    """A member's pairwise comparison of two sibling criteria (AHP), by criterion key: the keys
    are stable, so the judgment survives a move and comes back with an undone removal."""

    __tablename__ = "ahp_judgments"
    __table_args__ = (
        UniqueConstraint(
            "evaluator_id", "parent_key", "first_key", "second_key", name="uq_ahp_judgments_pair"
        ),
        Index("ix_ahp_judgments_evaluation", "evaluation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("evaluators.id", ondelete="CASCADE"))
    parent_key: Mapped[str] = mapped_column(String(120), default="")  # "": the top level
    first_key: Mapped[str] = mapped_column(String(120))  # first_key < second_key
    second_key: Mapped[str] = mapped_column(String(120))
    value: Mapped[float] = mapped_column(Float)  # first over second, 1/9..9
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# ---- after the award: the support contract, its targets and what was delivered (0008) ---------


class ContractRow(Base):
    """The support contract of a final evaluation with its selected candidate (one per
    evaluation). A trigger refuses it for an evaluation that is not final. The candidate cannot
    be removed while its contract exists (RESTRICT): tickets are a year's record."""

    __tablename__ = "support_contracts"
    __table_args__ = (UniqueConstraint("evaluation_id", name="uq_support_contracts_evaluation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="RESTRICT"))
    go_live: Mapped[date] = mapped_column(Date)
    monthly_fee: Mapped[float] = mapped_column(Float)
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name: months are local months
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetRow(Base):
    """One target: a number with its direction (max: no more than; min: at least) or, for a
    promise no ticket measures (named team, 24x7 cover), its text; where it came from."""

    __tablename__ = "contract_targets"
    __table_args__ = (
        UniqueConstraint("contract_id", "metric", "priority", name="uq_contract_targets_metric"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("support_contracts.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(60))
    priority: Mapped[str] = mapped_column(String(2), default="")  # "P1".."P4" or ""
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))  # questionnaire, consensus, standard
    citation: Mapped[str] = mapped_column(Text, default="")


class TicketSourceRow(Base):
    """A ticket export's origin with its saved column mapping (header -> field), the time zone
    of its naive timestamps and its priority words (word -> 1..4)."""

    __tablename__ = "ticket_sources"
    __table_args__ = (UniqueConstraint("contract_id", "name", name="uq_ticket_sources_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("support_contracts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    preset: Mapped[str] = mapped_column(String(20), default="generic")
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    time_zone: Mapped[str] = mapped_column(String(64))
    priorities: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TicketRow(Base):
    """A service-desk ticket. Times are UTC seconds since 1970 (compact, the same on every back
    end, vectorised reads); `opened_month` is YYYYMM of the opening in the contract's zone."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("contract_id", "ticket_id", name="uq_tickets_ticket_id"),
        Index("ix_tickets_month", "contract_id", "opened_month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("support_contracts.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("ticket_sources.id", ondelete="CASCADE"))
    ticket_id: Mapped[str] = mapped_column(String(100))
    opened_utc: Mapped[int] = mapped_column(BigInteger)
    responded_utc: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    resolved_utc: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    opened_month: Mapped[int] = mapped_column(Integer)
    priority: Mapped[int] = mapped_column(Integer)  # 1..4
    category: Mapped[str] = mapped_column(String(200), default="")
    assignment_group: Mapped[str] = mapped_column(String(200), default="")
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    fcr: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    offshore: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    clinical: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1..5


class CallMonthRow(Base):
    """A month's call statistics as the supplier's telephony reports them."""

    __tablename__ = "call_stats"
    __table_args__ = (UniqueConstraint("contract_id", "month", name="uq_call_stats_month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("support_contracts.id", ondelete="CASCADE"))
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM
    offered: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    abandoned: Mapped[int] = mapped_column(Integer)
    asa_seconds: Mapped[float] = mapped_column(Float)
