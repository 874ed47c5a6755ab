"""Runs one command: opens the database, dispatches, turns every error into one line.

Exit status: 0 on success, 2 on bad input (with a one-line reason on stderr), 1 on an
unexpected internal error (still one line, never a traceback). Everything printed, to `out`,
`err` or `sys.stderr`, passes through `cli.safe_output`: user text quoted in a message or a
listing never puts a raw control character on the terminal.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from contextlib import redirect_stderr
from pathlib import Path
from typing import TextIO

from cli.parser import UsageError, parse
from cli.safe_output import safe


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Error types that mean 'the input was wrong', imported lazily to keep start-up fast."""
    from evaluator.db import DatabaseError
    from evaluator.domain import ScoringError
    from evaluator.services import ServiceError

    errors: list[type[BaseException]] = [
        UsageError,
        DatabaseError,
        ScoringError,
        ServiceError,
        OSError,
    ]
    try:
        from criteria import CatalogError

        errors.append(CatalogError)
    except ImportError:  # pragma: no cover - criteria is part of the app
        pass
    try:
        from evaluator.workbook_guard import WorkbookRejected

        errors.append(WorkbookRejected)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def _one_line(error: BaseException) -> str:
    text = str(error) or error.__class__.__name__
    if isinstance(error, OSError) and error.filename and error.strerror:
        text = f"{error.filename}: {error.strerror}"
    return " ".join(text.split())


# Only these commands may create a database file (and its folders); the others refuse a path
# that does not exist. `catalogs` needs no database at all. `restore` checks its file first
# (cli.backup_cmd.PRECHECKS), so a wrong file creates nothing.
CREATING = frozenset({"new", "demo", "load", "restore"})
NO_DATABASE = frozenset({"catalogs"})


def _database_refusal(error: BaseException, db: object) -> str:
    """One line for a database error met mid-command: busy (after the retries), damaged (with
    the backup to restore; never "try again"), or anything else."""
    from evaluator import db_files
    from evaluator.db import is_busy
    from evaluator.db_url import scrub

    detail = " ".join(str(getattr(error, "orig", None) or error).split())
    path = getattr(db, "path", None)
    if is_busy(error):
        return (
            "the database stayed busy (another program kept writing to it for over a minute); "
            "nothing was changed: run the command again when it is done"
        )
    if db_files.is_damage(detail):
        if path is not None:
            return db_files.damaged_message(path, detail)
        return f"the database is damaged ({detail}): restore a backup"
    detail = scrub(detail, getattr(getattr(db, "engine", None), "url", None))
    return f"the database refused the command ({detail[:200]}); nothing was changed"


def _log_internal_error(command: str, details: str) -> Path | None:
    """Write the traceback to the log file (support reads it there); returns the file."""
    from evaluator.logs import setup_logging

    where = setup_logging()
    logging.getLogger("supportscope.cli").error("internal error in %r:\n%s", command, details)
    return where


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush does
    not report the closed pipe again as it exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real standard output (a test's buffer): nothing to do
        pass


def run(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    to_stdout = out is None  # the process's own standard output (not a caller's buffer)
    out = safe(out or sys.stdout)
    err = safe(err or sys.stderr)
    try:
        args = parse(argv)
    except UsageError as exc:
        err.write(f"error: {_one_line(exc)}\n")
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    if args.version:
        from evaluator.version import app_version

        out.write(f"SupportScope {app_version()}\n")
        return 0
    if args.command is None:
        return 0
    from sqlalchemy.exc import SQLAlchemyError

    from cli.backup_cmd import PRECHECKS
    from cli.commands import HANDLERS
    from evaluator.db import open_database

    expected = _expected_errors()
    db = None
    target = getattr(args, "db", None)
    try:
        if args.command in PRECHECKS:
            PRECHECKS[args.command](args)
        if args.command not in NO_DATABASE:
            db = open_database(target, create=args.command in CREATING)
        with redirect_stderr(err):  # handlers that warn on sys.stderr are cleaned too
            HANDLERS[args.command](args, db, out)
        return 0
    except BrokenPipeError:  # the reader stopped early (`rank ... | head`): not an error
        if to_stdout:
            _quiet_stdout()
        return 0
    except expected as exc:
        err.write(f"error: {_one_line(exc)}\n")
        return 2
    except SQLAlchemyError as exc:  # a busy, damaged, vanished or unreachable database
        err.write(f"error: {_database_refusal(exc, db)}\n")
        return 2
    except KeyboardInterrupt:
        err.write("error: interrupted; nothing further was changed\n")
        return 130
    except Exception as exc:
        from evaluator.db_url import is_url, scrub

        line = _one_line(exc)
        details = "".join(traceback.format_exception(exc))
        if target is not None and is_url(target):
            line, details = scrub(line, str(target)), scrub(details, str(target))
        where = _log_internal_error(args.command, details)
        err.write(
            f"internal error: {exc.__class__.__name__}: {line} (please report this"
            + (f"; the details are in {where})\n" if where else ")\n")
        )
        return 1
    finally:
        if db is not None:
            db.close()
