"""Effective weights: how much each leaf counts, derived from the raw weights of the tree.

The effective weight of a leaf is the product, along its path from the root, of
``w_node / sum(w_siblings)`` (DESIGN.md, scoring math 1). Two rules keep the sums meaningful:

* gates have no weight and are not counted among their siblings;
* a category with no scorable (non-gate) leaf below it is treated as absent: it is left out of
  its siblings' sum, so it takes no share and the effective weights still sum to 1.

The tree is compiled once into a flat `WeightTree` (parents before children) so that callers
such as the sensitivity analysis can recompute weights for many raw-weight vectors cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from evaluator.domain import Criterion, CriterionKind, ScoringError, walk_tree
from evaluator.kinds import is_weighted

TOP_LEVEL = "the top level"


@dataclass(frozen=True)
class WeightNode:
    """A scorable node: a category with scorable leaves below it, or a non-gate leaf."""

    key: str
    name: str
    raw_weight: float
    parent: int  # index into WeightTree.nodes; -1 at the top level
    group: int  # index into WeightTree.groups: the siblings it shares its parent's weight with
    top: int  # index of its top-level ancestor (itself when at the top level)
    is_leaf: bool
    kind: CriterionKind


@dataclass(frozen=True)
class SiblingGroup:
    """The scorable children of one parent; their raw weights are normalised together."""

    label: str  # names the parent for error messages: "category 'Name' (key)" or the top level
    members: tuple[int, ...]


@dataclass(frozen=True)
class WeightTree:
    """The criteria tree reduced to what weighting needs, in depth-first order."""

    nodes: tuple[WeightNode, ...]
    groups: tuple[SiblingGroup, ...]
    leaf_indices: tuple[int, ...]

    @classmethod
    def build(cls, roots: list[Criterion]) -> WeightTree:
        """Compile a criteria tree; raises ScoringError on a bad weight or a repeated key."""
        _validate(roots)
        builder = _Builder()
        builder.add_group(roots, parent=-1, label=TOP_LEVEL)
        return cls(tuple(builder.nodes), tuple(builder.groups), tuple(builder.leaf_indices))

    @property
    def leaf_keys(self) -> list[str]:
        return [self.nodes[i].key for i in self.leaf_indices]

    def raw_weights(self) -> list[float]:
        return [node.raw_weight for node in self.nodes]

    def index_of(self, key: str) -> int:
        return next(i for i, node in enumerate(self.nodes) if node.key == key)

    def node_effective(self, raw: Sequence[float]) -> list[float]:
        """Effective weight of every node for raw weights `raw` (one per node, in order)."""
        shares = [0.0] * len(self.nodes)
        for group in self.groups:
            total = math.fsum(raw[i] for i in group.members)
            if total <= 0.0:
                raise ScoringError(all_zero_message(group.label))
            for i in group.members:
                shares[i] = raw[i] / total
        effective = shares  # parents come before children, so one forward pass suffices
        for i, node in enumerate(self.nodes):
            if node.parent >= 0:
                effective[i] = shares[i] * effective[node.parent]
        return effective

    def leaf_effective(self, raw: Sequence[float]) -> list[float]:
        """Effective weight of every leaf (in `leaf_indices` order) for raw weights `raw`."""
        effective = self.node_effective(raw)
        return [effective[i] for i in self.leaf_indices]


def effective_weights(roots: list[Criterion]) -> dict[str, float]:
    """Leaf key -> effective weight; gates excluded; empty dict when nothing is scorable."""
    tree = WeightTree.build(roots)
    return dict(zip(tree.leaf_keys, tree.leaf_effective(tree.raw_weights()), strict=True))


def describe(criterion: Criterion) -> str:
    """How messages name a criterion: by name and by key, so the user can find it."""
    return f"'{criterion.name}' ({criterion.key})"


def all_zero_message(label: str) -> str:
    """The message for a sibling group whose weights are all zero, naming its parent."""
    if label == TOP_LEVEL:
        return (
            "All weights at the top level are zero; give at least one top-level criterion "
            "a weight above zero."
        )
    return (
        f"All weights under {label} are zero; give at least one of its criteria a weight "
        "above zero."
    )


def _validate(roots: list[Criterion]) -> None:
    """Every weight that counts is a finite number >= 0 and every key is used once."""
    seen: set[str] = set()
    for node in walk_tree(roots):
        if node.key in seen:
            raise ScoringError(f"The criterion key '{node.key}' is used more than once.")
        seen.add(node.key)
        if not is_weighted(node.kind):
            continue
        weight = node.weight
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise ScoringError(f"Criterion {describe(node)} has a weight that is not a number.")
        if not math.isfinite(weight):
            raise ScoringError(f"Criterion {describe(node)} has a weight that is not finite.")
        if weight < 0:
            raise ScoringError(
                f"Criterion {describe(node)} has a negative weight ({weight:g}); "
                "weights must be zero or more."
            )


def _has_scorable_leaf(node: Criterion) -> bool:
    if not is_weighted(node.kind):
        return False
    if node.is_leaf:
        return True
    return any(_has_scorable_leaf(child) for child in node.children)


class _Builder:
    """Accumulates the flat node and group lists while walking the tree once."""

    def __init__(self) -> None:
        self.nodes: list[WeightNode] = []
        self.groups: list[SiblingGroup] = []
        self.leaf_indices: list[int] = []

    def add_group(self, children: list[Criterion], parent: int, label: str) -> None:
        scorable = [child for child in children if _has_scorable_leaf(child)]
        if not scorable:
            return
        group_index = len(self.groups)
        self.groups.append(SiblingGroup(label, ()))  # members filled in below
        members: list[int] = []
        for child in scorable:
            index = len(self.nodes)
            top = index if parent < 0 else self.nodes[parent].top
            self.nodes.append(
                WeightNode(
                    key=child.key,
                    name=child.name,
                    raw_weight=float(child.weight),
                    parent=parent,
                    group=group_index,
                    top=top,
                    is_leaf=child.is_leaf,
                    kind=child.kind,
                )
            )
            members.append(index)
            if child.is_leaf:
                self.leaf_indices.append(index)
            else:
                self.add_group(child.children, parent=index, label=f"category {describe(child)}")
        self.groups[group_index] = SiblingGroup(label, tuple(members))
