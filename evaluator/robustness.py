"""How sure is the ranking? Chances of winning and rank ranges by simulation (Monte Carlo).

Each draw re-ranks the qualified candidates with
- weights drawn around the current ones: in every sibling group the shares follow a Dirichlet
  distribution with mean the current shares and concentration κ (a share s varies with standard
  deviation sqrt(s (1 − s) / (κ + 1)); zero weights stay zero), and
- the members' scores resampled: every cell the members' aggregate decides takes the aggregate
  of a bootstrap sample of its scores (evaluator.bootstrap).
Either can be switched off. A candidate's chance of winning is its share of the draws in which
it ranks first (a tie splits the draw); its rank range is the 5th to 95th percentile of its
ranks. When the leader under the current weights and scores wins fewer than `CLOSE_CALL` of the
draws, the result is a close call. The same data, settings and seed give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluator.bootstrap import Cell, CellSampler
from evaluator.domain import EvaluationData, leaves
from evaluator.kinds import Scoring, kind_info
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from evaluator.scoring import RANK_TOLERANCE, conflicts, group_scores
from evaluator.sensitivity import LeafMatrix, VectorWeights, leaf_matrix
from evaluator.simulation_settings import (
    CLOSE_CALL,
    DEFAULT_CONCENTRATION,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    HIGH_PERCENTILE,
    LOW_PERCENTILE,
    MAX_DRAWS,
    Settings,
)

__all__ = [
    "CLOSE_CALL",
    "DEFAULT_CONCENTRATION",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "HIGH_PERCENTILE",
    "LOW_PERCENTILE",
    "MAX_DRAWS",
    "Odds",
    "Settings",
    "Simulation",
    "simulate",
]

_BATCH = 100  # draws per vectorised step; progress and cancel are checked between steps


@dataclass(frozen=True)
class Odds:
    """One candidate's outcome over the draws; ranks are None for a disqualified candidate."""

    candidate_id: int
    chance: float  # share of the draws in which it ranked first (ties split)
    rank_low: int | None  # 5th percentile of its ranks (its best plausible rank)
    rank_median: int | None
    rank_high: int | None  # 95th percentile (its worst plausible rank)
    rank_counts: tuple[int, ...] = ()  # draws in which it ranked 1, 2, ...


@dataclass(frozen=True)
class Simulation:
    settings: Settings
    leader_id: int | None  # first under the current weights and scores
    odds: tuple[Odds, ...]  # every candidate, in candidate order
    varied_cells: int  # cells whose members' scores were resampled

    def for_candidate(self, candidate_id: int) -> Odds:
        return next(o for o in self.odds if o.candidate_id == candidate_id)

    @property
    def leader_chance(self) -> float | None:
        return None if self.leader_id is None else self.for_candidate(self.leader_id).chance

    @property
    def close_call(self) -> bool:
        chance = self.leader_chance
        return chance is not None and chance < CLOSE_CALL

    def ranked(self) -> list[Odds]:
        """Qualified candidates by chance of winning, then median rank; the rest after."""
        return sorted(
            self.odds,
            key=lambda o: (o.rank_median is None, -o.chance, o.rank_median or 0),
        )


