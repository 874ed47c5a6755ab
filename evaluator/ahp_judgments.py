"""From a committee member's pairwise judgments to weights: Saaty's verbal scale, incomplete
comparisons, the judgments behind an inconsistency, and the committee's geometric mean.

Judgments are keyed by pairs of indices into the set of criteria being compared; `(i, j): v`
says criterion i is v times as important as j (v in 1/9..9). A set need not be complete:

- Harker's method (P. T. Harker, Incomplete pairwise comparisons in the analytic hierarchy
  process, Mathematical Modelling 9(11), 1987, 837-848), the app's method, takes the
  principal eigenvector of the matrix C with c_ij = a_ij where judged, 0 where not, and
  c_ii = 1 + the number of judgments missing in row i. That is the eigenvector of the matrix
  completed with a_ij = w_i / w_j, and lambda_max of C is that completion's, so CI and CR are
  the completed matrix's.
- The completion that minimises lambda_max (S. Bozóki, J. Fülöp and L. Rónyai, On optimal
  completion of incomplete pairwise comparison matrices, Mathematical and Computer Modelling
  52(1-2), 2010, 318-333), by cyclic coordinates (lambda_max is convex in log x), for
  comparison with published results.

Either way the weights are determined only when the judgments connect every criterion (their
graph is connected): `needed` says how many more judgments that takes at least.

Which judgments make the matrix inconsistent: with e_ij = a_ij w_j / w_i,
n (lambda_max - n) = sum over i < j of (e_ij + 1/e_ij - 2), so each judgment's share of CI is
exact. For each, the value the *other* judgments imply (w'_i / w'_j, weights without it) is
snapped to the scale and the CR it would give is computed.

The committee combines its members' judgments pair by pair by the geometric mean (aggregation
of individual judgments: E. Forman and K. Peniwati, Aggregating individual judgments and
priorities with the analytic hierarchy process, EJOR 108(1), 1998, 165-169); each member's own
CR is reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluator.ahp import (
    APP_TABLE,
    CONSISTENCY_LIMIT,
    RandomIndexTable,
    check_size,
    consistency,
    perron,
)
from evaluator.domain import ScoringError

Pair = tuple[int, int]
HARKER = "harker"
OPTIMAL = "optimal"

# ---- Saaty's 1-9 scale -------------------------------------------------------------------------

INTENSITIES: tuple[tuple[int, str], ...] = (
    (1, "equally important"),
    (2, "equally to moderately more important"),
    (3, "moderately more important"),
    (4, "moderately to strongly more important"),
    (5, "strongly more important"),
    (6, "strongly to very strongly more important"),
    (7, "very strongly more important"),
    (8, "very strongly to extremely more important"),
    (9, "extremely more important"),
)
"""Saaty's fundamental scale: how much more important the first criterion is."""

SCALE: tuple[float, ...] = tuple(
    [1 / v for v, _ in reversed(INTENSITIES[1:])] + [float(v) for v, _ in INTENSITIES]
)
"""The 17 values a judgment takes on the scale: 1/9 ... 1/2, 1, 2 ... 9."""

WORDS: dict[str, int] = {
    "equal": 1, "equally": 1, "moderate": 3, "moderately": 3, "strong": 5, "strongly": 5,
    "very strong": 7, "very strongly": 7, "very-strong": 7, "demonstrated": 7,
    "extreme": 9, "extremely": 9,
}  # fmt: skip
LOW, HIGH = 1 / 9, 9.0
TOLERANCE = 1e-9

if TYPE_CHECKING:
    import numpy as np


def parse_value(text: str | float) -> float:
    """A judgment typed by a person: 3, 1/3, 0.25, 'moderate', 'very strong'; in 1/9..9."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        value = float(text)
    else:
        words = " ".join(str(text).strip().casefold().replace("_", " ").split())
        if words in WORDS:
            value = float(WORDS[words])
        else:
            try:
                top, _, bottom = words.partition("/")
                value = float(top) / float(bottom) if bottom else float(top)
            except (ValueError, ZeroDivisionError):
                raise ScoringError(
                    f"{text!r} is not a judgment: give a number from 1/9 to 9 (3, 1/3, 2.5) or "
                    "a word (equal, moderate, strong, very strong, extreme)"
                ) from None
    check_value(value)
    return value


def check_value(value: float) -> None:
    if not math.isfinite(value) or not LOW - TOLERANCE <= value <= HIGH + TOLERANCE:
        raise ScoringError(
            f"a judgment must lie between 1/9 and 9 (Saaty's scale), got {as_fraction(value)}"
        )


def snap(value: float) -> float:
    """The scale value nearest to `value` (nearest in ratio, i.e. on a log scale)."""
    return min(SCALE, key=lambda s: abs(math.log(s) - math.log(value)))


def as_fraction(value: float) -> str:
    """3, 1/3, 2.5 or 1/2.5: how people write a judgment."""
    if not math.isfinite(value) or value <= 0:
        return f"{value:g}"
    if value >= 1 - TOLERANCE:
        return f"{round(value, 2):g}"
    return f"1/{round(1 / value, 2):g}"


def ratio_text(value: float) -> str:
    """A ratio off the scale (what other judgments imply) as a plain number: 5.95, 0.65."""
    return f"{value:.2f}" if value < 9.995 else f"{value:.1f}"


def intensity(value: float) -> tuple[int, str]:
    """The scale point nearest to a value's strength (1..9) and its words."""
    strength = value if value >= 1 else 1 / value
    return INTENSITIES[min(range(9), key=lambda k: abs(math.log(k + 1) - math.log(strength)))]


