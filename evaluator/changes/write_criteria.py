"""Writing criteria-tree changes: edit a node's fields, add (or put back), remove, move.

Stale edits are refused by comparing what the user saw (`before`, the subtree, the place) with
the tree as stored. A removal returns the subtree and every row that hung off it; its undo
inserts the subtree parents first (so foreign keys always hold) and the rows again by key.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select, update

from evaluator.changes import normalise
from evaluator.changes.context import WriteContext, criterion_ref
from evaluator.changes.dependents import insert_dependents, read_dependents
from evaluator.changes.model import (
    AddCriterion,
    EditCriterion,
    MoveCriterion,
    Place,
    RemoveCriterion,
    place_of,
)
from evaluator.codec import criterion_to_dict, question_to_dict, rubric_to_dict, rule_to_dict
from evaluator.domain import Criterion, CriterionKind, find_criterion
from evaluator.errors import ServiceError
from evaluator.kinds import is_category
from evaluator.models import ConsensusRow, CriterionRow, QuestionRow, ResponseRow, ScoreRow
from evaluator.records import insert_criteria, read_criteria

_ACTIONS = {
    "name": "rename criterion",
    "weight": "set weight",
    "kind": "set kind",
    "description": "set description",
    "rubric": "set rubric",
    "rule": "set rule",
    "question": "set question",
}


def _tree(ctx: WriteContext) -> list[Criterion]:
    return read_criteria(ctx.session, ctx.ev.id)[0]


def _stored_field(name: str, node: Criterion) -> Any:
    return getattr(node, name)


def _encoded(name: str, value: Any) -> Any:
    """A field in the form the audit entry records."""
    if name == "kind":
        return value.value
    if name == "rubric":
        return rubric_to_dict(value)
    if name == "rule":
        return rule_to_dict(value)
    if name == "question":
        return question_to_dict(value)
    return value


def write_edit_criterion(ctx: WriteContext, change: EditCriterion) -> tuple[EditCriterion, bool]:
    row = ctx.criterion(change.key)
    node = find_criterion(_tree(ctx), change.key)
    assert node is not None
    label = f"{row.name} [{row.key}]"
    stored = {name: _stored_field(name, node) for name in change.before}
    if stored != normalise.criterion_fields(change.before, change.key):
        raise ctx.stale(f"the criterion {label}", criterion_ref(change.key))
    after = normalise.criterion_fields(change.after, change.key)
    applied = EditCriterion(change.key, stored, after, change.why)
    differing = [name for name in after if after[name] != stored[name]]
    if not differing:
        return applied, False
    if "kind" in differing and not is_category(after["kind"]) and node.children:
        raise ServiceError(f"{row.key!r} has sub-criteria: it must stay a category")
    values: dict[str, Any] = {}
    for name in differing:
        ctx.audit(
            _ACTIONS[name],
            label,
            _encoded(name, stored[name]),
            _encoded(name, after[name]),
            change.why,
            ref=criterion_ref(change.key),
        )
        if name == "question":
            _write_question(ctx, row, after[name])
        else:
            values[name] = _encoded(name, after[name])
    if values:
        ctx.session.execute(update(CriterionRow).where(CriterionRow.id == row.id).values(values))
    ctx.forget_criteria()
    return applied, True


def _write_question(ctx: WriteContext, row: CriterionRow, question: Any) -> None:
    current = ctx.session.scalar(select(QuestionRow).where(QuestionRow.criterion_id == row.id))
    if question is None:
        if current is not None:
            ctx.session.delete(current)
            ctx.session.flush()
        return
    if current is None:
        current = QuestionRow(evaluation_id=ctx.ev.id, criterion_id=row.id, key=row.key, text="")
        ctx.session.add(current)
    current.text = question.text
    current.answer_type = question.answer_type.value
    current.choices = list(question.choices)
    current.unit = question.unit
    current.is_key = question.key
    ctx.session.flush()


def _siblings(ctx: WriteContext, parent_id: int | None) -> list[CriterionRow]:
    where = (
        CriterionRow.parent_id.is_(None)
        if parent_id is None
        else CriterionRow.parent_id == parent_id
    )
    return list(
        ctx.session.scalars(
            select(CriterionRow)
            .where(CriterionRow.evaluation_id == ctx.ev.id, where)
            .order_by(CriterionRow.position, CriterionRow.id)
            .execution_options(populate_existing=True)
        )
    )


def _parent_id(ctx: WriteContext, parent: str | None) -> int | None:
    if parent is None:
        return None
    row = ctx.criterion(parent)
    if not is_category(CriterionKind(row.kind)):
        raise ServiceError(f"{parent!r} is a {row.kind} criterion, not a category")
    return row.id


def write_add_criterion(ctx: WriteContext, change: AddCriterion) -> tuple[AddCriterion, bool]:
    tree = normalise.criterion_tree(change.criterion)
    keys = [node.key for node in tree.walk()]
    if not all(keys):
        raise ServiceError(f"criterion {tree.name!r} has no id")
    duplicate = next((k for k in keys if keys.count(k) > 1 or k in ctx.criteria()), None)
    if duplicate is not None:
        raise ServiceError(f"criterion id {duplicate!r} is used twice: ids must be unique")
    parent_id = _parent_id(ctx, change.parent)
    siblings = _siblings(ctx, parent_id)
    index = len(siblings) if change.index is None else max(0, min(change.index, len(siblings)))
    for i, sibling in enumerate(siblings):
        sibling.position = i if i < index else i + 1
    ctx.session.flush()
    insert_criteria(ctx.session, ctx.ev.id, [tree], parent_id)
    ctx.session.execute(
        update(CriterionRow)
        .where(CriterionRow.evaluation_id == ctx.ev.id, CriterionRow.key == tree.key)
        .values(position=index)
    )
    ctx.forget_criteria()
    dependents = insert_dependents(ctx, change.dependents)
    label = f"{tree.name} [{tree.key}]"
    if change.dependents:
        ctx.audit("restore criterion", label, new=dependents.summary, ref=criterion_ref(tree.key))
    else:
        ctx.audit("add criterion", label, new=criterion_to_dict(tree), ref=criterion_ref(tree.key))
    return AddCriterion(tree, change.parent, index, dependents), True


def write_remove_criterion(
    ctx: WriteContext, change: RemoveCriterion
) -> tuple[RemoveCriterion, bool]:
    roots = _tree(ctx)
    stored = find_criterion(roots, change.key)
    label = f"{change.criterion.name} [{change.key}]"
    if stored is None or stored != normalise.criterion_tree(change.criterion):
        nodes = {n.key for n in change.criterion.walk()} | (
            {n.key for n in stored.walk()} if stored else set()
        )
        raise ctx.stale(f"the criterion {label}", *map(criterion_ref, sorted(nodes)))
    place = place_of(roots, change.key)
    rows = ctx.criteria()
    ids = [rows[node.key].id for node in stored.walk()]
    question_ids = list(
        ctx.session.scalars(select(QuestionRow.id).where(QuestionRow.criterion_id.in_(ids)))
    )
    dependents = read_dependents(
        ctx,
        ScoreRow.criterion_id.in_(ids),
        ConsensusRow.criterion_id.in_(ids),
        ResponseRow.question_id.in_(question_ids),
    )
    row = rows[change.key]
    ctx.session.execute(delete(CriterionRow).where(CriterionRow.id == row.id))
    for i, sibling in enumerate(s for s in _siblings(ctx, row.parent_id) if s.id != row.id):
        sibling.position = i
    ctx.forget_criteria()
    ctx.audit(
        "remove criterion",
        label,
        old=f"{len(ids)} criteria, {len(dependents.scores)} scores, "
        f"{len(dependents.responses)} answers",
        why=change.why,
        ref=criterion_ref(change.key),
    )
    applied = replace(
        change, criterion=stored, parent=place.parent, index=place.index, dependents=dependents
    )
    return applied, True


def write_move_criterion(ctx: WriteContext, change: MoveCriterion) -> tuple[MoveCriterion, bool]:
    roots = _tree(ctx)
    row = ctx.criterion(change.key)
    label = f"{row.name} [{row.key}]"
    current = place_of(roots, change.key)
    if current != change.before:
        raise ctx.stale(f"the place of the criterion {label}", criterion_ref(change.key))
    new_parent_id = _parent_id(ctx, change.after.parent)
    if change.after.parent is not None:
        node = find_criterion(roots, change.key)
        assert node is not None
        if any(n.key == change.after.parent for n in node.walk()):
            raise ServiceError(f"{change.key!r} cannot move inside itself")
    others = [s for s in _siblings(ctx, new_parent_id) if s.id != row.id]
    index = max(0, min(change.after.index, len(others)))
    after = Place(change.after.parent, index)
    applied = MoveCriterion(change.key, current, after)
    if after == current:  # decided before renumbering anything: a no-op writes nothing
        return applied, False
    remaining = [s for s in _siblings(ctx, row.parent_id) if s.id != row.id]
    for i, sibling in enumerate(remaining):
        sibling.position = i
    siblings = [s for s in _siblings(ctx, new_parent_id) if s.id != row.id]
    siblings.insert(index, row)
    row.parent_id = new_parent_id
    for i, sibling in enumerate(siblings):
        sibling.position = i
    ctx.session.flush()
    ctx.audit(
        "move criterion",
        label,
        f"{current.parent or 'top level'} #{current.index + 1}",
        f"{after.parent or 'top level'} #{index + 1}",
        ref=criterion_ref(change.key),
    )
    ctx.forget_criteria()
    return applied, True
