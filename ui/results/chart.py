"""A horizontal stacked bar chart of the totals, broken down by top-level category.

Each bar is a candidate (rank 1 at the top), each segment the points a top-level category
contributed, so a total of 72 reads as "30 from tiers + 18 from clinical + ...". The axis is
fixed at 0-100 so charts of different evaluations compare. Colours of the chart's frame and text
come from the widget palette (dark or light); the segment colours are a fixed qualitative set
that reads on both.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from evaluator.domain import EvaluationData, GateState, Results
from evaluator.gates import gate_look
from evaluator.kinds import is_weighted
from ui.grid.delegates import blend

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


GREYED = 0.6  # how far a disqualified bar's colours fade into the background (as in the PDF)


def bar_label(position: int | None, name: str, total: float, disqualified: bool) -> str:
    """'1. Altavera Health Systems  78.4' (rank first, shortened name, total); a disqualified
    candidate reads '✗ Tessaly Helpdesk Services (disqualified)  54.1'."""
    short = name if len(name) <= LABEL_WIDTH else name[: LABEL_WIDTH - 1] + "…"
    if disqualified:
        return f"{gate_look(GateState.FAILED).symbol} {short} (disqualified)  {total:.1f}"
    prefix = f"{position}. " if position is not None else ""
    return f"{prefix}{short}  {total:.1f}"


def _bar_set(label: str, values: list[float], colour: QColor) -> QBarSet:
    bar = QBarSet(label)
    bar.append(values)
    bar.setColor(colour)
    bar.setBorderColor(colour)
    return bar


class ResultsChart(QChartView):
    """Totals per candidate, stacked by top-level category."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # never delay typing
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 12, 4))
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setToolTip("Each bar is a candidate's total; each segment one category's points")
        self.segments: list[tuple[str, list[float]]] = []  # shown: category name, values
        self.labels: list[str] = []
        self.greyed: list[int] = []  # bar positions (bottom up) of disqualified candidates
        self._faded: list[tuple[QBarSet, QColor]] = []  # faded twin sets, category colour

    def show_results(self, data: EvaluationData | None, results: Results | None) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.segments, self.labels, self.greyed, self._faded = [], [], [], []
        if data is None or results is None:
            chart.setTitle("")
            return
        names = {c.id: c.name for c in data.candidates}
        weights = results.effective_weights
        tops = [
            node
            for node in data.criteria
            if is_weighted(node.kind)
            and sum(weights.get(leaf.key, 0.0) for leaf in node.walk()) > 0
        ]
        ordered = [r for r in results.candidates if r.candidate_id in names]
        bottom_up = list(reversed(ordered))  # Qt draws the first category at the bottom
        self.greyed = [i for i, r in enumerate(bottom_up) if r.disqualified]
        series = QHorizontalStackedBarSeries()
        self._faded = []
        for i, node in enumerate(tops):
            values = [r.category_totals.get(node.key, 0.0) for r in bottom_up]
            colour = QColor(SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)])
            self.segments.append((node.name, values))
            if not self.greyed:
                series.append(_bar_set(node.name, values, colour))
                continue
            # Qt colours a whole bar set, so a disqualified candidate's segments go into a
            # faded twin of each category's set (apply_palette fades it into the background,
            # as the PDF does); each bar has its value in one of the two and 0 in the other.
            out = set(self.greyed)
            kept = [0.0 if j in out else v for j, v in enumerate(values)]
            faded = [v if j in out else 0.0 for j, v in enumerate(values)]
            series.append(_bar_set(node.name, kept, colour))
            twin = _bar_set(f"{node.name} (disqualified)", faded, colour)
            series.append(twin)
            self._faded.append((twin, colour))
        series.setBarWidth(0.7)
        chart.addSeries(series)
        for twin, _colour in self._faded:  # the legend names each category once
            for marker in chart.legend().markers(series):
                if marker.barset() is twin:
                    marker.setVisible(False)
        self.labels = [
            bar_label(r.rank, names[r.candidate_id], r.total, r.disqualified) for r in bottom_up
        ]
        categories = QBarCategoryAxis()
        categories.append(self.labels)
        values_axis = QValueAxis()
        values_axis.setRange(0, 100)
        values_axis.setTickCount(11)
        values_axis.setLabelFormat("%d")
        values_axis.setTitleText("Points (of 100)")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values_axis)
        chart.setTitle("Totals by category")
        self.apply_palette(self.palette())

    def preferred_height(self) -> int:
        return 160 + BAR_HEIGHT * max(1, len(self.labels))

    def apply_palette(self, palette: QPalette) -> None:
        """Frame, text and grid colours from the palette, so dark themes read well."""
        chart = self.chart()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        chart.setBackgroundBrush(base)
        chart.setBackgroundRoundness(0)
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        self.setBackgroundBrush(palette.color(QPalette.ColorRole.Window))
        for twin, colour in self._faded:
            faded = blend(colour, base, GREYED)
            twin.setColor(faded)
            twin.setBorderColor(faded)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setTitleBrush(text)
            axis.setLinePenColor(blend(base, text, 0.5))
            axis.setGridLineColor(blend(base, text, 0.15))
