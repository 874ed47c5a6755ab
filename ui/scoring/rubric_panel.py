"""The panel beside the scoring grid: the rubric of the current cell and its justification.

The rubric lists every point of the scale with what it means; the point the cell holds (typed
or saved) is highlighted, so the evaluator can check the number against the words. The
justification box is where a typed score is completed: Enter saves both, Shift+Enter starts a
new line, Esc goes back to the grid without losing the draft.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import Criterion, Scale
from evaluator.kinds import kind_info
from ui.accessibility import describe
from ui.numbers import percent


class RubricPanel(QScrollArea):
    """What each scale point of the current criterion means, the current value highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes grid -> justification
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setContentsMargins(6, 6, 6, 6)
        self.setWidget(self.label)
        describe(self.label, "Rubric", "What each point of the scale means for this criterion")
        self.show_nothing()

    def show_nothing(self, text: str = "Select a cell to see its rubric.") -> None:
        self.label.setText(f"<p>{html.escape(text)}</p>")

    def show_criterion(
        self,
        criterion: Criterion,
        candidate: str,
        scale: Scale,
        value: float | None,
        weight: float | None = None,
    ) -> None:
        palette = self.palette()
        hi = palette.color(QPalette.ColorRole.Highlight).name()
        hi_text = palette.color(QPalette.ColorRole.HighlightedText).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        info = kind_info(criterion.kind)
        facts = [info.how_scored]
        if weight is not None and info.weighted:
            facts.append(f"{percent(weight)} of the total")
        parts = [
            f"<h3 style='margin:0'>{html.escape(criterion.name)}</h3>",
            f"<p style='margin-top:2px'><span style='color:{muted}'>"
            f"{html.escape(candidate)} · {html.escape(', '.join(facts))}</span></p>",
        ]
        if criterion.description:
            parts.append(f"<p>{html.escape(criterion.description)}</p>")
        if criterion.rubric:
            parts.append("<table width='100%' cellspacing='0' cellpadding='5'>")
            for point in scale.points():
                meaning = criterion.rubric.get(point, "")
                text = html.escape(meaning) if meaning else "<i>(not described)</i>"
                chosen = value is not None and round(value) == point
                style = f" bgcolor='{hi}' style='color:{hi_text}'" if chosen else ""
                parts.append(
                    f"<tr><td valign='top' width='24'{style}><b>{point}</b></td>"
                    f"<td{style}>{text}</td></tr>"
                )
            parts.append("</table>")
        elif info.members_score:
            parts.append(f"<p style='color:{muted}'>No rubric has been written for this one.</p>")
        self.label.setText("".join(parts))


class JustificationEdit(QPlainTextEdit):
    """Enter submits (Shift+Enter: a new line), Esc gives focus back to the grid."""

    submitted = Signal()
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class JustificationBox(QWidget):
    """The editor with its state line and Save / Discard buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("<b>&Justification</b>")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.editor = JustificationEdit()
        heading.setBuddy(self.editor)
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(
            "Why this score? Enter saves the score with this text, Shift+Enter starts a new "
            "line, Esc goes back to the grid."
        )
        self.editor.setToolTip("A score is saved only with a justification (Ctrl+J comes here)")
        self.save_button = QPushButton("&Save score")
        self.save_button.setToolTip("Save the score and its justification (Enter in the text)")
        self.discard_button = QPushButton("Discard edit")
        self.discard_button.setToolTip("Forget the unsaved score and text of this cell")
        self.history_button = QPushButton("His&tory…")
        self.history_button.setToolTip("Every change of this score: value, who, when, why")
        buttons = QHBoxLayout()  # the state on its own line: beside three buttons it was
        buttons.addStretch(1)  # squeezed into a column and cut
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.state)
        layout.addLayout(buttons)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text without reporting it as an edit."""
        if text == self.text():
            return
        blocked = self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)  # typing continues the text
        self.editor.blockSignals(blocked)

    def set_state(self, text: str, *, pending: bool, can_edit: bool) -> None:
        self.state.setText(text)
        self.editor.setReadOnly(not can_edit)
        self.save_button.setEnabled(can_edit and pending)
        self.discard_button.setEnabled(can_edit and pending)
