"""Two small charts painted with QPainter (no QtCharts): how far each weight must move to flip
the winner, and each candidate's chance of ranking first with its rank range.

Both take their colours from the palette, so they read on dark and light themes, ask for the
height their rows need, and elide long names instead of cutting them off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.grid.delegates import blend

if TYPE_CHECKING:
    from evaluator.flip_table import FlipRow
    from evaluator.robustness import Simulation

ROW = 24  # pixels per bar
MARGIN = 8
MAX_FLIP_ROWS = 15  # the nearest ones; the table lists them all


class _Chart(QWidget):
    """Bars drawn by hand, one row each (`draw`), or `empty_text` while there are none."""

    empty_text = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.bars: list[tuple] = []  # type: ignore[type-arg]  # a subclass says what a bar is
        self._fit()

    def rows(self) -> int:
        return len(self.bars)

    def sizeHint(self) -> QSize:
        return QSize(480, self.minimumHeight())

    def _fit(self) -> None:
        self.setMinimumHeight(2 * MARGIN + 26 + ROW * max(1, self.rows()))
        self.updateGeometry()
        self.update()

    def _colours(self) -> tuple[QColor, QColor, QColor, QColor]:
        """(text, muted, bar, faded bar) from the palette."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        bar = palette.color(QPalette.ColorRole.Highlight)
        return text, blend(base, text, 0.55), bar, blend(base, bar, 0.3)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        if self.bars:
            self.draw(painter, QFontMetrics(self.font()), self.width() - 2 * MARGIN)
        else:
            painter.setPen(self._colours()[1])
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
        painter.end()

    def draw(self, painter: QPainter, metrics: QFontMetrics, width: int) -> None:
        """Paint the bars, `width` pixels wide inside the margins."""
        raise NotImplementedError


class FlipChart(_Chart):
    """A bar per category or criterion whose weight can flip the winner, nearest first: to the
    left when its weight must fall, to the right when it must rise, labelled with the change
    and who takes the lead."""

    bars: list[tuple[str, float, str]]  # (name, change in points, new leader)
    empty_text = "No single weight change takes the lead from the leader."

    def show_rows(self, rows: list[FlipRow], names: dict[int, str]) -> None:
        flipping = sorted((r for r in rows if not r.holds), key=lambda r: round(r.distance, 9))
        self.bars = [
            (r.name, float(r.flip.change_points or 0), names.get(r.flip.new_winner_id or 0, "?"))
            for r in flipping[:MAX_FLIP_ROWS]
        ]
        self._fit()

    def draw(self, painter: QPainter, metrics: QFontMetrics, width: int) -> None:
        text, muted, raise_bar, lower_bar = self._colours()
        widest = max(metrics.horizontalAdvance(n) for n, _, _ in self.bars) + 6
        label = min(int(width * 0.4), widest)
        tags = [f"{change:+.1f}  {leader}" for _, change, leader in self.bars]
        tag_room = min(int(width * 0.55), max(metrics.horizontalAdvance(t) for t in tags) + 8)
        plot = max(40, width - label - tag_room - 8)
        # the axis splits the plot in proportion to how far bars reach either way
        left = max([-change for _, change, _ in self.bars if change < 0], default=0.0)
        right = max([change for _, change, _ in self.bars if change > 0], default=0.0)
        reach = (left + right) or 1.0
        zero = MARGIN + label + 8 + plot * left / reach
        top = MARGIN
        for i, (name, change, _leader) in enumerate(self.bars):
            y = top + i * ROW
            painter.setPen(text)
            painter.drawText(
                QRectF(MARGIN, y, label, ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, label),
            )
            length = change / reach * plot
            painter.fillRect(
                QRectF(min(zero, zero + length), y + 5, abs(length), ROW - 10),
                raise_bar if change > 0 else lower_bar,
            )
            tag = tags[i]
            x = zero + max(length, 0) + 6
            room = int(self.width() - MARGIN - x)
            painter.setPen(muted)
            painter.drawText(
                QRectF(x, y, room, ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(tag, Qt.TextElideMode.ElideRight, room),
            )
        bottom = top + len(self.bars) * ROW
        painter.setPen(muted)
        painter.drawLine(int(zero), top, int(zero), bottom)
        painter.drawText(
            QRectF(MARGIN, bottom + 4, width, 20),
            Qt.AlignmentFlag.AlignCenter,
            "Change of share needed, in points, and who then leads: lower ◀ │ ▶ raise",
        )


class OddsChart(_Chart):
    """A bar per qualified candidate: its chance of ranking first (0–100%), with its rank range
    written beside it."""

    bars: list[tuple[str, float, str, bool]]  # name, chance, ranks, leader
    empty_text = "Run the simulation to see each candidate's chance of winning."

    def show_simulation(self, simulation: Simulation | None, names: dict[int, str]) -> None:
        self.bars = []
        for odds in simulation.ranked() if simulation else []:
            if odds.rank_median is None:
                continue
            low, high = odds.rank_low, odds.rank_high
            ranks = f"rank {low}" if low == high else f"ranks {low}–{high}"
            leader = simulation is not None and odds.candidate_id == simulation.leader_id
            self.bars.append((names.get(odds.candidate_id, "?"), odds.chance, ranks, leader))
        self._fit()

    def draw(self, painter: QPainter, metrics: QFontMetrics, width: int) -> None:
        text, muted, bar, faded = self._colours()
        bold = self.font()
        bold.setBold(True)  # the leader's name is set in bold
        widest = max(QFontMetrics(bold).horizontalAdvance(n) for n, *_ in self.bars) + 6
        label = min(int(width * 0.45), widest)
        tag_room = metrics.horizontalAdvance("100.0%  ranks 10–12") + 8
        plot = max(40, width - label - tag_room - 12)
        left = MARGIN + label + 8
        for i, (name, chance, ranks, leader) in enumerate(self.bars):
            y = MARGIN + i * ROW
            font = painter.font()
            font.setBold(leader)
            painter.setFont(font)
            painter.setPen(text)
            painter.drawText(
                QRectF(MARGIN, y, label, ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                QFontMetrics(font).elidedText(name, Qt.TextElideMode.ElideRight, label),
            )
            painter.fillRect(QRectF(left, y + 5, plot, ROW - 10), faded)
            painter.fillRect(QRectF(left, y + 5, plot * chance, ROW - 10), bar)
            painter.setPen(muted)
            painter.drawText(
                QRectF(left + plot + 6, y, tag_room, ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{100 * chance:.1f}%  {ranks}",
            )
