"""Weighting sets: each stakeholder group's full set of raw weights, and how a set is read.

A committee rarely agrees on weights: clinicians weigh clinical know-how, IT weighs Level 4
engineering, finance weighs cost. Each group's view is stored with the evaluation as a
`WeightSet`; `evaluator.set_rankings` ranks the candidates under each. No numpy here: the change
writers use these helpers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from evaluator.domain import Criterion, ScoringError
from evaluator.weights import WeightTree

SUGGESTED_NAMES = ("Clinical", "IT", "Finance")  # the usual stakeholder groups


def node_raw(tree: WeightTree, weights: Mapping[str, float]) -> tuple[list[float], list[str]]:
    """Raw weight of every node under `weights`, and the keys it does not name (they keep the
    tree's current weight)."""
    raw, missing = [], []
    for node in tree.nodes:
        if node.key in weights:
            raw.append(float(weights[node.key]))
        else:
            raw.append(node.raw_weight)
            missing.append(node.key)
    return raw, missing


def complete_weights(
    criteria: list[Criterion], weights: Mapping[str, object]
) -> tuple[tuple[str, float], ...]:
    """A full set in tree order: the weights given, the current raw weight for every other
    weighted node. ScoringError names an unknown key, a bad number or an all-zero group."""
    tree = WeightTree.build(criteria)
    known = {node.key for node in tree.nodes}
    for key in weights:
        if key not in known:
            raise ScoringError(
                f"no weighted criterion or category has the id {key!r} (gates carry no weight)"
            )
    full: list[tuple[str, float]] = []
    for node in tree.nodes:
        value = weights.get(node.key, node.raw_weight)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ScoringError(f"the weight of {node.key!r} is not a number")
        try:
            number = float(value)
        except ValueError:
            raise ScoringError(f"the weight of {node.key!r} is not a number: {value!r}") from None
        if not math.isfinite(number) or number < 0:
            raise ScoringError(f"the weight of {node.key!r} must be a number 0 or more")
        full.append((node.key, number))
    tree.node_effective([w for _, w in full])  # an all-zero sibling group is refused here
    return tuple(full)
