"""Charts drawn with reportlab.graphics (vector, no image files): totals by category, one chart
per category, and a candidate against the best.

Long names are shortened with an ellipsis on chart axes only; the tables beside the charts
always carry the full names.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.model import CandidateSection, RankingRow, ReportData
from reports.pdf.fonts import FontSet
from reports.pdf.styles import MUTED, RULE, Theme, category_colour, mix
from reports.text import number

BAR_ROW = 17.0  # vertical room per bar (or bar group)
LABEL_SIZE = 7.5
AXIS_SIZE = 7.0


def shorten(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def axis_labels(fonts: FontSet, names: list[str], size: float, width: float) -> list[str]:
    """The bars' labels, each shortened to fit `width` (one blank label for no bars)."""
    return [shorten(fonts.drawable(name), fonts.regular, size, width - 8) for name in names] or [""]


def row_height(count: int, preferred: float, room: float) -> float:
    """Room per bar: `preferred`, squeezed so that `count` bars fit in `room` points."""
    return max(4.0, min(preferred, room / max(1, count)))


def _candidate_label(row: RankingRow) -> str:
    return f"{row.name} (disqualified)" if row.disqualified else row.name


def _drawing(theme: Theme, width: float, height: float) -> Drawing:
    """A drawing whose default font is the report's (else Helvetica would be referenced)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = theme.fonts.regular
    return drawing


def _base_chart(
    theme: Theme, x: float, y: float, width: float, height: float
) -> HorizontalBarChart:
    fonts = theme.fonts
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = x, y, width, height
    chart.categoryAxis.reverseDirection = 1  # first category at the top
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = AXIS_SIZE
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E3E8EE")
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.bars.strokeColor = None
    return chart


def _legend(
    drawing: Drawing, theme: Theme, names: Sequence[str], x: float, y: float, width: float
) -> float:
    """Swatches in columns below a chart; returns the height used."""
    columns = _legend_columns(theme, names, width)
    column_width = width / columns
    rows = (len(names) + columns - 1) // columns
    for i, name in enumerate(names):
        column, row = i % columns, i // columns
        left = x + column * column_width
        top = y - row * 12
        drawing.add(Rect(left, top - 7, 7, 7, fillColor=category_colour(i), strokeColor=None))
        label = shorten(name, theme.fonts.regular, AXIS_SIZE, column_width - 14)
        drawing.add(
            String(
                left + 10,
                top - 6.5,
                label,
                fontName=theme.fonts.regular,
                fontSize=AXIS_SIZE,
                fillColor=colors.black,
            )
        )
    return rows * 12


def _legend_columns(theme: Theme, names: Sequence[str], width: float) -> int:
    """As many columns (up to 3) as fit the longest name without shortening it."""
    longest = max((stringWidth(n, theme.fonts.regular, AXIS_SIZE) for n in names), default=0)
    return max(1, min(3, len(names), int(width // (longest + 24))))


def _legend_rows(theme: Theme, names: Sequence[str], width: float) -> int:
    columns = _legend_columns(theme, names, width)
    return (len(names) + columns - 1) // columns


def totals_chart(report: ReportData, theme: Theme, width: float, max_height: float) -> Drawing:
    """One stacked bar per candidate: the points each category contributes to its total."""
    rows = report.ranking
    fonts = theme.fonts
    label_width = min(170.0, width * 0.34)
    names = [c.name for c in report.categories]
    legend_height = _legend_rows(theme, names, width - label_width) * 12 + 22
    step = row_height(len(rows), BAR_ROW, max_height - legend_height - 12)
    plot_height = step * max(1, len(rows))
    height = plot_height + legend_height + 12
    drawing = _drawing(theme, width, height)
    chart = _base_chart(theme, label_width, legend_height, width - label_width - 34, plot_height)
    chart.categoryAxis.style = "stacked"
    chart.data = [
        [row.category_points[i] for row in rows] or [0.0] for i in range(len(report.categories))
    ] or [[0.0] * max(1, len(rows))]
    chart.categoryAxis.categoryNames = axis_labels(
        fonts, [_candidate_label(row) for row in rows], LABEL_SIZE, label_width
    )
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.barWidth = step * 0.6
    chart.groupSpacing = step * 0.4
    chart.categoryAxis.labels.fontSize = min(LABEL_SIZE, step * 0.75)
    for i in range(len(report.categories)):
        chart.bars[i].fillColor = category_colour(i)
        for j, row in enumerate(rows):
            if row.disqualified:
                chart.bars[(i, j)].fillColor = mix(category_colour(i), colors.white, 0.6)
    drawing.add(chart)
    for j, row in enumerate(rows):
        x = chart.x + chart.width * min(row.total, 100.0) / 100.0 + 3
        y = chart.y + plot_height - (j + 0.5) * step - 2.5
        drawing.add(
            String(
                x,
                y,
                f"{row.total:.1f}",
                fontName=fonts.bold,
                fontSize=LABEL_SIZE,
                fillColor=colors.black,
            )
        )
    _legend(drawing, theme, names, label_width, legend_height - 18, width - label_width)
    return drawing


def category_chart(
    report: ReportData, index: int, theme: Theme, width: float, max_height: float
) -> Drawing:
    """Each candidate's share of one category's points, in percent."""
    rows = report.ranking
    fonts = theme.fonts
    category = report.categories[index]
    label_width = min(130.0, width * 0.42)
    step = row_height(len(rows), BAR_ROW * 0.8, max_height - 42)
    plot_height = step * max(1, len(rows))
    height = plot_height + 42
    drawing = _drawing(theme, width, height)
    title = f"{category.name} ({number(category.max_points, 1)} pts)"
    drawing.add(
        String(
            0,
            height - 10,
            shorten(fonts.drawable(title), fonts.bold, 8.5, width),
            fontName=fonts.bold,
            fontSize=8.5,
            fillColor=theme.accent,
        )
    )
    chart = _base_chart(theme, label_width, 16, width - label_width - 30, plot_height)
    chart.data = [[100 * (row.category_scores[index] or 0.0) for row in rows] or [0.0]]
    chart.categoryAxis.categoryNames = axis_labels(
        fonts, [_candidate_label(row) for row in rows], AXIS_SIZE, label_width
    )
    chart.categoryAxis.labels.fontSize = min(AXIS_SIZE, step * 0.75)
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.barWidth = step * 0.6
    chart.groupSpacing = step * 0.4
    chart.bars[0].fillColor = category_colour(index)
    for j, row in enumerate(rows):
        if row.disqualified:
            chart.bars[(0, j)].fillColor = mix(category_colour(index), colors.white, 0.6)
    drawing.add(chart)
    for j, row in enumerate(rows):
        score = row.category_scores[index]
        text = "—" if score is None else f"{100 * score:.0f}%"
        x = chart.x + chart.width * (score or 0.0) + 3
        y = chart.y + plot_height - (j + 0.5) * step - 2.5
        drawing.add(
            String(x, y, text, fontName=fonts.regular, fontSize=AXIS_SIZE, fillColor=colors.black)
        )
    return drawing


def candidate_chart(
    section: CandidateSection, theme: Theme, width: float, max_height: float
) -> Drawing:
    """Per category: this candidate's share of the points beside the best qualified share."""
    fonts = theme.fonts
    items = section.categories
    label_width = min(170.0, width * 0.34)
    group = row_height(len(items), 22.0, max_height - 40)
    plot_height = group * max(1, len(items))
    height = plot_height + 40
    drawing = _drawing(theme, width, height)
    chart = _base_chart(theme, label_width, 28, width - label_width - 34, plot_height)
    chart.data = [
        [100 * (item.score or 0.0) for item in items] or [0.0],
        [100 * (item.best_score or 0.0) for item in items] or [0.0],
    ]
    chart.categoryAxis.categoryNames = axis_labels(
        fonts, [item.name for item in items], LABEL_SIZE, label_width
    )
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.barWidth = group * 0.32
    chart.barSpacing = group * 0.04
    chart.groupSpacing = group * 0.32
    chart.categoryAxis.labels.fontSize = min(LABEL_SIZE, group * 0.6)
    chart.bars[0].fillColor = theme.accent
    chart.bars[1].fillColor = colors.HexColor("#B8C2CC")
    drawing.add(chart)
    legend = [(theme.accent, section.row.name), (colors.HexColor("#B8C2CC"), "Best candidate")]
    x = label_width
    for colour, name in legend:
        drawing.add(Rect(x, 4, 7, 7, fillColor=colour, strokeColor=None))
        label = shorten(fonts.drawable(name), fonts.regular, AXIS_SIZE, 200)
        drawing.add(String(x + 10, 4.5, label, fontName=fonts.regular, fontSize=AXIS_SIZE))
        x += 24 + stringWidth(label, fonts.regular, AXIS_SIZE)
    return drawing
