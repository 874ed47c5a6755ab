"""The bootstrap's packed alias tables and the simulation's parts (issue 12, Monte-Carlo speed).

- the packed tables (a 16- or 32-bit word per draw, ties settled by a fresh uniform) imply
  exactly the distribution they were built from, worked out entry by entry, not sampled;
- whole-point cells on a wide scale (sums counted from each cell's lowest, 32-bit words) and a
  mix of exact and direct cells still draw their hand-computed distributions;
- the simulation's fixed split into parts, each with its own stream: the numbers do not
  depend on how many threads run the parts, and cells in different parts still vary as
  computed by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from evaluator import bootstrap, robustness
from evaluator.alias_tables import AliasTables, alias_tables, sum_pmfs
from evaluator.bootstrap import Cell, CellSampler, _distinct_rows, mean_distribution
from evaluator.domain import (
    Aggregation,
    Candidate,
    EvaluationData,
    Evaluator,
    Scale,
    Score,
)
from evaluator.robustness import Settings, simulate
from tests.core_fixtures import rated
from tests.sensitivity_fixtures import DRAWS, agreed, within


def implied(tables: AliasTables, row: int, width: int) -> np.ndarray:
    """The exact chance of each outcome of table `row`: every word equally likely, a tie
    (chance 2^-shift within its column) kept with the probability `rest`."""
    entries = slice(row * width, (row + 1) * width)
    test, alias = tables.test[entries].astype(np.int64), tables.alias[entries]
    first = test & ((1 << tables.shift) - 1)
    keep = (first + tables.rest[entries]) / 2.0**tables.shift
    chances = np.zeros(width)
    np.add.at(chances, np.arange(width), keep / width)
    np.add.at(chances, alias, (1 - keep) / width)
    return chances


@pytest.mark.parametrize("width", [4, 64, 512])
def test_packed_tables_imply_their_distribution_exactly(width: int) -> None:
    rng = np.random.default_rng(7)
    pmfs = rng.random((5, width)) ** 3  # uneven, with many columns below their fair share
    pmfs[:, width // 2 :] *= rng.random((5, width - width // 2)) < 0.5  # and zero chances
    pmfs /= pmfs.sum(axis=1, keepdims=True)
    tables = AliasTables.pack(pmfs)
    assert tables.word is (np.uint16 if width <= 256 else np.uint32)
    for row, pmf in enumerate(pmfs):
        assert implied(tables, row, width) == pytest.approx(pmf, abs=1e-15)


def test_alias_tables_of_many_rows_match_one_at_a_time() -> None:
    pmfs = np.array([[0.5, 0.5, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4], [1.0, 0.0, 0.0, 0.0]])
    prob, alias = alias_tables(pmfs)
    for row, pmf in enumerate(pmfs):
        chances = np.zeros(4)
        np.add.at(chances, np.arange(4), prob[row] / 4)
        np.add.at(chances, alias[row], (1 - prob[row]) / 4)
        assert chances == pytest.approx(pmf, abs=1e-15)


def test_sum_distributions_by_hand() -> None:
    # scores 0, 0, 1 (steps above the lowest): sums of three draws 0..3 with 8, 12, 6, 1 in 27;
    # scores 0, 1, 1: the mirror image
    pmfs = sum_pmfs(np.array([[2, 1], [1, 2]]))
    assert pmfs[0] == pytest.approx(np.array([8, 12, 6, 1]) / 27)
    assert pmfs[1] == pytest.approx(np.array([1, 6, 12, 8]) / 27)


def test_distinct_rows_as_numbers_or_as_rows() -> None:
    rows = np.random.default_rng(3).integers(0, 4, size=(500, 6))
    expected_keys, expected_index = np.unique(rows, axis=0, return_inverse=True)
    for base in (5, 10**4):  # one integer per row fits, then does not
        keys, index = _distinct_rows(rows, base)
        assert (keys == expected_keys).all() and (index == expected_index.ravel()).all()


def frequencies(drawn: np.ndarray, outcomes: np.ndarray) -> np.ndarray:
    hits = np.isclose(drawn[:, None], outcomes[None, :])
    assert hits.any(axis=1).all()  # nothing outside the distribution
    return hits.mean(axis=0)


@pytest.mark.parametrize("tables", [True, False])
def test_wide_scale_cells_draw_their_exact_distribution(
    monkeypatch: pytest.MonkeyPatch, tables: bool
) -> None:
    # 0..100: 0, 100 and 50 sum to 0..300 in steps of 50, too wide for 16-bit words; 90, 95, 99
    # count from their lowest sum, 270. Tables past the size limit: the cells are drawn directly
    if not tables:
        monkeypatch.setattr(bootstrap, "_MAX_ENTRIES", 1000)
    scale = Scale(0, 100)
    cells = [Cell(0, 0, (0, 100, 50)), Cell(0, 1, (90, 95, 99))]
    sampler = CellSampler(cells, scale, Aggregation.MEAN)
    if tables:
        assert sampler._tables is not None and sampler._tables.word is np.uint32
        assert sampler._low is not None
    else:
        assert sampler._tables is None
    drawn = sampler.draw(np.random.default_rng(11), DRAWS)
    for column, cell in enumerate(cells):
        outcomes, chances = mean_distribution(cell.values, scale)
        for seen, chance in zip(frequencies(drawn[:, column], outcomes), chances, strict=True):
            assert within(float(seen), float(chance))


def test_exact_and_direct_cells_keep_their_order_and_parts_share_tables() -> None:
    # a whole-point cell, a cell with a half point (drawn directly: mean of two draws of 1.5
    # and 3 is 1.5, 2.25 or 3 with chances 1/4, 1/2, 1/4) and a whole-point cell again
    cells = [Cell(0, 0, (4, 2, 2)), Cell(0, 1, (1.5, 3)), Cell(0, 2, (5, 0))]
    sampler = CellSampler(cells, Scale(), Aggregation.MEAN)
    expected = [
        mean_distribution((4, 2, 2), Scale()),
        (np.array([1.5, 2.25, 3]) / 5, np.array([0.25, 0.5, 0.25])),
        mean_distribution((5, 0), Scale()),
    ]
    for part, first in ((sampler, 0), (sampler.part(1, 3), 1)):
        drawn = part.draw(np.random.default_rng(5), DRAWS)
        assert drawn.shape == (DRAWS, len(cells) - first)
        for column, (outcomes, chances) in enumerate(expected[first:]):
            for seen, chance in zip(frequencies(drawn[:, column], outcomes), chances, strict=True):
                assert within(float(seen), float(chance))


def two_varying() -> EvaluationData:
    """One leaf; A's members score 5 and 0 (resampled mean 0, 2.5 or 5 with chances 1/4, 1/2,
    1/4), B's 4 and 2 (2, 3 or 4, the same chances); C has the consensus value 1.

    B leads now (3 against 2.5). A wins when it draws 5 (1/4), or 2.5 against B's 2 (1/8):
    3/8; no tie is possible. B wins the other 5/8."""
    members = [Evaluator(1, "Member One"), Evaluator(2, "Member Two")]
    scores = [(1, 5), (1, 0), (2, 4), (2, 2)]
    return EvaluationData(
        id=1,
        name="Parts RFP",
        criteria=[rated("q")],
        candidates=[
            Candidate(1, "Example A"),
            Candidate(2, "Example B"),
            Candidate(3, "Example C"),
        ],
        evaluators=members,
        scores=[
            Score(1 + i % 2, candidate, "q", value, "why")
            for i, (candidate, value) in enumerate(scores)
        ],
        consensus=agreed({(3, "q"): 1}),
    )


def test_cells_in_different_parts_vary_as_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(robustness, "_PART_CELLS", 1)  # one candidate per part
    result = simulate(two_varying(), Settings(draws=DRAWS, seed=3, concentration=None))
    assert (result.leader_id, result.varied_cells) == (2, 2)
    assert within(result.for_candidate(1).chance, 3 / 8)
    assert within(result.for_candidate(2).chance, 5 / 8)
    assert result.for_candidate(3).chance == 0.0


@pytest.mark.parametrize("part_cells", [1, 2, 1500])
def test_the_numbers_do_not_depend_on_the_threads(
    monkeypatch: pytest.MonkeyPatch, part_cells: int
) -> None:
    monkeypatch.setattr(robustness, "_PART_CELLS", part_cells)
    settings = Settings(draws=700, seed=8, concentration=5)
    results = []
    for threads in (1, 2, 3):
        monkeypatch.setattr(robustness, "_THREADS", threads)
        results.append(simulate(two_varying(), settings))
    assert results[0] == results[1] == results[2]
