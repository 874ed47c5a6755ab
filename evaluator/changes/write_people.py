"""Writing candidate and committee-member changes: add (or put back), edit, remove.

Candidates and members are two lists with the same life: one `_People` description of each
table serves both. Positions are kept dense (0..n-1) so that a list index is a position and a
removed row comes back where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import delete, insert, select, update

from evaluator.changes import normalise
from evaluator.changes.context import WriteContext, candidate_ref, evaluator_ref, in_order
from evaluator.changes.dependents import insert_dependents, read_dependents
from evaluator.changes.model import (
    AddCandidate,
    AddEvaluator,
    EditCandidate,
    EditEvaluator,
    RemoveCandidate,
    RemoveEvaluator,
)
from evaluator.domain import Candidate, CandidateKind, Evaluator
from evaluator.errors import ServiceError
from evaluator.models import (
    AhpJudgmentRow,
    CandidateRow,
    ConsensusRow,
    DeclarationRow,
    EvaluatorRow,
    ResponseRow,
    ScoreRow,
)

Person = Candidate | Evaluator


@dataclass(frozen=True)
class _People:
    model: Any
    what: str  # in messages
    noun: str  # in audit actions: "add candidate", "remove evaluator"
    fields: tuple[str, ...]
    normalise: Callable[[Any], Any]
    from_row: Callable[[Any], Any]
    ref: Callable[[int], str]
    owner_column: str  # the dependents' column that points at this table


CANDIDATES = _People(
    CandidateRow,
    "candidate",
    "candidate",
    ("name", "kind", "notes"),
    normalise.candidate,
    lambda r: Candidate(r.id, r.name, CandidateKind(r.kind), r.notes),
    candidate_ref,
    "candidate_id",
)
EVALUATORS = _People(
    EvaluatorRow,
    "committee member",
    "evaluator",
    ("name", "role", "conflict_of_interest"),
    normalise.evaluator,
    lambda r: Evaluator(r.id, r.name, r.role, r.conflict_of_interest),
    evaluator_ref,
    "evaluator_id",
)


def _table(change: object) -> _People:
    if isinstance(change, AddCandidate | EditCandidate | RemoveCandidate):
        return CANDIDATES
    return EVALUATORS


def _renumber(ctx: WriteContext, people: _People, ids: list[int]) -> None:
    """Positions 0..n-1 in the given order (only rows whose position changes are written)."""
    model = people.model
    current = dict(
        ctx.session.execute(
            select(model.id, model.position).where(model.evaluation_id == ctx.ev.id)
        ).all()
    )
    for position, row_id in enumerate(ids):
        if current.get(row_id) != position:
            ctx.session.execute(update(model).where(model.id == row_id).values(position=position))


def _unique(ctx: WriteContext, people: _People, name: str, exclude: int | None = None) -> None:
    model = people.model
    query = select(model.id).where(model.evaluation_id == ctx.ev.id, model.name == name)
    if exclude is not None:
        query = query.where(model.id != exclude)
    if ctx.session.scalar(query) is not None:
        raise ServiceError(f"a {people.what} named {name!r} already exists in {ctx.ev.name!r}")


def _values(people: _People, person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in people.fields}
    if "kind" in values:
        values["kind"] = values["kind"].value
    return values


def write_add(
    ctx: WriteContext, change: AddCandidate | AddEvaluator
) -> tuple[AddCandidate | AddEvaluator, bool]:
    people = _table(change)
    person: Person = people.normalise(
        change.candidate if isinstance(change, AddCandidate) else change.evaluator
    )
    _unique(ctx, people, person.name)
    restoring = person.id != 0
    taken = select(people.model.id).where(people.model.id == person.id)
    if restoring and ctx.session.scalar(taken) is not None:
        raise ServiceError(
            f"the {people.what} {person.name!r} cannot be put back: its record was reused "
            "meanwhile; reload"
        )
    order = [row.id for row in in_order(ctx, people.model)]
    index = len(order) if change.index is None else max(0, min(change.index, len(order)))
    values = _values(people, person) | {"evaluation_id": ctx.ev.id, "position": index}
    if restoring and change.row is not None:  # exactly as it was: uid, passphrase, submission
        values = {**change.row, **values, "id": person.id}
    elif restoring:
        values["id"] = person.id
    new_id = ctx.session.execute(insert(people.model).values(**values)).inserted_primary_key[0]
    person = replace(person, id=new_id)
    _renumber(ctx, people, [*order[:index], new_id, *order[index:]])
    ctx.forget_people()
    dependents = insert_dependents(ctx, change.dependents) if restoring else change.dependents
    if restoring:
        summary = f"{person.name} with {dependents.summary}"
        ctx.audit(f"restore {people.noun}", person.name, new=summary, ref=people.ref(new_id))
    elif isinstance(person, Candidate):
        new = f"{person.name} ({person.kind.value})"
        ctx.audit("add candidate", person.name, new=new, ref=people.ref(new_id))
    else:
        new = f"{person.name}, {person.role or 'no role'}"
        ctx.audit("add evaluator", person.name, new=new, ref=people.ref(new_id))
    if isinstance(change, AddCandidate):
        return replace(change, candidate=person, index=index, dependents=dependents), True
    return replace(change, evaluator=person, index=index, dependents=dependents), True


_EDIT_ACTIONS = {
    "name": "rename {noun}",
    "kind": "set candidate kind",
    "notes": "set candidate notes",
    "role": "set evaluator role",
    "conflict_of_interest": "declare conflict of interest",
}


def write_edit(
    ctx: WriteContext, change: EditCandidate | EditEvaluator
) -> tuple[EditCandidate | EditEvaluator, bool]:
    people = _table(change)
    if change.before.id != change.after.id:
        raise ValueError("an edit keeps the id")
    after = people.normalise(change.after)
    row = ctx.session.scalar(
        select(people.model)
        .where(people.model.id == change.before.id)
        .execution_options(populate_existing=True)
    )
    if row is None or row.evaluation_id != ctx.ev.id:
        raise ctx.stale(f"the {people.what} {change.before.name!r}", people.ref(change.before.id))
    stored = people.from_row(row)
    if _values(people, stored) != _values(people, people.normalise(change.before)):
        raise ctx.stale(f"the {people.what} {change.before.name!r}", people.ref(stored.id))
    applied = type(change)(change.before, after)
    if _values(people, stored) == _values(people, after):
        return applied, False
    if after.name != stored.name:
        _unique(ctx, people, after.name, exclude=stored.id)
    old_values, new_values = _values(people, stored), _values(people, after)
    for name in people.fields:
        if old_values[name] != new_values[name]:
            action = _EDIT_ACTIONS[name].format(noun=people.noun)
            ctx.audit(
                action, stored.name, old_values[name], new_values[name], ref=people.ref(stored.id)
            )
    ctx.session.execute(update(people.model).where(people.model.id == stored.id).values(new_values))
    ctx.forget_people()
    return applied, True


def write_remove(
    ctx: WriteContext, change: RemoveCandidate | RemoveEvaluator
) -> tuple[RemoveCandidate | RemoveEvaluator, bool]:
    people = _table(change)
    seen: Person = change.candidate if isinstance(change, RemoveCandidate) else change.evaluator
    rows = in_order(ctx, people.model)
    found = [i for i, row in enumerate(rows) if row.id == seen.id]
    if not found:
        raise ctx.stale(f"the {people.what} {seen.name!r}", people.ref(seen.id))
    index = found[0]
    stored = people.from_row(rows[index])
    if _values(people, stored) != _values(people, people.normalise(seen)):
        raise ctx.stale(f"the {people.what} {seen.name!r}", people.ref(seen.id))
    row = dict(
        ctx.session.execute(select(people.model.__table__).where(people.model.id == seen.id))
        .one()
        ._mapping
    )
    dependents = read_dependents(
        ctx,
        getattr(ScoreRow, people.owner_column) == seen.id,
        ConsensusRow.candidate_id == seen.id if people is CANDIDATES else None,
        ResponseRow.candidate_id == seen.id if people is CANDIDATES else None,
    )
    declared: tuple[tuple[int, bool], ...] = ()
    if people is CANDIDATES:
        declared = _covering(ctx, row["uid"])
    else:  # the member's declarations and AHP judgments go with them (cascade), back on undo
        records = tuple(
            (model.__tablename__, dict(r._mapping))
            for model in (DeclarationRow, AhpJudgmentRow)
            for r in ctx.session.execute(
                select(model.__table__).where(model.evaluator_id == seen.id).order_by(model.id)
            )
        )
        dependents = replace(dependents, records=records)
    full: Person = stored
    if people is EVALUATORS:  # as a reload would read it, so that its undo puts back the same
        from evaluator.changes.write_process import stored_declaration

        full = replace(
            stored,
            declaration=stored_declaration(ctx, seen.id),
            submitted=row["submitted_at"] is not None,
            excused=row["excused"],
            protected=row["secret"] is not None,
        )
    ctx.session.execute(delete(people.model).where(people.model.id == seen.id))
    _renumber(ctx, people, [row.id for row in rows if row.id != seen.id])
    ctx.forget_people()
    ctx.audit(
        f"remove {people.noun}",
        stored.name,
        old=f"{stored.name} with {dependents.summary}",
        why=change.why,
        ref=people.ref(stored.id),
    )
    whom = {"candidate": full} if people is CANDIDATES else {"evaluator": full}
    applied = replace(change, index=index, dependents=dependents, row=row, **whom)
    if isinstance(applied, RemoveCandidate):
        applied = replace(applied, declared=declared)
    return applied, True


def _covering(ctx: WriteContext, uid: str) -> tuple[tuple[int, bool], ...]:
    """(member id, conflicted) of every member whose latest declaration covers a candidate."""
    latest: dict[int, DeclarationRow] = {}
    for row in ctx.session.scalars(
        select(DeclarationRow)
        .where(DeclarationRow.evaluation_id == ctx.ev.id)
        .order_by(DeclarationRow.id)
    ):
        latest[row.evaluator_id] = row
    return tuple(
        (member, uid in (row.conflicted or ()))
        for member, row in sorted(latest.items())
        if uid in (row.covers or ())
    )
