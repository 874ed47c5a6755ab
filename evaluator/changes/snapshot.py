"""Applying an applied change to an in-memory `EvaluationData`: the one pure function the
window uses instead of re-reading the database after every edit.

The input is never mutated (a scoring worker may still be reading it): new lists and new tree
nodes along the changed path are returned, everything else is shared. Rows the database adds go
last, as they do in `load_evaluation`'s row order, so that `canonical(applied_to(data, change))`
equals `canonical(load_evaluation(...))` — tests check that for every kind of change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from evaluator.changes import model as m
from evaluator.changes.model_sets import AddWeightSet, EditWeightSet, RemoveWeightSet
from evaluator.domain import (
    ConsensusScore,
    Criterion,
    EvaluationData,
    Evaluator,
    Judgment,
    Response,
    Score,
    walk_tree,
)


def apply_applied(data: EvaluationData, applied: m.Applied) -> EvaluationData:
    """The snapshot after an applied change, at the revision the database gave it."""
    changed = applied_to(data, applied.change)
    after = replace(changed, revision=applied.revision)
    _hand_on(changed, after)
    return after


_APPLIERS: dict[type, Callable[[EvaluationData, Any], EvaluationData]] = {}


def applied_to(data: EvaluationData, change: m.Change) -> EvaluationData:
    """`data` with an applied change made (see the module docstring)."""
    applier = _APPLIERS.get(type(change))
    if applier is None:
        raise TypeError(f"not a change: {change!r}")
    return applier(data, change)


def _for(kind: type) -> Callable[[Callable[[EvaluationData, Any], EvaluationData]], None]:
    def register(function: Callable[[EvaluationData, Any], EvaluationData]) -> None:
        _APPLIERS[kind] = function

    return register


# ---- cells ----------------------------------------------------------------------------------


def _set_cell(items: list[Any], match: Any, new: Any | None) -> list[Any]:
    """Replace (in place) or drop the item `match` picks, or append `new` when none matches."""
    out: list[Any] = []
    found = False
    for item in items:
        if not found and match(item):
            found = True
            if new is not None:
                out.append(new)
        else:
            out.append(item)
    if not found and new is not None:
        out.append(new)
    return out


_PLACES = "_score_places"  # a snapshot's private attribute: (its scores list, cell -> index)
ScorePlaces = dict[tuple[int, int, str], int]


def score_places(data: EvaluationData) -> ScorePlaces:
    """Where each (member, candidate, key) score is in `data.scores`, built once per snapshot
    and handed on to the snapshot after a score edit, so an edit need not scan 100,000 scores.
    (May be called on a worker thread to have it ready: snapshots are never mutated.)"""
    known = data.__dict__.get(_PLACES)
    if known is not None and known[0] is data.scores and len(known[1]) == len(data.scores):
        return known[1]
    places = {
        (s.evaluator_id, s.candidate_id, s.criterion_key): i for i, s in enumerate(data.scores)
    }
    data.__dict__[_PLACES] = (data.scores, places)
    return places


def _hand_on(old: EvaluationData, new: EvaluationData, places: ScorePlaces | None = None) -> None:
    """Give `new` the score places of `old` (same scores list) or `places` (its own list)."""
    if places is None:
        known = old.__dict__.get(_PLACES)
        if known is None or known[0] is not new.scores:
            return
        places = known[1]
    old.__dict__.pop(_PLACES, None)  # the places now describe the new list only
    new.__dict__[_PLACES] = (new.scores, places)


@_for(m.SetScore)
def _(data: EvaluationData, change: m.SetScore) -> EvaluationData:
    cell = (change.evaluator_id, change.candidate_id, change.key)
    places = score_places(data)
    at = places.get(cell)
    scores = list(data.scores)
    if change.after is None:
        if at is not None:
            del scores[at]
        return replace(data, scores=scores)  # later places moved: the next edit re-indexes
    after = change.after
    new = Score(*cell, after.value, after.justification, after.abstained)
    if at is None:
        places[cell] = len(scores)
        scores.append(new)
    else:
        scores[at] = new
    following = replace(data, scores=scores)
    _hand_on(data, following, places)
    return following


@_for(m.SetConsensus)
def _(data: EvaluationData, change: m.SetConsensus) -> EvaluationData:
    cell = (change.candidate_id, change.key)
    new = None
    if change.after is not None:
        new = ConsensusScore(*cell, change.after.value, change.after.note)
    consensus = _set_cell(data.consensus, lambda c: (c.candidate_id, c.criterion_key) == cell, new)
    return replace(data, consensus=consensus)


@_for(m.SetAnswer)
def _(data: EvaluationData, change: m.SetAnswer) -> EvaluationData:
    cell = (change.candidate_id, change.key)
    new = None
    if change.after is not None:
        after = change.after
        new = Response(*cell, after.value, after.raw, after.comment)
    responses = _set_cell(data.responses, lambda r: (r.candidate_id, r.criterion_key) == cell, new)
    return replace(data, responses=responses)


def _with_dependents(data: EvaluationData, dependents: m.Dependents) -> EvaluationData:
    if not dependents:
        return data
    return replace(
        data,
        scores=[*data.scores, *dependents.scores],
        consensus=[*data.consensus, *dependents.consensus],
        responses=[*data.responses, *dependents.responses],
    )


# ---- people -----------------------------------------------------------------------------------


def _declarations(
    data: EvaluationData, candidate_id: int, covering: dict[int, bool] | None
) -> list[Evaluator]:
    """Members with `candidate_id` taken out of their declarations (None), or put back into
    the declarations of the members in `covering` (member id -> conflicted)."""
    out = []
    for member in data.evaluators:
        d = member.declaration
        if d is not None and covering is None:
            d = replace(
                d,
                conflicted=tuple(c for c in d.conflicted if c != candidate_id),
                covers=tuple(c for c in d.covers if c != candidate_id),
            )
        elif d is not None and covering is not None and member.id in covering:
            conflicted = d.conflicted + ((candidate_id,) if covering[member.id] else ())
            d = replace(
                d, conflicted=tuple(sorted(conflicted)), covers=tuple(sorted({*d.covers,
                                                                            candidate_id}))
            )  # fmt: skip
        out.append(member if d is member.declaration else replace(member, declaration=d))
    return out


@_for(m.AddCandidate)
def _(data: EvaluationData, change: m.AddCandidate) -> EvaluationData:
    items = list(data.candidates)
    items.insert(len(items) if change.index is None else change.index, change.candidate)
    members = _declarations(data, change.candidate.id, dict(change.declared))
    data = replace(data, candidates=items, evaluators=members)
    return _with_dependents(data, change.dependents)


@_for(m.EditCandidate)
def _(data: EvaluationData, change: m.EditCandidate) -> EvaluationData:
    a = change.after
    return replace(
        data,
        candidates=[
            replace(c, name=a.name, kind=a.kind, notes=a.notes) if c.id == a.id else c
            for c in data.candidates
        ],
    )


@_for(m.RemoveCandidate)
def _(data: EvaluationData, change: m.RemoveCandidate) -> EvaluationData:
    gone = change.candidate.id
    return replace(
        data,
        candidates=[c for c in data.candidates if c.id != gone],
        evaluators=_declarations(data, gone, None),
        scores=[s for s in data.scores if s.candidate_id != gone],
        consensus=[c for c in data.consensus if c.candidate_id != gone],
        responses=[r for r in data.responses if r.candidate_id != gone],
    )


@_for(m.AddEvaluator)
def _(data: EvaluationData, change: m.AddEvaluator) -> EvaluationData:
    items = list(data.evaluators)
    items.insert(len(items) if change.index is None else change.index, change.evaluator)
    judgments = [
        Judgment(row["evaluator_id"], row["parent_key"] or None, row["first_key"],
                 row["second_key"], row["value"])
        for table, row in change.dependents.records
        if table == "ahp_judgments"
    ]  # fmt: skip
    data = replace(data, evaluators=items, judgments=[*data.judgments, *judgments])
    return _with_dependents(data, change.dependents)


@_for(m.EditEvaluator)
def _(data: EvaluationData, change: m.EditEvaluator) -> EvaluationData:
    a = change.after
    fields = {"name": a.name, "role": a.role, "conflict_of_interest": a.conflict_of_interest}
    return _member(data, a.id, **fields)


@_for(m.RemoveEvaluator)
def _(data: EvaluationData, change: m.RemoveEvaluator) -> EvaluationData:
    gone = change.evaluator.id
    return replace(
        data,
        evaluators=[e for e in data.evaluators if e.id != gone],
        scores=[s for s in data.scores if s.evaluator_id != gone],
        judgments=[j for j in data.judgments if j.evaluator_id != gone],
    )


# ---- criteria ---------------------------------------------------------------------------------


def clone_tree(roots: list[Criterion]) -> list[Criterion]:
    """A copy of the tree's nodes (field values such as rubric dicts are shared, never mutated)."""
    return [replace(node, children=clone_tree(node.children)) for node in roots]


