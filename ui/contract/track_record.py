"""Closing the loop in the Candidates tab: when the client evaluated before and a candidate
held a contract then, its delivered record (the latest quarter's verdict, breaches and credits)
is shown beside its new promises. Read on the thread pool (it computes scorecards)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from evaluator import contracts
from ui.accessibility import describe
from ui.jobs import JobRunner
from ui.session import EvaluationSession
from ui.widgets import muted

if TYPE_CHECKING:
    from evaluator.contracts.review import TrackRecord


class TrackRecordLabel(QWidget):
    """A line per candidate with a record under the same client's earlier contracts."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.records: list[TrackRecord] = []
        self.label = muted()
        describe(self.label, "Track record", "Candidates' delivery under earlier contracts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self.jobs = JobRunner(self)
        session.evaluationChanged.connect(self.refresh)
        session.candidatesChanged.connect(self.refresh)
        self.hide()
        self.refresh()

    def refresh(self) -> None:
        db, data = self.session.db, self.session.data
        if db is None or data is None or not data.client:
            self._show([])
            return
        ref = data.id
        self.jobs.start(
            lambda _p, _c: contracts.track_records(db, ref),
            key="records",
            on_finished=self._show,
            on_failed=lambda _message: self._show([]),
        )

    def _show(self, records: list[TrackRecord]) -> None:
        self.records = list(records)
        self.label.setText(
            "Track record with this client:\n"
            + "\n".join(f"• {r.candidate}: {r.sentence()}" for r in records)
        )
        self.setVisible(bool(records))
