"""Starting the desktop app: the QApplication, settings identity, crash safety, the window.

`run_app(db)` opens the main window on `db` (a path or URL), else the database used last time,
else the default one in the user's data folder. With `SUPPORTSCOPE_EXIT_AFTER_START=1` it quits
as soon as the window is shown and its database read, logging its title: how a build
(tools/build_bundle.py) checks that the window starts without anyone closing it.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from evaluator.db_url import APP_NAME, default_database
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
    """The main window on `db`, else the last database, else the default one.

    With `paint_first` the window's frame is shown and painted before the rest of the app is
    imported (that takes longer than Qt itself: SQLAlchemy, the views); the rest is imported on a
    worker thread while the frame keeps answering, then the window is built, and the database
    is read in the background (a large evaluation takes a second or more) while the window says
    "Opening…" and stays responsive."""
    from ui.main_window import BUILD_MODULES, MainWindow

    settings = settings if settings is not None else AppSettings()
    window = MainWindow(settings=settings, deferred=paint_first)
    if paint_first:
        window.show()
        QApplication.processEvents()  # the first paint: the frame, before the rest is imported
        import_while_responsive(BUILD_MODULES)
        window.build()
    from ui.export.choices import finish_interrupted_export

    finish_interrupted_export(settings)
    target = db or settings.last_database() or default_database()
    window.start_page.open_location(target, later=paint_first)
    return window


def import_while_responsive(names: tuple[str, ...]) -> None:
    """Import modules on a worker thread while this (GUI) thread keeps handling events, so
    the window can be moved or resized meanwhile. A module that fails is left for the
    caller's own import to report, where its error is handled as before."""

    def work() -> None:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception:  # imported again by the caller, which reports it
                return

    worker = threading.Thread(target=work, name="supportscope-imports", daemon=True)
    worker.start()
    while worker.is_alive():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        worker.join(0.01)


def start_window(db: str | None = None) -> MainWindow:
    """What `run_app` does before the event loop: logging, the application, crash safety and
    the window (its frame painted first). The start-up benchmark times this very path."""
    from evaluator.logs import setup_logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    where = setup_logging()
    logging.getLogger("supportscope.ui").info("window starting; log file %s", where)
    make_application()
    install_excepthook()
    return create_main_window(db, paint_first=True)


def run_app(db: str | None = None) -> int:
    """Open the window and run until it closes; returns the exit status."""
    window = start_window(db)
    if not window.isVisible():  # closed while it was starting
        return 0
    app = make_application()
    if os.environ.get("SUPPORTSCOPE_EXIT_AFTER_START") == "1":
        window.session.wait_for_open()  # the check covers reading the database too
        log = logging.getLogger("supportscope.ui")
        QTimer.singleShot(0, lambda: log.info("window shown: %s", window.windowTitle()))
        QTimer.singleShot(0, app.quit)
    return app.exec()
