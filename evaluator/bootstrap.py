"""Resampling the committee's scores: a bootstrap of the members in every cell.

In one draw, each (candidate, rated criterion) cell whose value comes from the members' scores
takes the aggregate of n scores drawn with replacement from its n counting scores (abstentions
and declared conflicts excluded, as in the ranking). Cells with a consensus value, one score or
unanimous scores never vary and are left out.

Drawing n scores per cell and draw is the slow way (10,000 draws at committee scale move 10^9
numbers). For the mean of whole points, which is the usual case, the distribution of the
resampled mean is known exactly: the sum of n independent draws from the cell's scores is the
n-fold convolution of their frequencies. Each cell then needs one draw from that distribution,
made in constant time with Walker's alias method (Vose's construction); tables are shared by
cells with the same scores. The median, and scores that are not whole points, are resampled the
direct way. Both give the same distribution; the tests check each against hand computation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from evaluator.domain import Aggregation, Scale


@dataclass(frozen=True)
class Cell:
    """One cell that varies: its row (candidate) and column (leaf) in the leaf matrix."""

    row: int
    column: int
    values: tuple[float, ...]  # the counting scores, on the scale


def mean_distribution(values: Sequence[float], scale: Scale) -> tuple[np.ndarray, np.ndarray]:
    """(outcomes, probabilities) of the normalised mean of len(values) scores drawn with
    replacement from `values`, for whole-point scores; outcomes ascending, zero-chance ones
    left out."""
    shifted = _key(values, scale.minimum)
    low, pmf = _sum_pmf(shifted)
    keep = pmf > 0
    sums = np.arange(low, low + len(pmf))[keep]
    return sums / (len(values) * scale.span), pmf[keep]


def _key(values: Sequence[float], minimum: int) -> tuple[int, ...]:
    """Whole-point scores as steps above the scale's minimum, sorted: what a table depends on."""
    return tuple(sorted(round(v - minimum) for v in values))


@lru_cache(maxsize=4096)
def _sum_pmf(shifted: tuple[int, ...]) -> tuple[int, np.ndarray]:
    """(lowest sum, probabilities of lowest..highest sum) of n draws from `shifted`."""
    n = len(shifted)
    low = shifted[0]
    single = np.bincount(np.array(shifted) - low) / n
    result = np.ones(1)
    power, k = single, n  # exponentiation by squaring of the convolution
    while k:
        if k & 1:
            result = np.convolve(result, power)
        k >>= 1
        if k:
            power = np.convolve(power, power)
    result = np.clip(result, 0.0, None)
    return n * low, result / result.sum()


@lru_cache(maxsize=4096)
def _alias(shifted: tuple[int, ...]) -> tuple[int, np.ndarray, np.ndarray]:
    """(lowest sum, acceptance probabilities, aliases) for drawing a cell's resampled sum."""
    low, pmf = _sum_pmf(shifted)
    prob, alias = alias_table(pmf)
    return low, prob, alias


def alias_table(pmf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table (Vose): draw column j uniformly, keep it with probability prob[j],
    else take alias[j]. Exact for any probabilities that sum to 1."""
    size = len(pmf)
    scaled = np.asarray(pmf, dtype=float) * size
    prob = np.ones(size)
    alias = np.arange(size)
    small = [i for i in range(size) if scaled[i] < 1.0]
    large = [i for i in range(size) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        prob[s], alias[s] = scaled[s], g
        scaled[g] = scaled[g] + scaled[s] - 1.0
        (small if scaled[g] < 1.0 else large).append(g)
    return prob, alias  # what is left in either list keeps probability 1 (rounding only)


class CellSampler:
    """Draws the normalised values of the varying cells, many draws at a time."""

    def __init__(self, cells: Sequence[Cell], scale: Scale, aggregation: Aggregation) -> None:
        self.cells = tuple(cells)
        exact = [
            i
            for i, cell in enumerate(self.cells)
            if aggregation is Aggregation.MEAN and all(float(v).is_integer() for v in cell.values)
        ]
        self._exact = np.array(exact, dtype=np.intp)
        self._aggregation = aggregation
        self._span = scale.span
        self._minimum = scale.minimum
        self._build_exact([self.cells[i] for i in exact])
        taken = set(exact)
        by_count: dict[int, list[int]] = {}
        for i, cell in enumerate(self.cells):
            if i not in taken:
                by_count.setdefault(len(cell.values), []).append(i)
        self._direct = [
            (
                np.array(members, dtype=np.intp),
                np.array(
                    [[(v - scale.minimum) / scale.span for v in self.cells[i].values]
                     for i in members]
                ),
            )
            for _count, members in sorted(by_count.items())
        ]  # fmt: skip

    def _build_exact(self, cells: Sequence[Cell]) -> None:
        """One alias table per distinct set of scores (cells share them), packed as
        alias + acceptance probability in one float, so a draw costs one lookup."""
        keys = [_key(c.values, self._minimum) for c in cells]
        table_of: dict[tuple[int, ...], int] = {}
        for key in keys:
            table_of.setdefault(key, len(table_of))
        tables = [_alias(key) for key in table_of]
        width = max((len(prob) for _, prob, _ in tables), default=1)
        packed = np.zeros((len(tables), width))
        for i, (_low, prob, alias) in enumerate(tables):
            always = prob >= 1.0  # kept for sure: the same as taking itself as the alias
            packed[i, : len(prob)] = np.where(always, np.arange(len(prob)), alias) + np.where(
                always, 0.0, prob
            )
        self._packed = packed.ravel()
        index = np.array([table_of[key] for key in keys], dtype=np.intp)
        self._table_start = (index * width)[None, :]
        self._size = np.array([len(tables[i][1]) for i in index], dtype=float)
        self._last = self._size - 1
        self._low = np.array([tables[i][0] for i in index], dtype=float)
        self._scale = np.array([1.0 / (len(c.values) * self._span) for c in cells])

    def __len__(self) -> int:
        return len(self.cells)

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Normalised values, shape (count, cells), in the order of `cells`."""
        out = np.empty((count, len(self.cells)))
        if self._exact.size:
            spot = rng.random((count, self._exact.size)) * self._size
            column = np.minimum(np.floor(spot), self._last)
            packed = self._packed[self._table_start + column.astype(np.intp)]
            alias = np.floor(packed)
            # the fraction of the uniform draw past its column is a second uniform draw
            spot -= column
            packed -= alias
            chosen = np.where(spot < packed, column, alias)
            exact = (self._low + chosen) * self._scale
            if self._exact.size == len(self.cells):
                return exact
            out[:, self._exact] = exact
        for members, values in self._direct:
            n = values.shape[1]
            picks = rng.integers(0, n, size=(count, len(members), n), dtype=np.uint8 if n < 256
                                 else np.intp)  # fmt: skip
            offsets = (np.arange(len(members)) * n)[None, :, None]
            drawn = values.ravel()[offsets + picks]
            if self._aggregation is Aggregation.MEDIAN:
                out[:, members] = np.median(drawn, axis=2)
            else:
                out[:, members] = drawn.mean(axis=2)
        return out
