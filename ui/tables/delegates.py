"""Editors, painters and tints for the Criteria, Candidates and Committee views.

Colours come from the palette (so light and dark themes both work); the bar is the palette's
highlight colour, made translucent so the text on it stays readable, and semantic tints mix a
little colour into the palette's window colour instead of replacing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.numbers import localise

Index = QModelIndex | QPersistentModelIndex


class ShareBarDelegate(QStyledItemDelegate):
    """Paints a value in [0, 1] (read from `role`) as a bar behind the cell's text."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        share = index.data(self.role)
        if not isinstance(share, (int, float)):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:  # background and selection, without the text
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        metrics = opt.fontMetrics
        label_width = metrics.horizontalAdvance("100 %") + 6
        rect = option.rect.adjusted(4, 0, -6, 0)
        label = QRect(rect.left(), rect.top(), label_width, rect.height())
        track = rect.adjusted(label_width + 6, 0, 0, 0)
        height = max(4, min(track.height() - 6, metrics.height() - 4))
        track.setTop(rect.center().y() - height // 2)
        track.setHeight(height)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(
            option.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
        )
        painter.drawText(
            label, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        groove = option.palette.color(QPalette.ColorRole.Mid)
        groove.setAlphaF(0.25)
        painter.setBrush(groove)
        painter.drawRoundedRect(track, 2, 2)
        if share > 0 and track.width() > 0:
            bar = QRect(track)
            bar.setWidth(max(2, round(track.width() * min(1.0, float(share)))))
            colour = option.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
            )
            colour.setAlphaF(0.8)
            painter.setBrush(colour)
            painter.drawRoundedRect(bar, 2, 2)
        painter.restore()


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over (value, label) pairs; the model's EditRole holds the value."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = list(choices)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self.choices:
            combo.addItem(label, value)
        combo.activated.connect(lambda _=0, c=combo: self._commit(c))
        return combo

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """Over the cell, and wide enough for the longest label beside the arrow: a column
        fitted to its text cut the label ("Vendor (direct suppor")."""
        rect = option.rect  # type: ignore[attr-defined]
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(0, found))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value: Any = editor.currentData()
        if value != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, value, Qt.ItemDataRole.EditRole)


class WeightDelegate(QStyledItemDelegate):
    """A spin box for raw weights: 0 or more, up to three decimals."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spin = localise(QDoubleSpinBox(parent))
        spin.setRange(0.0, 1_000_000.0)
        spin.setDecimals(3)
        spin.setFrame(False)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setToolTip("Raw weight: 0 or more, compared with the sibling criteria.")
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.setValue(float(index.data(Qt.ItemDataRole.EditRole) or 0.0))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.interpretText()
        if editor.value() != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


def tint_background(widget: QWidget, rgb: tuple[int, int, int], mix: float = 0.25) -> None:
    """Give a label or frame a subtle semantic tint of the palette's window colour."""
    palette = widget.palette()
    base = palette.color(QPalette.ColorRole.Window)
    red, green, blue = (c / 255 for c in rgb)
    tint = base.fromRgbF(
        base.redF() * (1 - mix) + red * mix,
        base.greenF() * (1 - mix) + green * mix,
        base.blueF() * (1 - mix) + blue * mix,
    )
    palette.setColor(QPalette.ColorRole.Window, tint)
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
