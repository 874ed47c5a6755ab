"""evaluation revision counter and audit references

Every write bumps `evaluations.revision`, so a window can tell whether its snapshot is still
current (and notice other processes' writes) by reading one integer. `audit_log.ref` names the
thing an entry is about in a stable machine form (e.g. ``score:3:7:tiers.l4``), so that a refused
stale edit can say who changed it last and when, and a cell's history is one query.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evaluator.db_migrate import drop_columns

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): SQLite and PostgreSQL both do it in place.
    op.add_column(
        "evaluations",
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "audit_log",
        sa.Column("ref", sa.String(length=300), nullable=False, server_default=""),
    )
    op.create_index("ix_audit_ref", "audit_log", ["evaluation_id", "ref"])


def downgrade() -> None:
    # in place: a batch rebuild of audit_log on SQLite would lose its append-only triggers
    op.drop_index("ix_audit_ref", table_name="audit_log")
    drop_columns(op, "audit_log", ["ref"])
    drop_columns(op, "evaluations", ["revision"])