def sentence(value: float, first: str, second: str) -> str:
    """'A is moderately more important than B' (or B than A, or 'A and B are equally ...')."""
    point, words = intensity(value)
    if point == 1:
        return f"{first} and {second} are equally important"
    if value < 1:
        first, second = second, first
    return f"{first} is {words} than {second}"


# ---- the analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Culprit:
    """One judgment's part in the inconsistency, and the value that would fit the others."""

    pair: Pair
    value: float  # as given: a_ij
    share: float  # its share of CI (0..1); the shares of all judgments add up to 1
    implied: float  # w'_i / w'_j from the other judgments (the weights without this one)
    suggested: float  # `implied` snapped to the scale
    ratio_after: float  # the CR with `suggested` in its place


@dataclass(frozen=True)
class Analysis:
    """Weights and consistency of one set of judgments (a member's, or the committee's)."""

    n: int
    given: int  # judgments given
    missing: int  # pairs not judged yet
    needed: int  # judgments still needed before the weights are determined (0: they are)
    weights: tuple[float, ...]  # () while undetermined
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    random_index: float
    table: str
    method: str
    completed: tuple[tuple[float, ...], ...]  # the matrix, missing judgments filled in
    culprits: tuple[Culprit, ...]  # judgments by share of the inconsistency, largest first

    @property
    def determined(self) -> bool:
        return self.needed == 0

    @property
    def inconsistent(self) -> bool:
        return self.determined and self.consistency_ratio > CONSISTENCY_LIMIT


def canonical(judgments: Mapping[Pair, float]) -> dict[Pair, float]:
    """Every judgment as (i, j) with i < j: (j, i): v becomes (i, j): 1/v."""
    out: dict[Pair, float] = {}
    for (i, j), value in judgments.items():
        if i == j:
            raise ScoringError("a criterion is not compared with itself")
        out[(i, j) if i < j else (j, i)] = value if i < j else 1 / value
    return out


def analyse(
    n: int,
    judgments: Mapping[Pair, float],
    *,
    method: str = HARKER,
    table: RandomIndexTable = APP_TABLE,
    diagnose: bool | None = True,
) -> Analysis:
    """Weights, lambda_max, CI, CR and what is missing, from the judgments given so far; with
    the judgments behind the inconsistency (`culprits`) when `diagnose` (None: only when the
    CR is above the limit; they cost two eigenproblems per judgment)."""
    check_size(n, table)
    given = canonical(judgments)
    for (i, j), value in given.items():
        if not (0 <= i < n and 0 <= j < n):
            raise ScoringError(f"judgment ({i}, {j}) names a criterion outside the set of {n}")
        check_value(value)
    pairs = n * (n - 1) // 2
    needed = components(n, given) - 1
    if needed:
        return Analysis(n, len(given), pairs - len(given), needed, (), 0.0, 0.0, 0.0, 0.0,
                        table.name, method, (), ())  # fmt: skip
    weights, lambda_max, matrix = solve(n, given, method)
    result = consistency(weights, lambda_max, n, table)
    wanted = diagnose if diagnose is not None else result.inconsistent
    culprits = _culprits(n, given, matrix, weights, method, table) if wanted else ()
    return Analysis(
        n, len(given), pairs - len(given), 0, result.weights, lambda_max,
        result.consistency_index, result.consistency_ratio, result.random_index, table.name,
        method, tuple(tuple(float(v) for v in row) for row in matrix), culprits,
    )  # fmt: skip


def components(n: int, pairs: Iterable[Pair]) -> int:
    """How many groups of criteria the judgments leave unconnected to each other."""
    parent = list(range(n))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, j in pairs:
        parent[root(i)] = root(j)
    return len({root(k) for k in range(n)})


def partial_matrix(n: int, given: Mapping[Pair, float]) -> np.ndarray:
    """The comparison matrix with NaN where nothing was judged."""
    import numpy as np  # numpy is loaded on first use, not at start

    matrix = np.full((n, n), np.nan)
    np.fill_diagonal(matrix, 1.0)
    for (i, j), value in given.items():
        matrix[i, j], matrix[j, i] = value, 1 / value
    return matrix