def simulate(
    data: EvaluationData,
    settings: Settings | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> Simulation:
    """Run the draws (see the module docstring). Raises ValueError for bad settings,
    ScoringError for a set-up problem and `Cancelled` when `cancel()` returns True."""
    settings = settings or Settings()
    settings.check()
    matrix = leaf_matrix(data)
    weights = matrix.weights
    base_raw = np.array(matrix.tree.raw_weights(), dtype=float)
    base = weights.leaf_weights(base_raw)  # a set-up error surfaces before any draw
    rows = np.flatnonzero(matrix.eligible)
    values = matrix.values[rows]
    leader = _leader(100.0 * values @ base, rows)
    cells = _varied_cells(data, matrix, rows, base) if settings.resample else []
    run = _Run(weights, base_raw, base, values, cells, data, settings)
    counts = np.zeros((len(rows), len(rows)), dtype=np.int64)
    wins = np.zeros(len(rows))
    rng = np.random.default_rng(settings.seed)
    done = 0
    while rows.size and done < settings.draws:
        raise_if_cancelled(cancel)
        batch = min(_BATCH, settings.draws - done)
        totals = run.totals(rng, batch)
        ranks = 1 + (totals[:, None, :] > totals[:, :, None] + RANK_TOLERANCE).sum(axis=2)
        slots = np.arange(len(rows))[None, :] * len(rows) + ranks - 1
        counts += np.bincount(slots.ravel(), minlength=counts.size).reshape(counts.shape)
        top = totals >= totals.max(axis=1, keepdims=True) - RANK_TOLERANCE
        wins += (top / top.sum(axis=1, keepdims=True)).sum(axis=0)
        done += batch
        if progress is not None:
            progress(done, settings.draws)
    position = {int(row): i for i, row in enumerate(rows)}
    odds = []
    for row, candidate_id in enumerate(matrix.candidate_ids):
        i = position.get(row)
        if i is None:
            odds.append(Odds(candidate_id, 0.0, None, None, None))
            continue
        tally = counts[i]
        odds.append(
            Odds(
                candidate_id,
                float(wins[i] / settings.draws),
                _percentile(tally, LOW_PERCENTILE),
                _percentile(tally, 50),
                _percentile(tally, HIGH_PERCENTILE),
                tuple(int(n) for n in tally),
            )
        )
    leader_id = None if leader is None else matrix.candidate_ids[leader]
    return Simulation(settings, leader_id, tuple(odds), len(cells))


class _Run:
    """Totals of the qualified candidates for a batch of draws."""

    def __init__(
        self,
        weights: VectorWeights,
        base_raw: np.ndarray,
        base: np.ndarray,
        values: np.ndarray,
        cells: list[tuple[int, Cell]],
        data: EvaluationData,
        settings: Settings,
    ) -> None:
        self.weights, self.base, self.values = weights, base, values
        self.concentration = settings.concentration
        sums = base_raw @ weights.membership
        self.shares = base_raw / sums[weights.group_of] if base_raw.size else base_raw
        self.sampler = CellSampler([cell for _, cell in cells], data.scale, data.aggregation)
        self.positions = np.array([position for position, _ in cells], dtype=np.intp)
        self.columns = np.array([cell.column for _, cell in cells], dtype=np.intp)
        self.current = np.array([values[p, cell.column] for p, cell in cells])
        starts = np.flatnonzero(np.diff(self.positions, prepend=-1)) if cells else []
        self.starts = np.asarray(starts, dtype=np.intp)
        self.owners = self.positions[self.starts] if cells else self.positions

    def totals(self, rng: np.random.Generator, count: int) -> np.ndarray:
        if self.concentration is None:  # the same weights in every draw
            totals = np.repeat(100.0 * (self.values @ self.base)[None, :], count, axis=0)
            cell_weights = self.base[self.columns]
        else:
            leaf_weights = self.weights.leaf_weights(self._dirichlet(rng, count))
            totals = 100.0 * leaf_weights @ self.values.T
            cell_weights = leaf_weights[:, self.columns]
        if len(self.sampler):
            delta = self.sampler.draw(rng, count) - self.current
            extra = 100.0 * cell_weights * delta
            totals[:, self.owners] += np.add.reduceat(extra, self.starts, axis=1)
        return totals

    def _dirichlet(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Raw weights whose shares in each sibling group are Dirichlet(κ x current shares)."""
        alpha = self.concentration * self.shares  # type: ignore[operator]
        raw = rng.standard_gamma(np.broadcast_to(alpha, (count, alpha.size)))
        empty = (raw @ self.weights.membership) <= 0.0  # every draw underflowed: tiny shares
        if empty.any():
            raw = np.where(empty[:, self.weights.group_of], self.shares, raw)
        return raw


def _varied_cells(
    data: EvaluationData, matrix: LeafMatrix, rows: np.ndarray, base: np.ndarray
) -> list[tuple[int, Cell]]:
    """(position among the qualified, cell) of every cell a bootstrap can change: a rated leaf
    that counts, no consensus value, and at least two different counting scores."""
    grouped = group_scores(data.scores, conflicts(data))
    agreed = {(c.candidate_id, c.criterion_key) for c in data.consensus}
    kinds = {leaf.key: leaf.kind for leaf in leaves(data.criteria)}
    cells = []
    for position, row in enumerate(rows):
        candidate_id = matrix.candidate_ids[row]
        for column, key in enumerate(matrix.tree.leaf_keys):
            if base[column] <= 0.0 or kind_info(kinds[key]).scoring is not Scoring.MEMBERS:
                continue
            scores = grouped.get((candidate_id, key), ())
            if (candidate_id, key) in agreed or len(scores) < 2 or min(scores) == max(scores):
                continue
            cells.append((position, Cell(int(row), column, tuple(scores))))
    return cells


def _leader(totals: np.ndarray, rows: np.ndarray) -> int | None:
    """Row of the first qualified candidate (candidate order) with the top total."""
    if not rows.size:
        return None
    best = totals.max()
    return int(next(row for row, t in zip(rows, totals, strict=True) if best - t <= RANK_TOLERANCE))


def _percentile(tally: np.ndarray, percent: int) -> int | None:
    """The smallest rank r such that at least `percent`% of the draws ranked r or better."""
    draws = int(tally.sum())
    if draws == 0:
        return None
    need = max(1, -(-percent * draws // 100))
    return int(np.searchsorted(np.cumsum(tally), need)) + 1
