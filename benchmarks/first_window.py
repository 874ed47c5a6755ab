"""Child process of the cold-start benchmark: show a window, exit at its first paint.

    python -m benchmarks.first_window app DB   # SupportScope's window on DB
    python -m benchmarks.first_window bare     # a bare PySide6 QMainWindow

Prints `painted S`, the seconds from the parent's `--since` wall-clock time (the moment it
started this process, interpreter start included, as a user would feel it) to the first paint,
then `rss MIB`, the peak resident memory when it exits: after the first paint, or for `app`
with `--loaded`, once the evaluation is loaded and ranked too.
"""

from __future__ import annotations

import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    if argv[0] == "bare":
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1200, 800)
    else:
        from ui.app import create_main_window

        window = create_main_window(argv[1])
        window.resize(1200, 800)
    loaded = "--loaded" in argv
    since = float(argv[argv.index("--since") + 1]) if "--since" in argv else time.time()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                app.quit()
            return False

    painted = FirstPaint()
    window.installEventFilter(painted)
    window.show()
    app.exec()
    print(f"painted {time.time() - since:.4f}", flush=True)
    if loaded:
        session = getattr(window, "session", None)
        if session is not None:
            session.wait_for_results(120_000)
    print(f"rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)
    os._exit(0)  # no teardown: the user has the window at this point


if __name__ == "__main__":
    main(sys.argv[1:])
