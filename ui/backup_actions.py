"""File ▸ Back up… and File ▸ Restore from backup…: the window's side of evaluator/backups.py and
evaluator/restore.py.

Backing up asks what (the whole database, or only the open evaluation) and where; restoring
asks for the file, reads it and says what it would do (new evaluations, replaced ones, a final
one it refuses to replace) before anything is written. The work runs on the thread pool through
ui/jobs.py, the outcome is one message. File choosers, questions and messages are module
functions, so tests replace them instead of clicking through modal boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ui import errors
from ui.file_dialogs import choose_open_file, choose_save_file
from ui.jobs import JobRunner

if TYPE_CHECKING:
    from evaluator.restore import RestoreOutcome, RestorePlan
    from ui.main_window import MainWindow

BACKUP_FILTER = "SupportScope backups (*.db *.bak *.sqlite);;All files (*)"
WHOLE, ONE = "all", "evaluation"
BACKING_UP, READING, RESTORING = (
    "Backing up\u2026",
    "Reading the backup\u2026",
    "Restoring\u2026",
)
UNEXPECTED = "The {what} stopped because of an unexpected error ({error}). Please report this."


def choose_scope(parent: QWidget | None, evaluation: str) -> str | None:
    """WHOLE, ONE, or None when the user cancelled."""
    items = ["The whole database (every evaluation)", f"Only \u201c{evaluation}\u201d"]
    item, ok = QInputDialog.getItem(parent, "Back up", "What to back up:", items, 0, False)
    return None if not ok else WHOLE if item == items[0] else ONE


def choose_backup_target(parent: QWidget | None, suggested: str) -> str:
    return choose_save_file(parent, "Back up to", suggested, BACKUP_FILTER, kind="backup")


def choose_backup_file(parent: QWidget | None, folder: str) -> str:
    return choose_open_file(parent, "Restore from backup", folder, BACKUP_FILTER, kind="backup")


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    return errors.confirm(parent, title, text, action)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


class BackupActions(QObject):
    """The two File menu entries' work; owned by the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.jobs = JobRunner(self)

    @property
    def busy(self) -> bool:
        return self.jobs.running()

    # ---- back up -----------------------------------------------------------------------------

    def back_up(self) -> None:
        from evaluator.backups import backup_database, backup_evaluation

        session, window = self.window.session, self.window
        db = session.db
        if db is None or self.busy:
            return
        scope, data = WHOLE, session.data
        if data is not None:
            chosen = choose_scope(window, data.name)
            if chosen is None:
                return
            scope = chosen
        label = data.name if scope == ONE and data is not None else "all-evaluations"
        path = choose_backup_target(window, str(Path(self._folder()) / _suggested(label)))
        if not path:
            return
        if scope == ONE and data is not None:
            evaluation = data.id
            self._run(lambda: backup_evaluation(db, evaluation, path), self._backed_up, BACKING_UP)
        else:
            self._run(lambda: backup_database(db, path), self._backed_up, BACKING_UP)

    def _backed_up(self, summary: Any) -> None:
        count = len(summary.evaluations)
        what = f"{count} evaluation{'' if count == 1 else 's'}"
        inform(
            self.window,
            "Backup written",
            f"Backed up {what} with {'its' if count == 1 else 'their'} audit trail to "
            f"{summary.path}.\n\nTo bring it back: File \u25b8 Restore from backup\u2026",
        )

    # ---- restore -----------------------------------------------------------------------------

    def restore(self) -> None:
        from evaluator.restore import plan_restore

        db = self.window.session.db
        if db is None or self.busy:
            return
        path = choose_backup_file(self.window, self._folder())
        if path:
            self._run(lambda: plan_restore(db, path), self._planned, READING)

    def _planned(self, plan: RestorePlan) -> None:
        from evaluator.restore import restore_backup

        session, window = self.window.session, self.window
        if plan.final:
            names = ", ".join(f"\u201c{n}\u201d" for n in plan.final)
            errors.show_error(
                window,
                f"{names} {'is' if len(plan.final) == 1 else 'are'} final in this database. A "
                "final evaluation is read-only and is never replaced, so nothing was restored. "
                "To look at the backup's version, restore it into another database (File "
                "\u25b8 New database\u2026, then Restore from backup\u2026).",
                "Cannot restore",
            )
            return
        if not confirm(window, "Restore from backup", _question(plan), "Restore"):
            return
        current = session.data
        if current is not None and current.name in plan.existing and not session.may_leave():
            return
        db, replace, only = session.db, bool(plan.existing), plan.evaluations
        if db is None:
            return
        self._run(
            lambda: restore_backup(db, plan.file, replace=replace, only=only),
            self._restored,
            RESTORING,
        )

    def _restored(self, outcome: RestoreOutcome) -> None:
        session, window = self.window.session, self.window
        current = session.data
        if current is not None and current.id in outcome.replaced.values():
            session.undo_stack.clear()  # its undo steps describe what the restore replaced
            session.reload()
        elif current is None:
            session.open_evaluation(next(iter({**outcome.added, **outcome.replaced}.values())))
        window.refresh_evaluation_list()
        window.start_page.refresh()
        inform(window, "Restored", errors.sentence(outcome.summary()))

    # ---- shared ------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], step: str) -> None:
        status = self.window.statusBar()
        status.showMessage(step)
        what = "backup" if step == BACKING_UP else "restore"

        def failed(message: str) -> None:
            status.clearMessage()
            errors.show_error(self.window, message, f"{what.capitalize()} failed")

        def finished(result: Any) -> None:
            status.clearMessage()
            done(result)

        self.jobs.start(
            lambda _progress, _cancel: work(),
            key="backup",
            unexpected=UNEXPECTED.replace("{what}", what),
            on_finished=finished,
            on_failed=failed,
        )

    def _folder(self) -> str:
        """Where the backup dialogs start: the folder of the last backup, else the database's
        folder, else "" (then the file dialog starts in Documents)."""
        remembered = self.window.settings.last_folder("backup")
        if remembered and Path(remembered).is_dir():
            return remembered
        db = self.window.session.db
        return str(db.path.parent) if db is not None and db.path is not None else ""


def _suggested(label: str) -> str:
    from evaluator.backups import slug

    return f"{slug(label)}-{datetime.now(UTC).strftime('%Y-%m-%d')}.db"


def _question(plan: RestorePlan) -> str:
    lines = [f"Restore from {plan.file.name}:"]
    lines += [f"  \u2022 \u201c{name}\u201d (new here)" for name in plan.new]
    lines += [
        f"  \u2022 \u201c{name}\u201d replaces the one in this database" for name in plan.existing
    ]
    lines.append(
        "\nThe database is backed up first, and the restore is all or nothing."
        + (" Replaced evaluations keep their audit trail." if plan.existing else "")
    )
    return "\n".join(lines)
