"""Bringing a database to the newest schema (Alembic), safely on both back ends.

- SQLite: an online backup first (an existing file only); foreign keys OFF around the migration
  so that a table rebuild (`batch_alter_table`: copy, DROP, rename) cascades into nothing, and
  `PRAGMA foreign_key_check` empty before the commit, else everything is rolled back.
- PostgreSQL: one migration at a time (a transaction-scoped advisory lock), so two laptops
  opening an empty database at once both succeed; the second finds the work done.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect

from evaluator.db_url import DatabaseError

# pg_advisory_xact_lock key: "SupportScope migrations" (any fixed 64-bit number of our own)
MIGRATION_LOCK = 0x53_53_4D_49_47_52_41_54


def newest_revision(scripts_dir: Path) -> str:
    """The newest migration's revision from the file names alone (versions/NNNN_name.py holds
    revision "NNNN"; a test checks this against Alembic's head): no Alembic import."""
    numbers = [p.name.split("_", 1)[0] for p in (scripts_dir / "versions").glob("[0-9]*_*.py")]
    return max(numbers, default="")


def stored_revision(engine: Engine) -> str | None:
    """The schema revision the database records (None when it records none, or several)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def needs_upgrade(engine: Engine, scripts_dir: Path) -> tuple[bool, bool]:
    """(has SupportScope tables, is behind the newest migration); refuses a newer schema.
    A database already at the newest revision is told by one SELECT, without importing
    Alembic (about 0.1 s of a cold start); anything else goes through Alembic's own check."""
    current = stored_revision(engine)
    if current is not None and current == newest_revision(scripts_dir):
        return True, False
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(scripts_dir))
    head = scripts.get_current_head()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = MigrationContext.configure(conn).get_current_revision()
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"{engine.url.database or engine.url} was written by a newer SupportScope (schema "
            f"{current}): install the newer version to open it; the file was not changed"
        )
    return bool(tables), current != head


# Alembic keeps its running migration in module globals (alembic.context, alembic.op): one
# migration at a time in this process; other processes wait on the database's own lock.
_IN_PROCESS = threading.Lock()


def upgrade(engine: Engine, scripts_dir: Path, target: str = "head") -> None:
    """Run the migrations up to the newest, or `target` (through evaluator/migrations/env.py)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(scripts_dir))
    config.attributes["engine"] = engine
    with _IN_PROCESS:
        command.upgrade(config, target)


@contextmanager
def migration_transaction(connection: Connection) -> Iterator[None]:
    """The one transaction all pending migrations run in, begun here so that Alembic treats it
    as external and commits nothing itself (on SQLite it would commit after every step)."""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # only outside a transaction does this pragma take effect
        _foreign_keys(connection, on=False)
    try:
        with connection.begin():  # committed at the end, rolled back on any error
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            yield
            if sqlite:
                _check_foreign_keys(connection)
    finally:
        if sqlite:
            _foreign_keys(connection, on=True)


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise DatabaseError(
            f"the schema upgrade would leave {len(broken)} rows pointing at nothing (in "
            f"{', '.join(tables)}): nothing was changed; keep this version of SupportScope and "
            "report it"
        )


def _foreign_keys(connection: Connection, *, on: bool) -> None:
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


# ---- for the migration scripts -------------------------------------------------------------


@contextmanager
def triggers_lifted(op: Any, tables: Sequence[str]) -> Iterator[None]:
    """The user triggers of `tables` out of the way for a data fix inside a migration (e.g. a
    new column filled on the rows of a final evaluation, which the triggers of 0003 refuse), then
    back exactly as they were: on SQLite their own stored SQL is run again, on PostgreSQL they
    are disabled and enabled."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        marks = ", ".join(f"'{t}'" for t in tables)
        saved = bind.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND tbl_name IN ({marks}) ORDER BY name"
        ).fetchall()
        for name, _sql in saved:
            op.execute(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in saved:
            op.execute(sql)
    elif bind.dialect.name == "postgresql":
        for table in tables:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        for table in tables:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    else:
        yield


SQLITE_DROP_COLUMN = (3, 35, 0)


def drop_columns(op: Any, table: str, columns: Sequence[str]) -> None:
    """Drop columns without rebuilding the table.

    On SQLite, Alembic's batch mode copies the table, drops the old one and renames the copy:
    the triggers on the table go with the old one, and the rename fails while another table's
    trigger names this one ("no such table: main.audit_log"). SQLite's own DROP COLUMN (3.35+)
    changes the table in place, so every trigger and index stays as it was."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for column in columns:
            op.drop_column(table, column)
        return
    import sqlite3

    if sqlite3.sqlite_version_info < SQLITE_DROP_COLUMN:
        raise DatabaseError(
            f"going back to this schema needs SQLite 3.35 or newer (this is "
            f"{sqlite3.sqlite_version}): nothing was changed"
        )
    for column in columns:
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
