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
direct way (so are whole points whose tables would take over about 40 MB). Both give the same
distribution; the tests check each against hand computation.

An alias draw costs one random 16-bit word (32-bit for tables wider than 256 outcomes), not a
64-bit float: tables are padded to a power of two with columns of zero chance, so the word's top
bits pick a column exactly uniformly, and its other bits are compared with the first binary
digits of the column's acceptance probability. Only when they equal those digits (about one
draw in a thousand) does a fresh uniform decide, against the rest of the probability, so the
test is as exact as the probability's double-precision value (evaluator.alias_tables).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluator.alias_tables import AliasTables, alias_tables, sum_pmfs
from evaluator.domain import Aggregation, Scale

_MAX_ENTRIES = 1 << 20  # entries of all tables (about 40 MB while built); past it, the direct way


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
    shifted = np.rint(np.asarray(values, dtype=float) - scale.minimum).astype(np.int64)
    low = int(shifted.min())
    pmf = sum_pmfs(np.bincount(shifted - low)[None, :])[0]
    keep = pmf > 0
    sums = np.arange(len(shifted) * low, len(shifted) * low + len(pmf))[keep]
    return sums / (len(shifted) * scale.span), pmf[keep]


def alias_table(pmf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table (Vose): draw column j uniformly, keep it with probability prob[j],
    else take alias[j]. Exact for any probabilities that sum to 1."""
    prob, alias = alias_tables(np.asarray(pmf, dtype=float)[None, :])
    return prob[0], alias[0]


class CellSampler:
    """Draws the normalised values of the varying cells, many draws at a time."""

    def __init__(self, cells: Sequence[Cell], scale: Scale, aggregation: Aggregation) -> None:
        self.cells = tuple(cells)
        self._aggregation = aggregation
        by_count: dict[int, list[int]] = {}
        for i, cell in enumerate(self.cells):
            by_count.setdefault(len(cell.values), []).append(i)
        groups = [
            (
                np.array(members, dtype=np.intp),
                np.array([self.cells[i].values for i in members], dtype=float),
            )
            for _count, members in sorted(by_count.items())
        ]
        exact: list[tuple[np.ndarray, np.ndarray]] = []
        if aggregation is Aggregation.MEAN:
            for members, values in groups:
                whole = (values == np.rint(values)).all(axis=1)
                points = np.rint(values[whole] - scale.minimum).astype(np.int64)
                exact.append((members[whole], points))
        built = _build_tables(exact, scale.span) if exact else None
        taken = np.zeros(len(self.cells), dtype=bool)
        self._tables: AliasTables | None = None
        self._exact = self._start = np.zeros(0, dtype=np.intp)
        self._low: np.ndarray | None = None
        self._scale = np.zeros(0)
        if built is not None:  # per exact cell: value = (low + drawn column) x scale
            self._tables, self._exact, self._start, self._low, self._scale = built
            taken[self._exact] = True
        self._direct = [  # (cells, their scores as shares of the scale)
            (members[~taken[members]], (values[~taken[members]] - scale.minimum) / scale.span)
            for members, values in groups
            if (~taken[members]).any()
        ]

    def __len__(self) -> int:
        return len(self.cells)

    def part(self, start: int, stop: int) -> CellSampler:
        """A sampler of cells[start:stop] that shares this one's tables."""
        part = copy.copy(self)
        part.cells = self.cells[start:stop]
        inside = (self._exact >= start) & (self._exact < stop)
        part._exact = self._exact[inside] - start
        part._start, part._scale = self._start[inside], self._scale[inside]
        part._low = None if self._low is None else self._low[inside]
        part._direct = []
        for members, shares in self._direct:
            keep = (members >= start) & (members < stop)
            if keep.any():
                part._direct.append((members[keep] - start, shares[keep]))
        return part

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Normalised values, shape (count, cells), in the order of `cells`."""
        if self._tables is not None and self._exact.size:
            exact = self._tables.draw(rng, self._start, count).astype(np.float64)
            if self._low is not None:
                exact += self._low
            exact *= self._scale  # (in place: faster than one ufunc casting the words)
            if self._exact.size == len(self.cells):
                return exact  # every cell exact: already in cell order
            out = np.empty((count, len(self.cells)))
            out[:, self._exact] = exact
        else:
            out = np.empty((count, len(self.cells)))
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


def _build_tables(
    groups: list[tuple[np.ndarray, np.ndarray]], span: int
) -> tuple[AliasTables, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray] | None:
    """Alias tables for cells of whole-point scores, one per distinct (count, lowest score,
    frequencies): (tables, cells, first entry of each cell's table, its lowest sum, 1 / (count
    x span)), ordered by cell; None when the tables would be too large (drawn directly then).

    Sums count from 0 when every table fits in 256 columns that way (the lowest sums are then
    None); on wider scales they count from each cell's lowest possible sum, to keep tables
    narrow."""
    pmfs, cells, tables_of, lows, scales = [], [], [], [], []
    most = max((points.shape[1] for members, points in groups if members.size), default=0)
    offset = most * span >= 256  # else sums count from 0: no lowest sum to add back per draw
    for members, points in groups:
        if not members.size:
            continue
        n = points.shape[1]
        low = points.min(axis=1) if offset else np.zeros(len(points), dtype=np.int64)
        width = int((points.max(axis=1) - low).max()) + 1
        steps = points - low[:, None] + (np.arange(len(points)) * width)[:, None]
        counts = np.bincount(steps.ravel(), minlength=len(points) * width).reshape(-1, width)
        keys, table = _distinct_rows(np.column_stack([low, counts]), n + 1)
        tables_of.append(table + sum(len(p) for p in pmfs))
        pmfs.append(sum_pmfs(keys[:, 1:]))
        cells.append(members)
        lows.append(n * low)
        scales.append(np.full(len(members), 1.0 / (n * span)))
    if not cells:
        return None
    width = 1 << max(1, (max(p.shape[1] for p in pmfs) - 1).bit_length())
    count = sum(len(p) for p in pmfs)
    if width > 1 << 24 or count * width > _MAX_ENTRIES:
        return None
    padded = np.zeros((count, width))
    row = 0
    for pmf in pmfs:
        padded[row : row + len(pmf), : pmf.shape[1]] = pmf
        row += len(pmf)
    order = np.argsort(np.concatenate(cells), kind="stable")
    return (
        AliasTables.pack(padded),
        np.concatenate(cells)[order],
        (np.concatenate(tables_of) * width)[order],
        np.concatenate(lows).astype(float)[order] if offset else None,
        np.concatenate(scales)[order],
    )


def _distinct_rows(rows: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(rows, axis=0, return_inverse=True) for rows of counts below `base` after a
    first column of small integers: as one integer per row when that fits (sorting rows of
    bytes was most of the tables' set-up time)."""
    rest = rows.shape[1] - 1
    if rest * np.log2(base) + np.log2(int(rows[:, 0].max()) + 1) < 62:
        digits = base ** np.arange(rest, dtype=np.int64)[::-1]
        codes = rows[:, 0] * base**rest + rows[:, 1:] @ digits
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        return rows[first], inverse.ravel()
    keys, inverse = np.unique(rows, axis=0, return_inverse=True)
    return keys, inverse.ravel()
