"""What would flip the winner: one row per criterion and category, as people read it.

`evaluator.sensitivity.winner_flip` finds, for every node of the criteria tree, the smallest
change of its weight (its siblings keep their proportions) at which another candidate draws
level with the leader and then leads. This module adds what the window, the shell and the
reports show with it: where the node sits, whether its weight can move its share at all, and a
sentence. "Points" are percentage points of the node's share of the whole evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from evaluator.domain import EvaluationData
from evaluator.sensitivity import WeightFlip, winner_flip
from evaluator.weights import WeightTree


@dataclass(frozen=True)
class FlipRow:
    flip: WeightFlip
    depth: int  # 0 at the top level
    is_category: bool
    parent_name: str  # "" at the top level
    alone: bool  # the only weighted node under its parent: its share is always 100%

    @property
    def key(self) -> str:
        return self.flip.criterion_key

    @property
    def name(self) -> str:
        return self.flip.criterion_name

    @property
    def holds(self) -> bool:
        """No weight of this node changes the leader."""
        return self.flip.new_winner_id is None

    @property
    def distance(self) -> float:
        """How far the weight must move (points of share); infinite when nothing flips."""
        change = self.flip.change_points
        return float("inf") if change is None else abs(change)

    def sentence(self, names: Mapping[int, str]) -> str:
        """'Raise its weight by 7.5 points (from 25.0% to 32.5%): Example Y takes the lead'
        (no arrows: the reports' fallback font has none)."""
        flip = self.flip
        if self.alone:
            where = self.parent_name or "the top level"
            return f"Its share cannot change: it is the only weighted item under {where}"
        if flip.change_points is None or flip.flip_effective_weight is None:
            return "No change of its weight changes the leader"
        verb = "Raise" if flip.change_points > 0 else "Lower"
        who = names.get(flip.new_winner_id or 0, "?")
        now, then = 100 * flip.effective_weight, 100 * flip.flip_effective_weight
        return (
            f"{verb} its weight by {abs(flip.change_points):.1f} points "
            f"(from {now:.1f}% to {then:.1f}%): {who} takes the lead"
        )


def flip_table(data: EvaluationData) -> list[FlipRow]:
    """Every weighted category and criterion in tree order (empty when nobody can win)."""
    flips = {f.criterion_key: f for f in winner_flip(data, every_node=True)}
    tree = WeightTree.build(data.criteria)
    depth: list[int] = []
    rows = []
    for node in tree.nodes:
        depth.append(0 if node.parent < 0 else depth[node.parent] + 1)
        flip = flips.get(node.key)
        if flip is None:
            continue
        group = tree.groups[node.group]
        rows.append(
            FlipRow(
                flip,
                depth[-1],
                not node.is_leaf,
                tree.nodes[node.parent].name if node.parent >= 0 else "",
                len(group.members) == 1,
            )
        )
    return rows


def most_sensitive(rows: list[FlipRow], count: int | None = None) -> list[FlipRow]:
    """The rows whose weight flips the winner soonest, nearest first (those that flip only);
    equal distances (to 1e-9 points) keep the tree's order."""
    flipping = sorted((r for r in rows if not r.holds), key=lambda r: round(r.distance, 9))
    return flipping if count is None else flipping[:count]
