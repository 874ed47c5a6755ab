"""A horizontal stacked bar chart of the totals, broken down by top-level category.

Each bar is a candidate (rank 1 at the top), each segment the points a top-level category
contributed, so a total of 72 reads as "30 from tiers + 18 from clinical + ...". The axis is
fixed at 0-100 so charts of different evaluations compare. Painted with QPainter (ui.charting):
colours of the frame and text come from the widget palette (dark or light); the segment colours
are a fixed qualitative set that reads on both, faded for a disqualified candidate.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from evaluator.domain import EvaluationData, GateState, Results
from evaluator.gates import gate_look
from evaluator.kinds import is_weighted
from ui.charting import MARGIN, PaintedChart, draw_label, label_width
from ui.grid.delegates import blend
from ui.numbers import fixed

# A colour-blind-friendly qualitative set (Okabe-Ito plus two), readable on dark and light.
SEGMENT_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#7F7F7F",
    "#8C564B",
    "#17BECF",
)
LABEL_WIDTH = 34  # characters of a candidate label before it is shortened
BAR_HEIGHT = 34  # pixels per candidate the view asks for, so many bars stay readable
MAX_BAR_HEIGHT = 64  # what a bar's row grows to when the tab has room


GREYED = 0.6  # how far a disqualified bar's colours fade into the background (as in the PDF)


def bar_label(position: int | None, name: str, total: float, disqualified: bool) -> str:
    """'1. Altavera Health Systems  78.4' (rank first, shortened name, total); a disqualified
    candidate reads '✗ Tessaly Helpdesk Services (disqualified)  54.1'."""
    short = name if len(name) <= LABEL_WIDTH else name[: LABEL_WIDTH - 1] + "…"
    if disqualified:
        return f"{gate_look(GateState.FAILED).symbol} {short} (disqualified)  {fixed(total)}"
    prefix = f"{position}. " if position is not None else ""
    return f"{prefix}{short}  {fixed(total)}"


TITLE = 28  # pixels above the bars for the chart's title
AXIS = 44  # below the bars: tick labels and the axis title
LEGEND_LINE = 20
SWATCH = 12  # legend colour square


class ResultsChart(PaintedChart):
    """Totals per candidate (rank 1 at the top), stacked by top-level category, with a 0-100
    axis and a legend naming each category once."""

    row_height = BAR_HEIGHT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # taller than its rows need when there is room: the bars grow up to MAX_BAR_HEIGHT
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.MinimumExpanding)
        self.setToolTip("Each bar is a candidate's total; each segment one category's points")
        self.title = ""
        self.segments: list[tuple[str, list[float]]] = []  # category name, values top-down
        self.labels: list[str] = []  # top-down, in ranking order
        self.greyed: list[int] = []  # row positions (top-down) of disqualified candidates
        self._fit()

    def show_results(self, data: EvaluationData | None, results: Results | None) -> None:
        self.segments, self.labels, self.greyed, self.title = [], [], [], ""
        if data is not None and results is not None:
            names = {c.id: c.name for c in data.candidates}
            weights = results.effective_weights
            tops = [
                node
                for node in data.criteria
                if is_weighted(node.kind)
                and sum(weights.get(leaf.key, 0.0) for leaf in node.walk()) > 0
            ]
            ordered = [r for r in results.candidates if r.candidate_id in names]
            self.greyed = [i for i, r in enumerate(ordered) if r.disqualified]
            self.segments = [
                (node.name, [r.category_totals.get(node.key, 0.0) for r in ordered])
                for node in tops
            ]
            self.labels = [
                bar_label(r.rank, names[r.candidate_id], r.total, r.disqualified) for r in ordered
            ]
            self.title = "Totals by category"
        self._fit()

    def rows(self) -> int:
        return len(self.labels)

    @property
    def frame_height(self) -> int:  # type: ignore[override]
        return TITLE + AXIS + LEGEND_LINE * max(1, len(self._legend_lines()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wanted = 2 * MARGIN + self.frame_height + self.row_height * max(1, self.rows())
        if wanted != self.minimumHeight():  # the legend wraps onto more or fewer lines
            self._fit()

    def segment_colour(self, index: int, disqualified: bool = False) -> QColor:
        """A category's colour; faded into the background for a disqualified candidate."""
        colour = QColor(SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)])
        if not disqualified:
            return colour
        return blend(colour, self.palette().color(QPalette.ColorRole.Base), GREYED)

    def legend(self) -> list[str]:
        """The legend's entries: each category once (a faded bar is the same category)."""
        return [name for name, _values in self.segments]

    def row_pitch(self) -> float:
        """Each candidate's row: what the rows need, more when the widget is taller."""
        room = (self.height() - 2 * MARGIN - self.frame_height) / max(1, self.rows())
        return max(BAR_HEIGHT, min(MAX_BAR_HEIGHT, room))

    def plot_area(self) -> QRectF:
        """Where the bars go: right of the labels, below the title, above the axis."""
        width = self.width() - 2 * MARGIN
        label = label_width(self.labels, self.font(), width * 0.45)
        left = MARGIN + label + 8
        right = self.width() - MARGIN - 12  # half a tick label of room for "100"
        height = self.row_pitch() * self.rows()
        return QRectF(left, self.chart_top() + TITLE, max(40, right - left), height)

    def chart_top(self) -> float:
        """Where the title goes: the chart centred in the height its rows cannot use (a tall
        tab on a large screen), not stuck to the top above an empty half."""
        used = 2 * MARGIN + self.frame_height + self.row_pitch() * self.rows()
        return MARGIN + max(0.0, (self.height() - used) / 2)

    def _legend_lines(self) -> list[list[tuple[str, int]]]:
        """The legend's (name, segment index) entries, wrapped onto lines the width allows."""
        metrics = QFontMetrics(self.font())
        room = max(100, self.width() - 2 * MARGIN)
        lines: list[list[tuple[str, int]]] = [[]]
        used = 0
        for index, name in enumerate(self.legend()):
            wide = SWATCH + 4 + metrics.horizontalAdvance(name) + 16
            if lines[-1] and used + wide > room:
                lines.append([])
                used = 0
            lines[-1].append((name, index))
            used += wide
        return [line for line in lines if line]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._start()
        if painter is None:
            return
        text = self._colours()[0]
        base = self.palette().color(QPalette.ColorRole.Base)
        plot = self.plot_area()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        painter.drawText(
            QRectF(MARGIN, self.chart_top(), self.width() - 2 * MARGIN, TITLE),
            Qt.AlignmentFlag.AlignCenter,
            self.title,
        )
        painter.setFont(self.font())
        self._paint_axis(painter, plot, text, blend(base, text, 0.15), blend(base, text, 0.5))
        pitch = self.row_pitch()
        for row, label in enumerate(self.labels):
            y = plot.top() + row * pitch
            draw_label(painter, QRectF(MARGIN, y, plot.left() - 8 - MARGIN, pitch), label, text)
            x = plot.left()
            for index, (_name, values) in enumerate(self.segments):
                length = plot.width() * values[row] / 100
                colour = self.segment_colour(index, row in self.greyed)
                painter.fillRect(QRectF(x, y + pitch * 0.15, length, pitch * 0.7), colour)
                x += length
        self._paint_legend(painter, plot.bottom() + AXIS, text)
        painter.end()

    def _paint_axis(
        self, painter: QPainter, plot: QRectF, text: QColor, grid: QColor, line: QColor
    ) -> None:
        """Grid lines and labels every 10 points, and the axis title under them."""
        for points in range(0, 101, 10):
            x = plot.left() + plot.width() * points / 100
            painter.setPen(line if points == 0 else grid)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(text)
            painter.drawText(
                QRectF(x - 20, plot.bottom() + 2, 40, 18), Qt.AlignmentFlag.AlignCenter, str(points)
            )
        painter.setPen(line)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.setPen(text)
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 20, plot.width(), 20),
            Qt.AlignmentFlag.AlignCenter,
            "Points (of 100)",
        )

    def _paint_legend(self, painter: QPainter, top: float, text: QColor) -> None:
        """A swatch and name per category, lines centred under the chart."""
        metrics = QFontMetrics(self.font())
        for number, line in enumerate(self._legend_lines()):
            wide = sum(SWATCH + 4 + metrics.horizontalAdvance(n) + 16 for n, _ in line) - 16
            x = (self.width() - wide) / 2
            y = top + number * LEGEND_LINE
            for name, index in line:
                painter.fillRect(
                    QRectF(x, y + (LEGEND_LINE - SWATCH) / 2, SWATCH, SWATCH),
                    self.segment_colour(index),
                )
                painter.setPen(text)
                advance = metrics.horizontalAdvance(name)
                painter.drawText(
                    QRectF(x + SWATCH + 4, y, advance + 2, LEGEND_LINE),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    name,
                )
                x += SWATCH + 4 + advance + 16
