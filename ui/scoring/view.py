"""The Scoring tab: one committee member scores every candidate on every rated criterion.

Type a digit in a cell (or F2 and the arrow keys), Enter: the cell keeps the typed value as an
unsaved edit and focus goes to the justification box; write why and press Enter: both are saved
as one undoable SetScore and the cursor moves down (or right, when the value was left with Tab).
Unsaved edits stay tinted in the grid and are listed above it, so moving away loses nothing;
the window asks before another evaluation, another database or quitting would drop them
(`unsaved_count`, `show_unsaved`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import Evaluator
from evaluator.gates import gate_look
from ui.grid.delegates import MOVE_DOWN, Banner, ScoreDelegate
from ui.grid.view import CriteriaGrid
from ui.scoring.model import ScoringModel
from ui.scoring.rubric_panel import JustificationBox, RubricPanel
from ui.session import EvaluationSession

__all__ = ["CriteriaGrid", "ScoringView"]  # CriteriaGrid lived here first: still importable


class ScoringView(QWidget):
    """Evaluator picker, progress, the grid, and the rubric/justification panel."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ScoringModel(session, self)
        self._bound = QPersistentModelIndex()  # the cell the justification box belongs to
        self._after_save = MOVE_DOWN

        self.evaluator_combo = QComboBox()
        self.evaluator_combo.setToolTip("The committee member whose scores are shown")
        self.evaluator_combo.setMinimumContentsLength(24)
        who = QLabel("&Evaluator:")
        who.setBuddy(self.evaluator_combo)
        self.conflict = QLabel()
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m scored (%p%)")
        self.progress.setToolTip("This member's scored cells out of all rated cells")
        self.progress.setMinimumWidth(220)
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

        self.grid = CriteriaGrid()
        self.grid.setModel(self.model)
        self.delegate = ScoreDelegate(self.model.scale, self.grid)
        self.grid.setItemDelegate(self.delegate)
        self.grid.setToolTip("")
        self.rubric = RubricPanel()
        self.justification = JustificationBox()
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.rubric)
        side.addWidget(self.justification)
        side.setSizes([480, 220])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.grid)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([950, 420])

        hint = QLabel(
            "Type a digit to score, Enter to write the justification, Enter again to save. "
            "Tab moves right, Delete clears, Ctrl+Z undoes. Grey italic values are computed "
            "from the questionnaires and are not scored here."
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(hint)

        self.evaluator_combo.currentIndexChanged.connect(self._evaluator_picked)
        self.grid.selectionModel().currentChanged.connect(self._bind)
        self.grid.clearRequested.connect(self._clear_selection)
        self.delegate.moveRequested.connect(self._committed)
        self.justification.editor.textChanged.connect(self._draft_changed)
        self.justification.editor.submitted.connect(self.save_current)
        self.justification.editor.escaped.connect(self.grid.setFocus)
        self.justification.save_button.clicked.connect(self.save_current)
        self.justification.discard_button.clicked.connect(self._discard)
        self.unsaved.clicked.connect(self.next_unsaved)
        self.model.dataChanged.connect(self._cell_changed)
        self.model.modelReset.connect(self._model_reset)
        self.model.progressChanged.connect(self._show_progress)
        session.evaluationChanged.connect(self._fill_evaluators)
        session.evaluatorsChanged.connect(self._fill_evaluators)
        session.readOnlyChanged.connect(lambda _ro: self._show_state())
        session.resultsChanged.connect(self._refresh_side)  # weights, computed values
        box = self.justification
        for first, second in (
            (self.evaluator_combo, self.grid),
            (self.grid, box.editor),
            (box.editor, box.discard_button),
            (box.discard_button, box.save_button),
        ):
            QWidget.setTabOrder(first, second)
        QShortcut(QKeySequence("Ctrl+J"), self, self.justification.editor.setFocus)
        QShortcut(QKeySequence("F8"), self, self.next_unsaved)
        self._fill_evaluators()
        self._model_reset()

    # ---- evaluator and status ----------------------------------------------------------------

    def _fill_evaluators(self) -> None:
        data = self.session.data
        blocked = self.evaluator_combo.blockSignals(True)
        self.evaluator_combo.clear()
        for person in data.evaluators if data else []:
            label = f"{person.name} ({person.role})" if person.role else person.name
            self.evaluator_combo.addItem(label, person.id)
        found = self.evaluator_combo.findData(self.model.evaluator_id)
        self.evaluator_combo.setCurrentIndex(max(found, 0))
        self.evaluator_combo.blockSignals(blocked)
        self._evaluator_picked()

    def _evaluator_picked(self) -> None:
        evaluator_id = self.evaluator_combo.currentData()
        self.model.set_evaluator(evaluator_id)
        person = self.session.evaluator(evaluator_id) if evaluator_id is not None else None
        self.conflict.setText(self._declaration_text(person))
        self.conflict.setToolTip(self.conflict.text())
        self._show_state()
        self._bind(self.grid.currentIndex())

    def _declaration_text(self, person: Evaluator | None) -> str:
        """What the member declared, as the committee reads it (a conflict stands out)."""
        data = self.session.data
        if person is None or data is None:
            return ""
        if person.declaration is None:
            return "Not declared yet: conflicts of interest are declared before scoring"
        names = {c.id: c.name for c in data.candidates}
        text = person.declaration.describe(names)
        return f"⚠ {text}" if person.declaration.conflicted else text

    def _show_state(self) -> None:
        data = self.session.data
        if data is None:
            self.banner.show_message("Open an evaluation to score it.")
        elif self.session.read_only:
            self.banner.show_message(
                "This evaluation is final: the scores are read-only (the audit trail keeps them)."
            )
        elif not data.evaluators:
            self.banner.show_message("Add committee members in the Committee tab to score.")
        else:
            self.banner.show_message("")
        self.delegate.scale = self.model.scale
        self._show_progress()

    def _show_progress(self) -> None:
        done, total = self.model.progress()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {total} scored (%p%)")
        waiting = self.model.pending_count()
        self.unsaved.setText(
            f"⚠ {waiting} score{'s' if waiting != 1 else ''} waiting for a justification"
        )
        self.unsaved.setVisible(waiting > 0)

    def _model_reset(self) -> None:
        """Start where work remains: the first empty rated cell (else the first rated one)."""
        self._show_state()
        model = self.model
        cells = [
            model.index(r, c)
            for r, row in enumerate(model.rows())
            if model.is_score_cell(model.index(r, 0))
            for c in range(model.columnCount())
        ]
        empty = next((i for i in cells if model.value(i) is None), None)
        target = empty or (cells[0] if cells else QModelIndex())
        if target.isValid():
            self.grid.setCurrentIndex(target)
            self.grid.scrollTo(target)
        else:
            self._bind(QModelIndex())

    # ---- the current cell and its justification --------------------------------------------

    def _bind(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._bound = QPersistentModelIndex(index)
        self._refresh_side()

    def _refresh_side(self) -> None:
        index, model, box = self._bound, self.model, self.justification
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
        box.set_state(self._state_text(index) if can_edit else "Read-only.", pending=pending,
                      can_edit=can_edit)  # fmt: skip

    def _state_text(self, index: QPersistentModelIndex) -> str:
        if self.model.pending(index) is None:
            return "Saved." if self.model.saved(index) else "Not scored yet."
        problem = self.model.problem(index)
        return f"Not saved yet. {problem}" if problem else "Not saved yet: Enter saves it."

    def _cell_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        bound = self._bound
        if (
            bound.isValid()
            and top_left.row() <= bound.row() <= bottom_right.row()
            and top_left.column() <= bound.column() <= bottom_right.column()
        ):
            self._refresh_side()

    def _draft_changed(self) -> None:
        if self._bound.isValid() and self.model.is_score_cell(self._bound):
            self.model.set_draft(self._bound, self.justification.text())

    # ---- editing -----------------------------------------------------------------------------

    def _committed(self, direction: str) -> None:
        """The grid editor closed with Enter or Tab: ask for the justification, or move on."""
        index = self.grid.currentIndex()
        if self.model.pending(index) is not None:
            self._after_save = direction
            self.justification.editor.setFocus()
            self.justification.editor.selectAll()
        else:
            self.grid.move(direction)

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
