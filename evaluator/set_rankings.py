"""The ranking under each weighting set, and whether the winner holds under all of them.

The scores stay the same under every set, so leaf values are computed once and each set costs
one matrix product. A set that leaves a sibling group all at zero cannot be ranked: its column
says why instead of failing the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from evaluator.domain import EvaluationData, ScoringError, WeightSet
from evaluator.scoring import rank_totals
from evaluator.sensitivity import LeafMatrix, leaf_matrix, totals_for
from evaluator.weight_sets import node_raw

CURRENT = "Current weights"


@dataclass(frozen=True)
class SetRanking:
    """The ranking of the qualified candidates under one set of weights."""

    name: str
    set_id: int | None  # None: the evaluation's own (current) weights
    totals: dict[int, float]  # candidate id -> total (qualified candidates only)
    ranks: dict[int, int]
    missing: tuple[str, ...] = ()  # criteria the set does not name: current weight used
    error: str = ""  # why it cannot be ranked (an all-zero sibling group)

    @property
    def leaders(self) -> tuple[int, ...]:
        return tuple(c for c, rank in self.ranks.items() if rank == 1)


@dataclass(frozen=True)
class SetComparison:
    columns: tuple[SetRanking, ...]  # the current weights first, then each set in order
    leader_id: int | None  # first under the current weights (candidate order breaks a tie)

    @property
    def sets(self) -> tuple[SetRanking, ...]:
        return self.columns[1:]

    @property
    def dissent(self) -> tuple[SetRanking, ...]:
        """The sets under which the current leader does not rank first."""
        return tuple(s for s in self.sets if not s.error and self.leader_id not in s.leaders)

    @property
    def holds(self) -> bool | None:
        """True when the current leader ranks first (maybe shared) under every set that can
        be ranked; None when there is no set or no leader."""
        if not self.sets or self.leader_id is None:
            return None
        return not self.dissent

    def sentence(self, names: Mapping[int, str]) -> str:
        """The verdict in one sentence, for the window, the shell and the reports."""
        if self.leader_id is None:
            return "No candidate can be ranked, so there is no winner to test."
        leader = names.get(self.leader_id, "?")
        if not self.sets:
            return "No weighting sets yet: add one per stakeholder group to compare rankings."
        broken = [s.name for s in self.sets if s.error]
        note = f" ({', '.join(broken)} cannot be ranked)" if broken else ""
        if self.holds:
            return f"{leader} ranks first under every weighting set{note}."
        others = "; ".join(
            f"under {s.name} {' and '.join(names.get(c, '?') for c in s.leaders)} leads"
            for s in self.dissent
        )
        return (
            f"The winner does not hold: {leader} leads on the current weights, but {others}{note}."
        )


def compare_sets(data: EvaluationData, sets: Sequence[WeightSet] | None = None) -> SetComparison:
    """The ranking under the current weights and under each set (default: the evaluation's)."""
    matrix = leaf_matrix(data)
    current = _ranking(matrix, CURRENT, None, matrix.tree.raw_weights(), ())
    columns = [current]
    for weight_set in data.weight_sets if sets is None else sets:
        raw, missing = node_raw(matrix.tree, weight_set.weight_map())
        columns.append(_ranking(matrix, weight_set.name, weight_set.id, raw, tuple(missing)))
    order = {c: i for i, c in enumerate(matrix.candidate_ids)}
    leader = min(current.leaders, key=order.__getitem__, default=None)
    return SetComparison(tuple(columns), leader)


def _ranking(
    matrix: LeafMatrix, name: str, set_id: int | None, raw: list[float], missing: tuple[str, ...]
) -> SetRanking:
    try:
        weights = matrix.weights.leaf_weights(np.array(raw, dtype=float))
    except ScoringError as error:
        return SetRanking(name, set_id, {}, {}, missing, str(error))
    totals = np.clip(totals_for(weights, matrix), 0.0, 100.0)
    qualified = {
        c: float(totals[row]) for row, c in enumerate(matrix.candidate_ids) if matrix.eligible[row]
    }
    return SetRanking(name, set_id, qualified, rank_totals(qualified), missing)
