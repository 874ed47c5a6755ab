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

ROOT = Path(os.environ.get("PROBE_ROOT") or Path(__file__).resolve().parents[1])  # code probed
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
    from evaluator.services import process

    db = open_database(args.db)
    evaluation = load_document(db, document())
    for member in range(10):  # members declare before they score
        process.declare(db, evaluation, f"Evaluator {member}")
    db.close()
    print("built", args.db)


def edit(args: argparse.Namespace) -> None:
    """Session.apply of one score (write, audit, snapshot, re-rank) against the bare work:
    the same UPDATE + audit INSERT + COMMIT through SQLAlchemy Core (and a NumPy re-rank)."""
    import cProfile
    import pstats

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import create_engine, text

    from evaluator.changes import ScoreCell, SetScore
    from ui.session import EvaluationSession

    app = QApplication.instance() or QApplication([])
    session = EvaluationSession()
    assert session.open_database(str(args.db))
    session.sign_in("Evaluator 0")  # a member sees (and edits) their own scores
    session.wait_for_results(60_000)
    data = session.data
    member, candidate = data.evaluators[0].id, data.candidates[0].id
    keys = [s.criterion_key for s in data.scores if s.evaluator_id == member][:50]
    engine = create_engine(f"sqlite:///{args.db}")
    matrix = np.random.default_rng(1).random((50, 200))
    weights = np.full(200, 1 / 200)
    turn = [0]

    def ours() -> float:
        turn[0] += 1
        key = keys[turn[0] % len(keys)]
        before = session.score_cell(member, candidate, key)
        after = ScoreCell((before.value + 1) % 6 if before else 3, f"probe {turn[0]}")
        start = time.perf_counter()
        session.apply(SetScore(member, candidate, key, before, after))
        took = time.perf_counter() - start
        assert not session.results_pending
        return took

    def bare() -> float:
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("UPDATE scores SET justification = :j WHERE id = 99999"), {"j": "x"})
        matrix[0, turn[0] % 200] = 0.5
        (matrix @ weights).argsort()
        return time.perf_counter() - start

    times: dict[str, list[float]] = {"SupportScope edit": [], "bare UPDATE+COMMIT+rank": []}
    for _ in range(args.n):
        times["SupportScope edit"].append(ours())
        times["bare UPDATE+COMMIT+rank"].append(bare())
    for name, values in times.items():
        values.sort()
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"{name:<28} p50 {statistics.median(values) * 1000:7.1f} ms  "
            f"p95 {p95 * 1000:7.1f} ms  worst {values[-1] * 1000:7.1f} ms"
        )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [ours() for _ in range(20)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("probe", choices=["make", "start", "edit", "open"])
    parser.add_argument("db")
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--other", default="", help="another checkout's root to compare")
    args = parser.parse_args()
    {"make": make, "start": start, "edit": edit}[args.probe](args)


if __name__ == "__main__":
    main()
