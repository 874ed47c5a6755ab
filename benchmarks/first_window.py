"""Child process of the cold-start benchmark: show a window, exit at its first paint.

    python -m benchmarks.first_window app DB   # SupportScope's window on DB
    python -m benchmarks.first_window bare     # a bare PySide6 QMainWindow

Prints `painted S`, the seconds from the parent's `--since` wall-clock time (the moment it
started this process, interpreter start included, as a user would feel it) to the window's
first paint; for `app`, `built S` when the whole window is built (views, menus) and, with
`--loaded`, `loaded S` once the evaluation is read and ranked too; then `rss MIB`, the peak
resident memory when it exits. The app goes through `ui.app.start_window`, the path
`supportscope-window` takes, so what is timed is what a user waits for.
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

    since = float(argv[argv.index("--since") + 1]) if "--since" in argv else time.time()
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not painted
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QMainWindow)
            ):
                painted.append(time.time() - since)
                if argv[0] == "bare":
                    QApplication.instance().quit()  # type: ignore[union-attr]
            return False

    recorder = FirstPaint()
    if argv[0] == "bare":
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.installEventFilter(recorder)
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1200, 800)
        window.show()
        app.exec()
        print(f"painted {painted[0]:.4f}", flush=True)
    else:
        from ui.app import make_application, start_window

        app = make_application()
        app.installEventFilter(recorder)
        os.environ["SUPPORTSCOPE_DB"] = argv[1]  # the database a user would have opened
        window = start_window(argv[1])
        print(f"painted {painted[0]:.4f}", flush=True)
        print(f"built {time.time() - since:.4f}", flush=True)
        if "--loaded" in argv:
            window.session.wait_for_open()
            window.session.wait_for_results(120_000)
            print(f"loaded {time.time() - since:.4f}", flush=True)
    print(f"rss {peak_rss_mib():.1f}", flush=True)
    os._exit(0)  # no teardown: the user has the window at this point


def peak_rss_mib() -> float:
    """This process's peak resident memory. On Linux its own address space's high-water mark
    (VmHWM): getrusage's ru_maxrss also counts the parent's memory at the moment it started
    this process (the kernel keeps the high-water mark of the memory replaced by exec), so a
    benchmark parent that had written a 900,000-cell workbook made the window look twice its
    size."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main(sys.argv[1:])
