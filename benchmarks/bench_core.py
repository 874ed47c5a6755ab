"""Benchmark of the core at committee scale (DESIGN.md's performance budget); prints figures.

Run: .venv/bin/python benchmarks/bench_core.py   (not collected by pytest; no timed asserts)
50 candidates x 200 rated leaves x 10 evaluators = 100,000 scores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.data import Size
from benchmarks.data import document as data_document
from evaluator.db import open_database
from evaluator.jsonio import load_document
from evaluator.scoring import score_evaluation
from evaluator.services import load_evaluation, set_score


def document() -> dict:
    """The committee-scale evaluation of the suite (benchmarks/data.py)."""
    return data_document(Size(50, 200, 10))


def timed(label: str, fn, budget: float | None = None):
    start = time.perf_counter()
    result = fn()
    took = time.perf_counter() - start
    ratio = f"  ({took / budget:.2f}x the design figure of {budget:g} s)" if budget else ""
    print(f"{label:<44} {took:8.3f} s{ratio}")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "bench.db")
        doc = document()
        ev = timed("insert 100,000 scores (one transaction)", lambda: load_document(db, doc), 1.5)
        data = timed(
            "load evaluation snapshot (Core selects)", lambda: load_evaluation(db, ev), 0.13 * 2
        )
        timed("score_evaluation (pure Python)", lambda: score_evaluation(data))
        timed(
            "set one score (service, fsync)",
            lambda: set_score(
                db, ev, "Member 00", "Fictitious Support Co 00", "c0.l0", 3, "changed"
            ),
        )
        db.close()


if __name__ == "__main__":
    main()
