"""The audit check of an evaluation being opened, off the GUI thread at committee scale.

Checking the hash chain against every stored score reads the whole evaluation a second time
(about as long as loading it): the window paints and the grid shows first, and the red bar
appears when the check has spoken. A small evaluation is checked inline, before `open` returns.
At committee scale the check waits for the evaluation's first results: on two threads of one
interpreter it would otherwise slow the ranking the user is waiting for by a third.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from evaluator.audit_verify import warning
from evaluator.db import Database
from evaluator.progress import CancelCheck, Progress
from ui.jobs import FINISHED, Job, JobRunner
from ui.live_results import INLINE_LIMIT, LiveResults

KEY = "audit"


class AuditCheck(QObject):
    """Emits `checked("")` when an evaluation's record holds, else the sentence to show."""

    checked = Signal(str)

    def __init__(self, parent: QObject | None = None, results: LiveResults | None = None) -> None:
        super().__init__(parent)
        self._jobs = JobRunner(self)
        self._results = results  # a large evaluation's check waits for these to come in
        self._held: Callable[[Progress, CancelCheck], str] | None = None
        if results is not None:
            results.changed.connect(self._release)

    def start(self, db: Database | None, evaluation_id: int | None, size: int = 0) -> None:
        """Check this evaluation (None: nothing open, no warning); `size` (its score count)
        decides whether the check runs inline or, held until the results are in, behind."""
        self._jobs.discard(KEY)  # a check of the previous evaluation is no longer news
        self._held = None
        if db is None or evaluation_id is None:
            self.checked.emit("")
            return
        inline = size <= INLINE_LIMIT
        if not inline:
            self.checked.emit("")  # the previous evaluation's warning goes at once

        def work(_progress: Progress, cancel: CancelCheck) -> str:
            return warning(db, evaluation_id, cancel)

        if not inline and self._results is not None and self._results.pending:
            self._held = work
            return
        self._jobs.start(work, key=KEY, inline=inline, on_ended=self._ended)

    @property
    def held(self) -> bool:
        """True while the check waits for the results."""
        return self._held is not None

    def _release(self) -> None:
        if self._held is not None and self._results is not None and not self._results.pending:
            work, self._held = self._held, None
            self._jobs.start(work, key=KEY, on_ended=self._ended)

    def stop(self) -> None:
        """Stop the running check within a few thousand rows (its database is closing)."""
        self._held = None
        self._jobs.discard(KEY)

    def _ended(self, job: Job) -> None:
        if job.outcome == FINISHED:
            self.checked.emit(job.result)
        else:
            self.checked.emit(f"The audit trail could not be checked: {job.message}")

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Process events until the check has spoken (for tests and scripts)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._held is not None and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        left = max(0, int(1000 * (deadline - time.monotonic())))
        return self._held is None and self._jobs.wait(left, KEY)
