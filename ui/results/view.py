"""The Results tab: the live ranking and a chart of totals by category.

Both follow `session.resultsChanged`, which the session emits after each edit once the new
results are computed (off the GUI thread at committee scale). The chart is only redrawn while
the tab is visible; a hidden tab redraws once when it is shown again. When the weights are
invalid (say all siblings weigh zero) the session's `results_error` is shown instead.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QWidget,
)

from ui.accessibility import describe
from ui.grid.delegates import Banner
from ui.numbers import fixed
from ui.results.chart import ResultsChart
from ui.results.model import CANDIDATE, STATUS, ResultsModel
from ui.session import EvaluationSession
from ui.widgets import column, muted, scrolled


class ResultsView(QWidget):
    """Ranking table beside the stacked bar chart."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ResultsModel(session, self)
        self._chart_dirty = True
        self._fitted_rows = -1

        self.banner = Banner()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.setToolTip("")
        describe(self.table, "Ranking", "Rank, total, completeness and status of each candidate")
        self.chart = ResultsChart()
        describe(
            self.chart, "Results chart", "Each candidate's total as a bar; disqualified ones greyed"
        )
        self.chart_scroll = scrolled(self.chart)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([300, 480])
        hint = muted(
            "Totals are out of 100; completeness is the share of the weight that has a value. "
            "Disqualified candidates are shown but never ranked; provisional ones wait for a "
            "pass/fail decision. Chances of winning and what would change the winner are in "
            "the Sensitivity tab."
        )
        column(self, self.summary, self.banner, self.splitter, hint, grow=self.splitter)

        session.resultsChanged.connect(self._results_changed)
        session.evaluationChanged.connect(self._results_changed)
        session.readOnlyChanged.connect(lambda _ro: self._show_state())
        self._results_changed()

    def _results_changed(self) -> None:
        self._show_state()
        self._chart_dirty = True
        if self.isVisible():
            self._draw_chart()
            self._fit_table()

    def _fit_table(self) -> None:
        """The table as tall as its rows (up to 45% of the height); the chart gets the rest."""
        rows = self.model.rowCount()
        if rows == self._fitted_rows:
            return
        self._fitted_rows = rows
        wanted = self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 8
        wanted += self.table.verticalHeader().defaultSectionSize() * max(rows, 3)
        total = max(self.splitter.height(), 400)
        table = min(wanted, int(total * 0.45))
        self.splitter.setSizes([table, total - table])

    def _draw_chart(self) -> None:
        self._chart_dirty = False
        self.chart.show_results(self.session.data, self.session.results)

    def _show_state(self) -> None:
        data, results, error = self.session.data, self.session.results, self.session.results_error
        if data is None:
            self.banner.show_message("Open an evaluation to see its results.")
        elif error:
            self.banner.show_message(f"The results cannot be computed: {error}")
        elif self.session.read_only:
            self.banner.show_message("This evaluation is final: these are its results.")
        else:
            self.banner.show_message("")
        self.summary.setText(self._summary() if data and results else "")
        self.table.resizeColumnToContents(CANDIDATE)

    def _summary(self) -> str:
        rows = self.model.results()
        ranked = [r for r in rows if r.rank is not None]
        if not rows:
            return "No candidates yet."
        leaders = [r for r in ranked if r.rank == 1]
        out = len(rows) - len(ranked)
        parts = []
        if leaders:
            names = " and ".join(html.escape(self.model.name(r.candidate_id)) for r in leaders)
            first = "Ranked first" if self.model.final else "Leading"
            parts.append(f"{first}: <b>{names}</b> with {fixed(leaders[0].total)} points")
        else:
            parts.append("No candidate can be ranked")
        if out:
            parts.append(f"{out} disqualified")
        provisional = sum(1 for r in ranked if r.provisional)
        if provisional:
            undecided = "with a gate undecided" if self.model.final else "provisional"
            parts.append(f"{provisional} {undecided}")
        return " · ".join(parts)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._chart_dirty:
            self._draw_chart()
        self._fit_table()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fitted_rows = -1
        self._fit_table()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())  # the chart reads it as it paints
        super().changeEvent(event)
