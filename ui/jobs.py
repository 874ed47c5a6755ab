"""The one runner for background work: a Qt-free callable on the thread pool, its progress,
cancel and outcome delivered on the GUI thread.

Work is any `work(progress, cancel) -> result` (the protocol of evaluator/progress.py).
`JobRunner.start` runs it on a QThreadPool, or inline when asked, and returns a `Job`: the
handle the GUI keeps. The work never touches a widget. A pool thread only calls the work and
emits through the task's relay: a QObject owned by the application, never by a Python
reference, so neither a worker thread nor the garbage collector can delete it; it deletes
itself on the GUI thread once the task has emitted its last signal. So a runner (or the window
that owns it) may be deleted while work runs: the relay then has no receiver and nothing
arrives. The GUI thread alone decides what is delivered, so these hold without races:
- progress arrives in order; reports that come faster than the event loop runs are merged
  into the newest one, so a busy job cannot flood the loop;
- `Job.cancel()` asks the work to stop; what it did is still said (`cancelled` when it raised
  `Cancelled`, `finished` when it completed anyway, so a file written is never reported unwritten);
- `Job.discard()`, and starting a job with the key of a running one, also asks it to stop,
  and nothing of it is delivered any more, however late it ends;
- a failure becomes one sentence on `failed`: a refusal the user can act on is passed as it
  is, a bug is logged with its traceback and worded as such. Nothing escapes to crash.
When the application quits, each runner discards its jobs and waits for them (`shutdown`).
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from evaluator.domain import ScoringError
from evaluator.progress import CancelCheck, Cancelled, Progress
from evaluator.questionnaire.problems import ImportRefused
from evaluator.workbook_rejection import WorkbookRejected
from ui.errors import USER_ERRORS, user_message

log = logging.getLogger("supportscope.ui")

Work = Callable[[Progress, CancelCheck], Any]
# sentences the core wrote to be shown as they are (some start with a file's name)
VERBATIM: tuple[type[BaseException], ...] = (WorkbookRejected, ImportRefused, ScoringError)
UNEXPECTED = "The work stopped because of an unexpected error ({error}). Please report this."
FINISHED, FAILED, CANCELLED = "finished", "failed", "cancelled"
_PROGRESS = "progress"


def failure_message(exc: BaseException, unexpected: str = UNEXPECTED) -> str:
    """The sentence for a failed job; a bug is logged with its traceback first."""
    if isinstance(exc, VERBATIM):
        return str(exc)
    if isinstance(exc, USER_ERRORS):
        return user_message(exc)
    log.error("background job failed", exc_info=exc)
    return unexpected.replace("{error}", f"{exc.__class__.__name__}: {exc}")


def _execute(
    work: Work, progress: Progress, cancel: CancelCheck, unexpected: str
) -> tuple[str, Any, float]:
    """(outcome, result or (message, exception) or None, milliseconds): never raises."""
    started = time.perf_counter()
    try:
        if cancel():  # cancelled while it waited for a thread
            raise Cancelled
        outcome, payload = FINISHED, work(progress, cancel)
    except Cancelled:
        outcome, payload = CANCELLED, None
    except Exception as exc:
        # logged with its traceback; kept without, so no frame (nor what it holds) outlives it
        outcome, payload = FAILED, (failure_message(exc, unexpected), exc.with_traceback(None))
    return outcome, payload, 1000 * (time.perf_counter() - started)


class Job(QObject):
    """The GUI's handle on one run. Its signals are emitted on the GUI thread only."""

    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # the work's result
    failed = Signal(str)  # one sentence for the user
    cancelled = Signal()
    ended = Signal(object)  # this job, after any of the three above

    def __init__(self, key: str | None) -> None:
        super().__init__()
        self.key = key
        self.outcome = ""  # FINISHED, FAILED or CANCELLED once ended
        self.result: Any = None
        self.message = ""
        self.error: BaseException | None = None
        self.elapsed_ms = 0.0  # how long the work itself ran
        self.discarded = False
        self._stop = threading.Event()  # shared with the pool thread

    @property
    def done(self) -> bool:
        return bool(self.outcome)

    @property
    def active(self) -> bool:
        """Still expected to report: neither ended nor discarded."""
        return not self.outcome and not self.discarded

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; its outcome is still delivered."""
        self._stop.set()

    def discard(self) -> None:
        """Ask the work to stop and deliver nothing more of it."""
        self.discarded = True
        self._stop.set()


class _Relay(QObject):
    """Created in the GUI thread, so slots connected to it run there (queued). Its owner is the
    application; it deletes itself on the GUI thread after its task's last emit returned."""

    event = Signal(int, str, object, float)  # job number, kind, payload, milliseconds

    def __init__(self, ended: threading.Event) -> None:
        super().__init__(QCoreApplication.instance())
        self._ended = ended
        self.event.connect(self._reap)

    def _reap(self, _number: int, kind: str, _payload: object, _ms: float) -> None:
        if kind != _PROGRESS:
            self._ended.wait(1.0)  # set by the pool thread just after its last emit
            self.deleteLater()


