"""Quick side-by-side probes for issue 12's speed work (a script, not a test; no asserts).

Each probe times SupportScope and its bare-library baseline alternately in one run and prints
medians and the ratio (on a shared machine the ratio is the steady figure). From the checkout:

    python benchmarks/probe_speed.py make DB          build the 50 x 200 x 10 evaluation
    python benchmarks/probe_speed.py start DB [-n 5]  cold start -> first painted window
    python benchmarks/probe_speed.py edit DB [-n 60]  one score edit -> written + re-ranked
    python benchmarks/probe_speed.py open DB [-n 5]   open the evaluation into the grid
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE_WINDOW = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setWindowTitle("bare"); w.resize(1200, 800); w.show()
app.processEvents()
print("painted", time.time(), flush=True)
"""
APP_WINDOW = """
import time, sys
sys.path.insert(0, {root!r})
from ui.app import create_main_window, make_application
app = make_application()
w = create_main_window({db!r}, paint_first=True)
print("painted", time.time(), flush=True)
if {wait_open}:
    w.session.opened_wait() if hasattr(w.session, "opened_wait") else None
    print("opened", time.time(), flush=True)
"""


def child(code: str, env: dict[str, str]) -> dict[str, float]:
    """Seconds from launching a fresh interpreter to each mark it prints."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    marks = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("painted", "opened"):
            marks[parts[0]] = float(parts[1]) - start
    return marks


def alternate(runs: int, probes: dict[str, Callable[[], float]]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(runs):
        for name, probe in probes.items():
            times[name].append(probe())
    return {name: statistics.median(values) for name, values in times.items()}


def report(medians: dict[str, float], base: str) -> None:
    for name, value in medians.items():
        ratio = value / medians[base]
        print(f"{name:<34} {value * 1000:9.1f} ms  {ratio:5.2f}x {base}")


def start(args: argparse.Namespace) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["HOME"] = str(Path(args.db).resolve().parent / "home")  # no user's settings
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once, then cached
    bare = lambda: child(BARE_WINDOW, env)["painted"]  # noqa: E731
    app = lambda: child(  # noqa: E731
        APP_WINDOW.format(root=str(ROOT), db=str(args.db), wait_open=False), env
    )["painted"]
    probes = {"bare QMainWindow": bare, "SupportScope window": app}
    if args.other:  # another checkout (e.g. `git archive BASE`), measured in the same rounds
        probes["other checkout"] = lambda: child(
            APP_WINDOW.format(root=args.other, db=str(args.db), wait_open=False), env
        )["painted"]
    for probe in probes.values():
        probe()  # warm the byte-code and file caches
    report(alternate(args.n, probes), "bare QMainWindow")


def make(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from bench_core import document

    from evaluator.db import open_database
    from evaluator.jsonio import load_document

    db = open_database(args.db)
    load_document(db, document())
    db.close()
    print("built", args.db)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("probe", choices=["make", "start", "edit", "open"])
    parser.add_argument("db")
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--other", default="", help="another checkout's root to compare")
    args = parser.parse_args()
    {"make": make, "start": start}[args.probe](args)


if __name__ == "__main__":
    main()
