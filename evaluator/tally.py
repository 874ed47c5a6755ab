"""The weighting half of scoring: effective weights applied to leaf values, totals, ranks.

Split from evaluator.scoring so that a full scoring and the one-cell update after an edit
(evaluator.live_scoring) compute a candidate's total with the very same code, in the same order,
and so give identical figures.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from evaluator.domain import CandidateResult, Criterion
from evaluator.kinds import is_weighted
from evaluator.weights import WeightTree

if TYPE_CHECKING:
    from evaluator.scoring import CandidateLeaves

RANK_TOLERANCE = 1e-9  # totals closer than this share a rank


def rank_totals(totals: dict[int, float]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, descending; totals within 1e-9 tie.

    A tie group is anchored on its highest total, so near-equal values cannot chain into a
    group wider than the tolerance.
    """
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    ranks: dict[int, int] = {}
    anchor_total = math.inf
    anchor_rank = 0
    for position, (candidate_id, total) in enumerate(ordered, start=1):
        if anchor_total - total > RANK_TOLERANCE:
            anchor_total, anchor_rank = total, position
        ranks[candidate_id] = anchor_rank
    return {candidate_id: ranks[candidate_id] for candidate_id in totals}


@dataclass(frozen=True)
class Tally:
    """The weight-dependent part of scoring (scoring math 1 and 4), compiled once per tree."""

    weights: dict[str, float]  # leaf key -> effective weight
    top_of_leaf: dict[str, str]
    top_keys: list[str]

    @classmethod
    def build(cls, criteria: list[Criterion]) -> Tally:
        tree = WeightTree.build(criteria)
        weights = dict(zip(tree.leaf_keys, tree.leaf_effective(tree.raw_weights()), strict=True))
        nodes = tree.nodes
        top_of_leaf = {nodes[i].key: nodes[nodes[i].top].key for i in tree.leaf_indices}
        return cls(weights, top_of_leaf, [n.key for n in criteria if is_weighted(n.kind)])

    def result(
        self,
        entry: CandidateLeaves,
        reviewed: Collection[tuple[int, str]],
    ) -> CandidateResult:
        """One candidate's total, completeness and category points, unranked (see `ranked`)."""
        candidate_id = entry.candidate.id
        by_top = dict.fromkeys(self.top_keys, 0.0)
        points = 0.0
        covered = 0.0
        top_of_leaf = self.top_of_leaf
        for leaf_key, weight in self.weights.items():
            leaf_value = entry.values[leaf_key]
            if leaf_value.normalised is None:
                if (candidate_id, leaf_key) in reviewed:
                    covered += weight
                continue
            covered += weight
            contribution = 100.0 * weight * leaf_value.normalised
            points += contribution
            by_top[top_of_leaf[leaf_key]] += contribution
        return CandidateResult(
            candidate_id=candidate_id,
            total=min(100.0, max(0.0, points)),
            completeness=min(1.0, covered),
            rank=None,
            disqualified=entry.disqualified,
            failed_gates=entry.failed_gates,
            pending_gates=entry.pending_gates,
            category_totals=by_top,
            leaf_values=entry.values,
        )


def ranked(results: Sequence[CandidateResult], order: dict[int, int]) -> list[CandidateResult]:
    """The results with their ranks (scoring math 6; the disqualified unranked), ranked first
    by rank, then the disqualified; ties and the disqualified in `order` (candidate id ->
    position in the candidate list)."""
    ranks = rank_totals({r.candidate_id: r.total for r in results if not r.disqualified})
    out = [
        r if r.rank == ranks.get(r.candidate_id) else replace(r, rank=ranks.get(r.candidate_id))
        for r in results
    ]
    out.sort(
        key=lambda r: (r.rank is None, r.rank if r.rank is not None else 0, order[r.candidate_id])
    )
    return out
