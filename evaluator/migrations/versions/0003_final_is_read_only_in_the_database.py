"""a final evaluation and the audit log are read-only in the database itself

The services refuse edits to a final evaluation, but a raw `UPDATE scores ...` (a script, a
database tool) went through, and status could go final -> consensus -> final without a trace.
Triggers now refuse, on SQLite and PostgreSQL alike:

- INSERT, UPDATE and DELETE on the rows of a final evaluation (scores, consensus, responses,
  candidates, committee members, criteria, questions) and on its evaluations row;
- leaving `final`, unless the newest audit entry of that evaluation is a 'reopen evaluation'
  written just before (the app's reopen path writes it first): on PostgreSQL in the same
  transaction; on SQLite by the same connection with nothing inserted since (last_insert_rowid);
- and, on PostgreSQL, TRUNCATE of the audit log (UPDATE and DELETE are refused since 0001) and of
  the evaluation tables while any evaluation is final.

A later migration that rebuilds one of these tables on SQLite (batch_alter_table with a copy)
drops its triggers with the old table: it must create them again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

"""

from collections.abc import Sequence

from alembic import op

from evaluator.migrations.evaluation_rows import (
    FINAL_ROWS,
    create_guard,
    drop_guard,
    no_truncate_while_final,
)

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"

CHILD_TABLES = (
    "scores",
    "consensus_scores",
    "responses",
    "candidates",
    "evaluators",
    "criteria",
    "questions",
)
NO_REOPEN = (
    "a final evaluation stays final unless a ''reopen evaluation'' audit entry is written "
    "in the same transaction first"
)  # quotes doubled: the messages stand inside SQL string literals
REOPEN = "reopen evaluation"


def _sqlite_upgrade() -> None:
    for table in CHILD_TABLES:
        create_guard(table)
    # Leaving final: the newest audit row of the evaluation must be a reopen entry that this
    # connection has just inserted (last_insert_rowid: the same transaction, nothing since).
    op.execute(
        "CREATE TRIGGER evaluations_final_no_update BEFORE UPDATE ON evaluations "
        "WHEN OLD.status = 'final' AND NEW.status = 'final' "
        f"BEGIN SELECT RAISE(ABORT, '{FINAL_ROWS}'); END"
    )
    op.execute(
        "CREATE TRIGGER evaluations_final_no_reopen BEFORE UPDATE ON evaluations "
        "WHEN OLD.status = 'final' AND NEW.status <> 'final' AND NOT EXISTS ("
        "SELECT 1 FROM audit_log WHERE id = (SELECT max(id) FROM audit_log "
        f"WHERE evaluation_id = OLD.id) AND action = '{REOPEN}' AND id = last_insert_rowid()) "
        f"BEGIN SELECT RAISE(ABORT, '{NO_REOPEN}'); END"
    )
    op.execute(
        "CREATE TRIGGER evaluations_final_no_delete BEFORE DELETE ON evaluations "
        f"WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, '{FINAL_ROWS}'); END"
    )


PG_FUNCTIONS = f"""
CREATE FUNCTION supportscope_final_rows() RETURNS trigger AS $$
DECLARE
    touched integer[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN touched := touched || OLD.evaluation_id; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN touched := touched || NEW.evaluation_id; END IF;
    -- the row lock waits for a status change in flight, so no write lands after 'final'
    PERFORM 1 FROM evaluations WHERE id = ANY(touched) FOR SHARE;
    IF EXISTS (SELECT 1 FROM evaluations WHERE id = ANY(touched) AND status = 'final') THEN
        RAISE EXCEPTION '{FINAL_ROWS}';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION supportscope_final_evaluation() RETURNS trigger AS $$
DECLARE
    newest RECORD;
BEGIN
    IF OLD.status <> 'final' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' OR NEW.status = 'final' THEN RAISE EXCEPTION '{FINAL_ROWS}'; END IF;
    SELECT action, xmin::text AS writer INTO newest FROM audit_log
        WHERE evaluation_id = OLD.id ORDER BY id DESC LIMIT 1;
    IF newest IS NULL OR newest.action <> '{REOPEN}'
            OR newest.writer <> (pg_current_xact_id()::text::bigint % 4294967296)::text THEN
        RAISE EXCEPTION '{NO_REOPEN}';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION supportscope_no_truncate_while_final() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM evaluations WHERE status = 'final') THEN
        RAISE EXCEPTION '{FINAL_ROWS}';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def _postgresql_upgrade() -> None:
    op.execute(PG_FUNCTIONS)
    for table in CHILD_TABLES:
        create_guard(table)
    no_truncate_while_final("evaluations")
    op.execute(
        "CREATE TRIGGER evaluations_final BEFORE UPDATE OR DELETE ON evaluations "
        "FOR EACH ROW EXECUTE FUNCTION supportscope_final_evaluation()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _postgresql_upgrade()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS evaluations_final_no_update")
        op.execute("DROP TRIGGER IF EXISTS evaluations_final_no_reopen")
        op.execute("DROP TRIGGER IF EXISTS evaluations_final_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS evaluations_final ON evaluations")
        op.execute("DROP TRIGGER IF EXISTS evaluations_no_truncate_while_final ON evaluations")
    for table in CHILD_TABLES:
        drop_guard(table)
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS supportscope_no_truncate_while_final()")
        op.execute("DROP FUNCTION IF EXISTS supportscope_final_evaluation()")
        op.execute("DROP FUNCTION IF EXISTS supportscope_final_rows()")
