"""The main window's status bar: which database, who is working, the evaluation's phase and
how far the scoring has got (for a member scoring blind, their own scores only).

Kept apart from ui/main_window.py: the labels only read the session; the window calls
`show_database`, `follow` and `show_progress` when the session says something changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from evaluator.domain import Status
from ui.numbers import percent, progress_percent
from ui.phase_banner import identity_text
from ui.scoring.progress import member_progress
from ui.session import EvaluationSession

STAGE_WORDS = {
    Status.DRAFT: "Draft: set up criteria, candidates and the committee",
    Status.SCORING: "Scoring: committee members enter their scores",
    Status.CONSENSUS: "Consensus: the chair settles disagreements",
    Status.FINAL: "Final: read-only",
}


class StatusLabels:
    """The four permanent labels of the status bar, and what they say."""

    def __init__(self, bar: QStatusBar) -> None:
        self.database = QLabel()
        self.identity = QLabel()
        self.status = QLabel()
        self.progress = QLabel()
        for label in (self.database, self.identity, self.status, self.progress):
            bar.addPermanentWidget(label)
        bar.setSizeGripEnabled(True)

    def show_database(self, location: str) -> None:
        self.database.setText(f"Database: {location}" if location else "No database open")
        self.database.setToolTip(location)

    def follow(self, session: EvaluationSession) -> None:
        """Who is working and the evaluation's phase (with what it means, in the tooltip)."""
        self.identity.setText(identity_text(session))
        data = session.data
        self.status.setText(f"Status: {data.status.value}" if data else "")
        self.status.setToolTip(STAGE_WORDS[data.status] if data else "")

    def show_progress(self, session: EvaluationSession) -> None:
        """'Scores entered: 8 of 12 (67 %)'; a member scoring blind counts their own only."""
        blind = session.blind  # then a member counts their own scores, the chair none
        mine = session.member_id if blind else None
        if blind:  # the member's own sheet, read as the Scoring tab reads it
            progress = member_progress(session, mine)
            self.progress.setText(f"Your scores: {progress.text()}" if progress.total else "")
            self.progress.setToolTip("Your own scores on rated criteria (an abstention is done)")
            return
        entered, expected = session.score_progress()
        if session.data is None or expected == 0:
            self.progress.setText("")
            return
        results = session.results
        self.progress.setText(
            f"Scores entered: {entered} of {expected} ({progress_percent(entered, expected)})"
        )
        if results is not None and results.candidates:
            mean = sum(r.completeness for r in results.candidates) / len(results.candidates)
            average = percent(mean, 0, spaced=True)
            self.progress.setToolTip(
                f"Committee scores entered on rated criteria. On average {average} "
                "of each candidate's weight has a value (scores, consensus, answers)."
            )
