"""The Sensitivity tab: how robust the committee's result is.

Top: what would flip the winner, for every category and criterion (table and chart). Below, two
pages: chances of winning and rank ranges from a seeded simulation (run on the thread pool,
cancellable), and the ranking under each stakeholder group's weighting set, which the chair adds,
edits and removes as undoable changes.

It follows the blind-scoring rule as the ranking does: while `session.blind`, nothing of the
analysis is computed or shown, only the sentence saying when it opens. The analysis follows
`session.resultsChanged`, computed only while the tab is visible; a simulation describes the
results it ran on, so it is dropped when they change.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from ui.accessibility import describe
from ui.analysis_tab import AnalysisTab
from ui.sensitivity.pages import CLOSE_CALL_TEXT, FlipsPanel, OddsPage, SetsPage
from ui.sensitivity.set_dialog import WeightSetDialog
from ui.sensitivity.work import (
    AddWeightSet,
    EditWeightSet,
    RemoveWeightSet,
    analysis_work,
    simulation_work,
)
from ui.session import EvaluationSession
from ui.widgets import muted

if TYPE_CHECKING:
    from evaluator.robustness import Simulation

ANALYSIS, SIMULATION = "analysis", "simulation"
UNEXPECTED = "The analysis failed because of an unexpected error ({error}). Please report this."


class SensitivityView(AnalysisTab):
    opening = "Open an evaluation to see how robust its result is."
    subject = "The sensitivity analysis"
    failure = "The analysis cannot be computed"
    unexpected = UNEXPECTED

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.simulation: Simulation | None = None
        self.leader = muted("")
        self.flips = FlipsPanel()
        self.odds = OddsPage()
        self.sets = SetsPage()
        self.pages = QTabWidget()
        describe(self.pages, "Sensitivity views")
        self.pages.addTab(self.odds, "Chance of winning")
        self.pages.addTab(self.sets, "Weighting sets")
        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.setObjectName("sensitivitySplitter")
        self.body.addWidget(self.flips)
        self.body.addWidget(self.pages)
        self.body.setSizes([380, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.leader)
        layout.addWidget(self.body, 1)

        self.odds.run_button.clicked.connect(self.run_simulation)
        self.odds.cancel_button.clicked.connect(lambda: self.jobs.cancel(SIMULATION))
        self.odds.new_seed.clicked.connect(
            lambda: self.odds.seed.setValue(random.randrange(self.odds.seed.maximum()))
        )
        self.odds.vary_weights.toggled.connect(self.odds.concentration.setEnabled)
        self.sets.add_button.clicked.connect(self.add_set)
        self.sets.edit_button.clicked.connect(self.edit_set)
        self.sets.remove_button.clicked.connect(self.remove_set)
        self.sets.chooser.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.sets.table.horizontalHeader().sectionDoubleClicked.connect(self._column_edited)
        for signal in (session.resultsChanged, session.evaluationChanged, session.identityChanged):
            signal.connect(self.refresh)
        session.readOnlyChanged.connect(lambda _ro: self._update_buttons())
        self.refresh()

    # ---- following the session ---------------------------------------------------------------

    def refresh(self) -> None:
        """Results (or who is looking) changed: drop what described the old ones, recompute."""
        self.jobs.discard()
        self._fill_chooser()
        had_simulation = self.simulation is not None
        self.simulation = None
        self.odds.set_running(False)
        self._show_simulation(None)
        if self.show_reason(self.body, self.leader):
            for model in (self.flips.model, self.odds.model):
                model.replace([], {})
            self.sets.model.show(None, {}, {})
            self._update_buttons()
            return
        if had_simulation:
            self.odds.state.setText("The evaluation changed since the last run: run it again.")
        self.stale()
        self._update_buttons()

    def _names(self) -> dict[int, str]:
        data = self.session.data
        return {c.id: c.name for c in data.candidates} if data else {}

    def compute(self) -> None:
        self.start(ANALYSIS, analysis_work, self._analysed)

    def _analysed(self, result: tuple[Any, Any]) -> None:
        rows, comparison = result
        names = self._names()
        self.flips.model.replace(rows, names)
        self.flips.chart.show_rows(rows, names)
        data = self.session.data
        notes = {s.id: s.note for s in data.weight_sets} if data else {}
        self.sets.model.show(comparison, names, notes)
        self.sets.verdict.setText(comparison.sentence(names))
        results = self.session.results
        first = [r for r in results.candidates if r.rank == 1] if results else []
        self.leader.setText(
            f"Leader: <b>{names.get(first[0].candidate_id, '?')}</b> with "
            f"{first[0].total:.1f} points."
            if first
            else "No candidate can be ranked yet."
        )
        self._update_buttons()

    # ---- the simulation ----------------------------------------------------------------------

    def run_simulation(self) -> None:
        data = self.session.data
        if data is None or self.hidden_reason or self.jobs.running(SIMULATION):
            return
        settings = self.odds.settings()
        self.odds.progress.setValue(0)
        self.odds.set_running(True)
        self.odds.state.setText(f"Running: {settings.describe()}…")
        self.jobs.start(
            simulation_work(data, settings),
            key=SIMULATION,
            unexpected=UNEXPECTED,
            on_progress=self._progress,
            on_finished=self._simulated,
            on_failed=self._stopped,
            on_cancelled=lambda: self._stopped("Stopped: nothing was changed."),
        )

    def _progress(self, done: int, total: int) -> None:
        self.odds.progress.setMaximum(total)
        self.odds.progress.setValue(done)

    def _simulated(self, simulation: Simulation) -> None:
        self.odds.set_running(False)
        self.simulation = simulation
        self._show_simulation(simulation)
        self.odds.state.setText(
            f"{simulation.settings.describe()}. The same seed gives the same figures."
        )

    def _stopped(self, message: str) -> None:
        self.odds.set_running(False)
        self.odds.state.setText(message)

    def _show_simulation(self, simulation: Simulation | None) -> None:
        names = self._names()
        self.odds.model.show(simulation, names)
        self.odds.chart.show_simulation(simulation, names)
        if simulation is not None and simulation.close_call:
            leader = names.get(simulation.leader_id or 0, "?")
            chance = 100 * (simulation.leader_chance or 0.0)
            self.odds.close_call.show_message(CLOSE_CALL_TEXT.format(leader=leader, chance=chance))
        else:
            self.odds.close_call.show_message("")

    def prepare_screenshot(self) -> None:
        """For tools/screenshots.py: the simulation run (inline), its page on top."""
        data = self.session.data
        if data is None or self.hidden_reason:
            return
        self.compute()
        self.pages.setCurrentWidget(self.odds)
        self.jobs.start(
            simulation_work(data, self.odds.settings()),
            key=SIMULATION,
            inline=True,
            on_finished=self._simulated,
        )

    def extra_screenshots(self) -> list[tuple[str, Any]]:
        """For tools/screenshots.py: the weighting-sets page as well."""
        return [("weighting-sets", lambda: self.pages.setCurrentWidget(self.sets))]

    # ---- weighting sets (the chair's) --------------------------------------------------------

    def _fill_chooser(self) -> None:
        """The sets by name, keeping the one picked when it is still there."""
        chooser = self.sets.chooser
        picked = chooser.currentData()
        data = self.session.data
        chooser.blockSignals(True)
        chooser.clear()
        for weight_set in data.weight_sets if data else []:
            chooser.addItem(weight_set.name, weight_set.id)
        index = chooser.findData(picked)
        chooser.setCurrentIndex(index if index >= 0 else 0)
        chooser.blockSignals(False)

    def _column_edited(self, section: int) -> None:
        """Double-clicking a set's column header edits that set."""
        comparison = self.sets.model.comparison
        columns = comparison.columns if comparison else ()
        if 1 <= section <= len(columns) and columns[section - 1].set_id is not None:
            self.sets.chooser.setCurrentIndex(
                self.sets.chooser.findData(columns[section - 1].set_id)
            )
            self.edit_set()

    def picked_set(self):  # type: ignore[no-untyped-def]
        data = self.session.data
        sets = data.weight_sets if data else []
        return next((s for s in sets if s.id == self.sets.chooser.currentData()), None)

    def _may_edit(self) -> bool:
        return self.session.editable and self.session.is_chair and not self.session.blind

    def _update_buttons(self) -> None:
        may = self._may_edit()
        picked = self.picked_set() is not None
        self.sets.add_button.setEnabled(may)
        self.sets.edit_button.setEnabled(may and picked)
        self.sets.remove_button.setEnabled(may and picked)
        if self.session.data is None:
            self.sets.who.setText("")
        elif not self.session.editable:
            self.sets.who.setText("This evaluation is final: its weighting sets are locked.")
        elif not self.session.is_chair:
            self.sets.who.setText("Only the chair adds, edits or removes weighting sets.")
        else:
            self.sets.who.setText("")

    def add_set(self) -> None:
        if not self._may_edit():
            return
        dialog = WeightSetDialog(self.session, None, self)
        if dialog.exec() and dialog.result_set is not None:
            self.session.execute(AddWeightSet(self.session, dialog.result_set))

    def edit_set(self) -> None:
        before = self.picked_set()
        if before is None or not self._may_edit():
            return
        dialog = WeightSetDialog(self.session, before, self)
        if dialog.exec() and dialog.result_set is not None:
            self.session.execute(EditWeightSet(self.session, before, dialog.result_set))

    def remove_set(self) -> None:
        seen = self.picked_set()
        if seen is not None and self._may_edit():
            self.session.execute(RemoveWeightSet(self.session, seen))
