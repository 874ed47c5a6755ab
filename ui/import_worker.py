"""Run a Qt-free import job on the thread pool, with progress, cancel and a result signal.

The job is any callable `job(progress, cancel) -> result` from the core (previewing or applying
questionnaires and scoresheets). It never touches a widget: progress and the outcome travel
back through queued signals of a QObject that lives in the GUI thread. Expected failures (a
rejected file, a refused action) arrive as one sentence on `failed`; a bug arrives there too,
worded as such, and is logged with its traceback, so the window never goes down.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from evaluator.progress import CancelCheck, Cancelled, Progress
from evaluator.questionnaire.problems import ImportRefused
from evaluator.workbook_guard import WorkbookRejected
from ui.errors import USER_ERRORS, user_message

log = logging.getLogger("supportscope.ui")

Job = Callable[[Progress, CancelCheck], Any]


class WorkerSignals(QObject):
    """Created in the GUI thread, so connected slots run there (queued)."""

    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # the job's result
    failed = Signal(str)  # a sentence for the user
    cancelled = Signal()


class ImportTask(QRunnable):
    """One job on the pool; `cancel()` asks it to stop at its next check."""

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.signals = WorkerSignals()
        self._job = job
        self._stop = threading.Event()
        self.setAutoDelete(False)  # the owner keeps it (and its signals) alive

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        try:
            result = self._job(self.signals.progress.emit, self._stop.is_set)
        except Cancelled:
            self.signals.cancelled.emit()
        except (WorkbookRejected, ImportRefused) as exc:
            self.signals.failed.emit(str(exc))  # a sentence that starts with the file's name
        except USER_ERRORS as exc:
            self.signals.failed.emit(user_message(exc))
        except Exception as exc:  # a bug: say so, keep the window alive
            log.exception("import job failed")
            self.signals.failed.emit(
                f"The import stopped because of an unexpected error ({exc.__class__.__name__}: "
                f"{exc}); nothing more was changed. Please report this."
            )
        else:
            self.signals.finished.emit(result)


def start(
    job: Job,
    *,
    on_finished: Callable[[Any], None],
    on_failed: Callable[[str], None],
    on_cancelled: Callable[[], None],
    on_progress: Callable[[int, int], None] | None = None,
    pool: QThreadPool | None = None,
) -> ImportTask:
    """Connect the callbacks, then queue `job` (connecting first: a fast job loses nothing)."""
    task = ImportTask(job)
    task.signals.finished.connect(on_finished)
    task.signals.failed.connect(on_failed)
    task.signals.cancelled.connect(on_cancelled)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(task)
    return task
