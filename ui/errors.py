"""The one place that turns failures into clear messages: service errors, dialogs, crashes.

Views never show tracebacks. Expected failures (a refused action, a locked database) become
`user_message(exc)`; unexpected ones reach `install_excepthook`, which logs the traceback and
shows a short dialog instead of killing the app. The dialog helpers are module functions so
that tests can monkeypatch them instead of blocking on a modal box.
"""

from __future__ import annotations

import logging
import sys
import traceback
from functools import cache
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("supportscope.ui")


@cache
def user_errors() -> tuple[type[BaseException], ...]:
    """Failures a user can cause or fix; anything else is a bug and goes to the excepthook.

    Built on first use: the window paints before SQLAlchemy and the services are imported."""
    from sqlalchemy.exc import SQLAlchemyError

    from criteria import CatalogError
    from evaluator.db_url import DatabaseError
    from evaluator.domain import ScoringError
    from evaluator.services import ServiceError

    return (ServiceError, DatabaseError, CatalogError, ScoringError, SQLAlchemyError, OSError)


def __getattr__(name: str) -> object:
    """`errors.USER_ERRORS` (as `except errors.USER_ERRORS:` reads it), built on first use."""
    if name == "USER_ERRORS":
        return user_errors()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def user_message(exc: BaseException) -> str:
    """A sentence for the user: capitalised, ending with a full stop, no class names."""
    database = sys.modules.get("sqlalchemy.exc")  # not loaded yet: no error can come from it
    if database is not None and isinstance(exc, database.SQLAlchemyError):
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        text = f"the database refused the change ({detail}); nothing was saved, try again"
    elif isinstance(exc, OSError):
        text = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    else:
        text = str(exc) or exc.__class__.__name__
    return sentence(text)


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def show_error(parent: QWidget | None, message: str, title: str = "Cannot do that") -> None:
    """A warning box with the message; logged too, so support can read it later."""
    log.info("shown to user: %s", message)
    QMessageBox.warning(parent, title, sentence(message))


def confirm(parent: QWidget | None, title: str, text: str, action: str = "Continue") -> bool:
    """Ask before something destructive; the default button is the safe one."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is go


def install_excepthook() -> None:
    """Unexpected exceptions are logged with their traceback and shown as a short message."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is None:
            return
        from evaluator.logs import log_file

        message = (
            user_message(value)
            if isinstance(value, user_errors())
            else sentence(f"something went wrong: {value or kind.__name__}") + "\n\n"
            "Your saved work is safe: every change is written to the database as you make it. "
            f"The details are in the log file {log_file()} (Help ▸ Open log folder)."
        )
        show_error(QApplication.activeWindow(), message, "Unexpected error")

    sys.excepthook = hook
