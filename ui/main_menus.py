"""The main window's menus and toolbar: File (databases, exchange, export, backups), Edit
(undo/redo, report branding), Evaluation (status), Committee (identity, the chair's actions:
ui/committee_menu.py), View (audit trail), Help.

Every action calls the session or the Start page's workflows; nothing here edits data itself.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QStyle, QToolBar, QToolButton, QWidget

from evaluator.domain import Status
from ui import errors
from ui.aggregation_menu import AggregationMenu
from ui.backup_actions import BackupActions
from ui.committee_menu import CommitteeMenu
from ui.save_catalog import save_criteria_as_catalog
from ui.undo import ChangeStatus

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("supportscope.ui")

NEXT_WORDS = {
    Status.SCORING: "Start &scoring",
    Status.CONSENSUS: "Start &consensus",
    Status.FINAL: "&Finalise…",
}
# (function in ui.imports.questionnaire_dialog, menu text, changes the evaluation)
EXCHANGE_MODULE = "ui.imports.questionnaire_dialog"
EXCHANGE_ENTRIES = (
    ("export_questionnaire_template", "Export questionnaire &template…", False),
    ("open_questionnaire_import", "&Import filled questionnaires…", True),
    ("export_scoresheet", "Export &scoresheet for a committee member…", False),
    ("open_scoresheet_import", "Import scores&heets…", True),
)
BACK_WORDS = {Status.DRAFT: "Back to &draft", Status.SCORING: "Back to s&coring"}


class MainMenus:
    """Builds and updates the window's actions."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._guide: QWidget | None = None
        session, start = window.session, window.start_page
        style = window.style()
        bar = window.menuBar()

        file_menu = bar.addMenu("&File")
        self.new_db = self._add(file_menu, "&New database…", start.new_database_dialog)
        self.open_db = self._add(
            file_menu, "&Open database…", start.open_database_dialog, QKeySequence.StandardKey.Open
        )
        self.open_db.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.new_evaluation = self._add(
            file_menu,
            "New &evaluation from a catalog…",
            start.new_evaluation_dialog,
            QKeySequence.StandardKey.New,
        )
        self.demo = self._add(file_menu, "Open the de&mo evaluation", start.open_demo)
        self.demo.setEnabled(start.demo_button.isEnabled())
        self.demo.setToolTip(start.demo_button.toolTip())
        file_menu.addSeparator()
        self.exchange = self._add_exchange(file_menu)
        self.save_catalog = self._add(
            file_menu, "Save criteria as &catalog…", lambda: save_criteria_as_catalog(window)
        )
        self.save_catalog.setToolTip(
            "Save this evaluation's criteria, weights and rubrics as a catalog to start from"
        )
        self.export = self._add(
            file_menu, "Export re&ports…", self.export_reports, QKeySequence("Ctrl+E")
        )
        self.export.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.export.setToolTip("Export the client PDF and the Excel workbook (Ctrl+E)")
        file_menu.addSeparator()
        self.backups = BackupActions(window)
        self.back_up = self._add(file_menu, "&Back up\u2026", self.backups.back_up)
        self.back_up.setToolTip("Write a backup file of the database or of this evaluation")
        self.restore = self._add(file_menu, "Restore from bac&kup\u2026", self.backups.restore)
        self.restore.setToolTip("Bring back evaluations from a backup file")
        file_menu.addSeparator()
        self._add(file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self.undo = session.undo_stack.createUndoAction(window, "&Undo")
        self.undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.redo = session.undo_stack.createRedoAction(window, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward))
        for action in (self.undo, self.redo):
            # one window: the shortcuts work wherever the focus is (text fields keep their own
            # Ctrl+Z while editing, through the usual shortcut override)
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            edit_menu.addAction(action)
            window.addAction(action)
        edit_menu.addSeparator()
        self.branding = self._add(edit_menu, "Report &branding…", self.edit_branding)
        self.branding.setToolTip("Firm name, logo, accent colour and prepared-by line")

        evaluation_menu = bar.addMenu("E&valuation")
        self.advance = self._add(evaluation_menu, "Next stage", self.move_forward)
        self.back = self._add(evaluation_menu, "Previous stage", self.move_back)
        evaluation_menu.addSeparator()
        self.aggregation = AggregationMenu(window, evaluation_menu, session)
        evaluation_menu.addSeparator()
        self.reload = self._add(
            evaluation_menu, "&Reload from the database", session.reload, QKeySequence("F5")
        )
        self.reload.setToolTip("Show changes colleagues made in the same database")
        self.committee = CommitteeMenu(window, bar)

        view_menu = bar.addMenu("Vie&w")
        self.audit = self._add(view_menu, "&Audit trail…", window.open_audit)
        self.audit.setToolTip("Every change to the evaluation: who, when, from where, why")

        help_menu = bar.addMenu("&Help")
        self.guide = self._add(help_menu, "&User guide", self.show_guide, QKeySequence("F1"))
        self.logs = self._add(help_menu, "Open &log folder", self.open_logs)
        self.logs.setToolTip("The log files to attach to a support ticket")
        help_menu.addSeparator()
        self._add(help_menu, "&About SupportScope", self.about)

        toolbar = QToolBar("Main", window)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        for action, word in ((self.undo, "Undo"), (self.redo, "Redo")):
            toolbar.addAction(action)
            # lone arrows read as back/forward navigation; the tooltip keeps the full text
            action.setIconText(word)
            button = toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addSeparator()
        self.picker_label = QLabel(" Evaluation: ")
        self.picker_label.setBuddy(window.picker)
        self.picker_label_action = toolbar.addWidget(self.picker_label)
        self.picker_action = toolbar.addWidget(window.picker)
        self.picker_action.visibleChanged.connect(self._sync_picker_label)
        toolbar.addSeparator()
        toolbar.addAction(self.advance)
        toolbar.addAction(self.export)
        self.export.setIconText("Export reports")
        export_button = toolbar.widgetForAction(self.export)
        if isinstance(export_button, QToolButton):  # a lone disk icon would read as "save"
            export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        window.addToolBar(toolbar)

    def _add(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _add_exchange(self, menu) -> list[tuple[QAction, bool]]:  # type: ignore[no-untyped-def]
        """Questionnaire and scoresheet import/export, when that module is installed. The
        module (and openpyxl with it) is imported when an entry is first used, not at start.

        Returns (action, needs an editable evaluation) pairs for `update_actions`.
        """
        if importlib.util.find_spec(EXCHANGE_MODULE) is None:
            return []
        found = []
        for name, text, editing in EXCHANGE_ENTRIES:
            slot = lambda _=False, n=name: self._exchange(n)  # noqa: E731
            found.append((self._add(menu, text, slot), editing))
        menu.addSeparator()
        return found

    def _exchange(self, name: str) -> None:
        try:
            function = getattr(importlib.import_module(EXCHANGE_MODULE), name)
        except Exception:  # a broken optional module must not stop the window
            log.exception("the import and export entries could not be loaded")
            errors.show_error(self.window, "Excel import and export could not be loaded.")
            return
        self._confirm_saved(function(self.window, self.window.session))

    def _confirm_saved(self, result: object) -> None:
        """Say where an exported file went (a questionnaire, a scoresheet): the save dialog
        closes without a word otherwise, and the file is easily lost."""
        if isinstance(result, Path):
            self.window.statusBar().showMessage(f"Saved {result.name} in {result.parent}", 30_000)

    def _sync_picker_label(self) -> None:
        self.picker_label_action.setVisible(self.picker_action.isVisible())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.window.settings.recent_files()
        for location in recent:
            action = self.recent_menu.addAction(location)
            action.triggered.connect(
                lambda _=False, where=location: self.window.start_page.open_location(where)
            )
        if not recent:
            self.recent_menu.addAction("No recent databases").setEnabled(False)

    # ---- evaluation status -------------------------------------------------------------------

    def update_actions(self) -> None:
        session = self.window.session
        forward, backward = self.window.next_status(), self.window.previous_status()
        chair = session.is_chair  # the chair moves the phases (or whoever sets up, unchaired)
        data = session.data
        self.advance.setText(NEXT_WORDS[forward] if forward else "Next stage")
        self.advance.setEnabled(forward is not None and chair)
        self.advance.setToolTip(
            f"The chair ({data.chair}) moves the evaluation from phase to phase"
            if forward and not chair and data is not None
            else "Finalising makes the evaluation read-only for good"
            if forward is Status.FINAL
            else f"Move the evaluation to {forward.value}"
            if forward
            else "The evaluation is final"
            if session.read_only
            else "Open an evaluation first"
        )
        self.back.setText(BACK_WORDS[backward] if backward else "Previous stage")
        self.back.setEnabled(backward is not None and chair)
        self.reload.setEnabled(session.data is not None)
        self.audit.setEnabled(session.data is not None)
        self.export.setEnabled(session.data is not None)
        self.save_catalog.setEnabled(session.data is not None)
        self.export.setToolTip(
            errors.sentence(session.blind_reason("The report"))
            if session.blind
            else "Export the client PDF and the Excel workbook (Ctrl+E)"
        )
        self.committee.update_actions()
        self.aggregation.update_actions()
        for action, editing in self.exchange:
            action.setEnabled(session.editable if editing else session.data is not None)
        self.new_evaluation.setEnabled(True)
        for action in (self.back_up, self.restore):
            action.setEnabled(session.db is not None)

    def move_forward(self) -> None:
        target, session = self.window.next_status(), self.window.session
        if target is None or session.data is None:
            return
        if target is Status.FINAL:
            from evaluator.checklist import open_items
            from evaluator.scoring import score_evaluation
            from ui.finalise_dialog import ask_finalise

            data = session.data
            why = ask_finalise(self.window, data.name, open_items(data, score_evaluation(data)))
            if why is not None:
                session.finalise(why)
            return
        session.execute(ChangeStatus(session, target))

    def move_back(self) -> None:
        target, session = self.window.previous_status(), self.window.session
        if target is not None:
            session.execute(ChangeStatus(session, target))

    # ---- reports -----------------------------------------------------------------------------

    def export_reports(self) -> None:
        """The export dialog (imported on first use: it brings the report builders); refused
        while the committee scores blind, since a report shows every member's scores."""
        from ui.export.dialog import open_export

        session = self.window.session
        if session.blind:
            self.window.show_error(session.blind_reason("The report"))
            return
        open_export(self.window, self.window.session, self.window.settings)

    def edit_branding(self) -> None:
        from reports.branding import load_branding
        from ui.export.branding_dialog import edit_branding

        edit_branding(self.window, load_branding())

    def about(self) -> None:
        """Version, database, log file and library versions, copyable for a support ticket."""
        from ui.help_dialogs import AboutDialog

        AboutDialog(self.window.session.location, self.window).exec()

    def show_guide(self) -> None:
        """The built-in guide, beside the window (not modal)."""
        from ui.help_dialogs import GuideDialog

        if self._guide is None:
            self._guide = GuideDialog(self.window)
        self._guide.show()
        self._guide.raise_()

    def open_logs(self) -> None:
        from ui.help_dialogs import open_log_folder

        if not open_log_folder():
            from evaluator.logs import log_folder

            errors.show_error(
                self.window, f"could not open the log folder; it is {log_folder()}", "Log folder"
            )
