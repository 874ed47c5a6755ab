"""Help ▸ User guide, Help ▸ Open log folder and Help ▸ About: what a member needs to help
themselves, and what a hospital's IT desk asks for in a support ticket (version, database
location, library versions, where the log is), copyable in one click."""

from __future__ import annotations

import importlib
import platform
import sys
from importlib.resources import files

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from evaluator.logs import log_file, log_folder
from evaluator.version import app_version

# (name shown, module): the module's own __version__, whatever distribution installed it
LIBRARIES = (
    ("PySide6", "PySide6"),
    ("SQLAlchemy", "sqlalchemy"),
    ("Alembic", "alembic"),
    ("openpyxl", "openpyxl"),
    ("reportlab", "reportlab"),
    ("NumPy", "numpy"),
    ("psycopg", "psycopg"),
)


def guide_text() -> str:
    """The built-in guide (Markdown), shipped with the package."""
    return files("ui.help").joinpath("guide.md").read_text(encoding="utf-8")


def support_details(database: str) -> str:
    """The lines a support ticket needs, as plain text."""
    lines = [
        f"SupportScope {app_version()}",
        f"Database: {database or 'none open'}",
        f"Log file: {log_file()}",
        f"Python {platform.python_version()} on {platform.platform()}",
    ]
    for name, module in LIBRARIES:
        try:
            version = getattr(importlib.import_module(module), "__version__", "?")
        except ImportError:
            version = "not installed"
        lines.append(f"{name} {version}")
    lines.append(f"Executable: {sys.executable}")
    return "\n".join(lines)


class AboutDialog(QDialog):
    """What SupportScope is, and the support details with a Copy button."""

    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About SupportScope")
        layout = QVBoxLayout(self)
        title = QLabel(
            f"<h3>SupportScope {app_version()}</h3><p>Structured, defensible comparison of EHR "
            "vendor support and third-party support outsourcers for hospital selection "
            "committees. Every score is kept with its justification; every change is recorded "
            "in a tamper-evident audit trail.</p>"
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(QLabel("For a support ticket:"))
        self.details = QPlainTextEdit(support_details(database))
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Support details")
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("&Copied")


class GuideDialog(QDialog):
    """The user guide, readable beside the window (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle("SupportScope user guide")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_text())
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(760, 640)


def open_log_folder() -> bool:
    """Show the log folder in the system's file manager (created if it is not there yet)."""
    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
