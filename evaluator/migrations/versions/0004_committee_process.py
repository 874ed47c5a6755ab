"""committee process: identities, declarations, submissions, abstentions, a chained audit

- evaluations.chair / chair_secret: the chair named for the evaluation and an optional
  passphrase hash (scrypt, salted; never the clear text).
- evaluators.secret, submitted_at, excused; candidates/evaluators.uid: a stable identifier that
  travels with dump and load (audit references use it, so the record survives a move).
- scores.abstained: a member's "abstain" on a cell (excluded from the aggregate).
- declarations: every conflict-of-interest declaration, never deleted (the latest counts).
- audit_log.context (OS user and machine), imported, prev_hash, hash: the tamper-evident chain.

The uids of existing rows are filled with the triggers of 0003 lifted (a final evaluation's rows
refuse every UPDATE) and put back as they were. The downgrade drops columns in place (no table
rebuild on SQLite, which would lose the triggers of 0001 and 0003: evaluator.db_migrate).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evaluator.db_migrate import drop_columns, triggers_lifted

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"


def _uid_fill(table: str) -> None:
    """A random 32-hex identifier for every existing row."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE {table} SET uid = md5(random()::text || id::text) WHERE uid = ''")
    else:
        op.execute(f"UPDATE {table} SET uid = lower(hex(randomblob(16))) WHERE uid = ''")


def upgrade() -> None:
    op.add_column("evaluations", sa.Column("chair", sa.String(200), nullable=False,
                                           server_default=""))  # fmt: skip
    op.add_column("evaluations", sa.Column("chair_secret", sa.Text(), nullable=True))
    for table in ("candidates", "evaluators"):
        op.add_column(table, sa.Column("uid", sa.String(32), nullable=False, server_default=""))
        with triggers_lifted(op, [table]):  # a final evaluation's rows get their uids too
            _uid_fill(table)
    op.add_column("evaluators", sa.Column("secret", sa.Text(), nullable=True))
    op.add_column("evaluators", sa.Column("submitted_at", sa.DateTime(), nullable=True))
    op.add_column("evaluators", sa.Column("excused", sa.Text(), nullable=False,
                                          server_default=""))  # fmt: skip
    op.add_column("scores", sa.Column("abstained", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))  # fmt: skip
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.Column("conflicted", sa.JSON(), nullable=False),
        sa.Column("covers", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_declarations_evaluation_id_evaluations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evaluator_id"], ["evaluators.id"],
                                name=op.f("fk_declarations_evaluator_id_evaluators"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declarations")),
    )  # fmt: skip
    op.create_index("ix_declarations_evaluator", "declarations", ["evaluator_id"])
    op.add_column("audit_log", sa.Column("context", sa.Text(), nullable=False, server_default=""))
    op.add_column("audit_log", sa.Column("imported", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))  # fmt: skip
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=False,
                                         server_default=""))  # fmt: skip
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=False,
                                         server_default=""))  # fmt: skip


def downgrade() -> None:
    drop_columns(op, "audit_log", ["hash", "prev_hash", "imported", "context"])
    op.drop_index("ix_declarations_evaluator", table_name="declarations")
    op.drop_table("declarations")
    drop_columns(op, "scores", ["abstained"])
    drop_columns(op, "evaluators", ["excused", "submitted_at", "secret", "uid"])
    drop_columns(op, "candidates", ["uid"])
    drop_columns(op, "evaluations", ["chair_secret", "chair"])
