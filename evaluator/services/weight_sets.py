"""Weighting sets by name, for the shell: add, change, remove (each one change object).

A new set starts from the evaluation's current raw weights and takes the weights given on top,
so a stakeholder group names only what it weighs differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from evaluator.changes.model import Applied
from evaluator.changes.model_sets import AddWeightSet, EditWeightSet, RemoveWeightSet
from evaluator.changes.write import Actor, apply_change, write_changes
from evaluator.db import Database
from evaluator.domain import WeightSet, walk_tree
from evaluator.errors import NotFound
from evaluator.records import EvalRef, editable_evaluation, read_criteria
from evaluator.services.reading import load_evaluation, read_weight_sets


def find_set(sets: list[WeightSet], name: str) -> WeightSet:
    """The set called `name` (case and spacing ignored); NotFound lists the ones there are."""
    wanted = " ".join(name.split()).casefold()
    for weight_set in sets:
        if weight_set.name.casefold() == wanted:
            return weight_set
    known = ", ".join(repr(s.name) for s in sets) or "none yet"
    raise NotFound(f"no weighting set named {name!r} (there are: {known})")


def add_weight_set(
    db: Database,
    evaluation: EvalRef,
    name: str,
    weights: Mapping[str, float] | None = None,
    note: str = "",
    *,
    actor: Actor = None,
) -> WeightSet:
    """A new set: the current raw weights with `weights` on top; returns it as stored."""
    change = AddWeightSet(WeightSet(0, name, tuple((weights or {}).items()), note))
    applied = apply_change(db, evaluation, change, actor=actor)
    return applied.change.weight_set  # type: ignore[union-attr]


def edit_weight_set(
    db: Database,
    evaluation: EvalRef,
    name: str,
    *,
    weights: Mapping[str, float] | None = None,
    new_name: str | None = None,
    note: str | None = None,
    actor: Actor = None,
) -> Applied:
    """Change some weights of a set (the others stay), rename it or change its note."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        before = find_set(read_weight_sets(session, ev.id), name)
        criteria, _keys = read_criteria(session, ev.id)
        known = {node.key for node in walk_tree(criteria)}  # a removed criterion drops out
        merged = {k: w for k, w in before.weights if k in known} | dict(weights or {})
        after = replace(
            before,
            name=before.name if new_name is None else new_name,
            note=before.note if note is None else note,
            weights=tuple(merged.items()),
        )
        return write_changes(session, ev, [EditWeightSet(before, after)], actor)[0]


def remove_weight_set(
    db: Database, evaluation: EvalRef, name: str, *, why: str = "", actor: Actor = None
) -> Applied:
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        seen = find_set(read_weight_sets(session, ev.id), name)
        return write_changes(session, ev, [RemoveWeightSet(seen, why=why)], actor)[0]


def weight_sets(db: Database, evaluation: EvalRef) -> list[WeightSet]:
    return load_evaluation(db, evaluation).weight_sets
