"""The Scoring tab: one committee member scores every candidate on every rated criterion.

Type a digit in a cell (or F2 and the arrow keys), Enter: the cell keeps the typed value as an
unsaved edit and focus goes to the justification box; write why and press Enter: both are saved
as one undoable SetScore and the cursor moves down. Tab (Shift+Tab) leaves a typed value waiting
and moves right (left), as in a spreadsheet; Enter on that cell later, or Ctrl+J, writes its
justification. A number outside the scale is refused with a sentence naming the scale.
Unsaved edits stay tinted in the grid and are listed above it, so moving away loses nothing;
the window asks before another evaluation, another database or quitting would drop them
(`unsaved_count`, `show_unsaved`).

A committee member working in the window sees only their own sheet. Before scoring they declare
conflicts of interest in the panel above the grid (again when a candidate is added later); the
candidates they declared are left out of their grid, a line says so. Right-click (or Ctrl+Shift+A)
abstains on a cell with a reason; "Submit my scores…" hands the sheet in, after which it is
read-only until the chair reopens it. A score's history opens in the window's audit viewer
(`historyRequested`; the view asks its window's `open_history`, so it imports nothing of the
shell). ui/scoring/sheet.py says what the sheet allows and why.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QWidget,
)

from evaluator.domain import Evaluator
from evaluator.gates import gate_look
from ui.accessibility import describe
from ui.committee_facts import CommitteeFacts, local_day
from ui.grid.delegates import AGREED_HUE, MOVE_DOWN, WARNING_HUE, Banner, ScoreDelegate
from ui.grid.view import CriteriaGrid, covers
from ui.scoring import sheet
from ui.scoring.actions import SheetActions
from ui.scoring.declaration import DeclarationPanel
from ui.scoring.model import ScoringModel
from ui.scoring.rubric_panel import JustificationBox, RubricPanel
from ui.scoring.start_cell import Place, place_of, start_cell
from ui.session import EvaluationSession
from ui.widgets import ElidedLabel, beside_panels, column, muted, tab_order

__all__ = ["CriteriaGrid", "ScoringView"]  # CriteriaGrid lived here first: still importable


class ScoringView(QWidget):
    """Evaluator picker, progress, the grid, and the rubric/justification panel."""

    historyRequested = Signal(str)  # the audit ref of a score whose history is asked for

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ScoringModel(session, self)
        self._bound = QPersistentModelIndex()  # the cell the justification box belongs to
        self._after_save = MOVE_DOWN
        self.facts = CommitteeFacts(session)  # submission days, names a blind view hides
        self._asked: object = None  # what the declaration panel was filled with
        self._progress_shown: tuple[int, int, str] | None = None  # the bar's last reading
        self._place: Place | None = None  # the current cell, across a reset of the model

        self.evaluator_combo = QComboBox()
        self.evaluator_combo.setToolTip("The committee member whose scores are shown")
        self.evaluator_combo.setMinimumContentsLength(24)
        self.evaluator_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        who = QLabel("&Member:")
        who.setBuddy(self.evaluator_combo)
        self.conflict = ElidedLabel()  # a long note must not widen the window
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m scored (%p%)")
        self.progress.setToolTip(
            "This member's scored cells out of all rated cells (an abstention counts as done)"
        )
        self.progress.setMinimumWidth(260)
        self.unsaved = QPushButton()
        self.unsaved.setFlat(True)
        self.unsaved.setToolTip("Go to the next score still waiting for its justification (F8)")
        top = QHBoxLayout()
        for widget in (who, self.evaluator_combo, self.conflict):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.unsaved)
        top.addWidget(self.progress)
        self.banner = Banner()
        describe(self.banner, "Scoring notice")
        self.set_aside = Banner()  # typing dropped because the stored score changed under it:
        describe(self.set_aside, "Unsaved score set aside")  # kept in view until dismissed
        self.set_aside.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.set_aside.setTextFormat(Qt.TextFormat.RichText)
        self.set_aside.linkActivated.connect(lambda _link: self.set_aside.show_message(""))
        self.declaration = DeclarationPanel()
        self.hidden_line = QLabel()
        self.hidden_line.setObjectName("hiddenCandidates")
        self.hidden_line.setWordWrap(True)

        self.grid = CriteriaGrid()
        self.grid.setModel(self.model)
        self.delegate = ScoreDelegate(self.model.scale, self.grid)
        self.grid.setItemDelegate(self.delegate)
        self.grid.setToolTip("")
        describe(
            self.grid,
            "Scoring grid",
            "One row per criterion, one column per candidate: type a score, Tab moves right, "
            "Enter goes to the justification",
        )
        self.rubric = RubricPanel()
        self.justification = JustificationBox()
        self.splitter = beside_panels(
            self.grid, self.rubric, self.justification, [480, 220], [950, 420]
        )

        hint = muted(
            "Type a digit to score, Enter to write the justification, Enter again to save. "
            "Tab moves right, Delete clears, Ctrl+Z undoes; right-click (or Ctrl+Shift+A) "
            "abstains or shows a score's history. Grey italic values are computed from the "
            "questionnaires and are not scored here."
        )
        self.actions = SheetActions(self)
        top.insertWidget(top.count() - 1, self.actions.submit_button)
        rows = (top, self.banner, self.set_aside, self.declaration, self.hidden_line)
        rows = (*rows, self.splitter, hint)
        column(self, *rows, grow=self.splitter)

        self.evaluator_combo.currentIndexChanged.connect(self._evaluator_picked)
        self.grid.selectionModel().currentChanged.connect(self._bind)
        self.grid.clearRequested.connect(self._clear_selection)
        self.delegate.moveRequested.connect(self._committed)
        self.delegate.refused.connect(self._say)
        self.model.notice.connect(self._set_aside)
        self.grid.enterPressed.connect(self._write_justification)
        self.grid.typedOnReadOnly.connect(self._say_why_read_only)
        self.justification.editor.textChanged.connect(self._draft_changed)
        self.justification.editor.submitted.connect(self.save_current)
        self.justification.editor.escaped.connect(self.grid.setFocus)
        self.justification.save_button.clicked.connect(self.save_current)
        self.justification.discard_button.clicked.connect(self._discard)
        self.unsaved.clicked.connect(self.next_unsaved)
        self.model.dataChanged.connect(self._cell_changed)
        self.model.modelAboutToBeReset.connect(self._remember_place)
        self.model.modelReset.connect(self._model_reset)
        self.model.progressChanged.connect(self._show_progress)
        session.evaluationChanged.connect(self._fill_evaluators)
        session.evaluatorsChanged.connect(self._fill_evaluators)
        session.identityChanged.connect(self._fill_evaluators)
        session.readOnlyChanged.connect(lambda _ro: self._show_state())
        session.dataChanged.connect(self._show_state)  # the phase, a declaration, a submission
        session.openingChanged.connect(lambda _target: self._show_state())
        self.model.sheetChanged.connect(self._show_state)
        self.declaration.declared.connect(self._declare)
        self.justification.history_button.clicked.connect(self.actions.history)
        self.historyRequested.connect(self.actions.show_in_window)
        session.resultsChanged.connect(self._refresh_side)  # weights, computed values
        box = self.justification
        tab_order(self.evaluator_combo, self.grid, box.editor, box.discard_button, box.save_button)
        QShortcut(QKeySequence("Ctrl+J"), self, self.justification.editor.setFocus)
        QShortcut(QKeySequence("F8"), self, self.next_unsaved)
        self._fill_evaluators()
        self._model_reset()

    # ---- evaluator and status ----------------------------------------------------------------

    def _fill_evaluators(self) -> None:
        """Every member for the chair (or the one person setting up); a member sees only
        their own sheet."""
        data = self.session.data
        only = sheet.locked_to(self.session)
        blocked = self.evaluator_combo.blockSignals(True)
        self.evaluator_combo.clear()
        for person in data.evaluators if data else []:
            if only is not None and person.id != only:
                continue
            label = f"{person.name} ({person.role})" if person.role else person.name
            self.evaluator_combo.addItem(label, person.id)
        self.evaluator_combo.setEnabled(only is None and self.evaluator_combo.count() > 1)
        found = self.evaluator_combo.findData(self.model.evaluator_id)
        self.evaluator_combo.setCurrentIndex(max(found, 0))
        self.evaluator_combo.blockSignals(blocked)
        self._evaluator_picked()

    def _evaluator_picked(self) -> None:
        self.model.set_evaluator(self.evaluator_combo.currentData())
        self._show_state()
        self._bind(self.grid.currentIndex())

    def candidate_names(self) -> dict[int, str]:
        """Candidates by id, with those the shown member declared a conflict with."""
        member = self.model.member()
        wanted = member.declaration.conflicted if member and member.declaration else ()
        return self.facts.candidate_names(wanted)

    def _show_state(self) -> None:
        """The banner, the declaration prompt, the hidden-candidates line and the buttons."""
        member = self.model.member()
        day = self.facts.submitted_on(member.id) if member else ""
        text = sheet.banner(self.session, member, day)
        submitted = member is not None and member.submitted
        self.banner.show_message(text, AGREED_HUE if submitted else WARNING_HUE)
        self._show_declaration(member)
        hidden = sheet.hidden_text(self.session, member, self.candidate_names())
        self.hidden_line.setText(hidden)
        self.hidden_line.setVisible(bool(hidden))
        self.conflict.setText(sheet.declaration_text(member, self.candidate_names()))
        self.actions.update()
        self.delegate.scale = self.model.scale
        self._show_progress()

    def _show_declaration(self, member: Evaluator | None) -> None:
        data = self.session.data
        if data is None or member is None or not sheet.asks_declaration(self.session, member):
            self.declaration.hide()
            self._asked = None
            return
        names = self.candidate_names()
        previous = member.declaration
        added = sheet.uncovered(data, member) if previous else []
        asked = (member.id, member.name, previous, tuple(names.items()), tuple(added))
        if asked != self._asked:  # refilled only when it changed: ticks survive other edits
            self._asked = asked
            mine = sheet.is_mine(self.session, member.id)
            day = local_day(previous.at) if previous else ""
            self.declaration.ask(member.name, names, previous, added, mine, day)
        self.declaration.show()

    def _declare(self, conflicted: tuple[int, ...], note: str) -> None:
        member = self.model.member()
        if member is not None and self.session.declare(member.id, conflicted, note):
            self.session.reload()  # what a member's blind view hides follows the declaration

    def _show_progress(self) -> None:
        progress = self.model.progress()
        shown = (max(progress.total, 1), progress.done, progress.text())
        if shown != self._progress_shown:
            self._progress_shown = shown
            # a progress bar repaints at once when its value is set (while an evaluation
            # opens, with the whole window to lay out): painted with the rest of the window
            self.progress.setUpdatesEnabled(False)
            self.progress.setMaximum(shown[0])
            self.progress.setValue(shown[1])
            self.progress.setFormat(shown[2])  # not Qt's %p: it rounds down
            self.progress.setUpdatesEnabled(True)
        waiting = self.model.pending_count()
        self.unsaved.setText(
            f"⚠ {waiting} score{'s' if waiting != 1 else ''} waiting for a justification"
        )
        self.unsaved.setVisible(waiting > 0)

    def _remember_place(self) -> None:
        data = self.session.data
        self._place = place_of(self.model, self.grid.currentIndex(), data.id if data else None)

    def _model_reset(self) -> None:
        """The same cell after a reset of the same sheet, else where work remains."""
        self._show_state()
        data = self.session.data
        target = start_cell(self.model, self._place, data.id if data else None)
        if target.isValid():
            self.grid.setCurrentIndex(target)
            self.grid.scrollTo(target)
        else:
            self._bind(QModelIndex())

    # ---- the current cell and its justification --------------------------------------------

    def _bind(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._bound = QPersistentModelIndex(index)
        self._refresh_side()
        self.actions.update()
        self.justification.history_button.setEnabled(self.actions.history_action.isEnabled())

    def _refresh_side(self) -> None:
        index, model, box = self._bound, self.model, self.justification
        # Enter on a cell whose typed value waits for its justification goes to write it
        self.grid.enter_moves_down = not index.isValid() or model.pending(index) is None
        if not index.isValid():
            self.rubric.show_nothing()
            box.set_text("")
            box.set_state("", pending=False, can_edit=False)
            return
        row = model.row(index.row())
        candidate = model.candidate_at(index.column())
        value = model.value(index)
        self.rubric.show_criterion(
            row.criterion, candidate.name, model.scale, value, model.effective_weight(row.key)
        )
        if not model.is_score_cell(index):
            box.set_text("")
            gate = model.gate_state(candidate.id, row.key) if row.pass_fail else None
            outcome = "" if gate is None else f"Gate {gate_look(gate).text}. "
            box.set_state(
                outcome + "Computed by SupportScope: not scored by the committee.",
                pending=False,
                can_edit=False,
            )
            return
        box.set_text(model.justification(index))
        can_edit = bool(model.flags(index) & Qt.ItemFlag.ItemIsEditable)
        pending = model.pending(index) is not None
        why_not = "Read-only." if self.declaration.isHidden() else "Declare first."
        box.set_state(self._state_text(index) if can_edit else why_not, pending=pending,
                      can_edit=can_edit)  # fmt: skip

    def _state_text(self, index: QPersistentModelIndex) -> str:
        saved = self.model.saved(index)
        if self.model.pending(index) is None:
            if saved is not None and saved.abstained:
                return "Abstained: not counted. Type a score to replace it."
            return "Saved." if saved else "Not scored yet."
        problem = self.model.problem(index)
        return f"Not saved yet. {problem}" if problem else "Not saved yet: Enter saves it."

    def _cell_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if covers(top_left, bottom_right, self._bound):
            self._refresh_side()

    def _draft_changed(self) -> None:
        if self._bound.isValid() and self.model.is_score_cell(self._bound):
            self.model.set_draft(self._bound, self.justification.text())

    # ---- editing -----------------------------------------------------------------------------

    def _committed(self, direction: str) -> None:
        """The grid editor closed: Enter asks for the justification, Tab and Shift+Tab move on
        as the hint says (the typed value waits, tinted, until its justification is written)."""
        index = self.grid.currentIndex()
        if direction == MOVE_DOWN and self.model.pending(index) is not None:
            self._after_save = direction
            self.justification.editor.setFocus()
            self.justification.editor.selectAll()
        else:
            self.grid.move(direction)

    def _write_justification(self) -> None:
        self.justification.editor.setFocus()
        self.justification.editor.selectAll()

    def _say_why_read_only(self, _typed: str) -> None:
        index = self.grid.currentIndex()
        if index.isValid():
            banner = self.banner.text() if not self.banner.isHidden() else ""
            declaring = self.model.member() if not self.declaration.isHidden() else None
            self._say(sheet.why_read_only(self.model.is_score_cell(index), declaring, banner))

    def _say(self, message: str) -> None:
        """A refused value's reason, or a typed edit dropped because the stored score changed
        under it, in the window's status line."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 15000)

    def _set_aside(self, message: str) -> None:
        """Typing the stored score overtook: said above the grid until dismissed (the status
        line's next message, such as another process's update, would replace it at once)."""
        dismiss = "<a href='dismiss'>Dismiss</a>"
        self.set_aside.show_message(f"⚠ {html.escape(message)}  {dismiss}")
        self._say(message)

    def save_current(self) -> bool:
        """Save the bound cell's score and justification; back to the grid, one cell on."""
        index = self._bound
        if not index.isValid() or not self.model.is_score_cell(index):
            return False
        problem = self.model.problem(index)
        if problem and self.model.pending(index) is not None:
            self.justification.state.setText(f"Not saved yet. {problem}")
            return False
        if not self.model.save(index):
            return False
        self.grid.setFocus()
        if self.grid.currentIndex() == QModelIndex(index):
            self.grid.move(self._after_save)
        self._after_save = MOVE_DOWN
        return True

    def _discard(self) -> None:
        if self._bound.isValid():
            self.model.discard(self._bound)
            self.grid.setFocus()

    def _clear_selection(self) -> None:
        indexes = self.grid.selectionModel().selectedIndexes() or [self.grid.currentIndex()]
        self.model.clear(indexes)

    def next_unsaved(self) -> None:
        waiting = sorted(
            (i for i in self.model.pending_indexes() if i.isValid()),
            key=lambda i: (i.row(), i.column()),
        )
        if not waiting:
            return
        current = self.grid.currentIndex()
        after = [i for i in waiting if (i.row(), i.column()) > (current.row(), current.column())]
        target = (after or waiting)[0]
        self.grid.setCurrentIndex(target)
        self.grid.scrollTo(target)
        self.justification.editor.setFocus()

    # ---- unsaved edits (the window asks before they would be lost) -------------------------

    def unsaved_count(self) -> int:
        """Edits waiting for a justification, of every committee member."""
        return len(self.model.unsaved_cells())

    def show_unsaved(self) -> None:
        """Put the cursor on an unsaved edit, switching member when the shown one has none."""
        cells = self.model.unsaved_cells()
        if not cells:
            return
        if self.model.pending_count() == 0:
            self.evaluator_combo.setCurrentIndex(self.evaluator_combo.findData(cells[0][0]))
        self.next_unsaved()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())
            self._refresh_side()
        super().changeEvent(event)
