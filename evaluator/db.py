"""Opening a portfolio database: URL resolution, SQLite pragmas, migrations, transactions.

One `Database` per open file. Every user action runs in `db.transaction()`, which on SQLite
starts with `BEGIN IMMEDIATE` so that two committee laptops sharing a file never interleave
half-written actions.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "SupportScope"
MIGRATIONS = Path(__file__).with_name("migrations")


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message says which and why."""


def default_database_path() -> Path:
    """The portfolio file in the user's data folder (overridable with SUPPORTSCOPE_DB)."""
    override = os.environ.get("SUPPORTSCOPE_DB")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "supportscope.db"


def database_url(target: str | Path | None) -> str:
    """Turn `--db` (a file path or any SQLAlchemy URL, or None for the default) into a URL."""
    if target is None or str(target) == "":
        target = default_database_path()
    text = str(target)
    if "://" in text:
        try:
            make_url(text).get_dialect()
        except (ArgumentError, NoSuchModuleError) as exc:
            raise DatabaseError(f"{text} is not a valid database URL: {exc}") from exc
        return text
    path = Path(text).expanduser()
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder: give a database file name, e.g. {path}/ss.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE instead of pysqlite's own BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """An open portfolio database; create with `open_database`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The database file, for SQLite files; None for server databases."""
        database = make_url(self.url).database
        return Path(database) if self.is_sqlite and database else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only (no BEGIN IMMEDIATE lock held longer than needed)."""
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    return engine


def _alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _needs_upgrade(engine: Engine) -> tuple[bool, bool]:
    """(has SupportScope tables, is behind the newest migration)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
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


def _backup(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.{stamp}.bak")
    shutil.copy2(path, backup)
    for suffix in ("-wal",):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            shutil.copy2(extra, backup.with_name(backup.name + suffix))
    return backup


def open_database(target: str | Path | None = None) -> Database:
    """Open (creating or upgrading as needed) the portfolio database at a path or URL."""
    # Alembic narrates each step at INFO; a user opening a file needs none of that.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    url = database_url(target)
    engine = _make_engine(url)
    db = Database(engine, url)
    try:
        has_tables, behind = _needs_upgrade(engine)
        if behind:
            if has_tables and db.path is not None and db.path.exists():
                _backup(db.path)
            from alembic import command

            command.upgrade(_alembic_config(engine), "head")
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # driver errors, a file that is not a database, a locked file
        engine.dispose()
        raise DatabaseError(f"cannot open database {target or url}: {exc}") from exc
    return db
