"""What a SQLite database *file* needs beyond SQL: a safe place (no network share), a check that
it is not damaged, and backups taken with SQLite's online backup API.

The live file is only ever opened by SQLite itself. Copying it with shutil (or any open+close by
the app's process) would drop the process's POSIX locks on it (SQLite's "How To Corrupt An
SQLite Database File", §2.2), letting another process believe it is alone and delete the WAL
with changes in it. Backups therefore go through a SQLite connection of the engine.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from evaluator.atomic import atomic_path
from evaluator.db_url import DatabaseError
from evaluator.netfs import network_filesystem

KEEP_BACKUPS = 5
BACKUPS_FOLDER = "backups"
STAMP = "%Y%m%dT%H%M%S.%fZ"  # UTC; sorts as it reads
WHOLE_DATABASE = "before-restore"  # the automatic backups that are complete copies of the file


def refuse_network_share(path: Path, mount_table: str | None = None) -> None:
    kind = network_filesystem(path, mount_table)
    if kind:
        raise DatabaseError(
            f"{path} is on a network file system ({kind}): SQLite cannot lock files reliably "
            "there, and committee members could lose each other's changes. Keep the file on "
            "this computer, or share a PostgreSQL server and open it with --db "
            "postgresql+psycopg://HOST/DBNAME (see 'Running a shared committee database' in "
            "the README)"
        )


def backups_of(path: Path) -> list[Path]:
    """The complete copies of the database file `path`, oldest first: `<name>.<stamp>.bak`
    beside it (before schema upgrades) and the automatic whole-database backups in the
    `backups` folder beside it (before restores). Backups of one evaluation are not listed:
    copied over the file, they would lose the other evaluations."""
    found = list(path.parent.glob(f"{path.name}.*.bak"))
    found += automatic_backups(path.parent / BACKUPS_FOLDER, path.stem, WHOLE_DATABASE)
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def automatic_name(stem: str, reason: str, label: str = "") -> str:
    """`<stem>.<UTC stamp>.<reason>[.<label>].db`: what, when and why, readable in a folder."""
    stamp = datetime.now(UTC).strftime(STAMP)
    return f"{stem}.{stamp}.{reason}{'.' + label if label else ''}.db"


def automatic_backups(folder: Path, stem: str, reason: str, label: str = "") -> list[Path]:
    """The automatic backups of `stem` for `reason` (and `label`) in `folder`, oldest first;
    matched exactly, so another database's backups (`<stem>.old...`) are never among them."""
    pattern = re.compile(
        rf"{re.escape(stem)}\.\d{{8}}T\d{{6}}\.\d{{6}}Z\.{re.escape(reason)}"
        rf"{re.escape('.' + label) if label else ''}\.db"
    )
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())


def prune(backups: list[Path], keep: int) -> None:
    """Delete all but the newest `keep` of `backups` (oldest first, as listed)."""
    for old in backups[: max(0, len(backups) - keep)]:
        with contextlib.suppress(OSError):
            old.unlink()


def damaged_message(path: Path, detail: str) -> str:
    """What to do about a damaged file: restore the newest backup (named), never "try again"."""
    backups = backups_of(path)
    if backups:
        remedy = (
            f"restore the newest backup: close SupportScope and copy {backups[-1]} over "
            f"{path.name} (keep the damaged file aside)"
        )
    else:
        remedy = (
            f"restore a backup of it (none was found beside it as {path.name}.*.bak); keep the "
            "damaged file for a recovery attempt"
        )
    detail = " ".join(detail.split())[:160]
    return f"{path} is damaged ({detail}): SupportScope will not write to it; {remedy}"


def check_integrity(engine: Engine, path: Path) -> None:
    """PRAGMA quick_check (reads every page, skips the slow index cross-checks); refuses a
    damaged file with the way out."""
    try:
        with engine.connect() as conn:
            rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check(5)")]
    except Exception as exc:  # "file is not a database", "database disk image is malformed"
        text = str(getattr(exc, "orig", None) or exc)
        if is_damage(text):
            raise DatabaseError(damaged_message(path, text)) from None
        raise
    if rows != ["ok"]:
        raise DatabaseError(damaged_message(path, "; ".join(rows)))


def is_damage(text: str) -> bool:
    """Does a SQLite error say the file is damaged (rather than busy or missing)?"""
    text = text.lower()
    return "malformed" in text or "corrupt" in text


@contextlib.contextmanager
def live_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The sqlite3 connection under one of the engine's connections (for the backup API)."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        yield source
    finally:
        raw.close()


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup of `source` into a new file `target` (consistent while others
    write)."""
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()


def backup(engine: Engine, path: Path, keep: int = KEEP_BACKUPS) -> Path:
    """Copy the live database to `<name>.<UTC stamp>.bak` beside it with SQLite's online backup
    API (consistent while others write), keeping the newest `keep` such backups."""
    stamp = datetime.now(UTC).strftime(STAMP)
    target = path.with_name(f"{path.name}.{stamp}.bak")
    with live_connection(engine) as source, atomic_path(target) as temp:
        copy_into(source, temp)
    for old in sorted(path.parent.glob(f"{path.name}.*.bak"))[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target
