"""Importing ticket exports: files, the column mapping (a preset ServiceNow-like, Jira-like or
generic, or a source's saved mapping, adjusted column by column), a preview of what would be new,
changed, unchanged or unreadable, by file and line, then the all-or-nothing write. The mapping
is saved under the source's name with the import (evaluator.contracts.tickets).

Reading the files and the write run on the thread pool, with a busy bar and Stop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator import contracts
from evaluator.contracts.fields import FIELD_LABELS, FIELDS, PRESETS
from evaluator.wording import plural
from ui.accessibility import describe
from ui.contract.create_dialog import ZONES
from ui.file_dialogs import choose_open_files
from ui.grid.delegates import AGREED_HUE, DANGER_HUE, WARNING_HUE, Banner
from ui.jobs import JobRunner
from ui.session import EvaluationSession

PRESET_NAMES = {"servicenow": "ServiceNow-like", "jira": "Jira-like", "generic": "Generic CSV/XLSX"}
NOT_IMPORTED = "(not imported)"
SHEETS = "Ticket exports (*.csv *.xlsx *.xlsm);;All files (*)"


class FieldCombo(QComboBox):
    """A mapping choice the mouse wheel does not change: scrolling over the table scrolls it
    (a wheel turn once silently remapped a date column)."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()


