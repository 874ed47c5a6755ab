"""Where the main window was: its geometry, dock state, splitter sizes and last tab, kept in
the settings between runs, and its size on a first start (fitted to a 1366×768 laptop).

Kept apart from ui/main_window.py, which lays out and follows the session; these functions
only read and write `AppSettings` for a window that has `settings`, `tabs`, `tab`, `show_tab`
and `tab_title` (the MainWindow).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow

MOVED = "movedByUser"  # a splitter's property: the user dragged it, so its sizes are kept


def restore_geometry(window: MainWindow) -> None:
    """Where the window was last time, else fitted to the screen."""
    geometry = window.settings.geometry()
    if geometry is None or not window.restoreGeometry(geometry):
        fit_to_screen(window)


def restore(window: MainWindow, geometry: bool = True) -> None:
    """Geometry (else fitted to the screen; left alone with `geometry=False`, when the frame
    already showed it), state, the splitters' sizes and the last tab."""
    settings = window.settings
    if geometry:
        restore_geometry(window)
    state = settings.window_state()
    if state is not None:
        window.restoreState(state)
    for splitter in window.findChildren(QSplitter):
        sizes = settings.splitter_sizes(splitter.objectName())
        if splitter.objectName() and sizes and len(sizes) == splitter.count():
            splitter.setSizes(sizes)
        splitter.splitterMoved.connect(lambda *_, s=splitter: s.setProperty(MOVED, True))
    last = settings.last_tab()
    if last and window.tab(last) is not None:
        window.show_tab(last)


def fit_to_screen(window: QWidget, width: int = 1280, height: int = 820) -> None:
    """The main window's first start (or a large dialog's): `width`×`height`, or the
    available screen when smaller (a 1366×768 laptop), centred on it."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    room = screen.availableGeometry()
    frame = 40  # the title bar and borders the window manager adds around the window
    window.resize(min(width, room.width() - 16), min(height, room.height() - frame))
    window.move(room.center() - window.rect().center())


def save(window: MainWindow) -> None:
    """Geometry, state, the sizes of the splitters the user saw or moved, the current tab."""
    settings = window.settings
    settings.save_window(QByteArray(window.saveGeometry()), QByteArray(window.saveState()))
    for splitter in window.findChildren(QSplitter):
        # only sizes the user set or saw: a splitter never shown has no real sizes yet
        shown = splitter.isVisible() or splitter.property(MOVED)
        if splitter.objectName() and shown and all(splitter.sizes()):
            settings.set_splitter_sizes(splitter.objectName(), splitter.sizes())
    settings.set_last_tab(window.tab_title(window.tabs.currentIndex()))
    settings.sync()
