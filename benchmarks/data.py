"""Committee-scale test data, seeded and fictitious, written through the app's own loader.

`evaluator.jsonio.load_document` is what `supportscope load FILE.json` runs (Core bulk inserts
in one transaction, audited), so the database is exactly what the app itself would hold.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = 10
NAME = "Benchmark RFP (fictitious)"
REASONS = (
    "Reference calls confirmed Level 1 to 4 coverage by the candidate's own staff.",
    "Help desk staffed by nurses and pharmacists; demo answered clinical questions well.",
    "Offshore call centre for nights; escalation path to engineering is unclear.",
    "Custom interfaces supported, but legacy lab connections are billed separately.",
    "Response times in the questionnaire are met in the references' ticket data.",
)


@dataclass(frozen=True)
class Size:
    """candidates x leaf criteria x committee members."""

    candidates: int
    leaves: int
    members: int

    @classmethod
    def parse(cls, text: str) -> Size:
        candidates, leaves, members = (int(part) for part in text.lower().split("x"))
        return cls(candidates, leaves, members)

    def __str__(self) -> str:
        return f"{self.candidates}x{self.leaves}x{self.members}"

    @property
    def scores(self) -> int:
        return self.candidates * self.leaves * self.members


SIZES = (Size(10, 50, 5), Size(25, 100, 10), Size(50, 200, 10))
QUICK = (Size(3, 10, 2), Size(4, 20, 3))


def leaf_keys(size: Size) -> list[str]:
    per = max(1, size.leaves // CATEGORIES)
    return [f"c{c}.l{i}" for c in range(CATEGORIES) for i in range(per)][: size.leaves]


def document(size: Size, seed: int = 1) -> dict:
    """The evaluation as a `dump` file: rated leaves with rubrics, every cell scored."""
    rng = random.Random(seed)
    rubric = {str(p): f"Point {p}: what the committee looks for" for p in range(6)}
    keys = leaf_keys(size)
    criteria = []
    for c in range(CATEGORIES):
        mine = [key for key in keys if key.startswith(f"c{c}.")]
        if mine:
            leaves = [dict(key=k, name=f"Criterion {k}", kind="rated", rubric=rubric) for k in mine]
            for leaf in leaves:
                leaf["weight"] = 1 + rng.randrange(4)
            criteria.append(
                dict(key=f"c{c}", name=f"Category {c}", kind="category", weight=1 + c % 3,
                     children=leaves)
            )  # fmt: skip
    candidates = [f"Fictitious Support Co {n:02d}" for n in range(size.candidates)]
    members = [f"Member {n:02d}" for n in range(size.members)]
    scores = [
        {
            "evaluator": member,
            "candidate": candidate,
            "criterion": key,
            "value": rng.randrange(6),
            "justification": rng.choice(REASONS),
        }
        for member in members
        for candidate in candidates
        for key in keys
    ]
    return {
        "format": "supportscope-evaluation",
        "version": 1,
        "evaluation": {
            "name": NAME,
            "status": "scoring",
            "scale": {"min": 0, "max": 5},
            "aggregation": "mean",
        },
        "criteria": criteria,
        "candidates": [{"name": c, "kind": "vendor"} for c in candidates],
        "evaluators": [{"name": m} for m in members],
        "scores": scores,
        "consensus": [],
        "responses": [],
    }


def build_database(path: Path, size: Size, seed: int = 1) -> int:
    """A database file holding one evaluation of `size`; returns its id."""
    from evaluator.db import open_database
    from evaluator.jsonio import load_document

    db = open_database(path)
    try:
        return load_document(db, document(size, seed))
    finally:
        db.close()
