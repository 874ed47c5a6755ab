"""Runs one command: opens the database, dispatches, turns every error into one line.

Exit status: 0 on success, 2 on bad input (with a one-line reason on stderr), 1 on an
unexpected internal error (still one line, never a traceback). Everything printed, to `out`,
`err` or `sys.stderr`, passes through `cli.safe_output`: user text quoted in a message or a
listing never puts a raw control character on the terminal.
"""

from __future__ import annotations

import sys
from contextlib import redirect_stderr
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


def run(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
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

    from cli.commands import HANDLERS
    from evaluator.db import open_database

    expected = _expected_errors()
    db = None
    try:
        db = open_database(getattr(args, "db", None))
        with redirect_stderr(err):  # handlers that warn on sys.stderr are cleaned too
            HANDLERS[args.command](args, db, out)
        return 0
    except expected as exc:
        err.write(f"error: {_one_line(exc)}\n")
        return 2
    except SQLAlchemyError as exc:  # a locked, vanished or unreachable database
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        err.write(
            f"error: the database refused the command ({detail}); nothing was changed, try again\n"
        )
        return 2
    except KeyboardInterrupt:
        err.write("error: interrupted; nothing further was changed\n")
        return 130
    except Exception as exc:
        err.write(
            f"internal error: {exc.__class__.__name__}: {_one_line(exc)} (please report this)\n"
        )
        return 1
    finally:
        if db is not None:
            db.close()
