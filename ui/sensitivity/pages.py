"""The three parts of the Sensitivity tab, laid out; the view decides what they show.

- `FlipsPanel`: what would flip the winner (table of every category and criterion, and a chart
  of the ones that can);
- `OddsPage`: the simulation's settings (draws, seed, concentration, what varies), its run and
  cancel buttons and progress, the close-call notice, the chances table and chart;
- `SetsPage`: the ranking under each weighting set, the verdict, and the chair's buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaluator.simulation_settings import (
    CLOSE_CALL,
    DEFAULT_CONCENTRATION,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    MAX_DRAWS,
    Settings,
)
from ui.accessibility import describe
from ui.grid.delegates import Banner
from ui.numbers import localise
from ui.sensitivity.charts import FlipChart, OddsChart
from ui.sensitivity.models import FlipModel, OddsModel, SetsModel
from ui.widgets import muted, scrolled


def table_view(model: object, stretch: int | None = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(60)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class FlipsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FlipModel(self)
        self.table = table_view(self.model, stretch=0)  # the new leader is never cut
        describe(self.table, "Weight changes that change the winner")
        self.chart = FlipChart()
        describe(
            self.chart,
            "Weight-to-flip chart",
            "How far each weight may move before the winner changes",
        )
        self.title = QLabel("<b>What would change the winner</b>")
        hint = muted(
            "For each category and criterion: the smallest change of its weight (its siblings "
            "keep their proportions) at which another candidate draws level with the leader, "
            "in points of its share of the whole evaluation, and who then leads."
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("sensitivityFlipSplitter")
        split.addWidget(self.table)
        split.addWidget(scrolled(self.chart))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([745, 555])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addWidget(split, 1)


class OddsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draws = QSpinBox(minimum=100, maximum=MAX_DRAWS, singleStep=1000)
        self.draws.setValue(DEFAULT_DRAWS)
        self.draws.setGroupSeparatorShown(True)
        self.draws.setToolTip("How many times the candidates are re-ranked")
        self.seed = QSpinBox(minimum=0, maximum=2_147_483_647)
        self.seed.setValue(DEFAULT_SEED)
        self.seed.setToolTip("The same seed and settings give the same figures")
        self.new_seed = QPushButton("New seed")
        self.new_seed.setToolTip("Pick another seed at random (the one used is always shown)")
        self.concentration = QDoubleSpinBox(minimum=0.5, maximum=100_000.0, decimals=1)
        localise(self.concentration)
        self.concentration.setValue(DEFAULT_CONCENTRATION)
        self.concentration.setToolTip(
            "How closely drawn weights follow the current ones (Dirichlet concentration κ): a "
            "share s varies by about √(s(1−s)/(κ+1)); higher is closer"
        )
        self.vary_weights = QCheckBox("Vary the weights", checked=True)
        self.resample = QCheckBox("Resample members' scores", checked=True)
        self.resample.setToolTip(
            "In each draw, every cell the members' scores decide takes the aggregate of a "
            "bootstrap sample of those scores"
        )
        self.run_button = QPushButton("&Run simulation")
        self.cancel_button = QPushButton("Cancel")
        self.progress = QProgressBar()
        self.progress.setFormat("%p% of the draws")
        self.progress.hide()
        self.cancel_button.hide()
        settings, actions = QHBoxLayout(), QHBoxLayout()
        for row, items in (
            (settings, (("Draws", self.draws), ("Seed", self.seed), (None, self.new_seed),
                        ("Concentration κ", self.concentration))),
            (actions, ((None, self.vary_weights), (None, self.resample),
                       (None, self.run_button), (None, self.cancel_button))),
        ):  # fmt: skip
            for label, widget in items:
                if label:
                    row.addWidget(QLabel(label, buddy=widget))
                row.addWidget(widget)
        settings.addStretch(1)
        actions.addWidget(self.progress, 2)
        actions.addStretch(1)  # the buttons keep their size while the progress bar is hidden
        self.close_call = Banner()
        self.state = muted("")
        self.model = OddsModel(self)
        self.table = table_view(self.model, stretch=0)  # the names take the room: no empty strip
        describe(self.table, "Chances and rank ranges")
        self.chart = OddsChart()
        describe(
            self.chart,
            "Chance of winning chart",
            "Each candidate's share of first places in the draws",
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("sensitivityOddsSplitter")
        split.addWidget(self.table)
        split.addWidget(scrolled(self.chart))
        split.setSizes([640, 660])
        layout = QVBoxLayout(self)
        layout.addLayout(settings)
        layout.addLayout(actions)
        layout.addWidget(self.close_call)
        layout.addWidget(self.state)
        layout.addWidget(split, 1)

    def settings(self) -> Settings:
        return Settings(
            draws=self.draws.value(),
            seed=self.seed.value(),
            concentration=self.concentration.value() if self.vary_weights.isChecked() else None,
            resample=self.resample.isChecked(),
        )

    def set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        for widget in (self.run_button, self.draws, self.seed, self.new_seed, self.concentration,
                       self.vary_weights, self.resample):  # fmt: skip
            widget.setEnabled(not running)
        self.concentration.setEnabled(not running and self.vary_weights.isChecked())


CLOSE_CALL_TEXT = (
    "Close call: {leader} ranks first in only {chance} of the draws (below "
    f"{100 * CLOSE_CALL:.0f}%). Another reasonable set of weights or scores could change the "
    "winner."
)


class SetsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = QLabel(wordWrap=True)
        self.model = SetsModel(self)
        self.table = table_view(self.model, stretch=None)
        self.table.horizontalHeader().setMinimumSectionSize(96)
        describe(self.table, "Ranks under each weighting set")
        self.add_button = QPushButton("&Add weighting set…")
        self.chooser = QComboBox(minimumContentsLength=16)
        self.chooser.setToolTip("The weighting set to edit or remove")
        describe(self.chooser, "Weighting set to edit or remove")
        self.edit_button = QPushButton("E&dit…")
        self.remove_button = QPushButton("Re&move")
        self.who = muted("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addSpacing(12)
        for widget in (self.chooser, self.edit_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addWidget(self.who, 1)
        hint = muted(
            "A weighting set is one stakeholder group's own full set of weights (clinical, IT, "
            "finance, …). The scores stay the same; each column ranks the candidates under one "
            "set: rank (total). A tinted cell is a set under which someone else leads."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
