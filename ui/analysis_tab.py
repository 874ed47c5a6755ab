"""What the tabs that analyse the committee's scores (Sensitivity, Agreement) share: the
blind-scoring rule and the recompute-when-seen rhythm.

While `session.blind` (or with no evaluation, or results that cannot be computed) such a tab
computes and shows nothing but a banner saying why and when it opens. Otherwise it follows the
session's results: a change marks it stale, and the work runs when the tab is visible, inline for
a small evaluation and on the thread pool for a large one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from evaluator.domain import EvaluationData
from ui.grid.delegates import DANGER_HUE, WARNING_HUE, Banner
from ui.jobs import JobRunner, Work
from ui.live_results import small
from ui.session import EvaluationSession


class AnalysisTab(QWidget):
    """The base: subclasses word what they show and implement `compute`."""

    opening = ""  # shown with no evaluation open: "Open an evaluation to see ..."
    subject = ""  # what opens once the committee has submitted: "The sensitivity analysis"
    failure = ""  # before the results' error: "The analysis cannot be computed"
    unexpected = ""  # a bug's message; "{error}" becomes the exception

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.jobs = JobRunner(self)
        self.banner = Banner()
        self._dirty = True

    @property
    def hidden_reason(self) -> str:
        """Why nothing is shown ("" when the analysis may be shown)."""
        session = self.session
        if session.data is None:
            return self.opening
        if session.blind:
            return session.blind_reason(self.subject)
        if session.results_error:
            return f"{self.failure}: {session.results_error}"
        return ""

    def show_reason(self, *hidden: QWidget) -> str:
        """Say in the banner why nothing is shown (red when it is the blind rule or an error,
        not a missing evaluation) and hide `hidden`; returns the reason ("" when shown)."""
        reason = self.hidden_reason
        blocked = bool(reason) and self.session.data is not None
        self.banner.show_message(reason, DANGER_HUE if blocked else WARNING_HUE)
        for widget in hidden:
            widget.setVisible(not reason)
        return reason

    def stale(self) -> None:
        """The results changed: compute again now if the tab is seen, else when it is."""
        self._dirty = True
        if self.isVisible():
            self.compute()

    def start(
        self, key: str, work: Callable[[EvaluationData], Work], on_finished: Callable[[Any], Any]
    ) -> None:
        """Run `work(data)` for the data shown now (nothing while it may not be shown)."""
        data = self.session.data
        if data is None or self.hidden_reason:
            return
        self._dirty = False
        self.jobs.start(
            work(data),
            key=key,
            inline=small(data),
            unexpected=self.unexpected,
            on_finished=on_finished,
            on_failed=lambda message: self.banner.show_message(message, DANGER_HUE),
        )

    def compute(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.compute()