class _Task:
    """What a pool thread runs; it touches only its own fields and the relay it holds."""

    def __init__(self, number: int, work: Work, unexpected: str, stop: threading.Event) -> None:
        self.number, self.unexpected, self.stop = number, unexpected, stop
        self.work: Work | None = work
        self.ended = threading.Event()
        self.relay = _Relay(self.ended)
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None
        self._posted = False

    def report(self, done: int, total: int) -> None:
        with self._lock:
            self._latest = (done, total)
            if self._posted:  # the GUI has not read the last one yet: it will read this one
                return
            self._posted = True
        self.relay.event.emit(self.number, _PROGRESS, None, 0.0)

    def take_progress(self) -> tuple[int, int] | None:
        with self._lock:
            latest, self._latest, self._posted = self._latest, None, False
        return latest

    def run(self) -> None:
        try:
            assert self.work is not None
            outcome, payload, ms = _execute(
                self.work, self.report, self.stop.is_set, self.unexpected
            )
            self.work = None  # let its data go now, not when the GUI thread gets round to it
            self.relay.event.emit(self.number, outcome, payload, ms)
        finally:
            self.ended.set()


def _stop_all(live: dict[int, tuple[_Task | None, Job]]) -> None:
    """The runner is being deleted: ask its work to stop (nothing can be delivered now)."""
    for _task, job in live.values():
        job.discard()


class JobRunner(QObject):
    """Starts work in the background (or inline) and delivers its outcome on the GUI thread.

    Give it a parent whose lifetime bounds the jobs' meaning (a dialog, a view): deleting the
    runner discards its jobs.
    """

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._live: dict[int, tuple[_Task | None, Job]] = {}
        self._numbers = itertools.count(1)
        self.destroyed.connect(functools.partial(_stop_all, self._live))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def start(
        self,
        work: Work,
        *,
        key: str | None = None,
        inline: bool = False,
        unexpected: str = UNEXPECTED,
        on_progress: Callable[[int, int], Any] | None = None,
        on_finished: Callable[[Any], Any] | None = None,
        on_failed: Callable[[str], Any] | None = None,
        on_cancelled: Callable[[], Any] | None = None,
        on_ended: Callable[[Job], Any] | None = None,
    ) -> Job:
        """Run `work`; a running job with the same `key` is discarded first. Callbacks are
        connected before the work starts, so an inline job has delivered when this returns.
        `unexpected` words a bug: "{error}" becomes the exception's class and text."""
        if key is not None:
            self.discard(key)
        job = Job(key)
        for signal, slot in (
            (job.progress, on_progress),
            (job.finished, on_finished),
            (job.failed, on_failed),
            (job.cancelled, on_cancelled),
            (job.ended, on_ended),
        ):
            if slot is not None:
                signal.connect(slot)
        number = next(self._numbers)
        if inline:
            self._live[number] = (None, job)
            try:
                outcome, payload, ms = _execute(
                    work, self._inline_report(job), job._stop.is_set, unexpected
                )
            finally:
                del self._live[number]
            if not job.discarded:
                self._conclude(job, outcome, payload, ms)
            return job
        task = _Task(number, work, unexpected, job._stop)
        task.relay.event.connect(self._deliver)
        self._live[number] = (task, job)
        self._pool.start(task.run)
        return job

    @staticmethod
    def _inline_report(job: Job) -> Progress:
        def report(done: int, total: int) -> None:
            if job.active:
                job.progress.emit(done, total)

        return report

    def _jobs(self, key: str | None) -> list[Job]:
        return [job for _t, job in self._live.values() if key is None or job.key == key]

    def running(self, key: str | None = None) -> bool:
        """True while a job (with this key) may still deliver something."""
        return any(job.active for job in self._jobs(key))

    def cancel(self, key: str | None = None) -> None:
        for job in self._jobs(key):
            job.cancel()

    def discard(self, key: str | None = None) -> None:
        for job in self._jobs(key):
            job.discard()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Discard every job and wait for the pool threads to leave them; True when all did."""
        tasks = [task for task, _job in self._live.values() if task is not None]
        self.discard()
        deadline = time.monotonic() + timeout_ms / 1000
        return all(task.ended.wait(max(0.0, deadline - time.monotonic())) for task in tasks)

    def wait(self, timeout_ms: int = 10_000, key: str | None = None) -> bool:
        """Process events until no job (with this key) is running (for tests and scripts)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            QCoreApplication.processEvents()
            tasks = [t for t, job in self._live.values() if t is not None and job.active]
            if not self.running(key) or time.monotonic() >= deadline:
                return not self.running(key)
            if tasks:
                tasks[0].ended.wait(0.005)

    def _deliver(self, number: int, kind: str, payload: object, ms: float) -> None:
        task, job = self._live.get(number, (None, None))
        if task is None or job is None:
            return
        if kind == _PROGRESS:
            latest = task.take_progress()
            if latest is not None and job.active:
                job.progress.emit(*latest)
            return
        del self._live[number]
        if not job.discarded:
            self._conclude(job, kind, payload, ms)

    @staticmethod
    def _conclude(job: Job, outcome: str, payload: Any, ms: float) -> None:
        job.outcome, job.elapsed_ms = outcome, ms
        if outcome == FINISHED:
            job.result = payload
            job.finished.emit(payload)
        elif outcome == FAILED:
            job.message, job.error = payload
            job.failed.emit(job.message)
        else:
            job.cancelled.emit()
        job.ended.emit(job)
