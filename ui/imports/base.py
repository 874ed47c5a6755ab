"""What the import dialogs share: the preview table, progress with Cancel, Import and Close.

Work runs on the thread pool through ui/jobs.py; the dialog only lays out and reacts to the
job's signals. File choosers and questions are module functions here so tests can
replace them instead of clicking through modal boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaluator.db import Database
from evaluator.import_problems import ProblemLine, write_problem_workbook
from evaluator.wording import plural
from ui import file_dialogs, window_state
from ui.accessibility import describe
from ui.errors import USER_ERRORS, show_error, user_message
from ui.imports.preview import ERROR_STATUSES, STATUS_ROLE, PreviewModel
from ui.jobs import Job, JobRunner, Work
from ui.tables.proxy import change_rows_filter

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


class ErrorsOnly(QSortFilterProxyModel):
    """The preview's rows, or only those that stop an import (errors, refused files)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors_only = False

    def show_errors_only(self, on: bool) -> None:
        change_rows_filter(self, lambda: setattr(self, "errors_only", on))

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        if not self.errors_only:
            return True
        status = self.sourceModel().index(row, 0, parent).data(STATUS_ROLE)
        return status in ERROR_STATUSES


class ImportDialogBase(QDialog):
    """What both dialogs share: the preview table (Status first, the current row's full text
    below it, errors only at a tick), saving the problems as a workbook for the sender,
    progress with Cancel, Import and Close."""

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
        self.shown = ErrorsOnly(self)
        self.shown.setSourceModel(model)
        self.table = QTableView(self)
        self.table.setModel(self.shown)
        describe(
            self.table, "Import preview", "What each row of the files would change, and its status"
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Status first, so that it is in sight however long the texts beside it are
        header.moveSection(model.columnCount() - 1, 0)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(96)
        self.details.setPlaceholderText("Select a row to read its full text here.")
        describe(self.details, "Row details", "The selected row's full message and question")
        self.errors_only = QCheckBox("Show &errors only", self)
        self.errors_only.setToolTip("Hide the rows that do not stop the import")
        self.errors_only.toggled.connect(self.shown.show_errors_only)
        self.save_problems_button = QPushButton("&Save problems\u2026", self)
        self.save_problems_button.setToolTip(
            "Save the problems found as a workbook to send back to whoever filled the file"
        )
        self.save_problems_button.setEnabled(False)
        self.save_problems_button.clicked.connect(self.save_problems)
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
        # as large as a laptop allows: more rows of the preview in sight
        window_state.fit_to_screen(self, 1180, 720)

    def _bottom(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.valid_only)
        buttons.addWidget(self.errors_only)
        buttons.addStretch(1)
        buttons.addWidget(self.save_problems_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The current row's every column in full, then its whole message or question."""
        if not current.isValid():
            self.details.clear()
            return
        row = self.model.row(self.shown.mapToSource(current).row())
        facts = [  # every column, but what the full text below says anyway
            f"{header}: {text}"
            for header, text in zip(self.model.headers, row.cells, strict=False)
            if text and header and (len(text) < 24 or text.rstrip("\u2026") not in row.tooltip)
        ]
        self.details.setPlainText(" \u00b7 ".join(facts) + "\n" + row.tooltip)

    def _shown_rows(self) -> None:
        """After a preview or a change of files: columns fitted, no stale details, the
        problems (if any) ready to save."""
        self.table.resizeColumnsToContents()
        self.details.clear()
        self.save_problems_button.setEnabled(not self.busy and bool(self.problem_lines()))

    def problem_lines(self) -> list[ProblemLine]:
        """The problems of the current preview (each dialog says how it finds them)."""
        return []

    problems_title = ""  # what the saved list of problems is about, for its title

    def save_problems(self) -> None:
        """Write the problems as a workbook the vendor or member can fix their file from."""
        lines = self.problem_lines()
        if not lines:
            return
        first = lines[0].file.rsplit(".", 1)[0] if lines[0].file else "import"
        path = choose_save_file(self, "Save the problems found", f"{first} - problems.xlsx")
        if not path:
            return
        target = path if path.lower().endswith(".xlsx") else path + ".xlsx"
        try:
            written = write_problem_workbook(target, lines, self.problems_title)
        except USER_ERRORS as exc:
            show_error(self, user_message(exc))
            return
        except OSError as exc:
            show_error(self, f"The problems could not be saved: {exc.strerror or exc}")
            return
        self.summary.setText(f"Saved {plural(len(lines), 'problem')} to {written}.")

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
        self.save_problems_button.setEnabled(not busy and bool(self.problem_lines()))
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
