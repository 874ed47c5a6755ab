"""The live Excel workbook, written with XlsxWriter from a `ReportData`.

XlsxWriter rather than openpyxl: it stores each formula's result beside the formula, and it
writes the 900,000 cells of a committee-scale workbook in a fraction of openpyxl's time.

Sheets: Summary (ranking; live formulas, each with the app's result stored), Weights (editable
raw weights), Matrix (normalised values with a colour scale), Sensitivity
(reports.xlsx.sensitivity_sheet), Agreement (reports.xlsx.agreement_sheet), Scores,
Consensus, Responses, Committee, Declarations, Process and Audit (Excel tables with filters).
Written through `atomic_path`; progress is reported and cancellation checked after each sheet.
"""

from __future__ import annotations

from pathlib import Path

from evaluator.atomic import atomic_path
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from evaluator.wording import plural
from reports.model import ReportData

__all__ = ["render_xlsx", "write_xlsx"]


def render_xlsx(
    report: ReportData,
    target: str | Path,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> list[str]:
    """Write the workbook to `target` atomically; returns warnings worth showing the user."""
    with atomic_path(target) as temp:
        return write_xlsx(report, temp, progress, cancel)


def write_xlsx(
    report: ReportData,
    path: Path,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> list[str]:
    """Build the workbook into `path` directly (callers make the write atomic); nothing is
    written when it fails or is cancelled."""
    from reports.xlsx.agreement_sheet import write_agreement
    from reports.xlsx.cells import NOTE_FONT, Book, Truncations, fill, put_text
    from reports.xlsx.model_sheets import write_matrix, write_summary, write_weights
    from reports.xlsx.record_sheets import RECORD_SHEETS
    from reports.xlsx.sensitivity_sheet import write_sensitivity

    steps = 4 + (report.sensitivity is not None) + (report.agreement is not None)
    steps += len(RECORD_SHEETS)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        raise_if_cancelled(cancel)
        if progress is not None:
            progress(done, steps)

    raise_if_cancelled(cancel)
    accent = fill(report.meta.branding.accent)
    cuts = Truncations()
    book = Book(path)
    summary = book.sheet("Summary")
    weights_sheet = book.sheet("Weights")
    matrix_sheet = book.sheet("Matrix")
    weights_first = write_weights(weights_sheet, report, accent, cuts)
    step()
    matrix_rows = write_matrix(matrix_sheet, report, weights_first, accent, cuts)
    step()
    notes_row = write_summary(summary, report, matrix_rows, accent, cuts)
    step()
    if report.sensitivity is not None:  # left out of a report built without it
        write_sensitivity(book.sheet("Sensitivity"), report, accent, cuts)
        step()
    if report.agreement is not None:  # left out with fewer than two members, or not built
        write_agreement(book.sheet("Agreement"), report, accent, cuts)
        step()
    for name, write in RECORD_SHEETS:
        write(book.sheet(name), report, accent, cuts)
        step()

    warnings = report.meta.branding.problems(check_logo=False)
    if cuts.cells:
        listed = ", ".join(cuts.cells[:20]) + (" and more" if len(cuts.cells) > 20 else "")
        count = len(cuts.cells)
        message = (
            f"{plural(count, 'cell')} held more text than Excel allows and "
            f"{'was' if count == 1 else 'were'} shortened, each with a marker and a note: {listed}."
        )
        put_text(summary, notes_row, 1, message, look=NOTE_FONT)
        warnings.append(message)
    book.properties(
        title=report.meta.title, subject=report.meta.subject, creator=report.meta.author
    )
    book.close()  # Excel and LibreOffice recompute on open (fullCalcOnLoad)
    step()
    return warnings
