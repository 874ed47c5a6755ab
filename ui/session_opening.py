"""Opening a database off the GUI thread, so a large evaluation never freezes the window.

Reading 100,000 scores (and importing the database layer at a cold start) takes a second or
more: `open_database_later` reads the database and the evaluation on the thread pool
(`ui.jobs.JobRunner`) while the window stays responsive and says "Opening…"; the snapshot is
installed on the GUI thread when it is in. The worker touches no Qt object, and its SQLite
connections are closed before it returns: the GUI thread opens its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance

from ui.jobs import FINISHED, Job, JobRunner

if TYPE_CHECKING:
    from evaluator.db import Database
    from evaluator.domain import EvaluationData
    from evaluator.services import EvaluationSummary

KEY = "open"


def pick_evaluation(summaries: list[EvaluationSummary], wanted: int | None) -> int | None:
    """`wanted` when the database holds it, else the most recently changed evaluation."""
    if wanted in {s.id for s in summaries}:
        return wanted
    latest = max(summaries, key=lambda s: s.updated_at, default=None)
    return latest.id if latest else None


@dataclass(frozen=True)
class Opened:
    """What the worker read: the database, which evaluation, and its stored snapshot."""

    db: Database
    evaluation_id: int | None
    data: EvaluationData | None


def read_database(
    target: str, evaluation_id: int | None, create: bool, *, on_pool: bool = True
) -> Opened:
    """Open the database and read the evaluation (Qt-free; on a pool thread, or with
    `on_pool` False on the caller's). A file's damage check runs beside the read, and its
    verdict comes first: a damaged file is refused with the way out, whatever the read said."""
    from evaluator import services
    from evaluator.db import open_database

    db = open_database(target, create=create, check_meanwhile=True)
    try:
        try:
            chosen = pick_evaluation(services.list_evaluations(db), evaluation_id)
            data = services.load_evaluation(db, chosen) if chosen is not None else None
        finally:
            db.confirm_integrity()
    except BaseException:
        db.close()
        raise
    if on_pool:
        db.engine.dispose()  # this thread's connections go: the GUI thread opens its own
    return Opened(db, chosen, data)


class SessionOpening:
    """The background open of `EvaluationSession` (see its module docstring)."""

    # owned and set up by EvaluationSession
    _opener: JobRunner
    _opening: str
    openingChanged: SignalInstance
    errorRaised: SignalInstance

    def may_leave(self) -> bool:  # provided by EvaluationSession
        raise NotImplementedError

    def _install(
        self, db: Database, evaluation_id: int | None, data: EvaluationData | None
    ) -> bool:
        raise NotImplementedError  # provided by EvaluationSession

    @property
    def opening(self) -> str:
        """The database being opened in the background ("" when none is)."""
        return self._opening

    def open_database_later(
        self,
        target: str,
        evaluation_id: int | None = None,
        *,
        create: bool = True,
        on_opened: Callable[[bool], object] | None = None,
    ) -> bool:
        """Start opening a database and its evaluation (as `open_database`) in the background;
        False when a leave guard kept the open evaluation. `openingChanged(target)` says it
        started, `openingChanged("")` that it ended; `on_opened(ok)` follows on success or
        failure (failures are emitted on `errorRaised`), not when another open replaced it."""
        if not self.may_leave():
            return False

        def work(_progress: object, _cancel: object) -> Opened:
            return read_database(target, evaluation_id, create)

        def ended(job: Job) -> None:
            self._set_opening("")
            ok = job.outcome == FINISHED and self._install(
                job.result.db, job.result.evaluation_id, job.result.data
            )
            if job.outcome != FINISHED:
                self.errorRaised.emit(job.message)
            if on_opened is not None:
                on_opened(ok)

        self._set_opening(target)
        self._opener.start(work, key=KEY, on_ended=ended)
        return True

    def _set_opening(self, target: str) -> None:
        if target != self._opening:
            self._opening = target
            self.openingChanged.emit(target)

    def stop_opening(self) -> None:
        """Forget a background open (another database is being opened or closed now)."""
        self._opener.discard(KEY)
        self._set_opening("")

    def wait_for_open(self, timeout_ms: int = 30_000) -> bool:
        """Process events until a background open has ended (for tests and scripts)."""
        return self._opener.wait(timeout_ms, KEY)
