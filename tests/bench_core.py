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


LEAVES = [f"c{c}.l{i}" for c in range(CATEGORIES) for i in range(LEAVES_PER)]
CANDIDATE_NAMES = [f"Candidate {n:02d}" for n in range(CANDIDATES)]
EVALUATOR_NAMES = [f"Evaluator {n}" for n in range(EVALUATORS)]


def committee_criteria(leaf_name: str = "Leaf", rubric: dict | None = None) -> list[dict]:
    """CATEGORIES categories of LEAVES_PER rated leaves each (named `leaf_name` c.i), as a
    document's "criteria"."""
    extra = {"rubric": rubric} if rubric else {}
    return [
        {
            "key": f"c{c}",
            "name": f"Category {c}",
            "kind": "category",
            "weight": 1 + c % 3,
            "children": [
                {
                    "key": f"c{c}.l{i}",
                    "name": f"{leaf_name} {c}.{i}",
                    "kind": "rated",
                    "weight": 1 + i % 4,
                    **extra,
                    "question": {"text": "?", "answer_type": "text"},
                }
                for i in range(LEAVES_PER)
            ],
        }
        for c in range(CATEGORIES)
    ]


def committee_document(name: str, status: str, criteria: list[dict], scores: list[dict]) -> dict:
    """A document of the committee-scale evaluation: CANDIDATES vendors, EVALUATORS members,
    `scores`, no consensus or answers yet."""
    return {
        "format": "supportscope-evaluation",
        "version": 1,
        "evaluation": {
            "name": name,
            "status": status,
            "scale": {"min": 0, "max": 5},
            "aggregation": "mean",
        },
        "criteria": criteria,
        "candidates": [{"name": c, "kind": "vendor"} for c in CANDIDATE_NAMES],
        "evaluators": [{"name": p} for p in EVALUATOR_NAMES],
        "scores": scores,
        "consensus": [],
        "responses": [],
    }


def document() -> dict:
    scores = [
        {
            "evaluator": e,
            "candidate": c,
            "criterion": k,
            "value": (hash((e, c, k)) % 6),
            "justification": "bench",
        }
        for e in EVALUATOR_NAMES
        for c in CANDIDATE_NAMES
        for k in LEAVES
    ]
    rubric = {str(p): f"point {p}" for p in range(6)}
    return committee_document("Bench", "scoring", committee_criteria(rubric=rubric), scores)


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
