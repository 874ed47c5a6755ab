"""The Agreement tab: how the committee agrees (evaluator.agreement).

Top, Kendall's W over the members' rankings in a sentence; then each member's leniency and the
criteria where they stand apart, and each criterion's spread of members' scores. A check box adds
the ranking on normalised scores beside the ranking as it stands: shown only, never applied.

It follows the blind-scoring rule as the Sensitivity tab does (ui.analysis_tab): while
`session.blind` nothing is computed or shown, only the sentence saying when it opens (the
session's snapshot then holds no colleague's scores anyway). It follows `session.resultsChanged`,
is computed only while visible, inline for a small evaluation and on the thread pool for a large
one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import EvaluationData, leaves
from ui.accessibility import describe
from ui.agreement.models import MembersModel, NormalisedModel, SpreadModel
from ui.analysis_tab import AnalysisTab
from ui.jobs import Work
from ui.sensitivity.pages import muted
from ui.session import EvaluationSession

if TYPE_CHECKING:
    from evaluator.agreement import Agreement

AGREEMENT = "agreement"
UNEXPECTED = "The agreement failed because of an unexpected error ({error}). Please report this."


def _table(model: object, stretch: int) -> QTableView:
    """A read-only table whose `stretch` column takes the room left (text, not numbers)."""
    table = QTableView()
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def w_sentence(agreement: Agreement, data: EvaluationData) -> str:
    """Kendall's W in figures and words, with who does not rank and why."""
    names = {e.id: e.name for e in data.evaluators}
    return agreement.concordance.sentence(names)


def agreement_work(data: EvaluationData, normalise: bool) -> Work:
    """The agreement of `data` as a job (cancellable between the members' rankings)."""

    def run(_progress, cancel):  # type: ignore[no-untyped-def]
        from evaluator.agreement import committee_agreement

        return committee_agreement(data, normalise, cancel)

    return run


class AgreementView(AnalysisTab):
    opening = "Open an evaluation to see how its committee agrees."
    subject = "The committee's agreement"
    failure = "The agreement cannot be computed"
    unexpected = UNEXPECTED

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.agreement: Agreement | None = None
        self.summary = muted("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # member names are user text
        self.members = MembersModel(self)
        self.spreads = SpreadModel(self)
        self.normalised = NormalisedModel(self)
        self.members_table = _table(self.members, 3)
        self.spread_table = _table(self.spreads, 0)
        self.normalised_table = _table(self.normalised, 0)
        describe(self.members_table, "Members", "Each member's leniency and where they stand apart")
        describe(self.spread_table, "Criteria spread", "Members' spread per criterion")
        describe(self.normalised_table, "Normalised ranking", "Shown only, never applied")
        self.normalise = QCheckBox("Show the ranking on &normalised scores beside it")
        self.normalise.setToolTip(
            "Each member's scores as z-scores (their own mean and spread) mapped back to the "
            "scale with the committee's pooled mean and spread: what the ranking would be if no "
            "member were more lenient or harsher than the others. Shown only, never applied."
        )
        ranking = QGroupBox("Ranking on normalised scores")
        box = QVBoxLayout(ranking)
        box.addWidget(self.normalise)
        box.addWidget(self.normalised_table)
        self.normalised_table.hide()
        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.setObjectName("agreementSplitter")
        for title, table in (
            ("Members: leniency and where they stand apart", self.members_table),
            ("Criteria: spread of the members' scores", self.spread_table),
        ):
            group = QGroupBox(title)
            QVBoxLayout(group).addWidget(table)
            self.body.addWidget(group)
        self.body.addWidget(ranking)
        self.body.setSizes([260, 360, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)

        self.normalise.toggled.connect(self._normalise_toggled)
        for signal in (session.resultsChanged, session.evaluationChanged, session.identityChanged):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Scores (or who is looking) changed: drop what described the old ones, recompute."""
        self.jobs.discard()
        self.agreement = None
        if self.show_reason(self.body, self.summary):
            self._show(None)
            return
        self.stale()

    def compute(self) -> None:
        normalise = self.normalise.isChecked()
        self.start(AGREEMENT, lambda data: agreement_work(data, normalise), self._show)

    def _show(self, agreement: Agreement | None) -> None:
        self.agreement = agreement
        data = self.session.data
        criteria = {leaf.key: leaf.name for leaf in leaves(data.criteria)} if data else {}
        names = {c.id: c.name for c in data.candidates} if data else {}
        if agreement is None or data is None:
            self.members.show([], {})
            self.spreads.show([], {})
            self.normalised.replace([], {})
            self.summary.setText("")
            return
        self.members.show(list(agreement.members), criteria)
        self.spreads.show(list(agreement.spreads), criteria)
        self.normalised.replace(list(agreement.normalised or ()), names)
        self.summary.setText(w_sentence(agreement, data))

    def _normalise_toggled(self, on: bool) -> None:
        self.normalised_table.setVisible(on)
        if on and self.agreement is not None and self.agreement.normalised is None:
            self.compute()

    def prepare_screenshot(self) -> None:
        """tools/screenshots.py: show the normalised ranking too."""
        self.normalise.setChecked(True)
