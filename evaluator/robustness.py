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

import os
from concurrent.futures import Future, ThreadPoolExecutor
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

_BATCH = 100  # draws per step; progress and cancel are checked between steps
_PART_CELLS = 1500  # the candidates are cut in parts of about this many cells (or one
# candidate), each with its own random stream: small enough for a part's arrays to stay in cache
_THREADS = min(4, os.cpu_count() or 1)  # the parts run side by side on this many threads


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
    grouped = group_scores(data.scores, conflicts(data))
    matrix = leaf_matrix(data, grouped)
    weights = matrix.weights
    base_raw = np.array(matrix.tree.raw_weights(), dtype=float)
    base = weights.leaf_weights(base_raw)  # a set-up error surfaces before any draw
    rows = np.flatnonzero(matrix.eligible)
    values = matrix.values[rows]
    leader = _leader(100.0 * values @ base, rows)
    cells = _varied_cells(data, matrix, rows, base, grouped) if settings.resample else []
    run = _Run(weights, base_raw, base, values, cells, data, settings)
    counts = np.zeros((len(rows), len(rows)), dtype=np.int64)
    wins = np.zeros(len(rows))
    done = 0
    pool = ThreadPoolExecutor(_THREADS) if _THREADS > 1 and len(run.parts) > 1 else None
    try:
        while rows.size and done < settings.draws:
            raise_if_cancelled(cancel)
            batch = min(_BATCH, settings.draws - done)
            totals = run.totals(batch, pool)
            above = totals[:, None, :] > totals[:, :, None] + RANK_TOLERANCE
            ranks = 1 + np.count_nonzero(above, axis=2)
            slots = np.arange(len(rows))[None, :] * len(rows) + ranks - 1
            counts += np.bincount(slots.ravel(), minlength=counts.size).reshape(counts.shape)
            top = totals >= totals.max(axis=1, keepdims=True) - RANK_TOLERANCE
            wins += (top / top.sum(axis=1, keepdims=True)).sum(axis=0)
            done += batch
            if progress is not None:
                progress(done, settings.draws)
    finally:
        if pool is not None:
            pool.shutdown()
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
    """Totals of the qualified candidates for a batch of draws.

    Per part of the candidates, a draw's totals are 100 x its leaf weights @ the part's cells:
    a dense block (candidates x leaves) holding the cells that do not vary, with the resampled
    ones drawn into it. Each part draws from its own stream, spawned from the seed, so the
    numbers do not depend on how the parts are run, nor on how many threads run them. A part
    is small (see _PART_CELLS) so that its arrays stay in cache and each draw's product is one
    small matrix-vector product: a BLAS runs those on one thread, where one large product per
    step would start threads and leave them spinning between steps.
    """

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
        self.weights, self.base = weights, base
        self.concentration = settings.concentration
        sums = base_raw @ weights.membership
        self.shares = base_raw / sums[weights.group_of] if base_raw.size else base_raw
        bounds = list(range(0, len(values), max(1, _PART_CELLS // max(1, values.shape[1]))))
        bounds.append(len(values))
        streams = np.random.SeedSequence(settings.seed).spawn(len(bounds))
        self.rng = np.random.default_rng(streams[0])  # the weights
        positions = np.array([position for position, _ in cells], dtype=np.intp)
        columns = np.array([cell.column for _, cell in cells], dtype=np.intp)
        sampler = CellSampler([cell for _, cell in cells], data.scale, data.aggregation)
        edges = np.searchsorted(positions, bounds)  # cells come in candidate order
        self.parts = [
            _Part(
                values[bounds[k] : bounds[k + 1]],
                sampler.part(int(edges[k]), int(edges[k + 1])),
                (positions[edges[k] : edges[k + 1]] - bounds[k]) * values.shape[1]
                + columns[edges[k] : edges[k + 1]],
                np.random.default_rng(streams[1 + k]),
            )
            for k in range(len(bounds) - 1)
        ]

    def totals(self, count: int, pool: ThreadPoolExecutor | None = None) -> np.ndarray:
        """(draws, candidates). With a pool the parts run on it, drawing their cells while
        this thread draws the weights (NumPy lets go of the interpreter lock in the work that
        matters: random words, lookups, products)."""
        if pool is None:
            leaf_weights = self._leaf_weights(count)
            return np.concatenate([part.totals(count, leaf_weights) for part in self.parts], axis=1)
        weights: Future[np.ndarray] = Future()
        jobs = [pool.submit(part.totals, count, weights) for part in self.parts]
        try:
            weights.set_result(self._leaf_weights(count))
        except BaseException as error:  # the parts waiting for the weights stop too
            weights.set_exception(error)
            raise
        return np.concatenate([job.result() for job in jobs], axis=1)

    def _leaf_weights(self, count: int) -> np.ndarray:
        """Every draw's effective leaf weights, x 100 (totals are in points)."""
        if self.concentration is None:  # the same weights in every draw
            leaf_weights = np.repeat(self.base[None, :], count, axis=0)
        else:
            leaf_weights = self.weights.leaf_weights(self._dirichlet(count))
        leaf_weights *= 100.0
        return leaf_weights

    def _dirichlet(self, count: int) -> np.ndarray:
        """Raw weights whose shares in each sibling group are Dirichlet(κ x current shares)."""
        alpha = self.concentration * self.shares  # type: ignore[operator]
        raw = self.rng.standard_gamma(np.broadcast_to(alpha, (count, alpha.size)))
        empty = (raw @ self.weights.membership) <= 0.0  # every draw underflowed: tiny shares
        if empty.any():
            raw = np.where(empty[:, self.weights.group_of], self.shares, raw)
        return raw


class _Part:
    """Some consecutive candidates, their cells, and the stream their resampled cells use."""

    def __init__(
        self, values: np.ndarray, sampler: CellSampler, flat: np.ndarray, rng: np.random.Generator
    ) -> None:
        self.values, self.sampler, self.rng = values, sampler, rng
        self.flat = flat  # each resampled cell's place in the flattened block
        self.every = flat.size == values.size  # all cells vary: the draws are the block

    def totals(self, count: int, weights: np.ndarray | Future[np.ndarray]) -> np.ndarray:
        """The part's candidates' totals in each of `count` draws, given the draws' leaf
        weights x 100 (or their future: the cells are drawn before they are needed)."""
        if self.flat.size:
            cells = self.sampler.draw(self.rng, count)
            if not self.every:
                block = np.repeat(self.values.reshape(1, -1), count, axis=0)
                block[:, self.flat] = cells
                cells = block
        leaf_weights = weights.result() if isinstance(weights, Future) else weights
        if not self.flat.size:
            return np.einsum("kl,pl->kp", leaf_weights, self.values)
        block = cells.reshape(count, *self.values.shape)
        return np.matmul(block, leaf_weights[:, :, None])[:, :, 0]


def _varied_cells(
    data: EvaluationData,
    matrix: LeafMatrix,
    rows: np.ndarray,
    base: np.ndarray,
    grouped: dict[tuple[int, str], list[float]],
) -> list[tuple[int, Cell]]:
    """(position among the qualified, cell) of every cell a bootstrap can change: a rated leaf
    that counts, no consensus value, and at least two different counting scores."""
    agreed = {(c.candidate_id, c.criterion_key) for c in data.consensus}
    kinds = {leaf.key: leaf.kind for leaf in leaves(data.criteria)}
    rated = [
        (column, key)
        for column, key in enumerate(matrix.tree.leaf_keys)
        if base[column] > 0.0 and kind_info(kinds[key]).scoring is Scoring.MEMBERS
    ]
    cells = []
    for position, row in enumerate(rows):
        candidate_id = matrix.candidate_ids[row]
        for column, key in rated:
            scores = grouped.get((candidate_id, key))
            if not scores or len(scores) < 2 or min(scores) == max(scores):
                continue
            if (candidate_id, key) not in agreed:
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
