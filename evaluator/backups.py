"""Backup files: `backup --all`, `backup EVAL`, and the automatic backups before imports and
restores.

A SupportScope backup is always a SQLite database file with SupportScope's schema, whichever
database it came from, so that it opens anywhere (`restore FILE`, or `--db FILE` as it is):

- the whole database of a SQLite file is copied with SQLite's online backup API, which gives a
  consistent copy while others keep writing (and never opens the live file other than through
  SQLite: evaluator.db_files says why);
- a server database (PostgreSQL), or one evaluation, is read in one snapshot (a repeatable-read
  transaction) and loaded into a fresh SQLite file by the app's own dump/load, ids and times
  included; its audit chains go in as imported entries with their own times and hashes, the
  only way the database lets an entry keep its time (evaluator.backup_copy).

The file is built in a private temporary folder, switched out of WAL mode (one self-contained
file, no `-wal` beside it), then moved into place through evaluator.atomic: an existing file is
replaced whole or not at all.

Automatic backups go to the `backups` folder beside a database file (for a server database: in
the data folder), named `<database>.<UTC stamp>.<reason>[.<evaluation>].db`; the newest
KEEP_AUTOMATIC of each kind are kept:
- `before_import`: the evaluation, taken inside the import's own transaction, so it holds
  exactly what the import started from (`restore FILE --replace` undoes the import);
- `before_restore`: the whole database, taken while the restore holds its write lock.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from evaluator import db_files
from evaluator.atomic import atomic_path
from evaluator.backup_copy import (
    evaluation_ids,
    insert_chains,
    loose_audit,
    read_copy,
    write_verbatim,
)
from evaluator.db import Database, open_database
from evaluator.db_url import APP_NAME, default_database, is_url
from evaluator.errors import ServiceError
from evaluator.records import EvalRef, get_evaluation

KEEP_AUTOMATIC = 10
BEFORE_IMPORT = "before-import"
BEFORE_RESTORE = db_files.WHOLE_DATABASE


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    evaluations: tuple[str, ...]  # their names, oldest first


def backup_database(db: Database, target: str | Path) -> BackupSummary:
    """Write a consistent copy of the whole database to `target` (a SQLite file)."""
    target = checked_target(db, target)
    if db.path is not None:
        return BackupSummary(target, _publish(target, lambda built: _online_copy(db, built)))
    return BackupSummary(target, _publish(target, lambda built: _load_into(built, db, None)))


def backup_evaluation(db: Database, evaluation: EvalRef, target: str | Path) -> BackupSummary:
    """Write one evaluation, with its audit trail, to `target` (a SQLite file)."""
    target = checked_target(db, target)
    with db.reading() as session:
        evaluation_id = get_evaluation(session, evaluation).id  # refuses an unknown name first
    names = _publish(target, lambda built: _load_into(built, db, [evaluation_id]))
    return BackupSummary(target, names)


def checked_target(db: Database, target: str | Path) -> Path:
    """The output file, refused when it is a folder or the live database itself."""
    path = Path(target).expanduser()
    if path.is_dir():
        raise ServiceError(
            f"{path} is a folder: give a file name for the backup, e.g. {path / 'backup.db'}"
        )
    if db.path is not None:
        live = db.path.resolve()
        if path.resolve() in {live, *(live.with_name(live.name + s) for s in ("-wal", "-shm"))}:
            raise ServiceError(
                f"{path} is the open database itself: choose another file for the backup"
            )
    return path


# ---- automatic backups ----------------------------------------------------------------------


def backups_folder(db: Database) -> Path:
    """Where automatic backups go: `backups` beside the database file, or in the data folder
    (the default database's folder) for a server database."""
    if db.path is not None:
        return db.path.parent / db_files.BACKUPS_FOLDER
    default = default_database()
    if not is_url(default):
        return Path(default).expanduser().resolve().parent / db_files.BACKUPS_FOLDER
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / db_files.BACKUPS_FOLDER


def before_import(db: Database, session: Session, evaluation_id: int) -> Path:
    """Back up one evaluation as the caller's (write) transaction sees it, before an import
    writes to it; returns the file. Only the newest KEEP_AUTOMATIC of that evaluation stay."""
    name = get_evaluation(session, evaluation_id).name
    folder, stem, label = backups_folder(db), database_label(db), slug(name)
    target = folder / db_files.automatic_name(stem, BEFORE_IMPORT, label)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _publish(target, lambda built: _load_into(built, db, [evaluation_id], session))
    except OSError as exc:  # a full disk, a folder we may not write to
        detail = f"{exc.strerror}: {exc.filename}" if exc.strerror else str(exc)
        raise ServiceError(
            f"{name!r} could not be backed up before the import ({detail}), so nothing was "
            f"imported: make room in {folder}, or make it writable"
        ) from None
    db_files.prune(db_files.automatic_backups(folder, stem, BEFORE_IMPORT, label), KEEP_AUTOMATIC)
    return target


def before_restore(db: Database) -> Path:
    """Back up the whole database before a restore writes to it; returns the file."""
    folder, stem = backups_folder(db), database_label(db)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / db_files.automatic_name(stem, BEFORE_RESTORE)
    backup_database(db, target)
    db_files.prune(db_files.automatic_backups(folder, stem, BEFORE_RESTORE), KEEP_AUTOMATIC)
    return target


def database_label(db: Database) -> str:
    """The database in a backup's name: the file's stem, or `<dbname>-at-<host>` for a server."""
    if db.path is not None:
        return db.path.stem
    url = make_url(db.url)
    return slug(f"{url.database or 'database'}-at-{url.host or 'localhost'}")


def slug(text: str, width: int = 40) -> str:
    """A file-name-safe form of a name: lower case, letters and digits, single dashes."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:width].rstrip("-") or "evaluation"


# ---- building a backup file -----------------------------------------------------------------


def _publish(target: Path, build: Callable[[Path], tuple[str, ...]]) -> tuple[str, ...]:
    """Build the backup in a private temporary folder, then move it into place atomically."""
    with tempfile.TemporaryDirectory(prefix="supportscope-backup-") as folder:
        built = Path(folder) / "backup.db"
        names = build(built)
        if any(built.with_name(built.name + s).exists() for s in ("-wal", "-journal")):
            raise RuntimeError(f"the backup {built} was left unfinished")  # never publish half
        with atomic_path(target) as temp:
            shutil.copyfile(built, temp)
    return names


def _online_copy(db: Database, built: Path) -> tuple[str, ...]:
    """SQLite's online backup of the live file into `built` (consistent while others write)."""
    with db_files.live_connection(db.engine) as source:
        copy = sqlite3.connect(built, isolation_level=None)
        try:
            source.backup(copy)
            _single_file(copy)
            return tuple(r[0] for r in copy.execute("SELECT name FROM evaluations ORDER BY id"))
        finally:
            copy.close()


def _load_into(
    built: Path, db: Database, only: list[int] | None, session: Session | None = None
) -> tuple[str, ...]:
    """A fresh SQLite database at `built` holding the evaluations `only` (all when None, with
    the audit entries of deleted evaluations too), read in one snapshot: `session` when given
    (the caller's transaction), else a repeatable-read transaction of our own."""
    fresh = open_database(built, create=True)
    try:
        with _snapshot(db, session) as source, fresh.transaction() as out:
            chosen = [(i, name) for i, name in evaluation_ids(source) if only is None or i in only]
            for evaluation_id, _name in chosen:
                write_verbatim(out, read_copy(source, evaluation_id))
            if only is None:
                insert_chains(out, loose_audit(source, {i for i, _ in chosen}))
        raw = fresh.engine.raw_connection()
        try:
            _single_file(raw.driver_connection)
        finally:
            raw.close()
    finally:
        fresh.close()
    return tuple(name for _i, name in chosen)


@contextmanager
def _snapshot(db: Database, session: Session | None) -> Iterator[Session]:
    if session is not None:
        yield session
        return
    with db.reading() as own:
        if not db.is_sqlite:  # one snapshot for every statement (SQLite's read transaction is)
            own.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield own


def _single_file(connection: sqlite3.Connection) -> None:
    """Leave WAL mode: the backup is then one self-contained file, safe to copy and mail."""
    mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    if str(mode).lower() != "delete":
        raise RuntimeError(f"the backup could not leave {mode} mode")
