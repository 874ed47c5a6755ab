"""The quarterly service review as a PDF and a workbook, written together all or nothing.

`export_service_review` reads the review through evaluator.contracts (never a session of its
own), renders both files into owner-tagged temporary files beside their targets and moves them
into place together (evaluator.report_pair, as the evaluation report does), so a failure or a
cancel leaves existing files as they were. Safe to run off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from evaluator.backups import slug
from evaluator.contracts.review import review
from evaluator.db import Database
from evaluator.errors import ServiceError
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from evaluator.records import EvalRef
from evaluator.report_pair import PartialCommit, recover_folders, report_pair
from evaluator.version import app_version
from reports.branding import Branding


@dataclass(frozen=True)
class ReviewFiles:
    pdf: Path
    xlsx: Path
    warnings: tuple[str, ...]


def review_names(evaluation: str, quarter: str) -> tuple[str, str]:
    stem = f"{slug(evaluation)}-service-review-{quarter.strip().upper()}"
    return f"{stem}.pdf", f"{stem}.xlsx"


def export_service_review(
    db: Database,
    evaluation: EvalRef,
    quarter: str,
    folder: str | Path,
    branding: Branding | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    *,
    generated_at: datetime | None = None,
) -> ReviewFiles:
    """Write the quarter's service review (PDF and workbook) into `folder`."""
    from reports.pdf.service_review import ReviewMeta, ReviewReport, write_review_pdf
    from reports.xlsx.service_review import write_review_xlsx

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ServiceError(
            f"cannot write the service review to {folder}: it is a file; give a folder"
        )
    data = review(db, evaluation, quarter)  # a wrong quarter creates no folder
    raise_if_cancelled(cancel)
    try:
        folder.mkdir(parents=True, exist_ok=True)  # like `export`, the folder is made
    except OSError as exc:
        raise ServiceError(f"cannot create the folder {folder}: {exc.strerror}") from exc
    recover_folders([folder])
    contract = data.card.contract
    label = data.quarter.label
    meta = ReviewMeta(
        contract.evaluation,
        data.client,
        label,
        generated_at or datetime.now(UTC),
        branding or Branding(),
        app_version(),
    )
    report = ReviewReport(meta, data)
    pdf_name, xlsx_name = review_names(contract.evaluation, label)
    pdf, xlsx = folder / pdf_name, folder / xlsx_name
    warnings: list[str] = []
    try:
        with report_pair() as pair:
            if progress is not None:
                progress(1, 3)
            warnings += write_review_pdf(report, pair.temp_for(pdf))
            raise_if_cancelled(cancel)
            if progress is not None:
                progress(2, 3)
            warnings += write_review_xlsx(report, pair.temp_for(xlsx))
            raise_if_cancelled(cancel)
    except PartialCommit as error:
        raise ServiceError(f"could not move both files into place: {error}") from error
    except OSError as error:
        raise ServiceError(
            f"could not write the service review in {folder}: {error.strerror or error}; "
            "existing files are unchanged"
        ) from error
    if progress is not None:
        progress(3, 3)
    return ReviewFiles(pdf, xlsx, tuple(dict.fromkeys(warnings)))
