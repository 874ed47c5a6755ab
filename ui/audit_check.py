"""The audit check of an evaluation being opened, off the GUI thread at committee scale.

Checking the hash chain against every stored score reads the whole evaluation a second time
(about as long as loading it): the window paints and the grid shows first, and the red bar
appears when the check has spoken. A small evaluation is checked inline, before `open` returns.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from evaluator.audit_verify import warning
from evaluator.db import Database
from evaluator.progress import CancelCheck, Progress
from ui.jobs import FINISHED, Job, JobRunner
from ui.live_results import INLINE_LIMIT

KEY = "audit"


class AuditCheck(QObject):
    """Emits `checked("")` when an evaluation's record holds, else the sentence to show."""

    checked = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = JobRunner(self)

    def start(self, db: Database | None, evaluation_id: int | None, size: int = 0) -> None:
        """Check this evaluation (None: nothing open, no warning); `size` (its score count)
        decides whether the check runs inline."""
        self._jobs.discard(KEY)  # a check of the previous evaluation is no longer news
        if db is None or evaluation_id is None:
            self.checked.emit("")
            return
        inline = size <= INLINE_LIMIT
        if not inline:
            self.checked.emit("")  # the previous evaluation's warning goes at once

        def work(_progress: Progress, cancel: CancelCheck) -> str:
            return warning(db, evaluation_id, cancel)

        self._jobs.start(work, key=KEY, inline=inline, on_ended=self._ended)

    def stop(self) -> None:
        """Stop the running check within a few thousand rows (its database is closing)."""
        self._jobs.discard(KEY)

    def _ended(self, job: Job) -> None:
        if job.outcome == FINISHED:
            self.checked.emit(job.result)
        else:
            self.checked.emit(f"The audit trail could not be checked: {job.message}")

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Process events until the check has spoken (for tests and scripts)."""
        return self._jobs.wait(timeout_ms, KEY)
