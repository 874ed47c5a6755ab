"""Which files belong to a SQLite database in use, so that the app's own code never opens them.

SQLite's locks on a database file are POSIX advisory locks: they belong to the process, and
any close() of that file by the same process (a workbook reader, an image loader, a MIME
sniffer) silently drops them all (SQLite's "How To Corrupt An SQLite Database File", §2.2).
Another process then believes it is alone, checkpoints and deletes the `-wal` file, and what
this process writes afterwards is lost. So a database file in use, or one of its working files
(`-wal`, `-shm`, `-journal`), is never read as a workbook, catalog, JSON file or logo, and never
written over by an export.

The test looks at names and at which files exist (stat), never inside any file: in WAL mode
the `-wal` and `-shm` files are beside a database for as long as a connection to it is open.
"""

from __future__ import annotations

import os
from pathlib import Path

WORKING_FILE_SUFFIXES = ("-wal", "-shm", "-journal")


class LiveDatabaseFileError(OSError):
    """A file of a database in use was about to be opened or replaced by the app's own code."""


def live_database_of(path: str | Path) -> Path | None:
    """The database in use that `path` is, or is a working file of; None for any other file."""
    if not str(path).strip():
        return None
    real = Path(os.path.realpath(path))  # through symbolic links; reads no file
    for suffix in WORKING_FILE_SUFFIXES:
        if real.name.endswith(suffix) and len(real.name) > len(suffix):
            base = real.with_name(real.name[: -len(suffix)])
            if base.is_file():
                return base
    if real.is_file() and any(
        real.with_name(real.name + suffix).exists() for suffix in WORKING_FILE_SUFFIXES
    ):
        return real
    return None


def is_working_file(path: str | Path) -> bool:
    """Is `path` the `-wal`, `-shm` or `-journal` file of a database beside it?"""
    database = live_database_of(path)
    return database is not None and database != Path(os.path.realpath(path))


def live_database_problem(path: str | Path) -> str | None:
    """Why `path` must not be opened or replaced (a sentence fragment), or None."""
    database = live_database_of(path)
    if database is None:
        return None
    if database == Path(os.path.realpath(path)):
        return f"{path} is a database in use, which only SQLite may open"
    return f"{path} is a working file of a database in use ({database}), which only SQLite may open"


def refuse_live_database(path: str | Path) -> None:
    """Raise LiveDatabaseFileError when `path` belongs to a database in use."""
    problem = live_database_problem(path)
    if problem is not None:
        raise LiveDatabaseFileError(f"{problem}: choose another file")
