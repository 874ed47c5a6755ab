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

from evaluator.migrations.evaluation_rows import create_table, drop_table

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"

TABLE = "ahp_judgments"


def upgrade() -> None:
    create_table(
        TABLE,
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("parent_key", sa.String(120), nullable=False),
        sa.Column("first_key", sa.String(120), nullable=False),
        sa.Column("second_key", sa.String(120), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        extra=(
            sa.ForeignKeyConstraint(["evaluator_id"], ["evaluators.id"],
                                    name=op.f("fk_ahp_judgments_evaluator_id_evaluators"),
                                    ondelete="CASCADE"),
            sa.UniqueConstraint("evaluator_id", "parent_key", "first_key", "second_key",
                                name="uq_ahp_judgments_pair"),
        ),
    )  # fmt: skip
    op.create_index("ix_ahp_judgments_evaluation", TABLE, ["evaluation_id"])


def downgrade() -> None:
    op.drop_index("ix_ahp_judgments_evaluation", table_name=TABLE)
    drop_table(TABLE)
