"""Exact discrete draws in bulk: the resampled sums' distributions and their alias tables.

Everything here works on many tables at once (one row each), because a committee-scale
evaluation has thousands of distinct cells and a loop per table in Python was most of the
set-up time. The tables are packed for a draw that reads two entries per cell and takes one
random 16-bit word (see `AliasTables.draw`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sum_pmfs(counts: np.ndarray) -> np.ndarray:
    """Distributions of the sum of n draws with replacement from n scores, one row per table.

    Row i of `counts` says how many of the n scores sit 0, 1, 2 ... steps above the lowest
    (every row counts the same n); row i of the result is the chance that the n draws sum to
    0, 1, 2 ... steps above n times the lowest: the n-fold convolution of the frequencies.
    """
    n = int(counts[0].sum())
    power = counts / n
    result = np.ones((len(counts), 1))
    k = n
    while k:  # exponentiation by squaring of the convolution
        if k & 1:
            result = _convolve_rows(result, power)
        k >>= 1
        if k:
            power = _convolve_rows(power, power)
    result = np.clip(result, 0.0, None)
    return result / result.sum(axis=1, keepdims=True)


def _convolve_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.convolve of every row of `a` with the same row of `b`."""
    if a.shape[1] < b.shape[1]:
        a, b = b, a
    out = np.zeros((len(a), a.shape[1] + b.shape[1] - 1))
    for j in range(b.shape[1]):
        out[:, j : j + a.shape[1]] += a * b[:, j : j + 1]
    return out


def alias_tables(pmfs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias tables (Vose's pairing) of every row: draw column j uniformly, keep it
    with probability prob[j], else take alias[j]. Exact for any probabilities that sum to 1.

    Each step pairs, in every table at once, one column below its fair share with one above
    it: the small one is final, the large one gives up what the small one lacks. Columns left
    unpaired (all at their fair share but for rounding) keep probability 1.
    """
    count, size = pmfs.shape
    scaled = np.asarray(pmfs, dtype=float) * size
    prob = np.ones((count, size))
    alias = np.tile(np.arange(size), (count, 1))
    open_ = np.ones((count, size), dtype=bool)
    rows = np.arange(count)
    for _ in range(size):
        small = open_ & (scaled < 1.0)
        large = open_ & ~small
        active = small.any(axis=1) & large.any(axis=1)
        if not active.any():
            break
        if not active.all():
            rows, scaled, small, large = (x[active] for x in (rows, scaled, small, large))
            open_ = open_[active]
        s, g = small.argmax(axis=1), large.argmax(axis=1)
        here = np.arange(len(rows))
        prob[rows, s] = scaled[here, s]
        alias[rows, s] = g
        open_[here, s] = False
        scaled[here, g] += scaled[here, s] - 1.0
    return prob, alias


@dataclass(frozen=True)
class AliasTables:
    """Alias tables packed for bulk lookups: entry j of table t sits at t * width + j."""

    word: type  # np.uint16, or np.uint32 for tables wider than 256 columns
    shift: int  # a word's column is word >> shift; the low `shift` bits test acceptance
    test: np.ndarray  # per entry: column << shift | the probability's first `shift` bits
    alias: np.ndarray  # per entry, as a word
    rest: np.ndarray  # per entry: the rest of the probability, in [0, 1), to settle a tie

    @classmethod
    def pack(cls, pmfs: np.ndarray) -> AliasTables:
        """Tables of the rows of `pmfs`, whose width is a power of two."""
        width = pmfs.shape[1]
        bits = width.bit_length() - 1
        word, shift = (np.uint16, 16 - bits) if bits <= 8 else (np.uint32, 32 - bits)
        prob, alias = alias_tables(pmfs)
        column = np.arange(width)
        sure = prob >= 1.0  # kept for sure: the same as taking itself as the alias
        alias = np.where(sure, column, alias)
        scaled = np.where(sure, 0.0, prob) * float(1 << shift)  # exact: a power of two
        first = np.floor(scaled)
        test = (column << shift) | first.astype(np.int64)
        return cls(
            word,
            shift,
            test.astype(word).ravel(),
            alias.astype(word).ravel(),
            (scaled - first).ravel(),
        )

    def draw(self, rng: np.random.Generator, start: np.ndarray, count: int) -> np.ndarray:
        """`count` draws of the cells whose tables begin at entries `start`: the chosen columns,
        shape (count, cells).

        A word's top bits are its column (exactly uniform: the width is a power of two); it
        keeps the column when its low bits are below the probability's first bits, or equal to
        them and a fresh uniform falls below the rest. Cells of one table share its entries.
        """
        size = count * start.size
        raw = rng.bit_generator.random_raw(-(-size * np.dtype(self.word).itemsize // 8))
        words = raw.view(self.word)[:size].reshape(count, start.size)
        column = words >> self.shift
        entry = column.astype(np.intp)  # faster than a ufunc's casting of a mixed add
        entry += start
        test = self.test.take(entry)
        kept = words < test
        tie = np.flatnonzero(words == test)
        if tie.size:
            kept.ravel()[tie] = rng.random(tie.size) < self.rest.take(entry.ravel()[tie])
        alias = self.alias.take(entry)
        column -= alias  # chosen = alias + kept x (column - alias), modulo the word's range:
        column *= kept  # arithmetic is many times faster than np.where here
        column += alias
        return column