def harker(partial: np.ndarray) -> tuple[np.ndarray, float]:
    """Harker's weights and lambda_max for a matrix with NaN for missing judgments."""
    import numpy as np  # numpy is loaded on first use, not at start

    missing = np.isnan(partial)
    c = np.where(missing, 0.0, partial)
    c[np.diag_indices_from(c)] = 1.0 + missing.sum(axis=1)
    return perron(c)


def solve(
    n: int, given: Mapping[Pair, float], method: str = HARKER
) -> tuple[np.ndarray, float, np.ndarray]:
    """Weights, lambda_max and the completed matrix of connected judgments, by `method`."""
    import numpy as np  # numpy is loaded on first use, not at start

    partial = partial_matrix(n, given)
    if method == HARKER:
        weights, lambda_max = harker(partial)
        return weights, lambda_max, np.where(np.isnan(partial), np.outer(weights, 1 / weights),
                                             partial)  # fmt: skip
    if method == OPTIMAL:
        matrix = _optimal_completion(partial)
        return (*perron(matrix), matrix)
    raise ValueError(f"unknown method {method!r}")


def completed_matrix(n: int, given: Mapping[Pair, float], method: str = HARKER) -> np.ndarray:
    """The matrix with every missing judgment filled in by `method` (connected judgments)."""
    return solve(n, given, method)[2]


def _lambda_max(matrix: np.ndarray) -> float:
    import numpy as np  # numpy is loaded on first use, not at start

    return float(np.max(np.linalg.eigvals(matrix).real))


def _optimal_completion(partial: np.ndarray) -> np.ndarray:
    """Bozóki, Fülöp and Rónyai's cyclic coordinates: each missing entry in turn set to the
    value minimising lambda_max (a convex function of its logarithm), until nothing moves."""
    import numpy as np  # numpy is loaded on first use, not at start

    holes = [(i, j) for i, j in zip(*np.nonzero(np.isnan(partial)), strict=True) if i < j]
    weights, _ = harker(partial)  # a good starting point
    matrix = np.where(np.isnan(partial), np.outer(weights, 1 / weights), partial)
    level = _lambda_max(matrix)
    for _ in range(1000):
        for i, j in holes:
            best = _golden(lambda t, i=i, j=j: _set_and_measure(matrix, i, j, t), -7.0, 7.0)
            _set_and_measure(matrix, i, j, best)
        previous, level = level, _lambda_max(matrix)
        if previous - level < 1e-13:  # lambda_max is flat at its minimum: it stopped falling
            break
    return matrix


def _set_and_measure(matrix: np.ndarray, i: int, j: int, t: float) -> float:
    matrix[i, j], matrix[j, i] = math.exp(t), math.exp(-t)
    return _lambda_max(matrix)


def _golden(f, low: float, high: float, tolerance: float = 1e-9) -> float:  # type: ignore[no-untyped-def]
    """The minimum of a convex function on [low, high] by golden-section search."""
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tolerance:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
    return (a + b) / 2


def _culprits(
    n: int,
    given: Mapping[Pair, float],
    matrix: np.ndarray,
    weights: np.ndarray,
    method: str,
    table: RandomIndexTable,
) -> tuple[Culprit, ...]:
    if n <= 2:
        return ()
    terms = {
        (i, j): e + 1 / e - 2
        for (i, j) in given
        for e in [float(matrix[i, j] * weights[j] / weights[i])]
    }
    total = sum(terms.values()) + sum(
        e + 1 / e - 2
        for i in range(n)
        for j in range(i + 1, n)
        if (i, j) not in given
        for e in [float(matrix[i, j] * weights[j] / weights[i])]
    )
    out = []
    for pair, value in given.items():
        others = {p: v for p, v in given.items() if p != pair}
        i, j = pair
        if components(n, others) == 1:
            rest = solve(n, others, method)[0]
            implied = float(rest[i] / rest[j])
        else:  # the others do not reach across this pair: the current weights say it
            implied = float(weights[i] / weights[j])
        suggested = snap(implied)
        lambda_after = solve(n, {**others, pair: suggested}, method)[1]
        after = consistency((), lambda_after, n, table).consistency_ratio
        share = terms[pair] / total if total > 1e-15 else 0.0
        out.append(Culprit(pair, value, share, implied, suggested, after))
    return tuple(sorted(out, key=lambda c: (-c.share, c.pair)))


# ---- the committee -----------------------------------------------------------------------------


def geometric_mean(sets: Sequence[Mapping[Pair, float]]) -> dict[Pair, float]:
    """Members' judgments combined pair by pair: the geometric mean of those who judged it."""
    logs: dict[Pair, list[float]] = {}
    for judgments in sets:
        for pair, value in canonical(judgments).items():
            logs.setdefault(pair, []).append(math.log(value))
    return {pair: math.exp(math.fsum(v) / len(v)) for pair, v in sorted(logs.items())}
