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
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from ui.grid.delegates import Banner
from ui.jobs import JobRunner
from ui.results.chart import ResultsChart
from ui.results.model import CANDIDATE, CHANCE, STATUS, ResultsModel, chances_work
from ui.session import EvaluationSession
from ui.widgets import column, muted, scrolled

CHANCES = "chances"  # the job key of the estimate
UNEXPECTED = "The analysis failed because of an unexpected error ({error}). Please report this."


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
        self.chart = ResultsChart()
        self.chart_scroll = scrolled(self.chart)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([300, 480])
        self.robust_button = QPushButton("Estimate &chance of winning")
        self.robust_button.setToolTip(
            "How robust is the ranking to the weights? Re-ranks 1000 times with every weight "
            "varied by up to ±20% (runs in the background)"
        )
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the estimate")
        self.robust_progress = QProgressBar()
        self.robust_progress.setFormat("%p% of the runs")
        self.robust_state = QLabel()
        robust = QHBoxLayout()
        for widget in (self.robust_button, self.robust_progress, self.cancel_button):
            robust.addWidget(widget)
        robust.addWidget(self.robust_state, 1)
        self.robust_progress.hide()
        self.cancel_button.hide()
        self.jobs = JobRunner(self)
        self.robust_button.clicked.connect(self.estimate_chances)
        self.cancel_button.clicked.connect(self.cancel_estimate)
        hint = muted(
            "Totals are out of 100; completeness is the share of the weight that has a value. "
            "Disqualified candidates are shown but never ranked; provisional ones wait for a "
            "pass/fail decision."
        )
        column(self, self.summary, self.banner, self.splitter, robust, hint, grow=self.splitter)

        session.resultsChanged.connect(self._results_changed)
        session.evaluationChanged.connect(self._results_changed)
        session.readOnlyChanged.connect(lambda _ro: self._show_state())
        self._results_changed()

    def _results_changed(self) -> None:
        self.cancel_estimate()  # it would describe results that are gone
        self.table.setColumnHidden(CHANCE, True)
        self._show_state()
        self._chart_dirty = True
        if self.isVisible():
            self._draw_chart()
            self._fit_table()

    # ---- chance of winning (sensitivity analysis) --------------------------------------------

    def estimate_chances(self) -> None:
        data = self.session.data
        if data is None or self.jobs.running(CHANCES) or self.session.results is None:
            return
        self.robust_progress.setValue(0)
        self.robust_progress.show()
        self.cancel_button.show()
        self.robust_button.setEnabled(False)
        self.robust_state.setText("")
        self.jobs.start(
            chances_work(data),
            key=CHANCES,
            unexpected=UNEXPECTED,
            on_progress=self._robust_progress,
            on_finished=self._robust_done,
            on_failed=self._robust_failed,
        )

    def cancel_estimate(self) -> None:
        """Stop it and forget it: a late answer would describe results that are gone."""
        self.jobs.discard(CHANCES)
        self._robust_idle()

    def _robust_progress(self, done: int, total: int) -> None:
        self.robust_progress.setMaximum(total)
        self.robust_progress.setValue(done)

    def _robust_done(self, chances: dict[int, float]) -> None:
        self._robust_idle()
        self.model.set_chances(chances)
        self.table.setColumnHidden(CHANCE, False)
        self.robust_state.setText("Chance of ranking first with every weight varied ±20%.")

    def _robust_failed(self, message: str) -> None:
        self._robust_idle()
        self.robust_state.setText(message)

    def _robust_idle(self) -> None:
        self.robust_progress.hide()
        self.cancel_button.hide()
        self.robust_button.setEnabled(self.session.results is not None)

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
        self.chart.setMinimumHeight(self.chart.preferred_height())

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
            parts.append(f"Leading: <b>{names}</b> with {leaders[0].total:.1f} points")
        else:
            parts.append("No candidate can be ranked")
        if out:
            parts.append(f"{out} disqualified")
        provisional = sum(1 for r in ranked if r.provisional)
        if provisional:
            parts.append(f"{provisional} provisional")
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
            self.model.set_palette(self.palette())
            self.chart.apply_palette(self.palette())
        super().changeEvent(event)
