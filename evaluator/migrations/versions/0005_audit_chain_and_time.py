"""audit chain sealed, and the database guards each entry's time

- The entries written before the chain existed are sealed into their evaluation's chain (in id
  order) and marked imported: their times were set by the application, not checked by the
  database. The append-only triggers are lifted for this one step and put back.
- Triggers refuse an audit_log INSERT whose `at` is more than 5 seconds from the database's
  clock unless it is imported, and an imported entry for an evaluation that already has live
  entries (imported entries, from a file or from before the chain, may only begin a chain).
  A partial index on the live entries keeps that check cheap while a load inserts thousands.

A later migration that rebuilds audit_log on SQLite (batch_alter_table with a copy) drops these
triggers with the old table: it must create them again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from evaluator.audit_chain import CONTENT_FIELDS, TIME_TOLERANCE, seal

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"

SECONDS = int(TIME_TOLERANCE.total_seconds())
TIME_MESSAGE = (
    f"an audit entry''s time must be the database''s clock (within {SECONDS} seconds): check "
    "this computer''s clock; only entries imported from a file keep their own time"
)  # quotes doubled: the messages stand inside SQL string literals
FIRST_MESSAGE = (
    "imported audit entries may only begin an evaluation''s record, before any live entry"
)
APPEND_ONLY = "the audit log is append-only"

PG_GUARD = f"""
CREATE FUNCTION audit_log_guard() RETURNS trigger AS $$
BEGIN
    IF NEW.imported THEN
        IF NEW.evaluation_id IS NULL THEN
            PERFORM 1 FROM audit_log WHERE evaluation_id IS NULL AND NOT imported LIMIT 1;
        ELSE
            PERFORM 1 FROM audit_log
                WHERE evaluation_id = NEW.evaluation_id AND NOT imported LIMIT 1;
        END IF;
        IF FOUND THEN RAISE EXCEPTION '{FIRST_MESSAGE}'; END IF;
    ELSIF NEW.at IS NULL OR abs(extract(epoch FROM
            NEW.at - (clock_timestamp() AT TIME ZONE 'UTC'))) > {SECONDS} THEN
        RAISE EXCEPTION '{TIME_MESSAGE}';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def _seal_existing() -> None:
    """Seal the rows written before the chain, chain by chain, as imported."""
    bind = op.get_bind()
    log = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("evaluation_id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("imported", sa.Boolean),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
        *(sa.column(name, sa.Text) for name in CONTENT_FIELDS),
    )
    rows = bind.execute(sa.select(log).order_by(log.c.evaluation_id, log.c.id)).mappings()
    heads: dict[int | None, str] = {}
    updates = []
    for row in rows:
        prev = heads.get(row["evaluation_id"], "")
        if row["hash"]:
            heads[row["evaluation_id"]] = row["hash"]
            continue
        fields = {name: row[name] or "" for name in CONTENT_FIELDS}
        digest = seal(prev, row["at"], fields, True)
        updates.append({"row_id": row["id"], "p": prev, "h": digest})
        heads[row["evaluation_id"]] = digest
    if updates:
        bind.execute(
            log.update()
            .where(log.c.id == sa.bindparam("row_id"))
            .values(imported=True, prev_hash=sa.bindparam("p"), hash=sa.bindparam("h")),
            updates,
        )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        _seal_existing()
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
    elif dialect == "postgresql":
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        _seal_existing()
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    else:
        _seal_existing()
    op.create_index(
        "ix_audit_live",
        "audit_log",
        ["evaluation_id"],
        sqlite_where=sa.text("NOT imported"),
        postgresql_where=sa.text("NOT imported"),
    )
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_time_guard BEFORE INSERT ON audit_log "
            "WHEN NOT NEW.imported AND (julianday(NEW.at) IS NULL OR "
            f"abs(julianday(NEW.at) - julianday('now')) * 86400.0 > {SECONDS}) "
            f"BEGIN SELECT RAISE(ABORT, '{TIME_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_imported_first BEFORE INSERT ON audit_log "
            "WHEN NEW.imported AND EXISTS (SELECT 1 FROM audit_log "
            "WHERE evaluation_id IS NEW.evaluation_id AND NOT imported) "
            f"BEGIN SELECT RAISE(ABORT, '{FIRST_MESSAGE}'); END"
        )
    elif dialect == "postgresql":
        op.execute(PG_GUARD)
        op.execute(
            "CREATE TRIGGER audit_log_guard BEFORE INSERT ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_guard()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_imported_first")
        op.execute("DROP TRIGGER IF EXISTS audit_log_time_guard")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_guard ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_guard()")
    op.drop_index("ix_audit_live", table_name="audit_log")
