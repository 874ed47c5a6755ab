"""The main window: tabs for each step of the committee's work, menus, status bar, banner.

Views register as tabs: the built-in ones here, and the Scoring, Consensus and Results views
when their modules exist (each is constructed as `View(session, parent)`); `add_tab` adds more.
The window remembers its geometry, splitter sizes, last tab and recent databases, and asks
before scores typed without a justification would be lost (another evaluation or database,
or closing).

The committee process shows here: opening an evaluation that has a chair asks who you are
(ui/identity_dialog.py; Cancel leaves it read-only), the banner says the phase, who you are and
what the phase allows (ui/phase_banner.py), and while the committee scores blind the Consensus
and Results tabs show why they are shut instead of their content, opening again by themselves
when the phase or the submissions change.

The status bar's labels live in ui/window_status.py and the geometry, splitter sizes and last
tab kept between runs in ui/window_state.py; this module lays out and follows the session.

At start-up the window is built in two steps (`deferred=True`, then `build()`): the frame — its
size and place, a word that it is opening — paints before the session, the views and SQLAlchemy
are imported (issue 12: the first window within a small factor of a bare Qt window). So this
module imports only what the frame needs at its top; `build()` imports the rest.
"""

from __future__ import annotations

import html
import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui import errors, window_state
from ui.accessibility import describe, name_from_text, name_windows_when_shown
from ui.settings import AppSettings

if TYPE_CHECKING:
    from evaluator.domain import Status
    from ui.session import EvaluationSession

log = logging.getLogger("supportscope.ui")

