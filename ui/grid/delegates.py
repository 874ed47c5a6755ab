"""Cell editing and the small painting helpers the grid views share.

`ScoreDelegate` edits a score with a spin box limited to the scale (type a digit or step with the
arrow keys). Enter and Tab commit *and move* like a spreadsheet instead of opening the next
editor, so the view decides where focus goes next (the justification box, or the next cell). A
number typed outside the scale is refused with a sentence naming the scale (a tooltip at the
cell, and `refused` for the view's status line).
Colours are derived from the current palette so that the tints read in light and dark themes.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPalette, QValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from evaluator.domain import GateState, Scale
from evaluator.gates import GATE_LOOKS

# Signal-friendly names for where the cursor goes after a commit.
MOVE_DOWN, MOVE_RIGHT, MOVE_LEFT, STAY = "down", "right", "left", "stay"

WARNING_HUE = QColor(230, 140, 20)  # amber: disagreement, unsaved edits
AGREED_HUE = QColor(40, 160, 90)  # green: consensus set
DANGER_HUE = QColor(210, 50, 50)  # red: disqualified


def blend(base: QColor, over: QColor, share: float) -> QColor:
    """`over` laid on `base` at `share` opacity, as an opaque colour."""
    keep = 1.0 - share
    return QColor(
        round(base.red() * keep + over.red() * share),
        round(base.green() * keep + over.green() * share),
        round(base.blue() * keep + over.blue() * share),
    )


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def gate_colour(state: GateState, palette: QPalette) -> QColor:
    """A gate state's colour from the one table (evaluator.gates), lightened on a dark palette
    so that it keeps reading against a dark base."""
    colour = QColor(GATE_LOOKS[state].colour)
    return blend(colour, QColor(255, 255, 255), 0.45) if is_dark(palette) else colour


class GridBrushes:
    """The tints of the grid views, computed once per palette (not per paint)."""

    def __init__(self, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        strength = 0.35 if is_dark(palette) else 0.22
        self.category = QBrush(blend(base, text, 0.10))
        self.warning = QBrush(blend(base, WARNING_HUE, strength))
        self.agreed = QBrush(blend(base, AGREED_HUE, strength))
        self.danger = QBrush(blend(base, DANGER_HUE, strength))
        self.pending = self.warning  # unsaved: asks for attention like a disagreement does
        # an abstention: hatched, so it never reads as an empty cell or as a number
        self.abstained = QBrush(blend(base, text, 0.30), Qt.BrushStyle.BDiagPattern)
        self.muted = QBrush(palette.color(QPalette.ColorRole.PlaceholderText))
        self.text = QBrush(text)
        # a gate state's text (symbol and word) and, where a cell is tinted, its tint: light
        # enough that the state's colour reads on it (contrast 4.5:1 or more, both palettes)
        self.gate = {state: QBrush(gate_colour(state, palette)) for state in GateState}
        gate_strength = 0.25 if is_dark(palette) else 0.10
        self.gate_tint = {
            state: QBrush(blend(base, QColor(look.colour), gate_strength))
            for state, look in GATE_LOOKS.items()
        }


class ScaleSpinBox(QSpinBox):
    """The score editor: a whole number typed outside the scale is refused *with a reason*
    (`refused`), not silently as QSpinBox does."""

    refused = Signal(str)

    def __init__(self, scale: Scale, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self._said = ""

    def validate(self, text: str, pos: int) -> object:
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        typed = text.strip()
        if state == QValidator.State.Invalid and typed.lstrip("-").isdigit():
            why = out_of_scale(typed, self.scale)
            if why != self._said:  # once per refused text, not at each revalidation
                self._said = why
                self.refused.emit(why)
        else:
            self._said = ""
        return result


def out_of_scale(typed: str, scale: Scale) -> str:
    """The sentence that says why `typed` is not a score."""
    return (
        f"{typed} is not on the scale: scores go from {scale.minimum} to {scale.maximum} "
        "(whole points)"
    )


class ScoreDelegate(QStyledItemDelegate):
    """A spin box over the scale; below the minimum it reads empty, meaning "no change"."""

    moveRequested = Signal(str)  # MOVE_* after a commit by Enter or Tab
    refused = Signal(str)  # a typed value outside the scale, and why it is not taken

    def __init__(self, scale: Scale, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scale = scale

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        editor = ScaleSpinBox(self.scale, parent)
        editor.refused.connect(lambda why, e=editor: self._say_refused(e, why))
        editor.setRange(self.scale.minimum - 1, self.scale.maximum)
        editor.setSpecialValueText(" ")  # the empty state of a cell without a score
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setFrame(False)
        editor.setToolTip(
            f"Type a score {self.scale.minimum}-{self.scale.maximum} or use the arrow keys; "
            "Enter saves and moves down, Tab moves right, Esc cancels"
        )
        return editor

    def _say_refused(self, editor: QWidget, why: str) -> None:
        QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), why, editor)
        self.refused.emit(why)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        assert isinstance(editor, QSpinBox)
        editor.setValue(self.scale.minimum - 1 if value is None else int(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        if editor.value() >= self.scale.minimum:
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Enter commits and moves down, Tab right, Shift+Tab left (never opening an editor)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QWidget):
            assert isinstance(event, QKeyEvent)
            move = {
                Qt.Key.Key_Return: MOVE_DOWN,
                Qt.Key.Key_Enter: MOVE_DOWN,
                Qt.Key.Key_Tab: MOVE_RIGHT,
                Qt.Key.Key_Backtab: MOVE_LEFT,
            }.get(Qt.Key(event.key()))
            if move is not None:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.moveRequested.emit(move)
                return True
        return super().eventFilter(editor, event)


class Banner(QLabel):
    """A one-line notice above a view (read-only, or an error in the set-up), palette-aware."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAutoFillBackground(True)
        self.setMargin(6)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str, hue: QColor = WARNING_HUE) -> None:
        palette = self.palette()
        # the application's colour, not this label's (already tinted by the last message)
        base = QApplication.palette(self).color(QPalette.ColorRole.Window)
        palette.setColor(QPalette.ColorRole.Window, blend(base, hue, 0.35))
        self.setPalette(palette)
        self.setText(text)
        self.setVisible(bool(text))
