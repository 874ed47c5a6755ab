"""Export an evaluation as the client PDF and/or the live Excel workbook, in one call.

Used by the window (on a worker thread, with progress and a cancel button) and by the
`export` command. Both honour blind scoring the same way: `viewer` is who asks (a member or
the chair; see `evaluator.visibility.require_committee_view`), and the chair's export during
blind scoring is a look at live results, recorded in the audit before the report is made (so
the report's process record shows it). The database is read only through
`evaluator.services`; both files are
rendered from one `ReportData`, written to temporary files beside their targets, and moved into
place together at the end (`evaluator.report_pair`: journaled, so even a kill between the moves
never leaves a new workbook beside an old PDF), so a failure or a cancel leaves every existing
file byte-identical. Each export first finishes a pair a killed export left in its folders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from evaluator import services
from evaluator.audit_verify import verify
from evaluator.db import Database
from evaluator.identity import Identity
from evaluator.progress import CancelCheck, Cancelled, Progress, raise_if_cancelled
from evaluator.report_pair import PartialCommit, recover_folders, report_pair
from evaluator.scoring import score_evaluation
from evaluator.services import ServiceError
from evaluator.services.committee import committee_history
from evaluator.services.process import view_live_results
from evaluator.simulation_settings import Settings
from evaluator.version import app_version
from evaluator.visibility import require_committee_view
from reports.agreement_data import build_agreement
from reports.branding import Branding
from reports.data import build_report
from reports.model import ReportData
from reports.sensitivity_data import build_sensitivity

__all__ = ["ExportError", "ExportResult", "app_version", "export_reports"]

_SCALE = 1000  # progress is reported as (done, 1000)


class ExportError(ServiceError):
    """An export could not be completed; the message names the file and the reason."""


@dataclass(frozen=True)
class ExportResult:
    pdf_path: Path | None
    xlsx_path: Path | None
    warnings: tuple[str, ...]


def _check_target(path: Path, kind: str) -> None:
    """Fail before any work when the file cannot possibly be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"cannot write the {kind} to {path}: it is a folder")
    if not folder.is_dir():
        raise ExportError(f"cannot write the {kind} to {path}: the folder {folder} does not exist")


def _stage(
    progress: Progress | None, start: float, span: float
) -> Callable[[int, int], None] | None:
    """Map a renderer's own (done, total) onto its share of the whole export."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        share = done / total if total else 1.0
        progress(int(_SCALE * (start + span * share)), _SCALE)

    return report


def export_reports(
    db: Database,
    evaluation: int | str,
    pdf_path: str | Path | None = None,
    xlsx_path: str | Path | None = None,
    branding: Branding | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    *,
    generated_at: datetime | None = None,
    viewer: Identity | None = None,
    live_view: bool = False,
    why: str = "report export",
    simulation: Settings | None = None,
    appendix: bool = False,
) -> ExportResult:
    """Score the evaluation and write the requested reports; raises `ExportError` on failure
    (existing files untouched), `Cancelled` when `cancel` asked to stop, and
    `evaluator.visibility.NotVisible` (nothing written) when `viewer` may not see the
    committee's scores now. `live_view`: the chair looks at live results during blind scoring,
    recorded with `why`. `simulation` sets the sensitivity section's draws and seed (default:
    evaluator.simulation_settings). `appendix` adds the PDF's appendix B: the per-criterion
    detail and the members' justifications (long at committee scale; the workbook has them)."""
    pdf = Path(pdf_path) if pdf_path is not None else None
    xlsx = Path(xlsx_path) if xlsx_path is not None else None
    if pdf is None and xlsx is None:
        raise ExportError("nothing to export: give a PDF file, an Excel file, or both")
    if pdf is not None and xlsx is not None and pdf.resolve() == xlsx.resolve():
        raise ExportError(f"the PDF and the Excel file cannot both be {pdf}")
    for path, kind in ((pdf, "PDF"), (xlsx, "Excel workbook")):
        if path is not None:
            _check_target(path, kind)
    recover_folders(path for path in (pdf, xlsx) if path is not None)

    raise_if_cancelled(cancel)
    data = services.load_evaluation(db, evaluation)
    if require_committee_view(data, viewer, "the committee's report", live_view):
        view_live_results(db, data.id, why, actor=viewer)
    audit = services.audit_trail(db, data.id)
    history = committee_history(db, data.id)
    verdict = verify(db, data.id)
    results = score_evaluation(data)
    sensitivity = build_sensitivity(data, simulation, _stage(progress, 0.0, 0.1), cancel)
    report = build_report(
        data,
        results,
        audit,
        branding or Branding(),
        app_version(),
        generated_at or datetime.now(UTC),
        chain=(verdict.intact, verdict.sentence()),
        history=history,
        sensitivity=sensitivity,
        # after require_committee_view: a member scoring blind never gets this far
        agreement=build_agreement(data, cancel),
    )
    if progress is not None:
        progress(int(_SCALE * 0.1), _SCALE)
    warnings = _write_files(report, pdf, xlsx, progress, cancel, appendix)
    if progress is not None:
        progress(_SCALE, _SCALE)
    return ExportResult(pdf, xlsx, tuple(dict.fromkeys(warnings)))


def _write_files(
    report: ReportData,
    pdf: Path | None,
    xlsx: Path | None,
    progress: Progress | None,
    cancel: CancelCheck | None,
    appendix: bool = False,
) -> list[str]:
    """Render into temporary files and move both into place only when both are complete."""
    from reports.pdf import write_pdf
    from reports.xlsx import write_xlsx

    pdf_span = 0.0 if pdf is None else (0.6 if xlsx is not None else 0.9)
    warnings: list[str] = []
    current = ""
    try:
        with report_pair() as pair:
            temps: dict[str, Path] = {}
            for kind, path in (("PDF", pdf), ("Excel workbook", xlsx)):
                if path is not None:
                    current = f"the {kind} {path}"
                    temps[kind] = pair.temp_for(path)
            if pdf is not None:
                current = f"the PDF {pdf}"
                stage = _stage(progress, 0.1, pdf_span)
                warnings += write_pdf(report, temps["PDF"], stage, cancel, appendix=appendix)
            if xlsx is not None:
                current = f"the Excel workbook {xlsx}"
                warnings += write_xlsx(
                    report,
                    temps["Excel workbook"],
                    _stage(progress, 0.1 + pdf_span, 0.9 - pdf_span),
                    cancel,
                )
            current = "the finished files into place"
    except Cancelled:
        raise
    except PartialCommit as error:
        raise ExportError(f"could not move every report into place: {error}") from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(
            f"could not write {current or 'the reports'}: {reason}; existing files are unchanged"
        ) from error
    except Exception as error:
        raise ExportError(
            f"could not make {current or 'the reports'} ({error.__class__.__name__}: {error}); "
            "existing files are unchanged"
        ) from error
    return warnings
