"""What the export dialog (ui/export/dialog.py) suggests and remembers: the kinds of file, a
default file name per evaluation, the folder and kinds exported last time (in the app's
settings); and the one-line branding summary it shows.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from reports.branding import Branding
from ui.settings import AppSettings

FOLDER_KEY, PDF_KEY, XLSX_KEY = "export/folder", "export/pdf", "export/xlsx"
APPENDIX_KEY = "export/appendix"  # the PDF's optional appendix B (off unless asked for)
APPENDIX_TEXT = "Add the &appendix to the PDF: every criterion's detail and justification"
APPENDIX_TIP = (
    "The report stays concise at any scale; the appendix adds each member's justifications "
    "and every criterion's detail (hundreds of pages for a large evaluation). The workbook "
    "holds them in any case."
)
KINDS = {  # kind: (what it is, check box text, file chooser filter)
    "pdf": ("PDF report", "&PDF report", "PDF files (*.pdf)"),
    "xlsx": ("Excel workbook", "E&xcel workbook", "Excel workbooks (*.xlsx)"),
}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def default_name(evaluation: str, suffix: str) -> str:
    """'<evaluation> report.pdf', with characters file systems refuse replaced by '-'."""
    stem = _UNSAFE.sub("-", evaluation).strip(" .-") or "SupportScope"
    return f"{stem} report.{suffix}"


def last_folder(settings: AppSettings) -> Path:
    """The folder exported to last, else Documents, else the home folder."""
    saved = str(settings.store.value(FOLDER_KEY, "") or "")
    if saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def finish_interrupted_export(settings: AppSettings) -> None:
    """At start-up, finish (or discard) a report pair a killed export left in the folder
    exported to last, and remove its stale temporary files (`evaluator.report_pair`)."""
    from evaluator.report_pair import recover_folder

    saved = str(settings.store.value(FOLDER_KEY, "") or "")
    if saved and Path(saved).is_dir():
        recover_folder(saved)


def remember_folder(settings: AppSettings, folder: Path) -> None:
    settings.store.setValue(FOLDER_KEY, str(folder))


def kind_wanted(settings: AppSettings, kind: str) -> bool:
    """Whether this kind of file was exported last time (both are, the first time)."""
    return _flag(settings, PDF_KEY if kind == "pdf" else XLSX_KEY, True)


def appendix_wanted(settings: AppSettings) -> bool:
    """Whether the last export asked for the PDF's appendix (not the first time)."""
    return _flag(settings, APPENDIX_KEY, False)


def _flag(settings: AppSettings, key: str, default: bool) -> bool:
    value = settings.store.value(key, default)
    return value if isinstance(value, bool) else str(value).lower() not in ("false", "0", "")


def branding_summary(branding: Branding) -> str:
    """One rich-text line: firm, prepared by, accent swatch, logo; then any problems."""
    firm, by, logo = branding.firm_name.strip(), branding.prepared_by.strip(), branding.logo
    if not (firm or by or logo) and branding.accent == Branding().accent:
        text = "No branding: the reports carry SupportScope's own look."
    else:
        who = f"<b>{html.escape(firm)}</b>" if firm else "No firm name"
        if by:
            who += f" · prepared by {html.escape(by)}"
        accent = f"Accent <span style='color:{branding.accent}'>■</span> {branding.accent}"
        shown = f"logo: {html.escape(logo.name)}" if logo else "no logo"
        text = f"{who}<br>{accent} · {shown}"
    problems = branding.problems()
    if problems:
        text += "<br><i>" + " ".join(html.escape(p) for p in problems) + "</i>"
    return text
