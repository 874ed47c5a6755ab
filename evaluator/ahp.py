"""AHP pairwise weighting: turn "A matters 3x more than B" judgments into weights.

The weights are the principal eigenvector of the reciprocal comparison matrix (Saaty), and the
consistency ratio CR = CI / RI tells the committee whether its judgments contradict each other
(CI = (lambda_max - n) / (n - 1), RI the mean CI of random matrices of that size); above 0.10
the judgments should be revisited.

Which random-index table gives RI matters (the same CI gives a different CR), so each table is
named and cited. The app uses Saaty's 1980 table (DESIGN.md, scoring math 8), for n = 1..10: the
sizes a committee can judge pairwise (10 criteria already need 45 comparisons); larger matrices
are refused. The other tables are here so that published results computed with them (Alonso &
Lamata's, and the two AHPy uses) can be reproduced exactly.

Incomplete comparisons, the verbal scale and the committee's geometric mean are in
`evaluator.ahp_judgments`; this module takes a complete matrix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evaluator.domain import ScoringError

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class RandomIndexTable:
    """A published table of random consistency indices: RI by matrix size n (1 and 2: 0)."""

    name: str  # as the UI and the report name it
    source: str  # the citation
    values: Mapping[int, float] = field(default_factory=dict)

    @property
    def largest(self) -> int:
        return max(self.values)

    def index(self, n: int) -> float:
        if n <= 2:
            return 0.0
        if n not in self.values:
            raise ScoringError(
                f"The {self.name} random index has no value for {n} criteria (it covers 3 to "
                f"{self.largest})."
            )
        return self.values[n]


SAATY_1980 = RandomIndexTable(
    "Saaty (1980)",
    "T. L. Saaty, The Analytic Hierarchy Process, McGraw-Hill, New York, 1980",
    {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49},
)
ALONSO_LAMATA_2006 = RandomIndexTable(
    "Alonso & Lamata (2006)",
    "J. A. Alonso and M. T. Lamata, Consistency in the analytic hierarchy process: a new "
    "approach, Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4), 2006, 445-459",
    {3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417, 8: 1.4056, 9: 1.4499, 10: 1.4854,
     11: 1.5141, 12: 1.5365, 13: 1.5551, 14: 1.5713, 15: 1.5838},
)  # fmt: skip
DONEGAN_DODD_1991 = RandomIndexTable(
    "Donegan & Dodd (1991)",
    "H. A. Donegan and F. J. Dodd, A note on Saaty's random indexes, Mathematical and Computer "
    "Modelling 15(10), 1991, 135-137 (AHPy's default)",
    {3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733, 10: 1.4055,
     11: 1.4213, 12: 1.4497, 13: 1.4643, 14: 1.4822, 15: 1.4969},
)  # fmt: skip
SAATY_2005 = RandomIndexTable(
    "Saaty (2005)",
    "T. L. Saaty, Theory and Applications of the Analytic Network Process, RWS Publications, "
    "Pittsburgh, 2005, p. 31 (AHPy's 'saaty')",
    {3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45, 10: 1.49, 11: 1.52,
     12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59},
)  # fmt: skip

APP_TABLE = SAATY_1980
"""The table SupportScope uses everywhere (named in the window, the CLI and the report)."""

RANDOM_INDEX: tuple[float, ...] = (0.0, 0.0, *(SAATY_1980.values[n] for n in range(3, 11)))
"""Saaty's random consistency index for n = 1..10 (RANDOM_INDEX[n - 1])."""

CONSISTENCY_LIMIT = 0.10
RECIPROCAL_TOLERANCE = 0.01  # a_ij x a_ji may be off 1 by this much (entries typed as 0.333)


