"""after the award: support contracts, their targets, ticket sources, tickets, call statistics

- support_contracts: one per final evaluation, for its selected candidate (RESTRICT: the
  candidate stays while its contract does), go-live date, monthly fee, time zone, revision.
- contract_targets: (metric, priority) -> value or text, with its source (questionnaire,
  consensus, standard) and citation.
- ticket_sources: a named export origin with its saved column mapping, time zone, priorities.
- tickets: UTC seconds, the local month of opening, P1-P4, flags; ticket id unique per contract.
- call_stats: one row per contract and month.
- A contract is the after-life of a *final* evaluation: a trigger refuses a support_contracts
  INSERT whose evaluation is not final (the 0003 triggers, which refuse a final evaluation's
  rows, do not apply to these tables: delivery goes on after the award). Target edits are
  audited in the append-only audit_log like every other change.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_FINAL = "a support contract is made for a final evaluation only: finalise it first"


def _fk(table: str, column: str, other: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{other}.id"], name=op.f(f"fk_{table}_{column}_{other}"), ondelete=ondelete
    )


def _contract_child(table: str, *columns: sa.Column, extra: Sequence[object] = ()) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        *columns,
        _fk(table, "contract_id", "support_contracts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *extra,
    )


def upgrade() -> None:
    op.create_table(
        "support_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("go_live", sa.Date(), nullable=False),
        sa.Column("monthly_fee", sa.Float(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("support_contracts", "evaluation_id", "evaluations", "CASCADE"),
        _fk("support_contracts", "candidate_id", "candidates", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_contracts")),
        sa.UniqueConstraint("evaluation_id", name="uq_support_contracts_evaluation"),
    )
    _contract_child(
        "contract_targets",
        sa.Column("metric", sa.String(60), nullable=False),
        sa.Column("priority", sa.String(2), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        extra=[sa.UniqueConstraint("contract_id", "metric", "priority",
                                   name="uq_contract_targets_metric")],
    )  # fmt: skip
    _contract_child(
        "ticket_sources",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("preset", sa.String(20), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("priorities", sa.JSON(), nullable=False),
        extra=[sa.UniqueConstraint("contract_id", "name", name="uq_ticket_sources_name")],
    )
    _contract_child(
        "tickets",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(100), nullable=False),
        sa.Column("opened_utc", sa.BigInteger(), nullable=False),
        sa.Column("responded_utc", sa.BigInteger(), nullable=True),
        sa.Column("resolved_utc", sa.BigInteger(), nullable=True),
        sa.Column("opened_month", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("assignment_group", sa.String(200), nullable=False),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.Column("fcr", sa.Boolean(), nullable=True),
        sa.Column("offshore", sa.Boolean(), nullable=True),
        sa.Column("clinical", sa.Boolean(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        extra=[
            _fk("tickets", "source_id", "ticket_sources", "CASCADE"),
            sa.UniqueConstraint("contract_id", "ticket_id", name="uq_tickets_ticket_id"),
        ],
    )
    op.create_index("ix_tickets_month", "tickets", ["contract_id", "opened_month"])
    _contract_child(
        "call_stats",
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("abandoned", sa.Integer(), nullable=False),
        sa.Column("asa_seconds", sa.Float(), nullable=False),
        extra=[sa.UniqueConstraint("contract_id", "month", name="uq_call_stats_month")],
    )
    dialect = op.get_bind().dialect.name
    not_final = "(SELECT status FROM evaluations WHERE id = NEW.evaluation_id) <> 'final'"
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER support_contracts_need_final BEFORE INSERT ON support_contracts "
            f"WHEN {not_final} BEGIN SELECT RAISE(ABORT, '{NOT_FINAL}'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION supportscope_contract_needs_final() RETURNS trigger AS $$ BEGIN "
            f"IF {not_final} THEN RAISE EXCEPTION '{NOT_FINAL}'; END IF; RETURN NEW; "
            "END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER support_contracts_need_final BEFORE INSERT ON support_contracts "
            "FOR EACH ROW EXECUTE FUNCTION supportscope_contract_needs_final()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS support_contracts_need_final")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS support_contracts_need_final ON support_contracts")
        op.execute("DROP FUNCTION IF EXISTS supportscope_contract_needs_final()")
    op.drop_index("ix_tickets_month", table_name="tickets")
    for table in ("call_stats", "tickets", "ticket_sources", "contract_targets"):
        op.drop_table(table)
    op.drop_table("support_contracts")
