"""What a member does to their sheet beyond typing scores: abstain on a cell, look at a score's
history, submit the sheet. The Scoring view owns the widgets' places; this wires the actions
(context menu, shortcut, the submit button) and asks what each needs (a reason, a confirmation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton

from evaluator.changes.context import score_ref
from ui import errors, reason_dialog
from ui.scoring.sheet import is_mine

if TYPE_CHECKING:
    from ui.scoring.view import ScoringView

ABSTAIN_KEYS = "Ctrl+Shift+A"


class SheetActions(QObject):
    """Abstain…, History… and Submit for the Scoring view (see the module docstring)."""

    def __init__(self, view: ScoringView) -> None:
        super().__init__(view)
        self.view = view
        self.abstain_action = self._action(
            "&Abstain…", ABSTAIN_KEYS, self.abstain,
            "Abstain on this cell instead of scoring it, with the reason (not counted in the "
            "committee's aggregate)",
        )  # fmt: skip
        self.history_action = self._action(
            "&History…", "", self.history, "Every change of this score: value, who, when, why"
        )
        self.clear_action = self._action(
            "&Clear score", "", view._clear_selection, "Clear the score (Delete)"
        )
        self.submit_button = QPushButton("Submit my scores…")
        self.submit_button.setObjectName("submitScores")
        self.submit_button.setToolTip(
            "Hand in your scores: the sheet becomes read-only (only the chair can reopen it)"
        )
        self.submit_button.clicked.connect(self.submit)
        view.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.grid.customContextMenuRequested.connect(self._menu)

    def _action(self, text: str, keys: str, slot, tip: str) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.view)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            tip += f" ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    # ---- state -------------------------------------------------------------------------------

    def update(self) -> None:
        """Enable what the current cell and the sheet allow; word the submit button."""
        view, model = self.view, self.view.model
        index = view.grid.currentIndex()
        score_cell = model.is_score_cell(index) and model.evaluator_id is not None
        self.abstain_action.setEnabled(score_cell and model.is_editable(index))
        self.history_action.setEnabled(score_cell)
        self.clear_action.setEnabled(score_cell and model.is_editable(index))
        member = model.member()
        self.submit_button.setVisible(member is not None and model.sheet_open)
        if member is not None:
            mine = is_mine(view.session, member.id)
            self.submit_button.setText(
                "Submit my scores…" if mine else f"Submit {member.name}'s scores…"
            )

    def _menu(self, point: QPoint) -> None:
        index = self.view.grid.indexAt(point)
        if index.isValid() and index != self.view.grid.currentIndex():
            self.view.grid.setCurrentIndex(index)
        self.update()
        menu = QMenu(self.view.grid)
        menu.addAction(self.abstain_action)
        menu.addAction(self.clear_action)
        menu.addSeparator()
        menu.addAction(self.history_action)
        menu.popup(self.view.grid.viewport().mapToGlobal(point))

    # ---- actions -----------------------------------------------------------------------------

    def current_ref(self) -> str:
        """The audit reference of the current cell's score ("" off a score cell)."""
        model, index = self.view.model, self.view.grid.currentIndex()
        if not model.is_score_cell(index) or model.evaluator_id is None:
            return ""
        return score_ref(model.evaluator_id, model.candidate_at(index.column()).id,
                         model.row(index.row()).key)  # fmt: skip

    def history(self) -> None:
        ref = self.current_ref()
        if ref:
            self.view.historyRequested.emit(ref)

    def show_in_window(self, ref: str) -> None:
        """The window's audit viewer shows the history (found through the window, so that
        the view imports nothing of the shell)."""
        show = getattr(self.view.window(), "open_history", None)
        if callable(show):
            show(ref)

    def abstain(self) -> bool:
        """Ask the reason, then abstain on the current cell (one undoable change)."""
        view, model = self.view, self.view.model
        index = view.grid.currentIndex()
        if not model.is_editable(index):
            return False
        saved = model.saved(index)
        where = (
            f"{model.candidate_at(index.column()).name} / {model.row(index.row()).criterion.name}"
        )
        reason = reason_dialog.ask_reason(
            view,
            "Abstain",
            f"Abstain on “{where}” instead of scoring it? An abstention is not counted in the "
            "committee's aggregate (it is not a 0) and counts as reviewed. Say why: it is "
            "recorded and reported.",
            "&Abstain",
            "Why you abstain (e.g. not at the demonstration, outside your expertise)",
            saved.justification if saved is not None and saved.abstained else "",
        )
        if reason is None:
            return False
        ok = model.abstain(index, reason)
        view.grid.setFocus()
        return ok

    def submit(self) -> bool:
        """Confirm (with what is still empty or abstained), then submit the shown sheet."""
        view, model, session = self.view, self.view.model, self.view.session
        member = model.member()
        if member is None or not model.sheet_open:
            return False
        waiting = model.pending_count()
        if waiting:
            errors.show_error(
                view,
                f"{waiting} typed score{'s are' if waiting != 1 else ' is'} not saved yet: write "
                "the justification and save, or discard the edit, before submitting.",
                "Unsaved scores",
            )
            view.next_unsaved()
            return False
        progress = model.progress()
        whose = "your" if is_mine(session, member.id) else f"{member.name}'s"
        lines = [f"Submit {whose} scores?", "", progress.text()]
        if empty := progress.empty:
            lines.append(
                f"{empty} cell{'s are' if empty != 1 else ' is'} still empty: they count as "
                "missing."
            )
        lines += ["", "After submitting the sheet is read-only: only the chair can reopen it."]
        if not errors.confirm(view, "Submit scores", "\n".join(lines), "Submit"):
            return False
        if not session.submit(member.id):
            return False
        session.reload()  # the committee may have opened: what this window may see changed
        return True
