"""Move a set of finished files (the PDF report and its workbook) into place all or nothing,
even when the process is killed between the moves.

Two `os.replace` calls are each atomic, but the pair is not: a kill between them leaves a new
workbook beside the old PDF. So the moves are journaled:

1. every file is rendered into an owner-tagged temporary file (`evaluator.atomic.new_temp`),
   then fsynced and given its target's permissions;
2. a journal `.supportscope-pair.<pid>@<host>.<random>.journal`, written atomically in each
   target's folder (usually one), lists each temp → target move with the temp's identity
   (inode, size, mtime) and the target's identity before the move: the pair is committed;
3. the moves are made, the folders fsynced, and the journals deleted.

A kill before 2 leaves the old files and some stale temps; a kill after 2 leaves a journal that
`recover_folder` (run by every export into the folder and when the window opens) rolls forward:
a temp that is gone was moved (its target now has the temp's identity). A journal whose moves
cannot all be finished — a temp lost, or a target rewritten since — is discarded, never applied
over newer files. Errors the process survives are different: the journal is removed and the
caller is told plainly which file was replaced (`PartialCommit`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from evaluator.atomic import fsync_folder, new_temp, owner_tag, seal, write_text_atomic

__all__ = [
    "STALE_AFTER",
    "PairWriter",
    "PartialCommit",
    "Recovery",
    "recover_folder",
    "recover_folders",
    "report_pair",
]

log = logging.getLogger(__name__)

STALE_AFTER = 3600.0  # seconds; see `_abandoned`
_JOURNAL = re.compile(
    r"^\.supportscope-pair\.(?P<pid>\d+)@(?P<host>[A-Za-z0-9-]*)\.[0-9a-f]{16}\.journal$"
)
_TAGGED_TEMP = re.compile(r"^\..+\.(?P<pid>\d+)@(?P<host>[A-Za-z0-9-]*)\.[a-z0-9_]{8}\.part$")
_UNTAGGED_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")  # made by versions before the tag

Identity = list[int]  # [inode, size, mtime_ns]: stays the same across a rename


class PartialCommit(OSError):
    """Some files of the pair were moved into place and one could not be (the process lives on,
    so the caller can say exactly which)."""


def _identity(path: Path) -> Identity | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


class PairWriter:
    """Hands out temporary files for targets and moves them all into place in `commit`."""

    def __init__(self) -> None:
        self._moves: list[tuple[Path, Path]] = []
        self._journaled = False

    def temp_for(self, target: str | Path) -> Path:
        temp = new_temp(target)
        self._moves.append((temp, Path(target)))
        return temp

    def commit(self) -> None:
        """Seal every temp, journal the moves (more than one), move, delete the journals."""
        for temp, target in self._moves:
            seal(temp, target)
        journals = self._write_journals() if len(self._moves) > 1 else []
        self._journaled = bool(journals)  # the temps now belong to the journals
        done: list[Path] = []
        try:
            for temp, target in self._moves:
                os.replace(temp, target)
                done.append(target)
        except OSError as error:
            self._journaled = False  # the process lives: undo the journals, drop the temps
            self.discard()
            for journal in journals:
                journal.unlink(missing_ok=True)
            if not done:
                raise
            failed = self._moves[len(done)][1]
            replaced = ", ".join(str(path) for path in done)
            raise PartialCommit(
                f"{replaced} was replaced but {failed} could not be "
                f"({error.strerror or error}): export again to bring them together"
            ) from error
        for folder in self._folders():
            fsync_folder(folder)
        for journal in journals:
            journal.unlink()
            fsync_folder(journal.parent)
        self._journaled = False

    def discard(self) -> None:
        """Delete the temps, unless a journal holds them (then recovery finishes the moves)."""
        if self._journaled:
            return
        for temp, _ in self._moves:
            temp.unlink(missing_ok=True)

    def _folders(self) -> list[Path]:
        return list(dict.fromkeys(target.parent for _, target in self._moves))

    def _write_journals(self) -> list[Path]:
        """One copy of the journal in each target's folder, so that recovering any of them
        finishes the whole pair (and cleaning one never takes a temp another still needs)."""
        name = f".supportscope-pair.{owner_tag()}.{secrets.token_hex(8)}.journal"
        moves = [
            {
                "temp": str(temp.absolute()),
                "target": str(target.absolute()),
                "temp_id": _identity(temp),
                "before": _identity(target),
            }
            for temp, target in self._moves
        ]
        text = json.dumps({"app": "SupportScope", "moves": moves})
        journals = []
        for folder in self._folders():
            fsync_folder(folder)  # the temps' names are durable before the journal
            journals.append(folder / name)
            write_text_atomic(folder / name, text)
            fsync_folder(folder)
        return journals


@contextlib.contextmanager
def report_pair() -> Iterator[PairWriter]:
    """A `PairWriter` whose files are moved into place when the block ends without an error;
    on an error (or a cancel) the temps are deleted and every target is left as it was."""
    writer = PairWriter()
    try:
        yield writer
        writer.commit()
    finally:
        writer.discard()


@dataclass
class Recovery:
    """What `recover_folder` did: pairs finished, pairs discarded, stale temps removed."""

    finished: int = 0
    discarded: int = 0
    removed: int = 0


def _alive(pid: int) -> bool | None:
    """Whether a process of this machine is running (None: cannot tell, as on Windows, where
    `os.kill(pid, 0)` would terminate it)."""
    if pid == os.getpid():
        return True
    if os.name == "nt" or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def _abandoned(match: re.Match[str], path: Path) -> bool:
    """Whether the process that made this file is gone, so the file may be finished or removed.

    A file made on this machine is abandoned as soon as its process is not running: an export
    that is still rendering (its temps can sit unchanged for minutes while reportlab lays out
    pages in memory) is never touched, and a killed one is cleaned up on the next run. A reused
    pid only delays the clean-up. A file made elsewhere (a shared folder) or where liveness
    cannot be told is abandoned only after `STALE_AFTER` (an hour: far beyond any export).
    """
    if match["host"] == owner_tag().split("@", 1)[1]:
        alive = _alive(int(match["pid"]))
        if alive is not None:
            return not alive
    return _older_than(path, STALE_AFTER)


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except FileNotFoundError:
        return False


def _finish(journal: Path) -> bool:
    """Roll a journal forward (True) or discard it (False); OSError leaves it for later."""
    try:
        moves = json.loads(journal.read_text(encoding="utf-8"))["moves"]
        planned = [(Path(m["temp"]), Path(m["target"]), m["temp_id"], m["before"]) for m in moves]
    except (ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return False
    pending, whole = [], True
    for temp, target, temp_id, before in planned:
        if _identity(temp) == temp_id:
            pending.append((temp, target))
            whole = whole and _identity(target) == before  # not rewritten since
        elif _identity(target) != temp_id:  # neither still waiting nor moved: lost
            whole = False
    if not whole:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        return False
    for temp, target in pending:
        os.replace(temp, target)
    for folder in {target.parent for _, target, _, _ in planned}:
        fsync_folder(folder)
    journal.unlink(missing_ok=True)
    return True


def _held_temps(journal: Path) -> set[str]:
    """The names of the temps a journal still needs (random, so unique within a folder)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        moves = json.loads(journal.read_text(encoding="utf-8"))["moves"]
        return {Path(m["temp"]).name for m in moves}
    return set()