# (module, class, tab title): the other views, added when their modules exist
OPTIONAL_VIEWS = (
    ("ui.scoring.view", "ScoringView", "Scoring"),
    ("ui.consensus.view", "ConsensusView", "Consensus"),
    ("ui.results.view", "ResultsView", "Results"),
    ("ui.sensitivity.view", "SensitivityView", "Sensitivity"),
    ("ui.agreement.view", "AgreementView", "Agreement"),
    ("ui.contract.view", "ContractView", "Contract"),  # shown once the evaluation is final
)
# what `build()` imports: loaded on a worker thread while the frame shows (ui.app)
BUILD_MODULES = (
    "ui.session",
    "ui.criteria.view",
    "ui.grid.delegates",
    "ui.main_menus",
    "ui.people.view",
    "ui.phase_banner",
    "ui.start_page",
    "ui.window_status",
    *(module for module, _, _ in OPTIONAL_VIEWS),
)
# tab title -> what it shows, for the notice that replaces it while the committee scores blind
LOCKED_WHEN_BLIND = {
    "Consensus": "The consensus view",
    "Results": "The ranking (and its chart)",
    "Sensitivity": "The sensitivity analysis",
    "Agreement": "The committee's agreement",
}


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: EvaluationSession | None = None,
        settings: AppSettings | None = None,
        catalog_dirs: list[Path] | None = None,
        parent: QWidget | None = None,
        *,
        deferred: bool = False,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else AppSettings()
        self.setWindowTitle("SupportScope")
        self.built = False
        self._parts = (session, catalog_dirs)
        if deferred:
            self._show_frame()
        else:
            self.build()

    def _show_frame(self) -> None:
        """What shows until `build()`: the window where it was last time, saying it starts."""
        frame = QWidget()
        frame.setObjectName("startingFrame")
        layout = QVBoxLayout(frame)
        layout.addStretch(1)
        icon = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        icon.setPixmap(self.windowIcon().pixmap(64, 64))
        title = QLabel("<b>SupportScope</b>", alignment=Qt.AlignmentFlag.AlignCenter)
        note = QLabel("Starting…", alignment=Qt.AlignmentFlag.AlignCenter)
        note.setEnabled(False)  # muted, as the palette greys disabled text
        for widget in (icon, title, note):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setCentralWidget(frame)
        self.statusBar().showMessage("Starting…")
        window_state.restore_geometry(self)

    def build(self) -> None:
        """Everything but the frame: the session, the tabs, the menus, the status bar."""
        if self.built:
            return
        from ui.criteria.view import CriteriaView
        from ui.grid.delegates import Banner
        from ui.main_menus import MainMenus
        from ui.people.view import CandidatesView, CommitteeView
        from ui.phase_banner import PhaseBanner
        from ui.session import EvaluationSession
        from ui.start_page import StartPage
        from ui.window_status import StatusLabels

        session, catalog_dirs = self._parts
        framed = self.centralWidget() is not None  # deferred: the frame showed first
        self.session = session if session is not None else EvaluationSession(self)
        self.statusBar().clearMessage()

        self.banner = PhaseBanner()  # the phase, who you are, what the phase allows
        self.identity_dialog: QDialog | None = None
        self.audit_bar = Banner()  # the open evaluation's record does not hold: say where
        self.audit_bar.setObjectName("auditWarning")
        self.audit_bar.setTextFormat(Qt.TextFormat.RichText)
        self.audit_bar.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.audit_bar.linkActivated.connect(lambda _: self.open_audit())
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.setObjectName("mainTabs")
        describe(self.tabs, "Steps", "Start, criteria, candidates, committee, scoring, results")
        describe(self.banner, "Phase", "The phase, who you are and what the phase allows")
        describe(self.audit_bar, "Audit warning")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.audit_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.start_page = StartPage(self.session, self.settings, catalog_dirs)
        self.criteria_view = CriteriaView(self.session)
        self.candidates_view = CandidatesView(self.session)
        self.committee_view = CommitteeView(self.session)
        self.add_tab(self.start_page, "Start")
        self.add_tab(self.criteria_view, "Criteria")
        self.add_tab(self.candidates_view, "Candidates")
        self.add_tab(self.committee_view, "Committee")
        for module, name, title in OPTIONAL_VIEWS:
            self._add_optional(module, name, title)

        self.picker = QComboBox(minimumContentsLength=28)
        self.picker.setObjectName("evaluationPicker")
        self.picker.setToolTip("The evaluation shown in every tab")
        describe(self.picker, "Evaluation", "The evaluation shown in every tab")
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.picker.activated.connect(self._picked)
        self.menus = MainMenus(self)

        self.status_labels = StatusLabels(self.statusBar())
        labels = self.status_labels
        self.db_label, self.identity_label = labels.database, labels.identity
        self.status_label, self.progress_label = labels.status, labels.progress

        self.session.errorRaised.connect(self.show_error)
        self.session.externalChange.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.session.openingChanged.connect(self._opening_changed)
        self.session.evaluationChanged.connect(self._evaluation_changed)
        self.session.readOnlyChanged.connect(self._read_only_changed)
        self.session.auditBroken.connect(self._audit_checked)
        self.session.dataChanged.connect(self._update_status)
        self.session.resultsChanged.connect(self._update_progress)
        self.session.identityChanged.connect(self._update_status)
        self.session.identityChanged.connect(self._update_progress)
        self.session.evaluationChanged.connect(self._ask_identity_if_needed)
        self.start_page.databaseOpened.connect(lambda _: self._evaluation_changed())
        self.session.add_leave_guard(self.confirm_leaving_unsaved)
        window_state.restore(self, geometry=not framed)  # a moved frame stays where it is
        self.built = True
        self._evaluation_changed()
        # the views build some widgets late: name them when their tab is shown
        self.tabs.currentChanged.connect(lambda _: name_from_text(self))
        name_from_text(self)
        app = QApplication.instance()
        if app is not None:  # and its dialogs, as each is shown
            name_windows_when_shown(app)

    # ---- tabs --------------------------------------------------------------------------------

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a view as a tab (the Scoring, Consensus and Results views use this); the ones
        blind scoring keeps shut are held in a `LockableTab`."""
        from ui.phase_banner import LockableTab

        if title in LOCKED_WHEN_BLIND:
            holder = LockableTab(widget, LOCKED_WHEN_BLIND[title])
            holder.liveResultsRequested.connect(self.menus_live_results)
            widget = holder
        return self.tabs.addTab(widget, title)

    def tab(self, title: str) -> QWidget | None:
        """The view shown as the tab `title` (inside its lock, for a lockable one)."""
        from ui.phase_banner import LockableTab

        page = self.tab_page(title)
        return page.view if isinstance(page, LockableTab) else page

    def tab_page(self, title: str) -> QWidget | None:
        """The tab's own page: the view, or the `LockableTab` holding it."""
        for index in range(self.tabs.count()):
            if self.tab_title(index) == title:
                return self.tabs.widget(index)
        return None

    def tab_title(self, index: int) -> str:
        """A tab's title as the code names it (no mnemonic)."""
        return self.tabs.tabText(index).replace("&", "")

    def show_tab(self, title: str) -> None:
        widget = self.tab_page(title)
        if widget is not None:
            self.tabs.setCurrentWidget(widget)

    def menus_live_results(self) -> None:
        self.menus.committee.ask_live_results()

    def _add_optional(self, module_name: str, class_name: str, title: str) -> None:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                log.exception("the %s tab could not be loaded", title)
            return
        except Exception:  # a broken optional view must not stop the window from opening
            log.exception("the %s tab could not be loaded", title)
            return
        view_class = getattr(module, class_name, None)
        if view_class is None:
            log.error("%s has no %s", module_name, class_name)
            return
        try:
            self.add_tab(view_class(self.session, None), title)
        except Exception:
            log.exception("the %s tab could not be created", title)

    # ---- following the session ---------------------------------------------------------------

    def show_error(self, message: str) -> None:
        errors.show_error(self, message)

    def _evaluation_changed(self) -> None:
        data = self.session.data
        summaries = self.session.evaluations()
        self.picker.clear()
        for summary in summaries:
            self.picker.addItem(f"{summary.name} ({summary.status.value})", summary.id)
        if data is not None:
            self.picker.setCurrentIndex(self.picker.findData(data.id))
        self.menus.picker_action.setVisible(len(summaries) > 1)
        location = self.session.location
        if location:
            self.settings.set_last_evaluation(location, data.id if data else None)
        self.status_labels.show_database(location)
        self._update_status()
        self._update_progress()

    def _opening_changed(self, target: str) -> None:
        """Say that a database is being read in the background (the window stays usable)."""
        if target:
            self.db_label.setText(f"Opening {target}…")
            self.statusBar().showMessage(f"Opening {target}…")
        else:
            self.statusBar().clearMessage()
            self._evaluation_changed()

    def _audit_checked(self, problem: str) -> None:
        """Show (or hide) the warning that the open evaluation's audit record is broken."""
        from ui.grid.delegates import DANGER_HUE

        if not problem:
            self.audit_bar.hide()
            return
        self.audit_bar.show_message(
            f"⚠ {html.escape(problem)} <a href='audit'>Open the audit trail</a>", DANGER_HUE
        )

    def open_audit(self) -> None:
        """View ▸ Audit trail: every entry of the open evaluation, with filters and export."""
        from ui.audit_view import audit_view_for

        view = audit_view_for(self, self.session)
        view.refresh()
        view.show()
        view.raise_()

    def open_history(self, ref: str) -> None:
        """The audit viewer showing one thing's history (a score: `score:...` ref)."""
        from ui.audit_view import audit_view_for

        view = audit_view_for(self, self.session)
        view.refresh()
        view.open_history(ref)

    def refresh_evaluation_list(self) -> None:
        """List the database's evaluations again (after a restore added or replaced some)."""
        self._evaluation_changed()

    def _picked(self, index: int) -> None:
        evaluation_id = self.picker.itemData(index)
        current = self.session.data
        if current is not None and evaluation_id == current.id:
            return
        if not self.session.open_evaluation(evaluation_id) and current is not None:
            self.picker.setCurrentIndex(self.picker.findData(current.id))  # kept: show it

    def confirm_leaving_unsaved(self) -> bool:
        """Before the evaluation is replaced or the window closes: scores typed without a
        justification are not saved, so ask whether to drop them; "Go back" shows them."""
        scoring = self.tab("Scoring")
        count = scoring.unsaved_count() if hasattr(scoring, "unsaved_count") else 0
        if count == 0:
            return True
        if ask_discard_unsaved(self, count):
            return True
        self.show_tab("Scoring")
        scoring.show_unsaved()  # type: ignore[union-attr]
        return False

    def _read_only_changed(self, _read_only: bool) -> None:
        self._update_status()

    # ---- who is working, and what they may see -----------------------------------------------

    def _ask_identity_if_needed(self) -> None:
        """An evaluation with a chair was opened: ask who is working (not blocking)."""
        if self.identity_dialog is not None:  # asked about the evaluation open before
            self.identity_dialog.close()
        if self.session.needs_identity:
            self.ask_identity()

    def ask_identity(self, suggest: str = "") -> QDialog | None:
        """The "Who are you?" dialog, window-modal; None when nobody can be chosen."""
        from ui.identity_dialog import IdentityDialog

        data = self.session.data
        if data is None or not data.chair:
            return None
        if self.identity_dialog is not None:
            self.identity_dialog.close()
        dialog = IdentityDialog(self.session, self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _=None, d=dialog: self._identity_dialog_gone(d))
        if suggest:
            dialog.choose(suggest)
        self.identity_dialog = dialog
        dialog.open()
        return dialog

    def _identity_dialog_gone(self, dialog: QDialog) -> None:
        if self.identity_dialog is dialog:
            self.identity_dialog = None

    def _update_status(self) -> None:
        from ui.phase_banner import shut_blind_tabs

        data = self.session.data
        self.banner.follow(self.session)
        self.status_labels.follow(self.session)
        shut_blind_tabs(self.tabs, self.session)
        if data is None:
            self.setWindowTitle("SupportScope")
            self.menus.update_actions()
            return
        self.setWindowTitle(f"{data.name} — SupportScope")
        index = self.picker.findData(data.id)
        if index >= 0:
            self.picker.setItemText(index, f"{data.name} ({data.status.value})")
        self.menus.update_actions()

    def _update_progress(self) -> None:
        self.status_labels.show_progress(self.session)

    def next_status(self) -> Status | None:
        from evaluator.domain import STATUS_ORDER, Status

        data = self.session.data
        if data is None or data.status is Status.FINAL:
            return None
        return STATUS_ORDER[STATUS_ORDER.index(data.status) + 1]

    def previous_status(self) -> Status | None:
        from evaluator.domain import STATUS_ORDER, Status

        data = self.session.data
        if data is None or data.status in (Status.DRAFT, Status.FINAL):
            return None
        return STATUS_ORDER[STATUS_ORDER.index(data.status) - 1]

    # ---- settings ----------------------------------------------------------------------------

    def fit_to_screen(self) -> None:
        window_state.fit_to_screen(self)

    def save_settings(self) -> None:
        window_state.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:  # closed while starting: nothing typed yet, nothing to keep
            super().closeEvent(event)
            return
        if not self.session.may_leave():
            event.ignore()
            return
        self.save_settings()
        super().closeEvent(event)


def ask_discard_unsaved(parent: QWidget, count: int) -> bool:
    """True when the user chose to discard `count` unsaved scores (the safe default: no)."""
    scores = f"{count} score{'s' if count != 1 else ''}"
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Unsaved scores",
        f"You have {scores} without a justification in the Scoring tab.",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        "A score is saved only together with its justification, so "
        f"{'these are' if count != 1 else 'this one is'} not saved yet."
    )
    discard_text = "&Discard them" if count != 1 else "&Discard it"
    discard = box.addButton(discard_text, QMessageBox.ButtonRole.DestructiveRole)
    back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is discard
