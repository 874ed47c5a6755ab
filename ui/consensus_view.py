"""The Consensus tab: where the committee's disagreements are settled by the chair.

The grid shows each cell's aggregate and spread; flagged cells are tinted and marked, settled
ones (a consensus is set) tinted green. The agenda beside it lists the flagged cells by how
much they can move the result (effective weight x spread): click one to jump to it. The panel
below shows every evaluator's score and justification for the current cell and sets or clears
the consensus (Enter in the grid goes to it; Ctrl+Enter in the note sets it and, for an agenda
item, moves on to the next open one).
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import CriterionKind
from ui.consensus_model import AgendaModel, ConsensusModel
from ui.delegates import Banner
from ui.grid_model import CANDIDATE_ROLE, KEY_ROLE
from ui.scoring_view import CriteriaGrid
from ui.session import EvaluationSession
from ui.undo_base import fmt


class NoteEdit(QPlainTextEdit):
    """Ctrl+Enter submits the note; Tab leaves the box (keyboard users are not trapped)."""

    def __init__(self, on_submit: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_submit = on_submit
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._on_submit()  # type: ignore[operator]
            return
        super().keyPressEvent(event)


class ConsensusPanel(QWidget):
    """The current cell in detail, and the chair's decision on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.details)
        self.value = QDoubleSpinBox()
        self.value.setDecimals(1)
        self.value.setSingleStep(0.5)
        self.value.setToolTip("The value the committee agreed on (it overrides the aggregate)")
        self.gate = QComboBox()
        self.gate.addItem("pass", "pass")
        self.gate.addItem("fail", "fail")
        self.gate.setToolTip("The committee's decision on this pass/fail requirement")
        self.decision = QStackedWidget()
        self.decision.addWidget(self.value)
        self.decision.addWidget(self.gate)
        self.decision.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.note = NoteEdit(lambda: self.set_button.click())
        self.note.setPlaceholderText("Why the committee agreed on this (required)")
        self.note.setMaximumHeight(110)
        self.set_button = QPushButton("&Set consensus")
        self.set_button.setToolTip("Record the agreed value with its note (Ctrl+Enter in the note)")
        self.clear_button = QPushButton("Clear consensus")
        self.clear_button.setToolTip("Go back to the evaluators' aggregate (or the computed value)")
        self.state = QLabel()
        self.state.setWordWrap(True)
        form = QFormLayout()
        decision_label = QLabel("&Agreed value:")
        decision_label.setBuddy(self.value)
        note_label = QLabel("&Note:")
        note_label.setBuddy(self.note)
        form.addRow(decision_label, self.decision)
        form.addRow(note_label, self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.set_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def focus_decision(self) -> None:
        widget = self.decision.currentWidget()
        widget.setFocus()
        if isinstance(widget, QDoubleSpinBox):
            widget.selectAll()

    def decided(self) -> float | str:
        return self.gate.currentData() if self.decision.currentWidget() is self.gate else (
            self.value.value()
        )  # fmt: skip

    def set_enabled(self, editable: bool, has_consensus: bool) -> None:
        for widget in (self.value, self.gate, self.note, self.set_button):
            widget.setEnabled(editable)
        self.clear_button.setEnabled(editable and has_consensus)


class ConsensusView(QWidget):
    """The aggregate grid, the agenda of flagged cells and the chair's panel."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ConsensusModel(session, self)
        self.agenda_model = AgendaModel(self.model, self)
        self._bound = QPersistentModelIndex()
        self._auto_start, self._started_at = True, None  # see _agenda_reset

        self.banner = Banner()
        self.summary = QLabel()
        self.grid = CriteriaGrid(editable=False)
        self.grid.setModel(self.model)
        self.agenda = QListView()
        self.agenda.setModel(self.agenda_model)
        self.agenda.setWordWrap(True)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.setSpacing(2)
        self.agenda.setIconSize(QSize(16, 16))
        self.agenda.setToolTip("Flagged cells, most consequential first (weight x spread)")
        agenda_box = QWidget()
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_title = QLabel("<b>A&genda</b>: flagged cells by weight × spread")
        agenda_title.setBuddy(self.agenda)
        agenda_layout.addWidget(agenda_title)
        agenda_layout.addWidget(self.agenda)
        self.panel = ConsensusPanel()
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(agenda_box)
        side.addWidget(self.panel)
        side.setSizes([330, 420])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.grid)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([960, 420])
        hint = QLabel(
            "Cells show the evaluators' aggregate ± spread (highest minus lowest). Amber cells "
            "disagree; green ones are settled. Enter goes to the decision, Delete clears it."
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(hint)

        self.grid.selectionModel().currentChanged.connect(self._bind)
        self.grid.enterPressed.connect(self.panel.focus_decision)
        self.grid.clearRequested.connect(self.clear_current)
        self.agenda.clicked.connect(self.go_to_agenda_item)
        self.agenda.activated.connect(self.go_to_agenda_item)
        self.panel.set_button.clicked.connect(self.set_current)
        self.panel.clear_button.clicked.connect(self.clear_current)
        self.model.dataChanged.connect(self._cell_changed)
        self.model.modelReset.connect(self._reset)
        self.agenda_model.modelReset.connect(self._show_summary)
        self.agenda_model.modelReset.connect(self._agenda_reset)
        session.readOnlyChanged.connect(lambda _ro: self._refresh())
        session.resultsChanged.connect(self._refresh_panel)
        panel = self.panel
        for first, second in (
            (self.grid, self.agenda),
            (self.agenda, panel.value),
            (panel.value, panel.gate),
            (panel.gate, panel.note),
            (panel.note, panel.clear_button),
            (panel.clear_button, panel.set_button),
        ):
            QWidget.setTabOrder(first, second)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.agenda.setFocus)
        self._reset()

    # ---- state -------------------------------------------------------------------------------

    def _reset(self) -> None:
        """Start where the meeting starts: the top of the agenda (else the first cell)."""
        self.agenda_model.rebuild()
        self._auto_start = True
        self.go_to_start()
        self._refresh()

    def go_to_start(self) -> None:
        first = next((r for r, row in enumerate(self.model.rows()) if not row.is_category), None)
        if self.agenda_model.rowCount() and not self.agenda_model.items[0].settled:
            self.go_to_agenda_item(self.agenda_model.index(0))
        elif first is not None and self.model.columnCount():
            self.grid.setCurrentIndex(self.model.index(first, 0))
        else:
            self._bind(QModelIndex())
        self._started_at = self.model.cell(self.grid.currentIndex())

    def _agenda_reset(self) -> None:
        """Weights arrive after the grid: until the user moves, follow the agenda's top."""
        if self._auto_start and self.model.cell(self.grid.currentIndex()) == self._started_at:
            self.go_to_start()
        else:
            self._auto_start = False
        self._mark_agenda(self.grid.currentIndex())

    def prepare_screenshot(self) -> None:
        """For tools/screenshots.py: show the top of the agenda."""
        self.go_to_start()

    def _refresh(self) -> None:
        if self.session.data is None:
            self.banner.show_message("Open an evaluation to hold the consensus meeting.")
        elif self.session.read_only:
            self.banner.show_message("This evaluation is final: consensus decisions are read-only.")
        else:
            self.banner.show_message("")
        self._show_summary()
        self._refresh_panel()

    def _show_summary(self) -> None:
        items = self.agenda_model.items
        still = self.agenda_model.open_count()
        agreed = len(self.session.data.consensus) if self.session.data else 0
        self.summary.setText(
            f"<b>{still}</b> open disagreement{'s' if still != 1 else ''} "
            f"of {len(items)} flagged · {agreed} consensus value{'s' if agreed != 1 else ''} set"
        )

    # ---- the current cell --------------------------------------------------------------------

    def _bind(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        self._bound = QPersistentModelIndex(index)
        self._refresh_panel(fill=True)
        self._mark_agenda(index)

    def _mark_agenda(self, index: QModelIndex) -> None:
        """Highlight the agenda line of the current cell, if it is on the agenda."""
        cell = self.model.cell(index)
        row = self.agenda_model.row_of(*cell) if cell else None
        selection = self.agenda.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        target = self.agenda_model.index(row)
        if self.agenda.currentIndex() != target:
            selection.setCurrentIndex(target, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.agenda.scrollTo(target)

    def _cell_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        bound = self._bound
        if (
            bound.isValid()
            and top_left.row() <= bound.row() <= bottom_right.row()
            and top_left.column() <= bound.column() <= bottom_right.column()
        ):
            self._refresh_panel(fill=True)

    def _refresh_panel(self, fill: bool = False) -> None:
        panel, model = self.panel, self.model
        cell = model.cell(self._bound)
        if cell is None:
            panel.details.setText("<p>Select a cell to see the evaluators' scores.</p>")
            panel.set_enabled(False, False)
            return
        candidate_id, key = cell
        row = model.row(self._bound.row())
        consensus = self.session.consensus(candidate_id, key)
        panel.details.setText(self._details_html(candidate_id, key))
        panel.set_enabled(self.session.editable, consensus is not None)
        if not fill:
            return
        is_gate = row.kind is CriterionKind.GATE
        panel.decision.setCurrentWidget(panel.gate if is_gate else panel.value)
        scale = model.scale
        panel.value.setRange(scale.minimum, scale.maximum)
        stats = model.stats(candidate_id, key)
        if consensus is not None:
            panel.value.setValue(consensus.value)
            panel.gate.setCurrentIndex(0 if consensus.value > 0 else 1)
            panel.note.setPlainText(consensus.note)
            panel.state.setText("Consensus set.")
        else:
            if stats is not None and stats.aggregate is not None:
                panel.value.setValue(round(stats.aggregate))
            else:
                computed = model.computed_value(candidate_id, key)
                panel.value.setValue(scale.minimum if computed is None else round(computed, 1))
            panel.gate.setCurrentIndex(1 if model.summary(row, candidate_id) == "fail" else 0)
            panel.note.setPlainText("")
            panel.state.setText("No consensus yet.")

    def _details_html(self, candidate_id: int, key: str) -> str:
        model, row = self.model, self.model.row(self._bound.row())
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        candidate = self.session.candidate(candidate_id).name
        weight = model.effective_weight(key)
        facts = [html.escape(candidate), row.kind.value]
        if weight is not None and row.kind is not CriterionKind.GATE:
            facts.append(f"{100 * weight:.1f}% of the total")
        parts = [
            f"<h3 style='margin:0'>{html.escape(row.criterion.name)}</h3>",
            f"<p style='margin-top:2px; color:{muted}'>{' · '.join(facts)}</p>",
        ]
        stats = model.stats(candidate_id, key)
        if stats is not None and stats.scores:
            flag = " — <b>disagreement flagged</b>" if stats.flagged else ""
            aggregate = fmt(round(stats.aggregate or 0.0, 2))
            parts.append(f"<p>Aggregate {aggregate}, spread {fmt(stats.spread)}{flag}</p>")
            parts.append("<table cellspacing='0' cellpadding='3'>")
            for score in stats.scores:
                name = html.escape(model.evaluator_name(score.evaluator_id))
                parts.append(
                    f"<tr><td valign='top'><b>{fmt(score.value)}</b></td>"
                    f"<td valign='top'><b>{name}</b><br>{html.escape(score.justification)}</td>"
                    "</tr>"
                )
            parts.append("</table>")
        elif row.kind is CriterionKind.RATED:
            parts.append("<p>No evaluator has scored this cell yet.</p>")
        else:
            answer = html.escape(model.answer_text(candidate_id, key))
            parts.append(f"<p>Questionnaire answer: <b>{answer}</b></p>")
            if self.session.consensus(candidate_id, key) is None:
                computed = html.escape(model.summary(row, candidate_id))
                parts.append(f"<p>Computed by SupportScope: <b>{computed}</b></p>")
        return "".join(parts)

    # ---- actions -----------------------------------------------------------------------------

    def go_to_agenda_item(self, index: QModelIndex) -> None:
        target = self.model.index_of(index.data(CANDIDATE_ROLE), index.data(KEY_ROLE))
        if target.isValid():
            self.grid.setCurrentIndex(target)
            self.grid.scrollTo(target)

    def set_current(self) -> bool:
        cell = self.model.cell(self._bound)
        if cell is None:
            return False
        note = self.panel.note.toPlainText().strip()
        if not note:
            self.panel.state.setText("Write a note: a consensus is not set without one.")
            self.panel.note.setFocus()
            return False
        following = self._next_open_item(*cell)
        if not self.model.set_consensus(*cell, self.panel.decided(), note):
            return False
        if following is not None:  # settled one agenda item: on to the next
            self.grid.setCurrentIndex(self.model.index_of(*following))
            self.grid.scrollTo(self.grid.currentIndex())
        self.grid.setFocus()
        return True

    def _next_open_item(self, candidate_id: int, key: str) -> tuple[int, str] | None:
        """The open agenda item after this cell's, when this cell is an open agenda item."""
        items = self.agenda_model.items
        row = self.agenda_model.row_of(candidate_id, key)
        if row is None or items[row].settled:
            return None
        later = [i for i in items[row + 1 :] + items[:row] if not i.settled]
        return (later[0].candidate_id, later[0].key) if later else None

    def clear_current(self) -> bool:
        cell = self.model.cell(self.grid.currentIndex())
        return cell is not None and self.model.clear_consensus(*cell)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())
        super().changeEvent(event)
