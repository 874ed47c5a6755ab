"""weighting sets: each stakeholder group's full set of raw weights, stored with the evaluation

- weight_sets: name (unique per evaluation), note, position and the weights as a JSON list of
  [criterion key, raw weight] pairs in tree order.
- The triggers of 0003 extend to it: its rows are read-only while their evaluation is final
  (INSERT, UPDATE and DELETE refused; on PostgreSQL TRUNCATE too while any evaluation is final).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "weight_sets"
FINAL_ROWS = "the evaluation is final: its rows are read-only"  # as in 0003


def _is_final(id_expr: str) -> str:
    return f"(SELECT status FROM evaluations WHERE id = {id_expr}) = 'final'"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluations.id"],
                                name=op.f("fk_weight_sets_evaluation_id_evaluations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_sets")),
        sa.UniqueConstraint("evaluation_id", "name", name="uq_weight_sets_eval_name"),
    )  # fmt: skip
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
    elif dialect == "postgresql":  # the functions are 0003's
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
    op.drop_table(TABLE)
