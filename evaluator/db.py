"""Opening a portfolio database, and the transactions every service runs in.

One `Database` per open file or server database. Every user action runs in `db.transaction()`:
on SQLite it starts with `BEGIN IMMEDIATE`, so that two committee laptops sharing a file never
interleave half-written actions, and a busy file is waited for and retried, never reported as
"database is locked". Reads run in `db.reading()`, a deferred transaction: in WAL mode a reader
never waits for a writer.

Opening checks first: a SQLite file must exist unless the caller may create one (`create`), must
not be on a network share, and must pass `PRAGMA quick_check`; then the schema is brought up to
date (evaluator.db_migrate).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from evaluator import db_files, db_migrate
from evaluator.db_url import (
    APP_NAME as APP_NAME,
)
from evaluator.db_url import (
    POSTGRES_EXTRA,
    DatabaseError,
    database_url,
    saved_location,
    scrub,
    shown_url,
    sqlite_file,
)
from evaluator.db_url import (
    default_database as default_database,
)
from evaluator.db_url import (
    default_database_path as default_database_path,
)

__all__ = [
    "APP_NAME",
    "MIGRATIONS",
    "Database",
    "DatabaseError",
    "database_url",
    "default_database",
    "default_database_path",
    "open_database",
]

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 10_000  # SQLite waits this long for a lock within one attempt
BUSY_RETRY_SECONDS = 60.0  # then the transaction start is retried, with backoff, this long
_BEGIN = "supportscope_begin"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite's own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the others may wait
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """BEGIN IMMEDIATE for writers (the write lock up front), a deferred BEGIN for readers."""
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get(_BEGIN, 'DEFERRED')}")


def is_busy(error: BaseException) -> bool:
    """A SQLite 'database is locked/busy' error (another process holds the write lock)."""
    text = str(getattr(error, "orig", None) or error).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "busy" in text)


class Database:
    """An open portfolio database; create with `open_database`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = saved_location(url)  # safe to show and to save: never the password
        self._path = sqlite_file(url)
        self.writer = engine.execution_options(**{_BEGIN: "IMMEDIATE"})
        self._write_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._integrity: Future[None] | None = None  # a check still running, or its verdict

    def check_integrity_meanwhile(self) -> None:
        """Check the file (PRAGMA quick_check) on a thread while the caller reads from it:
        SQLite reads every page without the interpreter lock, so opening a committee-scale
        evaluation no longer reads the file twice in a row. `confirm_integrity` (and every
        write transaction) waits for the verdict."""
        path = self._path
        assert path is not None, "only SQLite files are checked"
        verdict: Future[None] = Future()

        def check() -> None:
            try:
                db_files.check_integrity(self.engine, path)
            except DatabaseError as exc:
                verdict.set_exception(exc)
            except Exception as exc:  # told to whoever confirms, as open_database says it
                verdict.set_exception(_open_error(exc, path, self.url))
            else:
                verdict.set_result(None)

        self._integrity = verdict
        threading.Thread(target=check, name="integrity-check", daemon=True).start()

    def confirm_integrity(self) -> None:
        """Wait for a check started by `check_integrity_meanwhile`; DatabaseError (saying what
        to do) when it found the file damaged. Nothing to wait for otherwise."""
        if self._integrity is not None:
            self._integrity.result()

    @property
    def damaged(self) -> bool:
        """A finished check found the file damaged (or could not read it)."""
        verdict = self._integrity
        return verdict is not None and verdict.done() and verdict.exception() is not None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The database file, for SQLite files; None for server databases."""
        return self._path

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, one write transaction: committed on success, rolled back on any error.
        Never on a file whose integrity check is pending or failed."""
        self.confirm_integrity()
        with self._write_sessions() as session:
            self._begin_write(session)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def _begin_write(self, session: Session) -> None:
        """Start the transaction now (BEGIN IMMEDIATE on SQLite), retrying while it is busy."""
        deadline = time.monotonic() + BUSY_RETRY_SECONDS
        delay = 0.05
        while True:
            try:
                session.connection()
                return
            except OperationalError as exc:
                session.rollback()
                if not is_busy(exc) or time.monotonic() + delay > deadline:
                    raise
                logging.getLogger(__name__).info("database busy; retrying in %.2f s", delay)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: a deferred transaction that takes no write lock and, in
        WAL mode, never waits for writers."""
        with self._read_sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    try:
        engine = create_engine(url)
    except ImportError as exc:
        if url.startswith("postgresql"):
            raise DatabaseError(
                f"{shown_url(url)} is a PostgreSQL server: its driver is not installed; "
                f"install it with {POSTGRES_EXTRA}"
            ) from None
        raise DatabaseError(
            f"{shown_url(url)}: the database driver is not installed ({exc})"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _check_file(path: Path, create: bool) -> bool:
    """Refuse what must not be opened; True when the file already exists."""
    if path.exists():
        db_files.refuse_network_share(path)
        return True
    if not create:
        raise DatabaseError(
            f"no database at {path}: check the path, or create one with 'new' or 'demo'"
        )
    db_files.refuse_network_share(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return False


def open_database(
    target: str | Path | None = None, *, create: bool = True, check_meanwhile: bool = False
) -> Database:
    """Open (upgrading as needed) the portfolio database at a path or URL.

    A SQLite file that does not exist is created only with `create` (commands and dialogs
    that make a database say so; everything else refuses a mistyped path, creating nothing).
    An existing file is checked for damage first, or with `check_meanwhile` while the caller
    reads it (the caller then calls `confirm_integrity` before trusting what it read); a file
    that needs upgrading is always checked first.
    """
    # Alembic narrates each step at INFO; a user opening a file needs none of that.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    url = database_url(target)
    path = sqlite_file(url)
    existed = _check_file(path, create) if path is not None else True
    engine = _make_engine(url)
    db = Database(engine, url)
    later = check_meanwhile and path is not None and existed
    try:
        if path is not None and existed and not later:
            db_files.check_integrity(engine, path)
        has_tables, behind = db_migrate.needs_upgrade(engine, MIGRATIONS)
        if behind and later:  # an upgrade writes: never before the check
            db_files.check_integrity(engine, path)  # type: ignore[arg-type]
            later = False
        if behind:
            if has_tables and path is not None:
                db_files.backup(engine, path)
            db_migrate.upgrade(db.writer, MIGRATIONS)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # driver errors, a file that is not a database, a server refusing
        engine.dispose()
        raise _open_error(exc, path, url) from None
    if later:
        db.check_integrity_meanwhile()
    return db


def _open_error(exc: Exception, path: Path | None, url: str) -> DatabaseError:
    """A driver's error while opening, as the user reads it: damage with the way out, else
    what could not be opened and why (never the password of a URL)."""
    detail = str(getattr(exc, "orig", None) or exc)
    if path is not None and db_files.is_damage(detail):
        return DatabaseError(db_files.damaged_message(path, detail))
    where = str(path) if path is not None else shown_url(url)
    return DatabaseError(scrub(f"cannot open database {where}: {detail}", url))