def _find(roots: list[Criterion], key: str) -> Criterion:
    for node in walk_tree(roots):
        if node.key == key:
            return node
    raise KeyError(key)


def _siblings(roots: list[Criterion], parent: str | None) -> list[Criterion]:
    return roots if parent is None else _find(roots, parent).children


@_for(m.EditCriterion)
def _(data: EvaluationData, change: m.EditCriterion) -> EvaluationData:
    tree = clone_tree(data.criteria)
    node = _find(tree, change.key)
    for name, value in change.after.items():
        setattr(node, name, value)
    return replace(data, criteria=tree)


@_for(m.AddCriterion)
def _(data: EvaluationData, change: m.AddCriterion) -> EvaluationData:
    tree = clone_tree(data.criteria)
    siblings = _siblings(tree, change.parent)
    index = len(siblings) if change.index is None else change.index
    siblings.insert(index, clone_tree([change.criterion])[0])
    return _with_dependents(replace(data, criteria=tree), change.dependents)


@_for(m.RemoveCriterion)
def _(data: EvaluationData, change: m.RemoveCriterion) -> EvaluationData:
    tree = clone_tree(data.criteria)
    siblings = _siblings(tree, change.parent)
    siblings[:] = [node for node in siblings if node.key != change.key]
    gone = {node.key for node in change.criterion.walk()}
    return replace(
        data,
        criteria=tree,
        scores=[s for s in data.scores if s.criterion_key not in gone],
        consensus=[c for c in data.consensus if c.criterion_key not in gone],
        responses=[r for r in data.responses if r.criterion_key not in gone],
    )


