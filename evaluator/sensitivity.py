"""Sensitivity analysis: how robust is the winner to the committee's choice of weights?

Leaf values do not depend on weights, so they are computed once into a candidates x leaves
matrix (`leaf_matrix`); each weight scenario then only recomputes effective weights
(`leaf_weights`, vectorised over many scenarios at once) and a matrix product (`totals_for`).

Only qualified (not disqualified) candidates can win. Ties follow the ranking rule: totals
within 1e-9 are equal, and the winner is the first rank-1 candidate in candidate order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluator.domain import EvaluationData, ScoringError
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from evaluator.scoring import RANK_TOLERANCE, evaluate_leaves, validate_scale
from evaluator.weights import WeightTree, all_zero_message

_BATCH = 100  # weight scenarios per vectorised step; progress and cancel are checked between
_FLAT = 1e-12  # a difference line flatter than this never crosses zero


@dataclass(frozen=True)
class VectorWeights:
    """A `WeightTree` as index arrays, to compute effective weights of many scenarios at once."""

    tree: WeightTree
    membership: np.ndarray  # nodes x groups: 1 where the node belongs to the group
    group_of: np.ndarray  # group index per node
    parent_of: np.ndarray  # parent index per node (-1 at the top level)
    levels: tuple[np.ndarray, ...]  # node indices by depth, depth 1 first (top level excluded)
    leaves: np.ndarray  # leaf node indices, in tree.leaf_indices order

    @classmethod
    def from_tree(cls, tree: WeightTree) -> VectorWeights:
        count = len(tree.nodes)
        group_of = np.array([node.group for node in tree.nodes], dtype=int)
        membership = np.zeros((count, len(tree.groups)))
        membership[np.arange(count), group_of] = 1.0
        depth = [0] * count
        for i, node in enumerate(tree.nodes):  # parents come first
            depth[i] = 0 if node.parent < 0 else depth[node.parent] + 1
        levels = tuple(
            np.array([i for i in range(count) if depth[i] == d], dtype=int)
            for d in range(1, max(depth, default=0) + 1)
        )
        return cls(
            tree=tree,
            membership=membership,
            group_of=group_of,
            parent_of=np.array([node.parent for node in tree.nodes], dtype=int),
            levels=levels,
            leaves=np.array(tree.leaf_indices, dtype=int),
        )

    def leaf_weights(self, raw: np.ndarray) -> np.ndarray:
        """Raw node weights of shape (nodes,) or (scenarios, nodes) -> effective leaf weights
        of shape (leaves,) or (scenarios, leaves). ScoringError for an all-zero sibling group."""
        raw2 = np.atleast_2d(np.asarray(raw, dtype=float))
        sums = raw2 @ self.membership  # scenarios x groups
        zero = sums <= 0.0
        if zero.any():
            group = int(np.flatnonzero(zero.any(axis=0))[0])
            raise ScoringError(all_zero_message(self.tree.groups[group].label))
        effective = raw2 / sums[:, self.group_of]
        for level in self.levels:  # each parent sits one level up and is already final
            effective[:, level] *= effective[:, self.parent_of[level]]
        result = effective[:, self.leaves]
        return result if np.ndim(raw) == 2 else result[0]


@dataclass(frozen=True)
class LeafMatrix:
    """Normalised leaf values of every candidate, with the tree that weights them."""

    weights: VectorWeights
    candidate_ids: tuple[int, ...]  # every candidate, in candidate order
    eligible: np.ndarray  # bool per candidate: True unless disqualified
    values: np.ndarray  # candidates x leaves (tree.leaf_indices order); 0 where missing

    @property
    def tree(self) -> WeightTree:
        return self.weights.tree


@dataclass(frozen=True)
class WeightFlip:
    """The smallest change to one criterion's raw weight that changes the winner.

    "Smallest" is measured in percentage points of the criterion's effective weight (its share
    of the whole evaluation), with every other raw weight fixed. The flip point is where another
    qualified candidate draws level with the winner; past it, that candidate leads. The flip
    fields are None when no raw weight in [0, max_raw_factor x the sibling group's total] does it.
    """

    criterion_key: str
    criterion_name: str
    raw_weight: float
    effective_weight: float  # 0..1
    winner_id: int
    flip_raw_weight: float | None = None
    flip_effective_weight: float | None = None
    change_points: float | None = None  # signed: 100 x (flip - current effective weight)
    new_winner_id: int | None = None


def leaf_matrix(
    data: EvaluationData, grouped: dict[tuple[int, str], list[float]] | None = None
) -> LeafMatrix:
    """Compute every leaf value once; they are the same under any weights. `grouped` (from
    `group_scores`) may be passed in by a caller that needs the grouped scores too."""
    validate_scale(data.scale)
    tree = WeightTree.build(data.criteria)
    keys = tree.leaf_keys
    evaluated = evaluate_leaves(data, grouped)
    values = np.zeros((len(evaluated), len(keys)))
    for row, entry in enumerate(evaluated):
        values[row] = [entry.values[key].normalised or 0.0 for key in keys]
    eligible = np.array([not entry.disqualified for entry in evaluated], dtype=bool)
    ids = tuple(entry.candidate.id for entry in evaluated)
    return LeafMatrix(VectorWeights.from_tree(tree), ids, eligible, values)


def leaf_weights(tree: WeightTree, raw: np.ndarray) -> np.ndarray:
    """Effective leaf weights for raw node weights; see `VectorWeights.leaf_weights`."""
    return VectorWeights.from_tree(tree).leaf_weights(raw)


def totals_for(weights: np.ndarray, matrix: LeafMatrix) -> np.ndarray:
    """Totals (0..100) of every candidate: (leaves,) -> (candidates,), or
    (scenarios, leaves) -> (scenarios, candidates)."""
    return 100.0 * (np.asarray(weights) @ matrix.values.T)


def winner_flip(
    data: EvaluationData,
    *,
    include_leaves: bool = False,
    every_node: bool = False,
    max_raw_factor: float = 100.0,
) -> list[WeightFlip]:
    """One entry per top-level criterion (and per leaf when asked, or per node of the tree:
    categories at every depth and leaves, with `every_node`), in tree order.

    Empty when no candidate can win. Totals are linear in a node's share s of its sibling
    group, so each rival's flip point is the root of a straight line: no search needed.
    """
    matrix = leaf_matrix(data)
    tree = matrix.tree
    base_raw = np.array(tree.raw_weights(), dtype=float)
    node_effective = tree.node_effective(base_raw.tolist()) if tree.nodes else []
    totals = totals_for(matrix.weights.leaf_weights(base_raw), matrix)
    winner = _winner(totals, matrix.eligible)
    if winner is None:
        return []
    rivals = [i for i in np.flatnonzero(matrix.eligible) if i != winner]
    flips = []
    for index, node in enumerate(tree.nodes):
        if node.parent >= 0 and not (every_node or (include_leaves and node.is_leaf)):
            continue
        parent_share = node_effective[node.parent] if node.parent >= 0 else 1.0
        flip = WeightFlip(
            node.key,
            node.name,
            node.raw_weight,
            node_effective[index],
            matrix.candidate_ids[winner],
        )
        flips.append(
            _flip_for_node(
                flip, index, base_raw, parent_share, matrix, winner, rivals, max_raw_factor
            )
        )
    return flips


def _flip_for_node(
    flip: WeightFlip,
    index: int,
    base_raw: np.ndarray,
    parent_share: float,
    matrix: LeafMatrix,
    winner: int,
    rivals: Sequence[int],
    max_raw_factor: float,
) -> WeightFlip:
    tree = matrix.tree
    others = [m for m in tree.groups[tree.nodes[index].group].members if m != index]
    others_total = float(base_raw[others].sum())
    if not rivals or others_total <= 0.0:
        return flip  # alone in its group: its share is 1 whatever its raw weight
    group_total = others_total + base_raw[index]
    share_now = base_raw[index] / group_total
    largest = max_raw_factor * group_total
    share_max = largest / (largest + others_total)

    at_zero = base_raw.copy()
    at_zero[index] = 0.0
    at_one = base_raw.copy()
    at_one[others] = 0.0
    at_one[index] = 1.0
    totals_zero = totals_for(matrix.weights.leaf_weights(at_zero), matrix)
    totals_one = totals_for(matrix.weights.leaf_weights(at_one), matrix)

    best: tuple[float, float, int] | None = None  # (|change|, share, rival)
    for rival in rivals:
        # lead of the winner over the rival as a line in the share s: d0 + (d1 - d0) s
        d0 = totals_zero[winner] - totals_zero[rival]
        d1 = totals_one[winner] - totals_one[rival]
        if abs(d1 - d0) <= _FLAT:
            continue
        share = d0 / (d0 - d1)
        if not -_FLAT <= share <= share_max:
            continue
        share = max(0.0, share)
        if best is None or abs(share - share_now) < best[0]:
            best = (abs(share - share_now), share, rival)
    if best is None:
        return flip
    _, share, rival = best
    share, share_now = float(share), float(share_now)
    return WeightFlip(
        flip.criterion_key,
        flip.criterion_name,
        flip.raw_weight,
        flip.effective_weight,
        flip.winner_id,
        flip_raw_weight=share * others_total / (1.0 - share),
        flip_effective_weight=parent_share * share,
        change_points=100.0 * parent_share * (share - share_now),
        new_winner_id=matrix.candidate_ids[rival],
    )


def rank_probabilities(
    data: EvaluationData,
    runs: int = 1000,
    spread: float = 0.2,
    seed: int = 0,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> dict[int, float]:
    """Candidate id -> probability of ranking first when every raw weight (categories and
    leaves) is multiplied by its own random factor, uniform in [1 - spread, 1 + spread].

    Deterministic for a given seed. A tie for first splits that run's credit equally, so the
    probabilities of qualified candidates sum to 1; disqualified candidates get 0.
    Raises `Cancelled` when `cancel()` returns True (checked every 100 runs).
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    if not 0.0 <= spread < 1.0:
        raise ValueError(f"spread must be in [0, 1), got {spread}")
    matrix = leaf_matrix(data)
    tree = matrix.tree
    eligible = np.flatnonzero(matrix.eligible)
    wins = np.zeros(len(eligible))
    base_raw = np.array(tree.raw_weights(), dtype=float)
    matrix.weights.leaf_weights(base_raw)  # a set-up error surfaces before any run
    values = LeafMatrix(matrix.weights, (), matrix.eligible[eligible], matrix.values[eligible])
    rng = np.random.default_rng(seed)
    done = 0
    while eligible.size and done < runs:
        raise_if_cancelled(cancel)
        batch = min(_BATCH, runs - done)
        factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(batch, len(base_raw)))
        totals = totals_for(matrix.weights.leaf_weights(base_raw * factors), values)
        top = totals >= totals.max(axis=1, keepdims=True) - RANK_TOLERANCE
        wins += (top / top.sum(axis=1, keepdims=True)).sum(axis=0)
        done += batch
        if progress is not None:
            progress(done, runs)
    probabilities = dict.fromkeys(matrix.candidate_ids, 0.0)
    for position, row in enumerate(eligible):
        probabilities[matrix.candidate_ids[row]] = float(wins[position] / runs)
    return probabilities


def _winner(totals: np.ndarray, eligible: np.ndarray) -> int | None:
    """Row of the first qualified candidate (in candidate order) with the top total."""
    rows = np.flatnonzero(eligible)
    if not rows.size:
        return None
    best = totals[rows].max()
    return int(next(row for row in rows if best - totals[row] <= RANK_TOLERANCE))
