"""Benchmark of the scoring engine at committee scale (a script, not a test; no asserts).

50 candidates x 200 leaves x 10 evaluators = 100,000 scores, plus auto, price and gate leaves
answered from questionnaires. Run from the repository root:

    .venv/bin/python benchmarks/bench_scoring.py
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CANDIDATES = 50
EVALUATORS = 10
CATEGORIES = 10
LEAVES_PER_CATEGORY = 20  # 200 leaves in all
REPEATS = 5


def build_data(seed: int = 0):  # -> EvaluationData (imported lazily below)
    """Synthetic evaluation: each category has 17 rated, 1 auto, 1 price leaf and 1 gate."""
    from evaluator.domain import (
        AutoRule,
        Band,
        Candidate,
        Criterion,
        CriterionKind,
        EvaluationData,
        Evaluator,
        Response,
        Score,
    )

    rng = random.Random(seed)
    criteria = []
    for c in range(CATEGORIES):
        children = []
        for leaf in range(LEAVES_PER_CATEGORY):
            key = f"cat{c}.leaf{leaf}"
            if leaf == 0:
                kind, rule = CriterionKind.GATE, AutoRule(yes=1, no=0)
            elif leaf == 1:
                kind, rule = CriterionKind.AUTO, AutoRule(bands=(Band(5, high=10), Band(2)))
            elif leaf == 2:
                kind, rule = CriterionKind.PRICE, None
            else:
                kind, rule = CriterionKind.RATED, None
            weight = rng.randint(1, 5)
            children.append(Criterion(key, f"Leaf {c}.{leaf}", kind, weight, rule=rule))
        criteria.append(
            Criterion(f"cat{c}", f"Category {c}", weight=rng.randint(1, 5), children=children)
        )

    candidates = [Candidate(i, f"Fictitious Support Co {i}") for i in range(1, CANDIDATES + 1)]
    evaluators = [Evaluator(i, f"Evaluator {i}") for i in range(1, EVALUATORS + 1)]
    rated = [n.key for root in criteria for n in root.children if n.kind is CriterionKind.RATED]
    scores = [
        Score(e.id, cand.id, key, float(rng.randint(0, 5)), "why")
        for cand in candidates
        for key in rated
        for e in evaluators
    ]
    # pad to exactly 100,000 scores on the auto/price leaves as well (they feed disagreements)
    others = [
        n.key for root in criteria for n in root.children if n.kind is not CriterionKind.RATED
    ]
    extra = CANDIDATES * CATEGORIES * LEAVES_PER_CATEGORY * EVALUATORS - len(scores)
    for i in range(extra):
        cand = candidates[i % CANDIDATES]
        scores.append(Score(1 + i % EVALUATORS, cand.id, others[i % len(others)], 3.0, "why"))
    responses = []
    for cand in candidates:
        for root in criteria:
            for node in root.children:
                if node.kind is CriterionKind.GATE:
                    value: object = rng.random() > 0.01
                elif node.kind is CriterionKind.AUTO:
                    value = float(rng.randint(0, 20))
                elif node.kind is CriterionKind.PRICE:
                    value = float(rng.randint(50_000, 200_000))
                else:
                    continue
                responses.append(Response(cand.id, node.key, value))
    return EvaluationData(
        id=1,
        name="Benchmark RFP",
        criteria=criteria,
        candidates=candidates,
        evaluators=evaluators,
        scores=scores,
        responses=responses,
    )


def timed(label: str, work: Callable[[], object], repeats: int = REPEATS) -> None:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} best of {repeats}: {best * 1000:8.1f} ms")


def main() -> None:
    start = time.perf_counter()
    from evaluator import scoring

    print(f"import evaluator.scoring: {(time.perf_counter() - start) * 1000:.1f} ms")
    data = build_data()
    print(f"{len(data.candidates)} candidates, {len(data.scores)} scores")

    results = scoring.score_evaluation(data)
    flagged = sum(d.flagged for d in results.disagreements)
    ranked = sum(r.rank is not None for r in results.candidates)
    print(f"ranked {ranked}, disqualified {len(results.candidates) - ranked}, flagged {flagged}")

    timed("group_scores", lambda: scoring.group_scores(data.scores))
    timed("evaluate_leaves", lambda: scoring.evaluate_leaves(data))
    timed("score_evaluation (everything)", lambda: scoring.score_evaluation(data))

    start = time.perf_counter()
    from evaluator import sensitivity

    print(f"import evaluator.sensitivity: {(time.perf_counter() - start) * 1000:.1f} ms")
    timed("leaf_matrix", lambda: sensitivity.leaf_matrix(data))
    timed("winner_flip (top level)", lambda: sensitivity.winner_flip(data), repeats=3)
    timed(
        "winner_flip (top level + every leaf)",
        lambda: sensitivity.winner_flip(data, include_leaves=True),
        repeats=3,
    )
    timed("rank_probabilities (1000 runs)", lambda: sensitivity.rank_probabilities(data), 3)


if __name__ == "__main__":
    main()