def recover_folder(folder: str | Path) -> Recovery:
    """Finish or discard the interrupted pair moves in `folder`, then remove the stale
    temporary files of the app's own naming. Never raises: problems are logged."""
    folder = Path(folder)
    result = Recovery()
    try:
        names = sorted(os.listdir(folder))  # names only: no file here is opened but our own
    except OSError:
        return result
    held: set[str] = set()
    for name in names:
        match = _JOURNAL.match(name)
        if match is None:
            continue
        journal = folder / name
        try:
            if _abandoned(match, journal):
                if _finish(journal):
                    result.finished += 1
                else:
                    result.discarded += 1
        except OSError as error:
            log.warning("could not finish the interrupted export %s: %s", journal, error)
        if journal.exists():
            held |= _held_temps(journal)
    with contextlib.suppress(OSError):
        names = sorted(os.listdir(folder))
    for name in names:
        path = folder / name
        if name in held:
            continue
        tagged = _TAGGED_TEMP.match(name)
        if tagged is not None:
            stale = _abandoned(tagged, path)
        else:
            stale = _UNTAGGED_TEMP.match(name) is not None and _older_than(path, STALE_AFTER)
        if stale and path.is_file() and not path.is_symlink():
            try:
                path.unlink()
                result.removed += 1
            except FileNotFoundError:
                pass
            except OSError as error:
                log.warning("could not remove the stale temporary file %s: %s", path, error)
    return result


def recover_folders(targets: Iterable[str | Path]) -> Recovery:
    """`recover_folder` for the folder of each target (each folder once)."""
    total = Recovery()
    folders = {Path(target).absolute().parent for target in targets}
    for folder in sorted(folders):
        done = recover_folder(folder)
        total.finished += done.finished
        total.discarded += done.discarded
        total.removed += done.removed
    return total
