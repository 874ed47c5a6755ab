"""The Start tab: open or create a database, start an evaluation from a catalog, open the demo.

It also owns those workflows (the File menu triggers the same methods), so there is one
implementation of "open a database" whichever way the user gets there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from criteria import load_catalog
from evaluator.db import default_database
from ui import errors, file_dialogs
from ui.accessibility import describe
from ui.new_evaluation_dialog import NewEvaluationDialog
from ui.session import EvaluationSession
from ui.settings import AppSettings

DB_FILTER = "SupportScope databases (*.db *.sqlite *.sqlite3);;All files (*)"

try:  # the demo builder may not be installed in every build
    from criteria.demo import DEMO_NAME, build_demo
except ImportError:  # pragma: no cover - depends on the build
    DEMO_NAME, build_demo = "", None


class StartPage(QWidget):
    """Entry points for every session, and the list of evaluations in the open database."""

    databaseOpened = Signal(str)

    def __init__(
        self,
        session: EvaluationSession,
        settings: AppSettings,
        catalog_dirs: list[Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.catalog_dirs = catalog_dirs if catalog_dirs is not None else settings.catalog_dirs()

        title = QLabel("SupportScope")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Score EHR vendors and third-party support outsourcers against weighted support "
            "criteria, agree as a committee, and report the result.",
            wordWrap=True,
        )
        self.open_button = QPushButton("&Open database…")
        self.open_button.setToolTip("Open a SupportScope database file")
        self.open_button.clicked.connect(self.open_database_dialog)
        self.new_db_button = QPushButton("New &database…")
        self.new_db_button.setToolTip("Create an empty database file for a portfolio of RFPs")
        self.new_db_button.clicked.connect(self.new_database_dialog)
        self.new_eval_button = QPushButton("&New evaluation from a catalog…")
        self.new_eval_button.setToolTip("Start an evaluation from a built-in or saved catalog")
        self.new_eval_button.clicked.connect(self.new_evaluation_dialog)
        self.demo_button = QPushButton("Open the de&mo evaluation")
        self.demo_button.setEnabled(build_demo is not None)
        self.demo_button.setToolTip(
            "A fictitious review with candidates, a committee and scores, to look around"
            if build_demo is not None
            else "The demo is coming in a later version"
        )
        self.demo_button.clicked.connect(self.open_demo)

        self.recent = QListWidget()
        self.recent.setToolTip("Double-click or press Enter to open")
        describe(self.recent, "Recent databases", "Databases opened before; Enter opens one")
        self.recent.itemActivated.connect(lambda item: self.open_location(item.text()))
        recent_box = QGroupBox("&Recent databases")
        QVBoxLayout(recent_box).addWidget(self.recent)

        self.database_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.evaluations = QTreeWidget()
        self.evaluations.setRootIsDecorated(False)
        self.evaluations.setHeaderLabels(
            ["Evaluation", "Client", "Status", "Candidates", "Members"]
        )
        self.evaluations.setToolTip("Double-click or press Enter to open")
        describe(
            self.evaluations,
            "Evaluations in this database",
            "Name, client, status, candidates and members of each; Enter opens one",
        )
        self.evaluations.itemActivated.connect(self._open_listed)
        evaluations_box = QGroupBox("Evaluations in this database")
        box_layout = QVBoxLayout(evaluations_box)
        box_layout.addWidget(self.database_label)
        box_layout.addWidget(self.evaluations)

        actions = QVBoxLayout()
        for widget in (title, intro, self.open_button, self.new_db_button):
            actions.addWidget(widget)
        actions.addWidget(self.new_eval_button)
        actions.addWidget(self.demo_button)
        actions.addWidget(recent_box, 1)
        grid = QGridLayout(self)
        grid.addLayout(actions, 0, 0)
        grid.addWidget(evaluations_box, 0, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)

        session.evaluationChanged.connect(self.refresh)
        session.dataChanged.connect(self._refresh_if_visible)
        session.openingChanged.connect(self._refresh_if_visible)
        self.refresh()

    # ---- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.recent.clear()
        for location in self.settings.recent_files():
            item = QListWidgetItem(location)
            item.setToolTip(location)
            self.recent.addItem(item)
        location = self.session.location
        if self.session.opening:
            self.database_label.setText(f"Opening {self.session.opening}…")
        else:
            self.database_label.setText(
                f"Database: {location}" if location else "No database is open."
            )
        self.evaluations.clear()
        current = self.session.data.id if self.session.data else None
        for summary in self.session.evaluations():
            item = QTreeWidgetItem(
                [
                    summary.name,
                    summary.client,
                    summary.status.value,
                    str(summary.candidates),
                    str(summary.evaluators),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, summary.id)
            if summary.id == current:
                font = item.font(0)
                font.setBold(True)
                for column in range(5):
                    item.setFont(column, font)
            self.evaluations.addTopLevelItem(item)
        for column in range(5):
            self.evaluations.resizeColumnToContents(column)

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.refresh()

    def _open_listed(self, item: QTreeWidgetItem) -> None:
        self.session.open_evaluation(int(item.data(0, Qt.ItemDataRole.UserRole)))

    # ---- workflows ---------------------------------------------------------------------------

    def open_location(self, location: str, *, create: bool = False, later: bool = False) -> bool:
        """Open a database (path or URL) and its last-used evaluation; remember it. Only New
        database and the default database (first start) may create a file. With `later` it is
        read in the background (the window stays responsive); True then means it started."""
        create = create or location == default_database()
        last = self.settings.last_evaluation(location)
        if later:
            return self.session.open_database_later(
                location, last, create=create, on_opened=lambda ok: self._opened(location, ok)
            )
        return self._opened(location, self.session.open_database(location, last, create=create))

    def _opened(self, location: str, ok: bool) -> bool:
        """Remember a database that opened; forget a recent file that has gone."""
        if ok:
            self.settings.add_recent_file(self.session.location)
            self.settings.set_last_database(self.session.location)
            self.databaseOpened.emit(self.session.location)
            self.refresh()
            return True
        if not Path(location).exists() and "://" not in location:
            self.settings.remove_recent_file(location)
            self.refresh()
        return False

    def _folder(self) -> str:
        location = self.session.location or self.settings.last_database()
        return str(Path(location).parent) if location and "://" not in location else ""

    def open_database_dialog(self) -> None:
        path = file_dialogs.choose_open_file(
            self,
            "Open database",
            self._folder(),
            DB_FILTER,
            database=True,
            kind="database",
            settings=self.settings,
        )
        if path:
            self.open_location(path)

    def new_database_dialog(self) -> None:
        path = file_dialogs.choose_save_file(
            self,
            "New database",
            str(Path(self._folder()) / "evaluations.db"),  # no folder: the last one used
            DB_FILTER,
            kind="database",
            settings=self.settings,
            confirm_overwrite=False,  # an existing database is opened, never replaced
            database=True,
        )
        if not path:
            return
        if Path(path).exists():
            errors.show_error(
                self,
                f"{path} already exists: it is opened instead of being replaced.",
                "Database exists",
            )
        self.open_location(path, create=True)

    def _ensure_database(self) -> bool:
        """New evaluations need a database: use the default one when none is open."""
        return self.session.db is not None or self.open_location(default_database(), create=True)

    def new_evaluation_dialog(self) -> None:
        if not self._ensure_database():
            return
        taken = {summary.name for summary in self.session.evaluations()}
        dialog = NewEvaluationDialog(self.catalog_dirs, taken, self)
        if dialog.exec() != NewEvaluationDialog.DialogCode.Accepted or dialog.choice is None:
            return
        try:
            catalog = load_catalog(dialog.choice.path)
        except errors.USER_ERRORS as exc:
            errors.show_error(self, errors.user_message(exc))
            return
        self.session.create_evaluation(
            dialog.name(),
            catalog.criteria,
            client=dialog.client(),
            scale=catalog.scale,
            catalog_id=catalog.id,
        )
        self.refresh()

    def open_demo(self) -> None:
        if build_demo is None or not self._ensure_database():
            return
        existing = {s.name: s.id for s in self.session.evaluations()}
        if DEMO_NAME in existing:
            self.session.open_evaluation(existing[DEMO_NAME])
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            evaluation = build_demo(self.session.db, DEMO_NAME)
        except errors.USER_ERRORS as exc:
            errors.show_error(self, errors.user_message(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.session.open_evaluation(evaluation)
        self.refresh()
