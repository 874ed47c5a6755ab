"""Small widget builders the tabs and dialogs share, so that a hint, a side panel or a scroll
area looks and behaves the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def muted_colour(palette: QPalette) -> QColor:
    """Text colour 35% of the way to the background: quieter than text, yet about 5:1 contrast
    on light and dark palettes (the placeholder colour was too faint to read)."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = 0.35
    return QColor(
        round(text.red() + (back.red() - text.red()) * mix),
        round(text.green() + (back.green() - text.green()) * mix),
        round(text.blue() + (back.blue() - text.blue()) * mix),
    )


class MutedLabel(QLabel):
    """A wrapped hint line in `muted_colour`, following the application's palette changes."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._recolour()

    def _recolour(self) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, muted_colour(QApplication.palette()))
        self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._recolour()
        super().changeEvent(event)


class ElidedLabel(QLabel):
    """One line that ends in "…" when there is not room for it, rather than widening the
    window past a laptop's screen; the whole text is its tooltip."""

    SHORTEST = 120  # pixels it may shrink to

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._full = text
        self.setToolTip(text)
        self._elide()
        self.updateGeometry()

    def text(self) -> str:  # type: ignore[override]
        return self._full

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance(self._full) + 4, super().sizeHint().height()
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(
            min(self.SHORTEST, self.sizeHint().width()), super().minimumSizeHint().height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)


def muted(text: str = "") -> QLabel:
    """A wrapped hint line in the palette's muted colour (readable on light and dark themes)."""
    return MutedLabel(text)


def scrolled(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that resizes it to the visible width."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def beside_panels(
    main: QWidget, top: QWidget, bottom: QWidget, side_sizes: list[int], sizes: list[int]
) -> QSplitter:
    """`main` (three quarters of any extra width) left of `top` stacked over `bottom`: the grid
    tabs' layout, a grid with its side panels, every divider draggable."""
    side = QSplitter(Qt.Orientation.Vertical)
    side.addWidget(top)
    side.addWidget(bottom)
    side.setSizes(side_sizes)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(main)
    splitter.addWidget(side)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes(sizes)
    return splitter


def column(parent: QWidget, *rows: QWidget | QLayout, grow: QWidget | None = None) -> QVBoxLayout:
    """`parent`'s layout: `rows` top to bottom (widgets or layouts), `grow` taking the spare
    height."""
    layout = QVBoxLayout(parent)
    for row in rows:
        if isinstance(row, QLayout):
            layout.addLayout(row)
        else:
            layout.addWidget(row, 1 if row is grow else 0)
    return layout


def tab_order(*widgets: QWidget) -> None:
    """Tab moves through `widgets` in this order (Shift+Tab back)."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


def tool_action(
    owner: QWidget,
    bar: QBoxLayout,
    text: str,
    shortcut: str,
    icon: QStyle.StandardPixmap,
    tip: str,
    slot: Callable[[], object],
) -> QAction:
    """An action of `owner`'s tool bar `bar`: a flat text-and-icon button, the shortcut working
    anywhere inside `owner` and named in the tooltip."""
    action = QAction(owner.style().standardIcon(icon), text, owner)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
    action.triggered.connect(slot)
    owner.addAction(action)
    button = QToolButton(owner)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setAutoRaise(True)
    bar.addWidget(button)
    return action


def ok_cancel(
    dialog: QDialog, ok_text: str, on_ok: Callable[[], object] | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """OK and Cancel with OK named for what it does (`ok_text`); OK runs `on_ok` (else accepts),
    Cancel rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def behind_another_tab(widget: QWidget) -> bool:
    """Hidden in a shown window (another tab is in front): work only this widget shows can
    wait for its showEvent. A widget of a window not yet shown does it at once."""
    window = widget.window()
    return window is not widget and window.isVisible() and not widget.isVisible()
