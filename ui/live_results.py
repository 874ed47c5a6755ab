"""Results that follow the snapshot: recomputed after each change, never blocking typing.

Requests are coalesced by a zero-delay single-shot timer, so a burst of edits costs one
computation of the newest snapshot. Small evaluations are scored inline (a few ms); at
committee scale (about 50 ms for 50 candidates x 200 criteria x 10 evaluators) the scoring
runs on the global QThreadPool, one computation at a time, and stale answers are dropped.
Snapshots are never mutated (see ui/snapshot.py), so a worker can read one safely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
)

from evaluator.domain import EvaluationData, Results, ScoringError, leaves
from evaluator.scoring import score_evaluation

log = logging.getLogger("supportscope.ui")

INLINE_LIMIT = 20_000  # scores + candidate x leaf cells below which scoring runs inline


def score_safely(data: EvaluationData) -> tuple[Results | None, str]:
    """Results, or None and the message the user must see (a set-up problem or a bug)."""
    try:
        return score_evaluation(data), ""
    except ScoringError as exc:
        return None, str(exc)
    except Exception as exc:  # a bug in scoring must not take the window down
        log.exception("scoring failed")
        return None, f"The results could not be computed: {exc}"


class _Relay(QObject):
    """Lives in the GUI thread; a worker emits through it, so the slot runs queued."""

    done = Signal(int, object, str, float)


class _ScoringTask(QRunnable):
    def __init__(self, generation: int, data: EvaluationData, relay: _Relay) -> None:
        super().__init__()
        self._generation, self._data, self._relay = generation, data, relay

    def run(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        results, error = score_safely(self._data)
        self._relay.done.emit(self._generation, results, error, clock.nsecsElapsed() / 1e6)


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
        self._relay = _Relay(self)
        self._relay.done.connect(self._ready)
        self._generation = 0
        self._running = False
        self._dirty = False
        self._task: _ScoringTask | None = None

    @property
    def pending(self) -> bool:
        return self._timer.isActive() or self._running or self._dirty

    def invalidate(self) -> None:
        """Another evaluation is open: forget the results now, compute new ones soon."""
        self._generation += 1
        self.results, self.error = None, ""
        self.request()

    def request(self) -> None:
        self._timer.start()

    def _compute(self) -> None:
        if self._running:  # one at a time; the newest snapshot is scored when this one ends
            self._dirty = True
            return
        data = self._snapshot()
        self._generation += 1
        if data is None:
            self._accept(None, "", 0.0)
            return
        cells = len(data.candidates) * max(1, len(leaves(data.criteria)))
        if len(data.scores) + cells <= INLINE_LIMIT:
            clock = QElapsedTimer()
            clock.start()
            results, error = score_safely(data)
            self._accept(results, error, clock.nsecsElapsed() / 1e6)
            return
        self._running = True
        self._task = _ScoringTask(self._generation, data, self._relay)
        QThreadPool.globalInstance().start(self._task)

    def _ready(self, generation: int, results: Results | None, error: str, ms: float) -> None:
        self._running = False
        self._task = None
        if generation == self._generation:
            self._accept(results, error, ms)
        if self._dirty:
            self._dirty = False
            self.request()

    def _accept(self, results: Results | None, error: str, ms: float) -> None:
        self.results, self.error, self.last_ms = results, error, ms
        self.changed.emit()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Process events until fresh results are in (for tests and scripts, not for views)."""
        clock = QElapsedTimer()
        clock.start()
        while self.pending and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents()
            QThreadPool.globalInstance().waitForDone(5)
        QCoreApplication.processEvents()
        return not self.pending
