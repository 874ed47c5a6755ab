"""The committee-scale evaluation (50 candidates x 200 rated leaves x 10 members) that the
performance tests build: its criteria tree and document."""

from __future__ import annotations

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
