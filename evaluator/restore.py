"""Restoring evaluations from a backup file into the open database (`restore FILE`).

What a committee chair can rely on:
- The file is opened read-only and checked before anything else: not a SQLite file, not a
  SupportScope database, written by a newer SupportScope, or damaged, each is refused with one
  sentence naming the file. It is then copied (SQLite's backup API) into a private temporary
  file, brought up to the current schema there if it is older, and read from that copy.
- Every evaluation in the file (or those named in `only`) is restored under its own name. A
  name that already exists here is refused unless `replace` is given; then that evaluation is
  replaced in place: it keeps its id and its own audit record, which is only appended to (the
  backup's entries already in it are not copied twice; how others are handled, and how a new
  evaluation carries the backup's record: evaluator.backup_copy).
  A final evaluation here is never replaced: its rows are read-only in the database itself, so
  the restore is refused, naming it (restore into another database to look at the backup's).
- All or nothing: one transaction. While it holds the write lock, the whole database is backed
  up to the backups folder first (evaluator.backups.before_restore), so that file is exactly
  what the restore replaced.
- Each restored evaluation gets a "restore evaluation" audit entry naming the file.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select

from evaluator import db_files
from evaluator.backup_copy import evaluation_ids, read_copy, write_restored
from evaluator.backups import before_restore
from evaluator.db import MIGRATIONS, Database, open_database
from evaluator.errors import ServiceError
from evaluator.models import EvaluationRow

SUPPORTSCOPE_TABLES = frozenset({"evaluations", "audit_log", "alembic_version"})


@dataclass(frozen=True)
class RestorePlan:
    """What a restore would do, read without changing anything (the window asks first)."""

    file: Path
    evaluations: tuple[str, ...]  # to be restored, as named in the file
    existing: tuple[str, ...]  # of those, the ones this database already has
    final: tuple[str, ...]  # of the existing ones, those that are final here

    @property
    def new(self) -> tuple[str, ...]:
        return tuple(n for n in self.evaluations if n not in self.existing)

    def refusal(self, replace: bool) -> str:
        """Why the restore cannot go ahead ("" when it can)."""
        if self.final:
            names = _names(self.final)
            return (
                f"{names} {_is(self.final)} final in this database: a final evaluation is "
                "read-only and is never replaced, so nothing was restored; to see the "
                f"backup's version, restore {self.file.name} into another database (--db "
                "OTHER.db)" + (", or leave it out with --only" if self.new else "")
            )
        if self.existing and not replace:
            one = len(self.existing) == 1
            return (
                f"{_names(self.existing)} already {'exists' if one else 'exist'} in this "
                f"database, so nothing was restored; to replace {'it' if one else 'them'} "
                "with the version in "
                f"{self.file.name}, run again with --replace (the database is backed up first)"
            )
        return ""


@dataclass(frozen=True)
class RestoreOutcome:
    file: Path
    added: dict[str, int]  # name -> id here
    replaced: dict[str, int]
    backup: Path  # the whole database as it was before the restore

    def summary(self) -> str:
        parts = [f"{n!r} (new)" for n in self.added] + [f"{n!r} (replaced)" for n in self.replaced]
        return (
            f"restored {', '.join(parts)} from {self.file}; the database as it was before is "
            f"saved in {self.backup}"
        )


def plan_restore(db: Database, file: str | Path, only: Sequence[str] = ()) -> RestorePlan:
    """Check the file and say what restoring it would do; changes nothing."""
    path = Path(file)
    with open_backup(path, db.path) as source, source.reading() as session:
        names = _chosen(path, evaluation_ids(session), only)
    with db.reading() as session:
        here = dict(
            session.execute(
                select(EvaluationRow.name, EvaluationRow.status).where(
                    EvaluationRow.name.in_([n for _i, n in names])
                )
            ).all()
        )
    return _plan(path, [n for _i, n in names], here)


def restore_backup(
    db: Database,
    file: str | Path,
    *,
    replace: bool = False,
    only: Sequence[str] = (),
    actor: str | None = None,
) -> RestoreOutcome:
    """Restore the file's evaluations (or those in `only`) in one transaction; see the module."""
    path = Path(file)
    with open_backup(path, db.path) as source, source.reading() as session:
        chosen = _chosen(path, evaluation_ids(session), only)
        copies = [read_copy(session, evaluation_id) for evaluation_id, _name in chosen]
    added: dict[str, int] = {}
    replaced: dict[str, int] = {}
    with db.transaction() as session:
        into = {
            row.name: row
            for row in session.scalars(
                select(EvaluationRow)
                .where(EvaluationRow.name.in_([c.name for c in copies]))
                .with_for_update()
            )
        }
        plan = _plan(path, [c.name for c in copies], {n: r.status for n, r in into.items()})
        refusal = plan.refusal(replace)
        if refusal:
            raise ServiceError(refusal)
        backup = before_restore(db)  # under our write lock: exactly what is about to change
        for copy in copies:
            target = into.get(copy.name)
            evaluation_id, _written = write_restored(
                session, copy, into=target, actor=actor, why=f"from backup {path.name}"
            )
            (added if target is None else replaced)[copy.name] = evaluation_id
    return RestoreOutcome(path, added, replaced, backup)


