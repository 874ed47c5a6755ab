"""File ▸ Export: the client PDF and/or the Excel workbook of the open evaluation.

The files default to "<evaluation> report.pdf/.xlsx" in the folder used last time (kept in the
app's settings; see ui/export/choices.py). The export (`reports.export.export_reports`) runs on
the thread pool (ui/jobs.py) with a progress bar and Cancel, so the window keeps painting; it
reads the database only through the core's services. Afterwards the folder is opened and the
report can be opened from here; warnings (say, a logo that could not be read) and failures are shown
in the dialog, and a failed or cancelled export leaves any existing file byte-identical. The
branding in use is shown and can be changed from here (ui/export/branding_dialog.py).

Opening folders and files goes through `open_in_desktop`, and file choosers through
`choose_save_path`: module functions that tests replace.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reports.branding import load_branding
from reports.export import ExportResult, export_reports
from ui import file_dialogs
from ui.accessibility import describe
from ui.export.branding_dialog import edit_branding, grow_to_fit
from ui.export.choices import (
    APPENDIX_KEY,
    APPENDIX_TEXT,
    APPENDIX_TIP,
    KINDS,
    PDF_KEY,
    XLSX_KEY,
    appendix_wanted,
    branding_summary,
    default_name,
    kind_wanted,
    last_folder,
    remember_folder,
)
from ui.grid.delegates import AGREED_HUE, DANGER_HUE, WARNING_HUE, Banner
from ui.jobs import Job, JobRunner
from ui.session import EvaluationSession
from ui.settings import AppSettings
from ui.widgets import muted

UNEXPECTED = (
    "The export stopped because of an unexpected error ({error}); existing files are "
    "unchanged. Please report this."
)

__all__ = [  # the helpers moved to ui/export/choices.py stay importable from here
    "KINDS",
    "ExportDialog",
    "branding_summary",
    "choose_save_path",
    "default_name",
    "last_folder",
    "open_export",
    "open_in_desktop",
    "remember_folder",
]


def open_in_desktop(url: QUrl) -> bool:
    """Show a folder or open a file with the desktop's own application."""
    return QDesktopServices.openUrl(url)


def choose_save_path(parent: QWidget | None, title: str, suggested: str, filter: str) -> str:
    return file_dialogs.choose_save_file(parent, title, suggested, filter, kind="report")


