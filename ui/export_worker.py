"""The report export as a job for the thread pool: progress, Cancel, one sentence on failure.

The running is ui/import_worker's (a QRunnable whose queued signals bring progress and the
outcome back to the GUI thread); this module only shapes `reports.export.export_reports` as
such a job. The export reads the database through the core's services and writes each file
to a temporary file moved into place at the end, so a failure or a cancel leaves existing
files byte-identical. A bug is still reported as an export failure, in those words, and
logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool

from evaluator.db import Database
from evaluator.progress import CancelCheck, Cancelled, Progress
from reports.branding import Branding
from reports.export import ExportError, ExportResult, export_reports
from ui import import_worker
from ui.errors import USER_ERRORS

log = logging.getLogger("supportscope.ui")

ExportTask = import_worker.ImportTask  # the same runner: `cancel()`, `signals`


def export_job(
    db: Database,
    evaluation: int,
    pdf: Path | None,
    xlsx: Path | None,
    branding: Branding,
) -> Callable[[Progress, CancelCheck], ExportResult]:
    """`job(progress, cancel) -> ExportResult`, raising ExportError or Cancelled."""

    def job(progress: Progress, cancel: CancelCheck) -> ExportResult:
        try:
            return export_reports(
                db, evaluation, pdf, xlsx, branding, progress=progress, cancel=cancel
            )
        except (Cancelled, *USER_ERRORS):
            raise
        except Exception as exc:  # a bug: worded as an export failure, not an import one
            log.exception("export failed")
            raise ExportError(
                f"the export stopped because of an unexpected error ({exc.__class__.__name__}: "
                f"{exc}); existing files are unchanged. Please report this"
            ) from exc

    return job


def start_export(
    db: Database,
    evaluation: int,
    pdf: Path | None,
    xlsx: Path | None,
    branding: Branding,
    *,
    on_finished: Callable[[ExportResult], Any],
    on_failed: Callable[[str], Any],
    on_cancelled: Callable[[], Any],
    on_progress: Callable[[int, int], Any] | None = None,
    pool: QThreadPool | None = None,
) -> ExportTask:
    """Queue the export; keep the returned task until one of the callbacks has run."""
    return import_worker.start(
        export_job(db, evaluation, pdf, xlsx, branding),
        on_finished=on_finished,
        on_failed=on_failed,
        on_cancelled=on_cancelled,
        on_progress=on_progress,
        pool=pool,
    )
