"""View ▸ Audit trail: every entry of the open evaluation, filtered, with one score's history.

The table model and its filter are in ui/audit_model.py: by who acted, candidate, criterion,
action and a date range (local dates), or by one ref for a history ("history of one score":
`open_history(ref)`; the scoring grid calls it). The filtered
rows export to CSV or Excel through the core's writers (atomic, and every text through the safe
cell writer). The chain's verdict (evaluator.audit_verify) is shown on top, red when broken.

The dialog is modeless and one per window (`audit_view_for(window)`); it re-reads the trail
when the open evaluation changes while it is shown. While the window is blind (the committee
scores independently), entries that would show a colleague's score, a consensus value or a
candidate the member declared a conflict with are left out, as the scores themselves are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaluator.audit_trail import TrailRow, criterion_names, read_trail, write_csv, write_xlsx
from evaluator.audit_verify import verify
from ui import errors
from ui.accessibility import describe
from ui.audit_model import ROW_ROLE, AuditFilter, AuditModel, local_time
from ui.file_dialogs import choose_save_file
from ui.grid.delegates import AGREED_HUE, DANGER_HUE, Banner
from ui.session import EvaluationSession

ALL = "(all)"


def choose_save_path(parent: QWidget | None, title: str, suggested: str, kinds: str) -> str:
    """The file chooser (a module function that tests replace)."""
    return choose_save_file(parent, title, suggested, kinds, kind="audit")


class AuditView(QDialog):
    """The audit trail of the session's open evaluation."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self.setWindowTitle("Audit trail")
        self.session = session
        self.model = AuditModel(self)
        self.proxy = AuditFilter(self)
        self.proxy.setSourceModel(self.model)
        self._criteria: dict[str, str] = {}

        self.verdict = Banner(self)
        self.verdict.setObjectName("auditVerdict")
        describe(self.verdict, "Audit check")
        self.blind_note = Banner(self)
        self.blind_note.setObjectName("auditBlindNote")
        self.combos: dict[str, QComboBox] = {}
        filters = QGridLayout()
        for column, (name, label) in enumerate(
            (("actor", "&Who"), ("candidate", "&Candidate"), ("criterion", "C&riterion"),
             ("action", "&Action"))
        ):  # fmt: skip
            combo = QComboBox(minimumContentsLength=14)
            combo.setObjectName(f"filter_{name}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.currentIndexChanged.connect(self._filters_changed)
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption, 0, column)
            filters.addWidget(combo, 1, column)
            self.combos[name] = combo
        self.dates = QCheckBox("&Dates from")
        self.first_day = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.last_day = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        describe(self.first_day, "First day")
        describe(self.last_day, "Last day")
        for edit in (self.first_day, self.last_day):
            edit.setEnabled(False)
            edit.dateChanged.connect(self._filters_changed)
        self.dates.toggled.connect(self._dates_toggled)
        dates = QHBoxLayout()
        dates.addWidget(self.dates)
        dates.addWidget(self.first_day)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.last_day)
        dates.addStretch(1)
        filters.addLayout(dates, 2, 0, 1, 4)

        self.history = QLabel()
        self.history.setObjectName("historyOf")
        self.show_all = QPushButton("Show all entries")
        self.show_all.clicked.connect(self.clear_filters)
        history = QHBoxLayout()
        history.addWidget(self.history, 1)
        history.addWidget(self.show_all, 0, Qt.AlignmentFlag.AlignRight)

        self.table = QTableView()
        self.table.setObjectName("auditTable")
        describe(self.table, "Audit entries", "Who changed what, when, from where and why")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setToolTip("Double-click an entry to see the history of what it is about")
        self.table.doubleClicked.connect(self._history_of_row)
        header = self.table.horizontalHeader()
        for column, width in enumerate((140, 130, 90, 100, 430, 110)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)

        self.count = QLabel()
        self.count.setObjectName("auditCount")
        self.export_csv = QPushButton("Export C&SV…")
        self.export_xlsx = QPushButton("Export &Excel…")
        close = QPushButton("Close")
        self.export_csv.clicked.connect(lambda: self._export("csv"))
        self.export_xlsx.clicked.connect(lambda: self._export("xlsx"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.export_csv)
        buttons.addWidget(self.export_xlsx)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.blind_note)
        layout.addLayout(filters)
        layout.addLayout(history)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1300, 640)

        self._stale = QTimer(self, singleShot=True, interval=250)
        self._stale.timeout.connect(self.refresh)
        session.dataChanged.connect(self._data_changed)
        session.evaluationChanged.connect(self._data_changed)
        session.identityChanged.connect(self._data_changed)
        self.refresh()

    # ---- content -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the trail and the chain's verdict; the filters chosen stay."""
        db, data = self.session.db, self.session.data
        rows: list[TrailRow] = []
        if db is not None and data is not None:
            try:
                rows = visible_trail(self.session, read_trail(db, data.id))
                self._criteria = criterion_names(db, data.id)
                verdict = verify(db, data.id)
            except errors.USER_ERRORS as exc:
                self.verdict.show_message(errors.user_message(exc), DANGER_HUE)
            else:
                if verdict.intact:
                    self.verdict.show_message(f"✓ {verdict.sentence()}", AGREED_HUE)
                else:
                    self.verdict.show_message(f"⚠ {verdict.sentence()}", DANGER_HUE)
            self.setWindowTitle(f"Audit trail — {data.name}")
        else:
            self.verdict.show_message("Open an evaluation to see its audit trail.")
        self.blind_note.show_message(
            "Entries about colleagues' scores are left out while the committee scores blind. "
            + errors.sentence(self.session.blind_reason("The whole trail"))
            if self.session.blind
            else ""
        )
        self.model.set_rows(rows)
        if rows and not self.dates.isChecked():  # the range offered: the trail's own days
            for edit, row in ((self.first_day, rows[0]), (self.last_day, rows[-1])):
                day = local_time(row.at).date()
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._fill_combos(rows)
        self._update_count()

    def _fill_combos(self, rows: list[TrailRow]) -> None:
        choices = {
            "actor": sorted({r.actor for r in rows}, key=str.casefold),
            "candidate": sorted({r.candidate for r in rows if r.candidate}, key=str.casefold),
            "criterion": sorted({r.criterion for r in rows if r.criterion}),
            "action": sorted({r.action for r in rows}),
        }
        for name, values in choices.items():
            combo = self.combos[name]
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, "")
            for value in values:
                shown = value
                if name == "criterion" and value in self._criteria:
                    shown = f"{self._criteria[value]} [{value}]"
                combo.addItem(shown, value)
            found = combo.findData(kept) if kept else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self._filters_changed()

    def _data_changed(self) -> None:
        if self.isVisible():
            self._stale.start()

    # ---- filters -------------------------------------------------------------------------------

    def _dates_toggled(self, on: bool) -> None:
        for edit in (self.first_day, self.last_day):
            edit.setEnabled(on)
        self._filters_changed()

    def _filters_changed(self) -> None:
        dates = self.dates.isChecked()
        self.proxy.set_filters(
            **{name: combo.currentData() or "" for name, combo in self.combos.items()},
            first_day=self.first_day.date().toPython() if dates else None,
            last_day=self.last_day.date().toPython() if dates else None,
        )
        self._update_count()

    def set_date_range(self, first: date | None, last: date | None) -> None:
        """Show the entries of these local days (None: no bound)."""
        self.dates.setChecked(first is not None or last is not None)
        for edit, day in ((self.first_day, first), (self.last_day, last)):
            if day is not None:
                edit.setDate(QDate(day.year, day.month, day.day))
        self._filters_changed()

    def choose(self, name: str, value: str) -> None:
        """Set one filter (actor, candidate, criterion, action) to a value it offers."""
        combo = self.combos[name]
        index = combo.findData(value)
        if index < 0:
            raise ValueError(f"{value!r} is not among the {name} choices")
        combo.setCurrentIndex(index)

    def open_history(self, ref: str) -> None:
        """Show only the entries about one thing (a score's history: `score:...`)."""
        self.clear_filters()
        self.proxy.set_filters(ref=ref)
        rows = self.proxy.visible_rows()
        subject = rows[-1].target if rows else ref
        self.history.setText(f"History of {subject}")
        self._update_count()
        self.show()
        self.raise_()

    def _history_of_row(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, TrailRow) and row.ref:
            self.open_history(row.ref)

    def clear_filters(self) -> None:
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.dates.blockSignals(True)
        self.dates.setChecked(False)
        self.dates.blockSignals(False)
        for edit in (self.first_day, self.last_day):
            edit.setEnabled(False)
        self.proxy.set_filters(ref="")
        self._filters_changed()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} entries" if shown != total else f"{total} entries")
        self.history.setVisible(bool(self.proxy.ref))
        self.show_all.setVisible(bool(self.proxy.ref) or shown != total)
        for button in (self.export_csv, self.export_xlsx):
            button.setEnabled(shown > 0)

    # ---- export --------------------------------------------------------------------------------

    def _export(self, kind: str) -> None:
        data = self.session.data
        name = data.name if data is not None else "evaluation"
        suffix, kinds = (
            (".csv", "CSV files (*.csv)") if kind == "csv" else (".xlsx", "Excel (*.xlsx)")
        )
        path = choose_save_path(self, "Export the audit trail", f"{name} audit{suffix}", kinds)
        if path:
            self.export_to(Path(path), name)

    def export_to(self, path: Path, title: str = "") -> bool:
        """Write the rows shown to a CSV or Excel file (by its suffix); False (and a message)
        when it cannot be written."""
        rows = self.proxy.visible_rows()
        try:
            if path.suffix.lower() == ".csv":
                write_csv(path, rows)
            else:
                write_xlsx(path.with_suffix(".xlsx"), rows, title)
        except OSError as exc:
            errors.show_error(self, f"The audit trail could not be written: {exc}")
            return False
        self.count.setText(f"{len(rows)} entries written to {path.name}")
        return True


SCORE_ACTIONS = ("set score", "clear score")


def visible_trail(session: EvaluationSession, rows: list[TrailRow]) -> list[TrailRow]:
    """The entries this window may show: all, unless it is blind, when a colleague's score
    (its value is in the entry), a consensus value and a hidden candidate are left out."""
    data = session.data
    if data is None or not session.blind:
        return rows
    who = session.identity
    me = who.name if who is not None and not who.chair else None
    shown = {c.name for c in data.candidates}

    def allowed(row: TrailRow) -> bool:
        scores = row.action in SCORE_ACTIONS or "abstain" in row.action
        if scores and row.member != me:
            return False
        return "consensus" not in row.action and (not row.candidate or row.candidate in shown)

    return [row for row in rows if allowed(row)]


def audit_view_for(window: QWidget, session: EvaluationSession) -> AuditView:
    """The window's one audit viewer (created on first use)."""
    view = window.findChild(AuditView, "auditView")
    if view is None:
        view = AuditView(session, window)
    return view
