"""Writing weighting-set changes: add (or put back), edit, remove.

A set is stored full: every weighted criterion and category of the tree as it is now, in tree
order (the weights not given take the current raw weight), so that the applied change, the
snapshot and a reload hold the same set. Positions are dense (0..n-1), like the candidates'.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, update

from evaluator.changes import normalise
from evaluator.changes.context import WriteContext, in_order
from evaluator.changes.model_sets import AddWeightSet, EditWeightSet, RemoveWeightSet
from evaluator.domain import ScoringError, WeightSet
from evaluator.errors import ServiceError
from evaluator.models import WeightSetRow
from evaluator.records import read_criteria
from evaluator.weight_sets import complete_weights


def weight_set_ref(set_id: int) -> str:
    return f"weightset:{set_id}"


def stored_set(row: WeightSetRow) -> WeightSet:
    return WeightSet(row.id, row.name, tuple((str(k), float(w)) for k, w in row.weights), row.note)


def normalised_set(
    ctx: WriteContext, weight_set: WeightSet, exclude: int | None = None
) -> WeightSet:
    """The set as it is stored: a clean, unique name, a stripped note, full weights."""
    name = normalise.clean_name(weight_set.name, "weighting set name")
    for row in in_order(ctx, WeightSetRow):
        if row.id != exclude and row.name.casefold() == name.casefold():
            raise ServiceError(f"a weighting set named {row.name!r} already exists")
    criteria, _keys = read_criteria(ctx.session, ctx.ev.id)
    try:
        weights = complete_weights(criteria, dict(weight_set.weights))
    except ScoringError as error:
        raise ServiceError(f"the weighting set {name!r}: {error}") from None
    return WeightSet(weight_set.id, name, weights, str(weight_set.note or "").strip())


def _renumber(ctx: WriteContext, ids: list[int]) -> None:
    for position, row_id in enumerate(ids):
        ctx.session.execute(
            update(WeightSetRow)
            .where(WeightSetRow.id == row_id, WeightSetRow.position != position)
            .values(position=position)
        )


def _pairs(weight_set: WeightSet) -> list[list[object]]:
    return [[key, weight] for key, weight in weight_set.weights]


def write_add_set(ctx: WriteContext, change: AddWeightSet) -> tuple[AddWeightSet, bool]:
    weight_set = normalised_set(ctx, change.weight_set)
    order = [row.id for row in in_order(ctx, WeightSetRow)]
    index = len(order) if change.index is None else max(0, min(change.index, len(order)))
    values = {
        "evaluation_id": ctx.ev.id,
        "position": index,
        "name": weight_set.name,
        "note": weight_set.note,
        "weights": _pairs(weight_set),
    }
    if weight_set.id:  # put back by an undo, under its own id
        if ctx.session.get(WeightSetRow, weight_set.id) is not None:
            raise ServiceError(
                f"the weighting set {weight_set.name!r} cannot be put back: its record was "
                "reused meanwhile; reload"
            )
        values["id"] = weight_set.id
    new_id = ctx.session.execute(insert(WeightSetRow).values(**values)).inserted_primary_key[0]
    weight_set = WeightSet(int(new_id), weight_set.name, weight_set.weights, weight_set.note)
    order.insert(index, weight_set.id)
    _renumber(ctx, order)
    ctx.audit(
        "add weight set",
        weight_set.name,
        new=f"{len(weight_set.weights)} weights",
        why=weight_set.note,
        ref=weight_set_ref(weight_set.id),
    )
    return AddWeightSet(weight_set, index), True


def _same(one: WeightSet, other: WeightSet) -> bool:
    """Equal as people read them: the weights' order does not matter."""
    return (one.name, one.note, one.weight_map()) == (other.name, other.note, other.weight_map())


def _seen(ctx: WriteContext, seen: WeightSet) -> WeightSetRow:
    """The stored row of the set the user saw; refused as stale when it differs."""
    row = ctx.session.get(WeightSetRow, seen.id, populate_existing=True)
    if row is None or row.evaluation_id != ctx.ev.id:
        raise ServiceError(f"the weighting set {seen.name!r} was removed meanwhile: reload")
    if stored_set(row) != seen:
        raise ctx.stale(f"the weighting set {seen.name!r}", weight_set_ref(seen.id))
    return row


def write_edit_set(ctx: WriteContext, change: EditWeightSet) -> tuple[EditWeightSet, bool]:
    if change.after.id != change.before.id:
        raise ServiceError("an edit cannot turn one weighting set into another")
    row = _seen(ctx, change.before)
    after = normalised_set(ctx, change.after, exclude=row.id)
    if _same(after, change.before):
        return EditWeightSet(change.before, change.before), False
    old, new = dict(change.before.weights), dict(after.weights)
    moved = [
        f"{key} {normalise.fmt(old[key]) if key in old else '-'} → {normalise.fmt(weight)}"
        for key, weight in new.items()
        if old.get(key) != weight
    ]
    shown_old = [f"name {change.before.name}"] if after.name != change.before.name else []
    shown_new = [f"name {after.name}"] if after.name != change.before.name else []
    ctx.audit(
        "edit weight set",
        after.name,
        "; ".join(shown_old),
        "; ".join(shown_new + moved),
        after.note if after.note != change.before.note else "",
        ref=weight_set_ref(row.id),
    )
    row.name, row.note, row.weights = after.name, after.note, _pairs(after)
    ctx.session.flush()
    return EditWeightSet(change.before, after), True


def write_remove_set(ctx: WriteContext, change: RemoveWeightSet) -> tuple[RemoveWeightSet, bool]:
    row = _seen(ctx, change.weight_set)
    order = [r.id for r in in_order(ctx, WeightSetRow)]
    index = order.index(row.id)
    ctx.session.execute(delete(WeightSetRow).where(WeightSetRow.id == row.id))
    order.remove(row.id)
    _renumber(ctx, order)
    ctx.audit(
        "remove weight set",
        change.weight_set.name,
        old=f"{len(change.weight_set.weights)} weights",
        why=change.why,
        ref=weight_set_ref(row.id),
    )
    return RemoveWeightSet(change.weight_set, index, change.why), True
