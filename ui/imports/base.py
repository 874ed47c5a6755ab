"""What the import dialogs share: the preview table, progress with Cancel, Import and Close.

Work runs on the thread pool through ui/jobs.py; the dialog only lays out and reacts to the
job's signals. File choosers and questions are module functions here so tests can
replace them instead of clicking through modal boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaluator.db import Database
from ui import file_dialogs
from ui.accessibility import describe
from ui.imports.preview import PreviewModel
from ui.jobs import Job, JobRunner, Work

EXCEL_FILTER = "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
UNEXPECTED = (
    "The import stopped because of an unexpected error ({error}); nothing more was changed. "
    "Please report this."
)


def choose_open_files(parent: QWidget | None, title: str) -> list[str]:
    return file_dialogs.choose_open_files(parent, title, "", EXCEL_FILTER, kind="workbook")


def choose_save_file(parent: QWidget | None, title: str, suggested: str) -> str:
    return file_dialogs.choose_save_file(
        parent, title, suggested, "Excel workbook (*.xlsx)", kind="workbook"
    )


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    item, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return item if ok else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def backup_note(backup: Path | None) -> str:
    """Where the evaluation as it was before the import is kept (evaluator.backups)."""
    if backup is None:
        return ""
    return (
        f" The evaluation as it was before is saved in {backup} "
        "(File \u25b8 Restore from backup\u2026 brings it back)."
    )


class ImportDialogBase(QDialog):
    """What both dialogs share: the preview table, progress with Cancel, Import and Close."""

    def __init__(
        self,
        db: Database,
        evaluation_id: int,
        model: PreviewModel,
        parent: QWidget | None,
        on_imported: Callable[[], None] | None,
    ) -> None:
        super().__init__(parent)
        self.db, self.evaluation_id = db, evaluation_id
        self.on_imported = on_imported
        self.jobs = JobRunner(self)
        self.task: Job | None = None
        self.model = model
        self.table = QTableView(self)
        self.table.setModel(model)
        describe(
            self.table, "Import preview", "What each row of the files would change, and its status"
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel("Choose the files, then Preview to see what would change.", self)
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.valid_only = QCheckBox(self)
        self.preview_button = QPushButton("Preview", self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setEnabled(False)
        self.import_button.setDefault(False)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.reject)

    def _bottom(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.valid_only)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _run(self, work: Work, done: Callable[[Any], None], what: str) -> None:
        self._set_busy(True, what)
        self.task = self.jobs.start(
            work,
            unexpected=UNEXPECTED,
            on_finished=lambda result: self._finish(done, result),
            on_failed=self._failed,
            on_cancelled=self._cancelled,
            on_progress=self._progress,
        )

    def _set_busy(self, busy: bool, what: str = "") -> None:
        for widget in self._inputs():
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.close_button.setEnabled(not busy)
        if busy:
            self.import_button.setEnabled(False)
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.summary.setText(what)

    def _inputs(self) -> list[QWidget]:
        return [self.preview_button, self.valid_only]

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish(self, done: Callable[[Any], None], result: Any) -> None:
        self.task = None
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        done(result)

    def _failed(self, message: str) -> None:
        self.task = None
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary.setText(message)

    def _cancelled(self) -> None:
        self.task = None
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary.setText(self.cancelled_text)

    cancelled_text = "Cancelled; nothing was imported."

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelling\u2026")

    def reject(self) -> None:
        if self.busy:  # closing while working would orphan the job: cancel it first
            self.cancel()
            return
        super().reject()

    def _imported(self) -> None:
        if self.on_imported is not None:
            self.on_imported()
