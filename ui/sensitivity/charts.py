"""Two small charts painted with QPainter (no QtCharts): how far each weight must move to flip
the winner, and each candidate's chance of ranking first with its rank range.

Both take their colours from the palette, so they read on dark and light themes, ask for the
height their rows need, and elide long names instead of cutting them off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from ui.charting import MARGIN, ROW, PaintedChart, draw_label, label_width
from ui.numbers import percent, signed

if TYPE_CHECKING:
    from evaluator.flip_table import FlipRow
    from evaluator.robustness import Simulation

MAX_FLIP_ROWS = 15  # the nearest ones; the table lists them all


class FlipChart(PaintedChart):
    """A bar per category or criterion whose weight can flip the winner, nearest first: to the
    left when its weight must fall, to the right when it must rise, labelled with the change
    and who takes the lead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float, str]] = []  # (name, change in points, new leader)
        self.empty_text = "No single weight change takes the lead from the leader."
        self._fit()

    def show_rows(self, rows: list[FlipRow], names: dict[int, str]) -> None:
        flipping = sorted((r for r in rows if not r.holds), key=lambda r: round(r.distance, 9))
        self.bars = [
            (r.name, float(r.flip.change_points or 0), names.get(r.flip.new_winner_id or 0, "?"))
            for r in flipping[:MAX_FLIP_ROWS]
        ]
        self._fit()

    def draw(self, painter: QPainter, metrics: QFontMetrics, width: int) -> None:
        text, muted, raise_bar, lower_bar = self._colours()
        label = label_width([n for n, _, _ in self.bars], self.font(), width * 0.4)
        tags = [f"{signed(change)}  {leader}" for _, change, leader in self.bars]
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
            draw_label(painter, QRectF(MARGIN, y, label, ROW), name, text)
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


class OddsChart(PaintedChart):
    """A bar per qualified candidate: its chance of ranking first (0–100%), with its rank range
    written beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float, str, bool]] = []  # name, chance, ranks, leader
        self.empty_text = "Run the simulation to see each candidate's chance of winning."
        self._fit()

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
        label = label_width([n for n, *_ in self.bars], bold, width * 0.45)
        tag_room = metrics.horizontalAdvance("100.0%  ranks 10–12") + 8
        plot = max(40, width - label - tag_room - 12)
        left = MARGIN + label + 8
        for i, (name, chance, ranks, leader) in enumerate(self.bars):
            y = MARGIN + i * ROW
            font = painter.font()
            font.setBold(leader)
            painter.setFont(font)
            draw_label(painter, QRectF(MARGIN, y, label, ROW), name, text)
            painter.fillRect(QRectF(left, y + 5, plot, ROW - 10), faded)
            painter.fillRect(QRectF(left, y + 5, plot * chance, ROW - 10), bar)
            painter.setPen(muted)
            painter.drawText(
                QRectF(left + plot + 6, y, tag_room, ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{percent(chance)}  {ranks}",
            )