def check_backup_file(file: str | Path) -> None:
    """Refuse a file that is not a restorable backup (before a database is even opened)."""
    connection = _open_read_only(Path(file))
    connection.close()


@contextmanager
def open_backup(path: Path, live: Path | None = None) -> Iterator[Database]:
    """The backup, checked, as a private temporary database at the current schema; `live` is
    the open database file, refused as a backup of itself."""
    source = _open_read_only(path, live)
    with tempfile.TemporaryDirectory(prefix="supportscope-restore-") as folder:
        copy_path = Path(folder) / "restore.db"
        try:
            db_files.copy_into(source, copy_path)
        finally:
            source.close()
        copy_db = open_database(copy_path, create=False)
        try:
            yield copy_db
        finally:
            copy_db.close()


def _open_read_only(path: Path, live: Path | None = None) -> sqlite3.Connection:
    """A read-only connection to a checked backup file; refusals name the file.

    Reading a SQLite file read-only still makes SQLite create `-wal` and `-shm` files beside a
    file in WAL mode (a migration's `.bak` is one), and leave them there. A WAL file with no
    `-wal` beside it is closed and complete, so it is read as immutable: nothing is created.
    Its header is read first, which never happens to the open database (the app's process must
    not open that file other than through SQLite): that one is refused before.
    """
    if not path.is_file():
        raise ServiceError(
            f"{path} is a folder: give a backup file" if path.is_dir() else f"{path}: no such file"
        )
    if live is not None and live.exists() and path.samefile(live):
        raise ServiceError(f"{path} is the open database itself: choose a backup file")
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(b"SQLite format 3\x00"):
        raise ServiceError(f"{path} is not a SupportScope backup: it is not a SQLite database")
    closed_wal = header[18:19] == b"\x02" and not path.with_name(path.name + "-wal").exists()
    mode = "mode=ro&immutable=1" if closed_wal else "mode=ro"
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?{mode}", uri=True)
    try:
        _check(connection, path)
    except BaseException:
        connection.close()
        raise
    return connection


def _check(connection: sqlite3.Connection, path: Path) -> None:
    try:
        listed = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        tables = {str(r[0]) for r in listed}
    except sqlite3.DatabaseError as exc:
        if db_files.is_damage(str(exc)):
            raise ServiceError(_damaged(path, str(exc))) from None
        raise ServiceError(
            f"{path} is not a SupportScope backup: it is not a SQLite database ({exc})"
        ) from None
    if not SUPPORTSCOPE_TABLES.issubset(tables):
        raise ServiceError(
            f"{path} is not a SupportScope backup: it is a SQLite database without "
            "SupportScope's tables"
        )
    version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if version is None or version[0] not in _known_revisions():
        raise ServiceError(
            f"{path} was written by a newer SupportScope (schema "
            f"{version[0] if version else 'unknown'}): install the newer version to restore it; "
            "nothing was changed"
        )
    problems = [str(r[0]) for r in connection.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise ServiceError(_damaged(path, "; ".join(problems)))


def _damaged(path: Path, detail: str) -> str:
    detail = " ".join(detail.split())[:160]
    return f"{path} is damaged ({detail}): it cannot be restored; choose another backup"


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def _chosen(path: Path, found: list[tuple[int, str]], only: Sequence[str]) -> list[tuple[int, str]]:
    if not found:
        raise ServiceError(f"{path} holds no evaluations: there is nothing to restore")
    if not only:
        return found
    names = {name for _i, name in found}
    missing = [n for n in only if n not in names]
    if missing:
        raise ServiceError(
            f"{path.name} holds no evaluation named {missing[0]!r}; it holds "
            f"{_names([n for _i, n in found])}"
        )
    return [(i, n) for i, n in found if n in set(only)]


def _plan(path: Path, names: list[str], here: dict[str, str]) -> RestorePlan:
    existing = tuple(n for n in names if n in here)
    final = tuple(n for n in existing if here[n] == "final")
    return RestorePlan(path, tuple(names), existing, final)


def _names(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _is(names: Sequence[str]) -> str:
    return "is" if len(names) == 1 else "are"
