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

from evaluator.migrations.evaluation_rows import create_table, drop_table

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"

TABLE = "weight_sets"


def upgrade() -> None:
    create_table(
        TABLE,
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        extra=(sa.UniqueConstraint("evaluation_id", "name", name="uq_weight_sets_eval_name"),),
    )


def downgrade() -> None:
    drop_table(TABLE)