class TicketImportDialog(QDialog):
    imported = Signal()

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketImportDialog")
        self.setWindowTitle("Import service-desk tickets")
        self.session = session
        assert session.db is not None
        self.db, self.ref = session.db, session.ref
        self.saved = {s.name: s for s in contracts.saved_sources(self.db, self.ref)}
        self.contract_zone = contracts.read_contract(self.db, self.ref).time_zone
        self.jobs = JobRunner(self)
        self.preview: contracts.TicketPreview | None = None
        self.paths: list[Path] = []
        self.columns: list[str] = []

        self.files = QListWidget()
        describe(self.files, "Files", "The ticket exports to import together")
        # four names tall: at 1366x768 the column mapping below needs the room
        self.files.setMaximumHeight(self.files.fontMetrics().height() * 4 + 12)
        self.add_button = QPushButton("&Add files…")
        self.remove_button = QPushButton("&Remove")
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(list(self.saved) or ["servicenow"])
        describe(self.source, "Source", "The export's source: its mapping is saved under it")
        self.preset = QComboBox()
        for key, label in PRESET_NAMES.items():
            self.preset.addItem(label, key)
        describe(self.preset, "Preset", "The shape of the export: which column is which field")
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems(list(dict.fromkeys([self.contract_zone, *ZONES])))
        describe(self.zone, "Time zone", "The zone of times written without a UTC offset")
        self.mapping = QTableWidget(0, 2)
        self.mapping.setHorizontalHeaderLabels(["Column in the file", "Ticket field"])
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.verticalHeader().hide()
        describe(self.mapping, "Column mapping", "Each column of the file and the field it fills")
        self.counts = QTableWidget(0, 5)
        self.counts.setHorizontalHeaderLabels(["File", "New", "Changed", "Unchanged", "Unreadable"])
        self.counts.verticalHeader().hide()
        self.counts.horizontalHeader().setStretchLastSection(True)
        describe(self.counts, "Preview", "Per file: tickets new, changed, unchanged, unreadable")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        describe(self.problems, "Problems and notes", "Unreadable rows by file and line")
        self.banner = Banner()
        describe(self.banner, "Import notice")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        describe(self.progress, "Import progress")
        self.stop_button = QPushButton("S&top")
        self.preview_button = QPushButton("Pre&view")
        self.import_button = QPushButton("&Import")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        files_row.addLayout(side)
        form = QFormLayout()
        for text, field in (("&Source:", self.source), ("&Preset:", self.preset)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        zone_label = QLabel("Time &zone:")
        zone_label.setBuddy(self.zone)
        form.addRow(zone_label, self.zone)
        mapping_label = QLabel("Column &mapping:")
        mapping_label.setBuddy(self.mapping)
        actions = QHBoxLayout()
        for widget in (self.preview_button, self.import_button, self.progress, self.stop_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(files_row)
        layout.addLayout(form)
        layout.addWidget(mapping_label)
        layout.addWidget(self.mapping, 2)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.add_button.clicked.connect(lambda: self.add_files())
        self.remove_button.clicked.connect(self.remove_file)
        self.source.currentTextChanged.connect(self._source_changed)
        self.preset.activated.connect(lambda _i: self._use_preset())
        self.preview_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.stop_button.clicked.connect(self.stop)
        self._explicit_preset = not self.saved
        self.base: dict[str, str] = {}
        self._source_changed(self.source.currentText())
        self._busy(False)
        self.resize(760, 720)

    # ---- files and mapping -------------------------------------------------------------------

    def add_files(self, paths: list[str] | None = None) -> None:
        chosen = (
            paths
            if paths is not None
            else choose_open_files(self, "Ticket exports", filters=SHEETS, kind="tickets")
        )
        for path in chosen:
            if Path(path) not in self.paths:
                self.paths.append(Path(path))
                self.files.addItem(str(path))
        self._files_changed()

    def remove_file(self) -> None:
        row = self.files.currentRow()
        if row >= 0:
            self.files.takeItem(row)
            del self.paths[row]
            self._files_changed()

    def _files_changed(self) -> None:
        self.preview = None
        self._clear_results()
        self._update()
        if not self.paths:
            return
        first = self.paths[0]
        self._busy(True)
        self.jobs.start(
            lambda _p, _c: contracts.file_columns(first),
            key="columns",
            on_finished=self._got_columns,
            on_failed=self._failed,
            on_ended=lambda _job: self._busy(False),
        )

    def _got_columns(self, columns: list[str]) -> None:
        self.columns = columns
        self._fill_mapping(self.base)

    def _source_changed(self, name: str) -> None:
        saved = self.saved.get(name.strip())
        if saved is not None:
            self._explicit_preset = False
            self.preset.setCurrentIndex(max(0, self.preset.findData(saved.preset)))
            self.zone.setCurrentText(saved.time_zone)
            self.base = dict(saved.mapping)
            self._fill_mapping(self.base)
        elif name.strip() in PRESETS:
            self.preset.setCurrentIndex(self.preset.findData(name.strip()))
            self._use_preset()

    def _use_preset(self) -> None:
        """The chosen preset's mapping (saved under the source's name by the import). A source
        still named after a preset (the default) takes the new preset's name, so the mapping
        is not saved under the name of another system."""
        self._explicit_preset = True
        key = self.preset.currentData()
        source = self.source.currentText().strip()
        if (not source or source in PRESETS) and source != key and source not in self.saved:
            self.source.setCurrentText(key)  # _source_changed: the same preset again
        self.base = {k.casefold(): v for k, v in PRESETS[key].items()}
        self._fill_mapping(self.base)

    def choose_preset(self, key: str) -> None:
        """What choosing a preset in its list does."""
        self.preset.setCurrentIndex(self.preset.findData(key))
        self._use_preset()

    def _current_mapping(self) -> dict[str, str]:
        found = {}
        for row in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(row, 1)
            item = self.mapping.item(row, 0)
            if isinstance(combo, QComboBox) and item is not None:  # "" leaves the column out
                found[item.text().casefold()] = combo.currentData() or ""
        return found

    def _fill_mapping(self, mapping: dict[str, str]) -> None:
        """One row per column of the first file, its field chosen from `mapping`."""
        self.mapping.setRowCount(len(self.columns))
        for row, column in enumerate(self.columns):
            self.mapping.setItem(row, 0, QTableWidgetItem(column))
            combo = FieldCombo()
            combo.addItem(NOT_IMPORTED, "")
            for key in FIELDS:
                combo.addItem(FIELD_LABELS[key], key)
            describe(combo, f"Field for {column}")
            field = mapping.get(column.casefold())
            combo.setCurrentIndex(FIELDS.index(field) + 1 if field in FIELDS else 0)
            combo.currentIndexChanged.connect(lambda _i: self._mapping_changed())
            self.mapping.setCellWidget(row, 1, combo)
        self.mapping.resizeColumnToContents(0)
        self.preview = None
        self._update()

    def _mapping_changed(self) -> None:
        self.preview = None
        twice = self.fields_mapped_twice()
        if twice:
            self.banner.show_message(
                "Each field can come from one column only: "
                + "; ".join(
                    f"{FIELD_LABELS[field]} from {' and '.join(cols)}"
                    for field, cols in twice.items()
                )
                + ". Set one of them to (not imported).",
                WARNING_HUE,
            )
        else:
            self.banner.show_message("")
        self._update()

    def fields_mapped_twice(self) -> dict[str, list[str]]:
        """Fields that more than one column of the file would fill (the import reads one)."""
        by_field: dict[str, list[str]] = {}
        for row in range(self.mapping.rowCount()):
            item, combo = self.mapping.item(row, 0), self.mapping.cellWidget(row, 1)
            if item is not None and isinstance(combo, QComboBox) and combo.currentIndex() > 0:
                by_field.setdefault(combo.currentData(), []).append(item.text())
        return {field: cols for field, cols in by_field.items() if len(cols) > 1}

    def set_field(self, column: str, field: str) -> None:
        """Map the file's `column` to `field` (what choosing it in the table does)."""
        for row in range(self.mapping.rowCount()):
            item = self.mapping.item(row, 0)
            combo = self.mapping.cellWidget(row, 1)
            if item is not None and item.text() == column and isinstance(combo, QComboBox):
                combo.setCurrentIndex(max(0, combo.findData(field if field in FIELDS else "")))

    # ---- preview and import ------------------------------------------------------------------

    def run(self, *, dry_run: bool) -> None:
        """Preview (nothing written) or import, on the thread pool."""
        if not self.paths:
            return
        db, ref, paths = self.db, self.ref, list(self.paths)
        overrides = [f"{column}={field}" for column, field in self._current_mapping().items()]
        preset = self.preset.currentData() if self._explicit_preset else None
        source, zone = self.source.currentText().strip() or None, self.zone.currentText().strip()
        actor = self.session.identity

        def work(_progress, _cancel):  # type: ignore[no-untyped-def]
            return contracts.import_tickets(
                db, ref, paths, source=source, preset=preset, overrides=overrides,
                time_zone=zone, dry_run=dry_run, actor=actor,
            )  # fmt: skip

        self._busy(True)
        self._clear_results()
        self.jobs.start(
            work,
            key="tickets",
            on_finished=self._previewed,
            on_failed=self._failed,
            on_ended=lambda _job: self._busy(False),
        )

    def stop(self) -> None:
        self.jobs.discard()
        self._busy(False)

    def _previewed(self, preview: contracts.TicketPreview) -> None:
        self.preview = preview
        self.counts.setRowCount(len(preview.files))
        for row, f in enumerate(preview.files):
            for column, value in enumerate((f.name, f.new, f.changed, f.unchanged, f.unreadable)):
                self.counts.setItem(row, column, QTableWidgetItem(str(value)))
        self.problems.setPlainText("\n".join(preview.problems + preview.notes))
        if preview.written:
            self.banner.show_message(f"Imported: {preview.summary()}.", AGREED_HUE)
            self.imported.emit()
        elif preview.problems:
            self.banner.show_message(
                f"{plural(len(preview.problems), 'unreadable row')} (listed below by file and "
                "line): nothing can be imported until they are corrected or mapped.",
                DANGER_HUE,
            )
        else:
            self.banner.show_message(
                f"Preview: {preview.summary()}. Import writes all of it or nothing.", WARNING_HUE
            )
        self._update()

    def _failed(self, message: str) -> None:
        self._clear_results()  # the counts below would belong to an earlier run
        self.banner.show_message(message, DANGER_HUE)

    def _clear_results(self) -> None:
        self.counts.setRowCount(0)
        self.problems.clear()
        self.banner.show_message("")

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        self._update(busy)

    def _update(self, busy: bool = False) -> None:
        busy = busy or self.jobs.running()
        preview = self.preview
        mapped_twice = bool(self.fields_mapped_twice())
        self.preview_button.setEnabled(bool(self.paths) and not busy and not mapped_twice)
        self.import_button.setEnabled(
            preview is not None
            and not preview.written
            and not preview.problems
            and not busy
            and not mapped_twice
        )