@_for(m.MoveCriterion)
def _(data: EvaluationData, change: m.MoveCriterion) -> EvaluationData:
    tree = clone_tree(data.criteria)
    old = _siblings(tree, change.before.parent)
    node = old.pop(next(i for i, n in enumerate(old) if n.key == change.key))
    _siblings(tree, change.after.parent).insert(change.after.index, node)
    return replace(data, criteria=tree)


# ---- the evaluation ---------------------------------------------------------------------------


@_for(m.EditEvaluation)
def _(data: EvaluationData, change: m.EditEvaluation) -> EvaluationData:
    after = change.after
    return replace(data, name=after.name, client=after.client, aggregation=after.aggregation)


@_for(m.SetStatus)
def _(data: EvaluationData, change: m.SetStatus) -> EvaluationData:
    return replace(data, status=change.after)


# ---- the committee process ----------------------------------------------------------------------


def _member(data: EvaluationData, member_id: int, **fields: Any) -> EvaluationData:
    return replace(
        data,
        evaluators=[replace(e, **fields) if e.id == member_id else e for e in data.evaluators],
    )


@_for(m.Declare)
def _(data: EvaluationData, change: m.Declare) -> EvaluationData:
    names = {c.id: c.name for c in data.candidates}
    shown = change.after.describe(names) if change.after.conflicted else ""
    return _member(data, change.evaluator_id, declaration=change.after, conflict_of_interest=shown)


@_for(m.SetSubmitted)
def _(data: EvaluationData, change: m.SetSubmitted) -> EvaluationData:
    return _member(data, change.evaluator_id, submitted=change.after)


@_for(m.Excuse)
def _(data: EvaluationData, change: m.Excuse) -> EvaluationData:
    return _member(data, change.evaluator_id, excused=change.after)


@_for(m.SetChair)
def _(data: EvaluationData, change: m.SetChair) -> EvaluationData:
    return replace(data, chair=change.after, chair_protected=False)


@_for(m.SetPassphrase)
def _(data: EvaluationData, change: m.SetPassphrase) -> EvaluationData:
    protected = change.secret is not None
    if change.evaluator_id is None:
        return replace(data, chair_protected=protected)
    return _member(data, change.evaluator_id, protected=protected)


@_for(m.ViewLiveResults)
def _(data: EvaluationData, change: m.ViewLiveResults) -> EvaluationData:
    return data


# ---- weighting sets ----------------------------------------------------------------------------


@_for(AddWeightSet)
def _(data: EvaluationData, change: AddWeightSet) -> EvaluationData:
    sets = list(data.weight_sets)
    sets.insert(len(sets) if change.index is None else change.index, change.weight_set)
    return replace(data, weight_sets=sets)


@_for(EditWeightSet)
def _(data: EvaluationData, change: EditWeightSet) -> EvaluationData:
    sets = [change.after if s.id == change.after.id else s for s in data.weight_sets]
    return replace(data, weight_sets=sets)


@_for(RemoveWeightSet)
def _(data: EvaluationData, change: RemoveWeightSet) -> EvaluationData:
    sets = [s for s in data.weight_sets if s.id != change.weight_set.id]
    return replace(data, weight_sets=sets)


# ---- AHP weighting ------------------------------------------------------------------------------


@_for(m.SetJudgment)
def _(data: EvaluationData, change: m.SetJudgment) -> EvaluationData:
    pair = (change.evaluator_id, change.parent, change.first, change.second)
    new = None if change.after is None else Judgment(*pair, change.after)
    judgments = _set_cell(
        data.judgments, lambda j: (j.evaluator_id, j.parent, j.first, j.second) == pair, new
    )
    return replace(data, judgments=judgments)


@_for(m.SetWeights)
def _(data: EvaluationData, change: m.SetWeights) -> EvaluationData:
    for edit in change.edits:
        data = applied_to(data, edit)
    return data


def canonical(data: EvaluationData) -> EvaluationData:
    """`data` with its cell lists sorted, for comparing two snapshots whose row order may differ
    only where order has no meaning (scores, consensus values and answers)."""
    return replace(
        data,
        scores=sorted(data.scores, key=lambda s: (s.evaluator_id, s.candidate_id, s.criterion_key)),
        consensus=sorted(data.consensus, key=lambda c: (c.candidate_id, c.criterion_key)),
        responses=sorted(data.responses, key=lambda r: (r.candidate_id, r.criterion_key)),
        judgments=sorted(
            data.judgments, key=lambda j: (j.evaluator_id, j.parent or "", j.first, j.second)
        ),
    )
