"""DDL for the tables that hold an evaluation's rows, written once for every migration.

The database's own guard on a final evaluation's rows: migration 0003 puts it on the tables of its
time and defines the PostgreSQL functions; each later migration that adds such a table (0006,
0007) creates it with `create_table`, which puts the same guard on it, so that a raw `UPDATE`
cannot change a final evaluation whichever table it aims at.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

FINAL_ROWS = "the evaluation is final: its rows are read-only"
VERBS = ("insert", "update", "delete")


def is_final(id_expr: str) -> str:
    """SQL that is true when the evaluation with this id is final."""
    return f"(SELECT status FROM evaluations WHERE id = {id_expr}) = 'final'"


def no_truncate_while_final(table: str) -> None:
    """PostgreSQL: refuse TRUNCATE of the table while any evaluation is final."""
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate_while_final BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION supportscope_no_truncate_while_final()"
    )


def create_guard(table: str) -> None:
    """Refuse INSERT, UPDATE and DELETE of the table's rows while their evaluation is final
    (on PostgreSQL through 0003's functions, TRUNCATE too while any evaluation is final)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        conditions = {
            "insert": is_final("NEW.evaluation_id"),
            "update": f"{is_final('OLD.evaluation_id')} OR {is_final('NEW.evaluation_id')}",
            "delete": is_final("OLD.evaluation_id"),
        }
        for verb, condition in conditions.items():
            op.execute(
                f"CREATE TRIGGER {table}_final_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{FINAL_ROWS}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_final_rows BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION supportscope_final_rows()"
        )
        no_truncate_while_final(table)


def drop_guard(table: str) -> None:
    """The triggers `create_guard` made, gone (the PostgreSQL functions stay: 0003's)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in VERBS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_final_no_{verb}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate_while_final ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_final_rows ON {table}")


def create_table(table: str, *columns: Any, extra: tuple[Any, ...] = ()) -> None:
    """A guarded table of an evaluation's rows: `id`, `evaluation_id` (its rows go with their
    evaluation), then `columns`, the constraints in `extra`."""
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f(f"fk_{table}_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *extra,
    )
    create_guard(table)


def drop_table(table: str) -> None:
    """A table `create_table` made, with its guard."""
    drop_guard(table)
    op.drop_table(table)
