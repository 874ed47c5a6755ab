"""Every file the app writes goes to a temporary file beside the target, then `os.replace`.

A failed or cancelled export therefore leaves an existing file byte-identical. Temporary files
are named `.<target>.<pid>@<host>.<random>.part`: hidden, and carrying their owner, so that a
later run can tell the leftovers of a killed process from a write still under way
(`evaluator.report_pair.remove_stale_temps`). A database in use, or one of its working files, is
never the target (evaluator/live_files.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from evaluator.live_files import refuse_live_database


def owner_tag() -> str:
    """`<pid>@<host>`: who made a temporary file (the host only in letters, digits and '-')."""
    host = re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:24]
    return f"{os.getpid()}@{host}"


def new_temp(target: str | Path) -> Path:
    """Create an empty, owner-tagged temporary file in the target's folder."""
    target = Path(target)
    refuse_live_database(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"the folder {folder} does not exist: create it or choose another")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{owner_tag()}.", suffix=".part", dir=folder)
    os.close(fd)
    return Path(name)


def seal(temp: Path, target: Path) -> None:
    """Make a finished temporary file durable and give it the target's permissions."""
    with open(temp, "rb+") as handle:  # make the bytes durable before the rename
        os.fsync(handle.fileno())
    os.chmod(temp, _mode_for(target))


def fsync_folder(folder: Path) -> None:
    """Make renames in `folder` durable (a no-op where folders cannot be opened, e.g. Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; moved onto `target` only on success."""
    target = Path(target)
    temp = new_temp(target)
    try:
        yield temp
        seal(temp, target)
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less umask).

    mkstemp creates its file owner-only, which would otherwise surprise whoever shares a report.
    """
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(target: str | Path, text: str) -> None:
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")