class ExportDialog(QDialog):
    """Choose the files, see the branding, export with progress; Close when done."""

    def __init__(
        self,
        session: EvaluationSession,
        settings: AppSettings,
        parent: QWidget | None = None,
        open_url: Callable[[QUrl], object] | None = None,
    ) -> None:
        super().__init__(parent)
        if session.data is None or session.db is None:
            raise ValueError("open an evaluation before exporting it")
        self.session, self.settings = session, settings
        self.evaluation_id, self.name = session.data.id, session.data.name
        self._open_url = open_url
        self.jobs = JobRunner(self)
        self.task: Job | None = None
        self.exported: ExportResult | None = None
        self.branding = load_branding()
        self.setWindowTitle("Export reports")
        self.setMinimumWidth(720)

        title = QLabel(f"<b>Export “{html.escape(self.name)}”</b>")
        intro = QLabel(
            "The PDF is the report for the client; the Excel workbook holds every score and "
            "recalculates its totals when a weight is changed. Files already there are replaced "
            "only once the export is complete."
        )
        intro.setWordWrap(True)
        folder = last_folder(settings)
        self.checks: dict[str, QCheckBox] = {}
        self.paths: dict[str, QLineEdit] = {}
        self.browse: dict[str, QPushButton] = {}
        files = QGroupBox("Files")
        grid = QGridLayout(files)
        for row, (kind, (label, mnemonic, _filter)) in enumerate(KINDS.items()):
            check = QCheckBox(mnemonic)
            check.setChecked(kind_wanted(settings, kind))
            edit = QLineEdit(str(folder / default_name(self.name, kind)))
            edit.setToolTip(f"Where the {label.lower()} is saved")
            describe(edit, f"{label} file", f"Where the {label.lower()} is saved")
            # wide enough for the usual path whole (a longer one shows its file name end)
            path_width = edit.fontMetrics().horizontalAdvance(edit.text()) + 24
            edit.setMinimumWidth(min(max(420, path_width), 760))
            button = QPushButton("Browse…")
            button.setToolTip(f"Choose where to save the {label.lower()}")
            grid.addWidget(check, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(button, row, 2)
            check.toggled.connect(self._refresh)
            edit.textChanged.connect(self._refresh)
            button.clicked.connect(lambda _=False, k=kind: self._choose(k))
            self.checks[kind], self.paths[kind], self.browse[kind] = check, edit, button
        grid.setColumnStretch(1, 1)
        self.replacing = muted()
        grid.addWidget(self.replacing, 2, 1, 1, 2)
        self.appendix = QCheckBox(APPENDIX_TEXT)
        self.appendix.setChecked(appendix_wanted(settings))
        self.appendix.setToolTip(APPENDIX_TIP)
        self.checks["pdf"].toggled.connect(self.appendix.setEnabled)
        self.appendix.setEnabled(self.checks["pdf"].isChecked())
        grid.addWidget(self.appendix, 3, 1, 1, 2)

        brand_box = QGroupBox("Branding")
        self.branding_label = QLabel()
        self.branding_label.setWordWrap(True)
        self.branding_label.setTextFormat(Qt.TextFormat.RichText)
        self.branding_button = QPushButton("&Branding…")
        self.branding_button.setToolTip("Firm name, logo, accent colour and prepared-by line")
        brand_row = QHBoxLayout(brand_box)
        brand_row.addWidget(self.branding_label, 1)
        brand_row.addWidget(self.branding_button, 0, Qt.AlignmentFlag.AlignTop)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("&Cancel export")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip("Stop; files already there stay as they were")
        self.outcome = Banner()
        self.outcome.setObjectName("exportOutcome")
        self.open_report = QPushButton("Open &report")
        self.open_report.setToolTip("Open the PDF with the desktop's PDF viewer")
        self.open_workbook = QPushButton("Open &workbook")
        self.open_workbook.setToolTip("Open the workbook with the desktop's spreadsheet program")
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        self.close_button = QPushButton("Close")

        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_report)
        buttons.addWidget(self.open_workbook)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(files)
        layout.addWidget(brand_box)
        layout.addLayout(progress_row)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.branding_button.clicked.connect(self.edit_branding)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.open_report.clicked.connect(lambda: self._open_file("pdf"))
        self.open_workbook.clicked.connect(lambda: self._open_file("xlsx"))
        self.open_report.hide()
        self.open_workbook.hide()
        self._show_branding()
        self._refresh()

    # ---- choices -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.task is not None

    def target(self, kind: str) -> Path | None:
        """The chosen file of a kind, or None when it is not wanted (or not named)."""
        text = self.paths[kind].text().strip()
        if not self.checks[kind].isChecked() or not text:
            return None
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = last_folder(self.settings) / path
        if not path.name:  # "/" while typing: no file yet
            return None
        suffix = f".{kind}"
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def _choose(self, kind: str) -> None:
        label, _mnemonic, file_filter = KINDS[kind]
        current = self.target(kind) or last_folder(self.settings) / default_name(self.name, kind)
        chosen = choose_save_path(self, f"Save the {label.lower()}", str(current), file_filter)
        if chosen:
            self.paths[kind].setText(chosen)
            self.checks[kind].setChecked(True)

    def _refresh(self) -> None:
        if self.busy:
            return
        for kind, check in self.checks.items():
            self.paths[kind].setEnabled(check.isChecked())
            self.browse[kind].setEnabled(check.isChecked())
        wanted = [path for kind in KINDS if (path := self.target(kind)) is not None]
        self.export_button.setEnabled(bool(wanted))
        existing = [path.name for path in wanted if path.exists()]
        if len(existing) > 1:
            self.replacing.setText("Both files already exist and will be replaced.")
        elif existing:
            self.replacing.setText(f"“{existing[0]}” already exists and will be replaced.")
        if self.replacing.isVisibleTo(self) != bool(existing):
            self.replacing.setVisible(bool(existing))
            grow_to_fit(self)

    def _show_outcome(self, text: str, hue: QColor = WARNING_HUE) -> None:
        self.outcome.show_message(text, hue)
        grow_to_fit(self)

    def _show_branding(self) -> None:
        self.branding_label.setText(branding_summary(self.branding))

    def edit_branding(self) -> None:
        saved = edit_branding(self, self.branding)
        if saved is not None:
            self.branding = saved
            self._show_branding()

    # ---- running -----------------------------------------------------------------------------

    def start(self) -> bool:
        """Begin the export on the thread pool; False when there is nothing to do."""
        pdf, xlsx = self.target("pdf"), self.target("xlsx")
        db = self.session.db
        if self.busy or (pdf is None and xlsx is None) or db is None:
            return False
        self.exported = None
        self._set_busy(True)
        self._show_outcome("")
        self.open_report.hide()
        self.open_workbook.hide()
        self.task = self.jobs.start(
            # export_reports(db, evaluation, pdf, xlsx, branding, progress, cancel)
            partial(
                export_reports,
                db,
                self.evaluation_id,
                pdf,
                xlsx,
                self.branding,
                viewer=self.session.identity,
                live_view=self.session.live_view,
                appendix=self.appendix.isChecked(),
            ),
            unexpected=UNEXPECTED,
            on_finished=self._finished,
            on_failed=self._failed,
            on_cancelled=self._cancelled,
            on_progress=self._progress,
        )
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            *self.checks.values(),
            *self.paths.values(),
            *self.browse.values(),
            self.branding_button,
            self.export_button,
            self.close_button,
        ):
            widget.setEnabled(not busy)
        self.appendix.setEnabled(not busy and self.checks["pdf"].isChecked())
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first report
            self.progress.setFormat("Exporting… %p%")
        else:
            self.progress.setRange(0, 1000)
            self.progress.setFormat("%p%")
            self._refresh()

    def _progress(self, done: int, total: int) -> None:
        if self.task is None or self.task.cancel_requested:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, result: ExportResult) -> None:
        self.task, self.exported = None, result
        self._set_busy(False)
        self.progress.setValue(1000)
        made = [p for p in (result.pdf_path, result.xlsx_path) if p is not None]
        folder = made[0].parent
        remember_folder(self.settings, folder)
        self.settings.store.setValue(PDF_KEY, result.pdf_path is not None)
        self.settings.store.setValue(XLSX_KEY, result.xlsx_path is not None)
        self.settings.store.setValue(APPENDIX_KEY, self.appendix.isChecked())
        names = " and ".join(f"“{path.name}”" for path in made)
        message = f"Saved {names} in {folder}."
        if result.warnings:
            listed = "\n".join(f"• {warning}" for warning in result.warnings)
            self._show_outcome(f"{message}\n\nPlease check:\n{listed}", WARNING_HUE)
        else:
            self._show_outcome(message, AGREED_HUE)
        self.open_report.setVisible(result.pdf_path is not None)
        self.open_workbook.setVisible(result.xlsx_path is not None)
        (self.open_report if result.pdf_path else self.open_workbook).setFocus()
        self._open(QUrl.fromLocalFile(str(folder)))

    def _failed(self, message: str) -> None:
        self.task = None
        self._set_busy(False)
        self.progress.setValue(0)
        self._show_outcome(f"Export failed. {message}", DANGER_HUE)

    def _cancelled(self) -> None:
        self.task = None
        self._set_busy(False)
        self.progress.setValue(0)
        self._show_outcome(
            "Export cancelled: nothing was written, files already there are unchanged."
        )

    def _open_file(self, kind: str) -> None:
        path = None
        if self.exported is not None:
            path = self.exported.pdf_path if kind == "pdf" else self.exported.xlsx_path
        if path is not None:
            self._open(QUrl.fromLocalFile(str(path)))

    def _open(self, url: QUrl) -> None:
        (self._open_url or open_in_desktop)(url)

    # ---- closing -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape or Close: while exporting, ask the export to stop first (it ends soon)."""
        if self.busy:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)


def open_export(
    parent: QWidget, session: EvaluationSession, settings: AppSettings
) -> ExportDialog | None:
    """Show the dialog for the open evaluation (window-modal, not blocking); None without one."""
    if session.data is None or session.db is None:
        return None
    dialog = ExportDialog(session, settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
