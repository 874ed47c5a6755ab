"""Where SupportScope writes what support needs: a rotating log file and a crash file.

A hospital's IT desk cannot read a traceback that only went to a console nobody saw. The window
and the commands log to `supportscope.log` in the user's log folder (platformdirs; the
`SUPPORTSCOPE_LOG_DIR` environment variable overrides it, for tests and locked-down machines),
rotated at 1 MB with five old files kept; a hard crash (a segfault in a C library) is written by
`faulthandler` to `crash.log` beside it. Setting up twice is harmless.
"""

from __future__ import annotations

import faulthandler
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

LOG_NAME = "supportscope.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 1_000_000
KEEP = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"

_state: dict[str, object] = {}


def log_folder() -> Path:
    """The folder of the log files (not created here)."""
    override = os.environ.get("SUPPORTSCOPE_LOG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir("SupportScope", appauthor=False))


def log_file() -> Path:
    return log_folder() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to the rotating file (and keep faulthandler's crash file open); returns the log
    file, or None when the folder cannot be written (the app still runs: logging to stderr)."""
    root = logging.getLogger()
    root.setLevel(min(root.level or level, level))
    folder = log_folder()
    handler = _state.get("handler")
    if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename).parent == folder:
        return Path(handler.baseFilename)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger("supportscope").warning("no log file in %s: %s", folder, error)
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(level)
    _replace_handler(root, handler)
    _enable_crash_file(folder)
    return folder / LOG_NAME


def _replace_handler(root: logging.Logger, handler: RotatingFileHandler) -> None:
    old = _state.get("handler")
    if isinstance(old, logging.Handler):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    _state["handler"] = handler


def _enable_crash_file(folder: Path) -> None:
    """faulthandler writes into a file that must stay open for the life of the process."""
    old = _state.get("crash")
    try:
        crash: IO[str] = open(folder / CRASH_NAME, "a", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return
    faulthandler.enable(file=crash, all_threads=True)
    _state["crash"] = crash
    if old is not None and hasattr(old, "close"):
        old.close()
