"""What the charts painted with QPainter share (no QtCharts: that module alone needed the
438 MB PySide6-Addons wheel): a widget as tall as its rows, colours from the palette so dark and
light themes both read, an empty-state message, and right-aligned, elided row labels.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.grid.delegates import blend

ROW = 24  # pixels per bar
MARGIN = 8


class PaintedChart(QWidget):
    """Base of the charts: subclasses say how many rows they have and paint them."""

    row_height = ROW
    frame_height = 26  # what a chart adds to its rows (axis, caption, legend)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.empty_text = ""

    def rows(self) -> int:
        """How many rows the chart paints (its `bars` unless a subclass counts otherwise)."""
        return len(getattr(self, "bars", ()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._start()
        if painter is not None:
            self.draw(painter, QFontMetrics(self.font()), self.width() - 2 * MARGIN)
            painter.end()

    def draw(self, painter: QPainter, metrics: QFontMetrics, width: int) -> None:
        """Paint the rows, `width` pixels wide inside the margins (the painter is set up)."""
        raise NotImplementedError

    def sizeHint(self) -> QSize:
        return QSize(480, self.minimumHeight())

    def _fit(self) -> None:
        self.setMinimumHeight(
            2 * MARGIN + self.frame_height + self.row_height * max(1, self.rows())
        )
        self.updateGeometry()
        self.update()

    def _colours(self) -> tuple[QColor, QColor, QColor, QColor]:
        """(text, muted, bar, faded bar) from the palette."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        bar = palette.color(QPalette.ColorRole.Highlight)
        return text, blend(base, text, 0.55), bar, blend(base, bar, 0.3)

    def _start(self) -> QPainter | None:
        """A painter on the cleared widget, or None (after the empty message) with no rows."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self.rows():
            return painter
        painter.setPen(self._colours()[1])
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
        painter.end()
        return None


def label_width(names: list[str], font: QFont, share_of: float) -> int:
    """Room for the widest row label, at most `share_of` (pixels) so the bars keep room."""
    widest = max((QFontMetrics(font).horizontalAdvance(n) for n in names), default=0) + 6
    return min(int(share_of), widest)


def draw_label(painter: QPainter, rect: QRectF, text: str, colour: QColor) -> None:
    """A row label, right-aligned against its bar and elided to fit."""
    painter.setPen(colour)
    elided = QFontMetrics(painter.font()).elidedText(
        text, Qt.TextElideMode.ElideRight, int(rect.width())
    )
    painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
