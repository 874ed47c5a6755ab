"""Recognising one insert, removal or move between two shapes of the criteria tree.

A shape maps each parent key (None for the top level) to its ordered child keys. Qt views keep
their expansion and selection only when a model announces the exact rows that changed, so the
criteria model asks this module what happened before falling back to a reset.
"""

from __future__ import annotations

Shape = dict[str | None, list[str]]


def one_change(
    old: Shape, new: Shape, new_parents: dict[str, str | None]
) -> tuple[str, str] | None:
    """("insert" | "remove" | "move", key), or None when the change is anything else."""
    old_keys = {k for children in old.values() for k in children}
    new_keys = {k for children in new.values() for k in children}
    if old_keys < new_keys:
        top = _subtree_top(new_keys - old_keys, new_parents)
        if top is not None and _without(new, top) == _prune(old):
            return "insert", top
        return None
    if new_keys < old_keys:
        old_parents = {k: p for p, children in old.items() for k in children}
        top = _subtree_top(old_keys - new_keys, old_parents)
        if top is not None and _without(old, top) == _prune(new):
            return "remove", top
        return None
    if old_keys != new_keys:
        return None
    changed = [p for p in set(old) | set(new) if old.get(p, []) != new.get(p, [])]
    for parent in changed:
        for key in old.get(parent, []):
            if _prune(_drop(old, key)) == _prune(_drop(new, key)):
                return "move", key
    return None


def _subtree_top(keys: set[str], parents: dict[str, str | None]) -> str | None:
    tops = [k for k in keys if parents.get(k) not in keys]
    return tops[0] if len(tops) == 1 else None


def _without(shape: Shape, top: str) -> Shape:
    """The shape without a subtree (its own children lists included)."""
    gone = {top}
    frontier = [top]
    while frontier:
        frontier = [c for k in frontier for c in shape.get(k, [])]
        gone.update(frontier)
    return _prune({p: [k for k in ch if k not in gone] for p, ch in shape.items() if p not in gone})


def _drop(shape: Shape, key: str) -> Shape:
    return {p: [k for k in ch if k != key] for p, ch in shape.items()}


def _prune(shape: Shape) -> Shape:
    """Empty child lists carry no information: leave them out so shapes compare fairly."""
    return {p: ch for p, ch in shape.items() if ch or p is None}
