"""AHP pairwise weighting: turn "A matters 3x more than B" judgments into weights.

The weights are the principal eigenvector of the reciprocal comparison matrix (Saaty), and the
consistency ratio CR = CI / RI tells the committee whether its judgments contradict each other
(CI = (lambda_max - n) / (n - 1), RI from Saaty's random index table); above 0.10 the judgments
should be revisited. Saaty's table is used for n = 1..10, the sizes a committee can judge
pairwise (10 criteria already need 45 comparisons); larger matrices are refused.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluator.domain import ScoringError

RANDOM_INDEX: tuple[float, ...] = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
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


def ahp_weights(matrix: Sequence[Sequence[float]]) -> AhpResult:
    """Weights and consistency of a pairwise comparison matrix (a_ij = importance of i over j)."""
    values = _validated(matrix)
    n = values.shape[0]
    eigenvalues, eigenvectors = np.linalg.eig(values)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)  # Perron vector: one sign throughout
    weights = vector / vector.sum()
    if n <= 2:
        index = ratio = 0.0
    else:
        index = max(0.0, (lambda_max - n) / (n - 1))
        ratio = index / RANDOM_INDEX[n - 1]
    return AhpResult(
        weights=tuple(float(w) for w in weights),
        lambda_max=lambda_max,
        consistency_index=index,
        consistency_ratio=ratio,
        inconsistent=ratio > CONSISTENCY_LIMIT,
    )


def _validated(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    """A square, positive, reciprocal matrix of 1..10 rows, or a ScoringError saying why not."""
    n = len(matrix)
    if n == 0:
        raise ScoringError("The comparison matrix is empty; compare at least one criterion.")
    if n > len(RANDOM_INDEX):
        raise ScoringError(
            f"The comparison matrix has {n} rows; AHP here supports at most "
            f"{len(RANDOM_INDEX)} criteria at a time. Group them into categories first."
        )
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
