"""Change objects for weighting sets (each stakeholder group's full set of raw weights).

A set is named by its id (0 for a new one), so a removal's undo puts it back under the same id
and the commands further down the undo stack stay valid; `before` is the set as the user saw it.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.domain import WeightSet


@dataclass(frozen=True)
class AddWeightSet:
    """A new weighting set (id 0: the database assigns one), or one put back by an undo.
    Criteria it does not name take their current raw weight: a stored set is always full."""

    weight_set: WeightSet
    index: int | None = None  # place in the list; None: last

    def inverse(self) -> RemoveWeightSet:
        return RemoveWeightSet(self.weight_set, self.index)


@dataclass(frozen=True)
class EditWeightSet:
    """Rename a set, change its note or weights: `before` as seen, `after` wanted."""

    before: WeightSet
    after: WeightSet

    def inverse(self) -> EditWeightSet:
        return EditWeightSet(self.after, self.before)


@dataclass(frozen=True)
class RemoveWeightSet:
    """Remove a weighting set (as seen)."""

    weight_set: WeightSet
    index: int | None = None  # filled in when applied
    why: str = ""

    def inverse(self) -> AddWeightSet:
        return AddWeightSet(self.weight_set, self.index)


WEIGHT_SET_CHANGES = (AddWeightSet, EditWeightSet, RemoveWeightSet)
