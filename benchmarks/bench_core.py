"""Benchmark of the core at committee scale (DESIGN.md's performance budget); prints figures.

Run: .venv/bin/python tests/bench_core.py   (not collected by pytest; no timed asserts)
50 candidates x 200 rated leaves x 10 evaluators = 100,000 scores.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluator.db import open_database
from evaluator.jsonio import load_document
from evaluator.scoring import score_evaluation
from evaluator.services import load_evaluation, set_score

CANDIDATES, CATEGORIES, LEAVES_PER, EVALUATORS = 50, 10, 20, 10


def document() -> dict:
    rubric = {str(p): f"point {p}" for p in range(6)}
    criteria = [
        {
            "key": f"c{c}",
            "name": f"Category {c}",
            "kind": "category",
            "weight": 1 + c % 3,
            "children": [
                {
                    "key": f"c{c}.l{i}",
                    "name": f"Leaf {c}.{i}",
                    "kind": "rated",
                    "weight": 1 + i % 4,
                    "rubric": rubric,
                    "question": {"text": "?", "answer_type": "text"},
                }
                for i in range(LEAVES_PER)
            ],
        }
        for c in range(CATEGORIES)
    ]
    leaves = [f"c{c}.l{i}" for c in range(CATEGORIES) for i in range(LEAVES_PER)]
    cands = [f"Candidate {n:02d}" for n in range(CANDIDATES)]
    people = [f"Evaluator {n}" for n in range(EVALUATORS)]
    scores = [
        {
            "evaluator": e,
            "candidate": c,
            "criterion": k,
            "value": (hash((e, c, k)) % 6),
            "justification": "bench",
        }
        for e in people
        for c in cands
        for k in leaves
    ]
    return {
        "format": "supportscope-evaluation",
        "version": 1,
        "evaluation": {
            "name": "Bench",
            "status": "scoring",
            "scale": {"min": 0, "max": 5},
            "aggregation": "mean",
        },
        "criteria": criteria,
        "candidates": [{"name": c, "kind": "vendor"} for c in cands],
        "evaluators": [{"name": p} for p in people],
        "scores": scores,
        "consensus": [],
        "responses": [],
    }


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
            lambda: set_score(db, ev, "Evaluator 0", "Candidate 00", "c0.l0", 3, "changed"),
        )
        db.close()


if __name__ == "__main__":
    main()
