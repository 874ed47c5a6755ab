"""Starting the desktop app: the QApplication, settings identity, crash safety, the window.

`run_app(db)` opens the main window on `db` (a path or URL), else the database used last time,
else the default one in the user's data folder. With `SUPPORTSCOPE_EXIT_AFTER_START=1` it quits
as soon as the window is shown and its database read, logging its title: how a build
(tools/build_bundle.py) checks that the window starts without anyone closing it.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from evaluator.db import APP_NAME, default_database
from ui.errors import install_excepthook
from ui.settings import ORGANISATION, AppSettings

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DESKTOP_FILE = "supportscope"  # packaging/supportscope.desktop: the Linux menu entry and icon
ICONS = Path(__file__).resolve().parent / "icons"  # made by tools/make_icon.py


def app_icon() -> QIcon:
    """The SupportScope icon at every size shipped (16 to 512 px), for windows and task bars."""
    icon = QIcon()
    for path in sorted(ICONS.glob("supportscope-*.png")):
        icon.addFile(str(path))
    return icon


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (reused when one exists, e.g. under pytest-qt)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Qt 6 scales for high DPI by itself; pass fractional factors through (125 %, 150 %)
    # instead of rounding them, so text and icons are neither blurry nor oversized.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(app_icon())
    return app


def create_main_window(
    db: str | None = None, settings: AppSettings | None = None, *, paint_first: bool = False
) -> MainWindow:
    """The main window on `db`, else the last database, else the default one. With
    `paint_first` the window is shown and painted before the database is opened, and the
    database is read in the background (a large evaluation takes a second or more) while the
    window says "Opening…" and stays responsive."""
    from ui.export.choices import finish_interrupted_export
    from ui.main_window import MainWindow

    settings = settings if settings is not None else AppSettings()
    finish_interrupted_export(settings)
    window = MainWindow(settings=settings)
    target = db or settings.last_database() or default_database()
    if not paint_first:
        window.start_page.open_location(target)
        return window
    window.show()
    QApplication.processEvents()  # the first paint, before any database work
    window.start_page.open_location(target, later=True)
    return window


def run_app(db: str | None = None) -> int:
    """Open the window and run until it closes; returns the exit status."""
    from evaluator.logs import setup_logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    where = setup_logging()
    logging.getLogger("supportscope.ui").info("window starting; log file %s", where)
    app = make_application()
    install_excepthook()
    window = create_main_window(db, paint_first=True)
    window.show()
    if os.environ.get("SUPPORTSCOPE_EXIT_AFTER_START") == "1":
        window.session.wait_for_open()  # the check covers reading the database too
        log = logging.getLogger("supportscope.ui")
        QTimer.singleShot(0, lambda: log.info("window shown: %s", window.windowTitle()))
        QTimer.singleShot(0, app.quit)
    return app.exec()
