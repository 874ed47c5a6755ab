"""AHP pairwise judgments: each committee member's comparisons of sibling criteria

- ahp_judgments: (member, the parent category's key or "" for the top level, the two criteria's
  keys in order) -> how many times the first is as important as the second (1/9..9). Keys, not
  criterion ids: a key is stable, so a judgment follows its criteria through a move and back
  through an undone removal. A member's judgments go with them (cascade).
- Like the other rows of an evaluation (0003), a final evaluation's judgments refuse INSERT,
  UPDATE and DELETE in the database itself, and on PostgreSQL TRUNCATE while any evaluation is
  final.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "ahp_judgments"
FINAL_ROWS = "the evaluation is final: its rows are read-only"  # as in 0003


def _is_final(id_expr: str) -> str:
    return f"(SELECT status FROM evaluations WHERE id = {id_expr}) = 'final'"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("parent_key", sa.String(120), nullable=False),
        sa.Column("first_key", sa.String(120), nullable=False),
        sa.Column("second_key", sa.String(120), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_ahp_judgments_evaluation_id_evaluations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["evaluator_id"], ["evaluators.id"],
                                name=op.f("fk_ahp_judgments_evaluator_id_evaluators"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ahp_judgments")),
        sa.UniqueConstraint("evaluator_id", "parent_key", "first_key", "second_key",
                            name="uq_ahp_judgments_pair"),
    )  # fmt: skip
    op.create_index("ix_ahp_judgments_evaluation", TABLE, ["evaluation_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        conditions = {
            "insert": _is_final("NEW.evaluation_id"),
            "update": f"{_is_final('OLD.evaluation_id')} OR {_is_final('NEW.evaluation_id')}",
            "delete": _is_final("OLD.evaluation_id"),
        }
        for verb, condition in conditions.items():
            op.execute(
                f"CREATE TRIGGER {TABLE}_final_no_{verb} BEFORE {verb.upper()} ON {TABLE} "
                f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{FINAL_ROWS}'); END"
            )
    elif dialect == "postgresql":  # the functions 0003 created
        op.execute(
            f"CREATE TRIGGER {TABLE}_final_rows BEFORE INSERT OR UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION supportscope_final_rows()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate_while_final BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION supportscope_no_truncate_while_final()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_final_no_{verb}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate_while_final ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_final_rows ON {TABLE}")
    op.drop_index("ix_ahp_judgments_evaluation", table_name=TABLE)
    op.drop_table(TABLE)
