"""The window's two-step start (issue 12): a frame paints first, the rest is imported on a
worker thread while the frame keeps answering, then the window is built in place."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QTabWidget

from ui.app import import_while_responsive
from ui.main_window import MainWindow
from ui.settings import AppSettings


def test_the_frame_says_it_starts_and_build_fills_the_same_window(qtbot) -> None:
    window = MainWindow(settings=AppSettings(), deferred=True)
    qtbot.addWidget(window)
    window.show()
    texts = [label.text() for label in window.centralWidget().findChildren(QLabel)]
    assert "<b>SupportScope</b>" in texts and "Starting…" in texts
    assert not window.built and window.findChild(QTabWidget) is None
    assert window.statusBar().currentMessage() == "Starting…"

    window.build()
    assert window.built and window.isVisible()
    assert window.centralWidget().objectName() != "startingFrame"
    titles = [window.tab_title(i) for i in range(window.tabs.count())]
    assert titles[:4] == ["Start", "Criteria", "Candidates", "Committee"]
    assert window.session is not None and window.statusBar().currentMessage() == ""
    window.build()  # a second call changes nothing
    assert [window.tab_title(i) for i in range(window.tabs.count())] == titles


def test_closing_the_frame_before_it_is_built_just_closes(qtbot) -> None:
    window = MainWindow(settings=AppSettings(), deferred=True)
    qtbot.addWidget(window)
    window.show()
    assert window.close()
    assert not window.isVisible()


def test_events_are_handled_while_the_rest_is_imported(qtbot, tmp_path: Path) -> None:
    """A module slow to import does not freeze the window: a timer fires meanwhile."""
    (tmp_path / "slow_startup_module.py").write_text("import time\ntime.sleep(0.4)\nLOADED = 1\n")
    sys.path.insert(0, str(tmp_path))
    fired: list[bool] = []

    def still_importing() -> bool:
        module = sys.modules.get("slow_startup_module")
        return module is None or not hasattr(module, "LOADED")

    try:
        QTimer.singleShot(50, lambda: fired.append(still_importing()))
        import_while_responsive(("slow_startup_module",))
        assert fired == [True]  # the timer ran while the module was still importing
        assert sys.modules["slow_startup_module"].LOADED == 1
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("slow_startup_module", None)


def test_a_module_that_fails_to_import_is_left_to_the_caller(qtbot) -> None:
    import_while_responsive(("ui.no_such_module_here", "ui.session"))  # returns, no raise
    assert "ui.no_such_module_here" not in sys.modules