@dataclass(frozen=True)
class AhpResult:
    weights: tuple[float, ...]  # one per row of the matrix, summing to 1
    lambda_max: float  # principal eigenvalue; n for a perfectly consistent matrix
    consistency_index: float  # (lambda_max - n) / (n - 1); 0 for n <= 2
    consistency_ratio: float  # CI / RI; 0 for n <= 2
    inconsistent: bool  # CR above 0.10: the judgments should be revisited
    random_index: float = 0.0  # the RI used (0 for n <= 2)
    table: str = APP_TABLE.name


def ahp_weights(
    matrix: Sequence[Sequence[float]], table: RandomIndexTable = APP_TABLE
) -> AhpResult:
    """Weights and consistency of a pairwise comparison matrix (a_ij = importance of i over j)."""
    values = _validated(matrix, table)
    weights, lambda_max = perron(values)
    return consistency(weights, lambda_max, len(values), table)


def perron(values: np.ndarray) -> tuple[np.ndarray, float]:
    """The principal (Perron) eigenvector of a positive matrix, normalised to sum 1, and its
    eigenvalue."""
    import numpy as np  # numpy is loaded on first use, not at start

    eigenvalues, eigenvectors = np.linalg.eig(values)
    principal = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, principal].real)  # Perron vector: one sign throughout
    return vector / vector.sum(), float(eigenvalues[principal].real)


def consistency(
    weights: Sequence[float] | np.ndarray, lambda_max: float, n: int, table: RandomIndexTable
) -> AhpResult:
    """CI and CR of a matrix of size n with this principal eigenvalue, by `table`."""
    if n <= 2:
        index = ratio = random_index = 0.0
    else:
        index = max(0.0, (lambda_max - n) / (n - 1))
        random_index = table.index(n)
        ratio = index / random_index
    return AhpResult(
        weights=tuple(float(w) for w in weights),
        lambda_max=lambda_max,
        consistency_index=index,
        consistency_ratio=ratio,
        inconsistent=ratio > CONSISTENCY_LIMIT,
        random_index=random_index,
        table=table.name,
    )


def check_size(n: int, table: RandomIndexTable = APP_TABLE) -> None:
    """Refuse a set of criteria too large to compare pairwise with this table."""
    if n == 0:
        raise ScoringError("The comparison matrix is empty; compare at least one criterion.")
    if n > table.largest:
        raise ScoringError(
            f"The comparison matrix has {n} rows; AHP here supports at most "
            f"{table.largest} criteria at a time. Group them into categories first."
        )


def _validated(matrix: Sequence[Sequence[float]], table: RandomIndexTable) -> np.ndarray:
    """A square, positive, reciprocal matrix of 1..10 rows, or a ScoringError saying why not."""
    import numpy as np  # numpy is loaded on first use, not at start

    n = len(matrix)
    check_size(n, table)
    for i, row in enumerate(matrix, start=1):
        if len(row) != n:
            raise ScoringError(
                f"The comparison matrix must be square: row {i} has {len(row)} entries, "
                f"expected {n}."
            )
    for i in range(n):
        for j in range(n):
            value = matrix[i][j]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ScoringError(f"Comparison ({i + 1}, {j + 1}) is not a number.")
            if not math.isfinite(value) or value <= 0:
                raise ScoringError(
                    f"Comparison ({i + 1}, {j + 1}) must be a positive number, got {value:g}."
                )
    for i in range(n):
        if abs(matrix[i][i] - 1.0) > RECIPROCAL_TOLERANCE:
            raise ScoringError(
                f"Comparison ({i + 1}, {i + 1}) compares a criterion with itself and must be 1, "
                f"got {matrix[i][i]:g}."
            )
        for j in range(i + 1, n):
            if abs(matrix[i][j] * matrix[j][i] - 1.0) > RECIPROCAL_TOLERANCE:
                raise ScoringError(
                    f"Comparisons ({i + 1}, {j + 1}) = {matrix[i][j]:g} and ({j + 1}, {i + 1}) = "
                    f"{matrix[j][i]:g} must be reciprocal (their product must be 1)."
                )
    return np.array(matrix, dtype=float)
