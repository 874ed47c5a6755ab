"""The scorecard's trend chart, painted with QPainter (ui/charting.py): one metric month by
month over the first year, its target as a dashed line, each month's point drawn in its
verdict's shape as well as its colour (a dot met, a triangle at risk, a cross breached), so the
chart reads without colour."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from ui.charting import MARGIN, PaintedChart
from ui.contract.models import VERDICT_HUES, shown


@dataclass(frozen=True)
class TrendPoint:
    label: str  # 2025-03
    value: float | None
    target: float | None
    verdict: str


class TrendChart(PaintedChart):
    """A line of monthly values against the target."""

    row_height = 130
    frame_height = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[TrendPoint] = []
        self.unit = ""
        self.title = ""
        self.empty_text = "No months with data yet: import tickets to see the trend"
        self._fit()

    def rows(self) -> int:
        return 1 if any(p.value is not None for p in self.points) else 0

    def show_trend(self, title: str, unit: str, points: list[TrendPoint]) -> None:
        self.title, self.unit, self.points = title, unit, list(points)
        values = ", ".join(f"{p.label} {shown(p.value, unit)} ({p.verdict})" for p in points)
        self.setAccessibleDescription(f"{title} by month: {values}" if points else "")
        self._fit()

    def _scale(self) -> tuple[float, float]:
        values = [v for p in self.points for v in (p.value, p.target) if v is not None]
        top = max(values, default=1.0) or 1.0
        if self.unit == "share":
            return 0.0, max(1.0, top)
        return 0.0, top * 1.1

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._start()
        if painter is None:
            return
        text, muted, bar, _faded = self._colours()
        rect = QRectF(self.rect()).adjusted(MARGIN + 56, MARGIN + 20, -MARGIN, -MARGIN - 20)
        low, high = self._scale()
        painter.setPen(text)
        painter.drawText(
            QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        painter.setPen(muted)
        for share in (0.0, 0.5, 1.0):
            y = rect.bottom() - share * rect.height()
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.drawText(
                QRectF(MARGIN, y - 9, 52, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                shown(low + share * (high - low), self.unit),
            )
        count = len(self.points)
        step = rect.width() / max(1, count)

        def place(index: int, value: float) -> QPointF:
            x = rect.left() + step * (index + 0.5)
            return QPointF(x, rect.bottom() - (value - low) / (high - low or 1) * rect.height())

        for i, point in enumerate(self.points):
            painter.setPen(muted)
            label = point.label[2:] if count > 8 else point.label  # 25-03 when crowded
            painter.drawText(
                QRectF(rect.left() + step * i, rect.bottom() + 2, step, 18),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        targets = [(i, p.target) for i, p in enumerate(self.points) if p.target is not None]
        if targets:
            painter.setPen(QPen(text, 1.2, Qt.PenStyle.DashLine))
            for (i, a), (j, b) in pairwise(targets):
                painter.drawLine(place(i, a), place(j, b))
            if len(targets) == 1:
                i, a = targets[0]
                painter.drawLine(
                    place(i, a) - QPointF(step / 2, 0), place(i, a) + QPointF(step / 2, 0)
                )
        known = [(i, p) for i, p in enumerate(self.points) if p.value is not None]
        painter.setPen(QPen(bar, 2))
        for (i, a), (j, b) in pairwise(known):
            assert a.value is not None and b.value is not None
            painter.drawLine(place(i, a.value), place(j, b.value))
        for i, point in known:
            assert point.value is not None
            self._marker(painter, place(i, point.value), point.verdict, bar)
        painter.end()

    @staticmethod
    def _marker(painter, at: QPointF, verdict: str, default) -> None:  # type: ignore[no-untyped-def]
        """A dot (met), a triangle (at risk) or a cross (breached) in the verdict's colour."""
        colour = VERDICT_HUES.get(verdict, default)
        painter.setPen(QPen(colour, 2.5))
        painter.setBrush(colour)
        r = 4.5
        if verdict == "breached":
            painter.drawLine(at + QPointF(-r, -r), at + QPointF(r, r))
            painter.drawLine(at + QPointF(-r, r), at + QPointF(r, -r))
        elif verdict == "at risk":
            painter.drawPolygon(
                QPolygonF([at + QPointF(0, -r - 1), at + QPointF(r, r), at + QPointF(-r, r)])
            )
        else:
            painter.drawEllipse(at, r, r)
        painter.setBrush(Qt.BrushStyle.NoBrush)
