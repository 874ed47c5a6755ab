"""The chair's panel under the consensus agenda: the current cell's scores, and the decision.

It only lays out and reports: ui/consensus/view.py fills it and acts on its buttons.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import GateState
from evaluator.gates import gate_look
from ui.accessibility import describe
from ui.grid.delegates import gate_colour


class NoteEdit(QPlainTextEdit):
    """Ctrl+Enter submits the note; Tab leaves the box (keyboard users are not trapped)."""

    def __init__(self, on_submit: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_submit = on_submit
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._on_submit()
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
        describe(
            self.details, "Cell details", "Each member's score and justification for this cell"
        )
        self.value = QDoubleSpinBox()
        self.value.setDecimals(1)
        self.value.setSingleStep(0.5)
        self.value.setToolTip("The value the committee agreed on (it overrides the aggregate)")
        self.gate = QComboBox()
        for state, data in ((GateState.PASSED, "pass"), (GateState.FAILED, "fail")):
            self.gate.addItem(gate_look(state).text, data)  # "✓ passed", "✗ failed"
        self.gate.setToolTip("The committee's decision on this pass/fail requirement")
        # nothing chosen until the chair chooses: a preselected "passed" was easy to set unread
        self.gate.setPlaceholderText("Choose passed or failed")
        self.colour_gates(self.palette())
        describe(self.gate, "Agreed decision", "The committee's pass or fail decision")
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

    def colour_gates(self, palette: QPalette) -> None:
        """The decision's choices in their gate state's colour (the symbol and word say it too)."""
        for i, state in enumerate((GateState.PASSED, GateState.FAILED)):
            colour = gate_colour(state, palette)
            self.gate.setItemData(i, colour, Qt.ItemDataRole.ForegroundRole)

    def focus_decision(self) -> None:
        widget = self.decision.currentWidget()
        widget.setFocus()
        if isinstance(widget, QDoubleSpinBox):
            widget.selectAll()

    def decided(self) -> float | str | None:
        """The value, "pass" or "fail"; None while a gate's decision is not chosen yet."""
        return self.gate.currentData() if self.decision.currentWidget() is self.gate else (
            self.value.value()
        )  # fmt: skip

    def set_enabled(self, editable: bool, has_consensus: bool) -> None:
        for widget in (self.value, self.gate, self.note, self.set_button):
            widget.setEnabled(editable)
        self.clear_button.setEnabled(editable and has_consensus)
