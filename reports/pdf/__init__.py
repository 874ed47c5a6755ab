"""The client-ready PDF report, laid out with reportlab from a `ReportData`.

The body stays concise at any scale (about 50 pages for 50 candidates x 200 criteria x 10
members); `appendix=True` adds appendix B with the per-criterion detail and the members'
justifications, which the workbook holds in any case.

`render_pdf` is safe to run off the GUI thread: it reports progress after each section and
checks for cancellation there, and it writes through `atomic_path`, so a failed or cancelled
render leaves any existing file untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.atomic import atomic_path
from evaluator.live_files import live_database_problem
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from reports.model import CandidateSection, ReportData

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from reports.pdf.styles import Theme

__all__ = ["render_pdf", "story_parts", "write_pdf"]


def _logo(report: ReportData, warnings: list[str]):  # type: ignore[no-untyped-def]
    """The branding logo as an image reader, or None (with a warning) when it cannot be read."""
    from reportlab.lib.utils import ImageReader

    path = report.meta.branding.logo
    if path is None:
        return None
    problem = live_database_problem(path)  # reading it would drop SQLite's locks on it
    if problem:
        warnings.append(f"The logo {problem}; the report has no logo.")
        return None
    try:
        reader = ImageReader(str(path))
        width, height = reader.getSize()
        if width <= 0 or height <= 0:
            raise ValueError("the image is empty")
        return reader
    except Exception as error:  # any unreadable image: the report is still made without it
        warnings.append(f"The logo {path} could not be read ({error}); the report has no logo.")
        return None


def render_pdf(
    report: ReportData,
    target: str | Path,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    *,
    appendix: bool = False,
) -> list[str]:
    """Write the PDF report to `target` atomically; returns warnings worth showing the user."""
    with atomic_path(target) as temp:
        return write_pdf(report, temp, progress, cancel, appendix=appendix)


def write_pdf(
    report: ReportData,
    path: Path,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    *,
    appendix: bool = False,
) -> list[str]:
    """Lay the report out into `path` directly (callers make the write atomic); `appendix`
    adds appendix B, the per-criterion detail and every printed justification."""
    from reports.pdf.document import Checkpoint, Deferred, ReportDocument, canvas_maker
    from reports.pdf.styles import make_theme

    raise_if_cancelled(cancel)
    warnings = report.meta.branding.problems(check_logo=False)  # the logo is checked below
    theme = make_theme(report.meta.branding)
    doc = ReportDocument(str(path), report, theme, _logo(report, warnings))
    parts = story_parts(report, theme, doc.width, doc.height, appendix)
    total = len(parts) + 1  # the last step is saving the file
    story: list[Flowable] = []
    for done, make in enumerate(parts, start=1):
        story += [Deferred(make), Checkpoint(_reached(done, total, progress, cancel))]
    doc.build(story, canvasmaker=canvas_maker(theme))
    if progress is not None:
        progress(total, total)
    return warnings


def story_parts(
    report: ReportData, theme: Theme, width: float, height: float, appendix: bool = False
) -> list[Callable[[], list[Flowable]]]:
    """The report's sections in order, each a function making its flowables when the layout
    reaches it (the benchmark's bare baseline reads the same content from them)."""
    from reportlab.platypus import PageBreak

    from reports.pdf.sections_agreement import agreement
    from reports.pdf.sections_back import methodology
    from reports.pdf.sections_candidates import candidate_profile, profiles_intro
    from reports.pdf.sections_committee import committee
    from reports.pdf.sections_detail import candidate_detail, detail_front
    from reports.pdf.sections_front import category_comparison, cover, executive_summary
    from reports.pdf.sections_sensitivity import sensitivity

    def profile(i: int, section: CandidateSection) -> Callable[[], list[Flowable]]:
        # the section's intro goes inside the first profile's block, never alone on a page
        intro = profiles_intro(report, theme, appendix) if i == 1 else []
        return lambda: candidate_profile(report, section, i, theme, width, height, intro)

    def detail(section: CandidateSection) -> Callable[[], list[Flowable]]:
        return lambda: candidate_detail(report, section, theme, width)

    parts: list[Callable[[], list[Flowable]]] = [
        lambda: cover(report, theme, appendix),
        lambda: executive_summary(report, theme, width, height),
        lambda: category_comparison(report, theme, width, height),
        *(profile(i, section) for i, section in enumerate(report.candidates, start=1)),
    ]
    if not report.candidates:
        parts.append(lambda: profiles_intro(report, theme, appendix))
    parts += [
        lambda: [PageBreak()],
        lambda: committee(report, theme, width, appendix),
        lambda: sensitivity(report, theme, width),
        lambda: agreement(report, theme, width),
        lambda: methodology(report, theme, width, appendix),
    ]
    if appendix:
        parts += [
            lambda: [PageBreak(), *detail_front(report, theme, width)],
            *(detail(section) for section in report.candidates),
        ]
    return parts


def _reached(
    done: int, total: int, progress: Progress | None, cancel: CancelCheck | None
) -> Callable[[], None]:
    def reached() -> None:
        raise_if_cancelled(cancel)
        if progress is not None:
            progress(done, total)

    return reached
