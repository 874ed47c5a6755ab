"""Results that follow the snapshot: recomputed after each change, never blocking typing.

Requests are coalesced by a zero-delay single-shot timer, so a burst of edits costs one
computation of the newest snapshot. A newly opened evaluation scored on a thread waits a moment
(`after_open`) so the window lays out and paints it first: the scoring thread holds the
interpreter lock in long stretches, and every call the window's layout and painting make into
Python waits for it (the grid showed a fifth later at committee scale).

After one score or consensus edit, `follow` updates the results of the cell, its candidate and
the ranks inline instead (evaluator.live_scoring: well under a millisecond at committee scale),
when the results on show are those of the snapshot the edit was made to; otherwise it requests
a full computation. Small evaluations are scored inline (a few ms); at committee scale (about
50 ms for 50 candidates x 200 criteria x 10 evaluators) the scoring runs on the thread pool
through ui/jobs.py, one computation at a time (the newest snapshot is scored when it ends).
Opening another evaluation discards a running computation: its answer is never delivered.
Snapshots are never mutated (see ui/snapshot.py), so a worker can read one safely.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from evaluator.changes import Change
from evaluator.changes.snapshot import score_places
from evaluator.collector import collector_paused
from evaluator.domain import EvaluationData, Results, leaves
from evaluator.live_scoring import ScoreBook
from evaluator.progress import CancelCheck, Progress
from ui.jobs import FINISHED, Job, JobRunner

INLINE_LIMIT = 20_000  # scores + candidate x leaf cells below which scoring runs inline
KEY = "results"
PAINT_GRACE_MS = 40  # the window's layout and first paint of a new evaluation, with room
UNEXPECTED = "an unexpected error ({error}); please report this"  # after "cannot be computed:"


def small(data: EvaluationData) -> bool:
    """Whether scoring `data` is quick enough to run inline, without a thread's overhead."""
    cells = len(data.candidates) * max(1, len(leaves(data.criteria)))
    return len(data.scores) + cells <= INLINE_LIMIT


def scoring_work(data: EvaluationData) -> Callable[[Progress, CancelCheck], ScoreBook]:
    """Scoring as job work (it is too quick to report progress or stop half-way)."""

    def work(_progress: Progress, _cancel: CancelCheck) -> ScoreBook:
        with collector_paused():  # 100,000 new index entries would set off its passes
            score_places(data)  # ready for the first edit (evaluator.changes.snapshot)
            return ScoreBook.build(data)

    return work


class LiveResults(QObject):
    """Scores `snapshot()` soon after each `request()`; emits `changed` with fresh results."""

    changed = Signal()

    def __init__(
        self, snapshot: Callable[[], EvaluationData | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._snapshot = snapshot
        self.results: Results | None = None
        self.error = ""
        self.last_ms = 0.0  # how long the last computation took, for diagnostics and tests
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._compute)
        self._jobs = JobRunner(self)
        self._dirty = False
        self._book: ScoreBook | None = None  # the results on show and how to update them

    @property
    def pending(self) -> bool:
        return self._timer.isActive() or self._dirty or self._jobs.running(KEY)

    def invalidate(self) -> None:
        """Another evaluation is open: forget the results now, compute new ones soon."""
        self._jobs.discard(KEY)  # its answer describes the previous evaluation
        self._dirty = False
        self.results, self.error, self._book = None, "", None
        self.request()

    def request(self) -> None:
        self._timer.start(0)

    def after_open(self) -> None:
        """The views have taken a newly opened snapshot: when it is scored on a thread, the
        computation starts once the window has had time to paint it."""
        data = self._snapshot()
        if self._timer.isActive() and data is not None and not small(data):
            self._timer.start(PAINT_GRACE_MS)

    def follow(self, before: EvaluationData, after: EvaluationData, change: Change) -> None:
        """The snapshot went from `before` to `after` by one applied change: update the
        results inline when they can follow it, else compute them afresh soon."""
        book = self._book
        if book is not None and book.data is before and not self.pending:
            start = time.perf_counter()
            following = book.after(after, change)
            if following is not None:
                self._book = following
                self._accept(following.results, "", 1000 * (time.perf_counter() - start))
                return
        self._book = None
        self.request()

    def _compute(self) -> None:
        if self._jobs.running(KEY):  # one at a time: the newest snapshot is scored next
            self._dirty = True
            return
        data = self._snapshot()
        if data is None:
            self._book = None
            self._accept(None, "", 0.0)
            return
        self._jobs.start(
            scoring_work(data),
            key=KEY,
            inline=small(data),
            unexpected=UNEXPECTED,
            on_ended=self._ended,
        )

    def _ended(self, job: Job) -> None:
        self._book = job.result if job.outcome == FINISHED else None
        results = self._book.results if self._book is not None else None
        self._accept(results, job.message, job.elapsed_ms)
        if self._dirty:
            self._dirty = False
            self.request()

    def _accept(self, results: Results | None, error: str, ms: float) -> None:
        self.results, self.error, self.last_ms = results, error, ms
        self.changed.emit()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Process events until fresh results are in (for tests and scripts, not for views)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.pending and time.monotonic() < deadline:
            remaining = max(1, int(1000 * (deadline - time.monotonic())))
            self._jobs.wait(remaining, KEY)
        return not self.pending
