"""Results that follow one edit at a time: a full scoring once, then one cell per edit.

A full `score_evaluation` of 50 candidates x 200 criteria x 10 members takes tens of ms; after a
member changes one score only that cell's aggregate, that candidate's total and the ranks can
change. `ScoreBook.build(data)` scores a snapshot and keeps every cell's scores (in snapshot
order), the consensus values and the answers; `book.after(new_data, change)` gives the book of
the snapshot after one applied score or consensus change in well under a millisecond, with
figures identical to a full scoring (the same functions, in the same order: tests compare them).
Anything else (a gate, a price decided by consensus, a structural change, a reload) returns None:
the caller scores the new snapshot in full.

A book hands its cell store on to the book that follows it: use only the newest one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace

from evaluator.changes.model import Change, SetConsensus, SetScore
from evaluator.domain import (
    Criterion,
    Disagreement,
    EvaluationData,
    Results,
    Score,
    leaves,
)
from evaluator.kinds import Scoring, kind_info
from evaluator.scoring import (
    CandidateLeaves,
    Tally,
    abstained_cells,
    conflicts,
    counts,
    disagreement,
    leaf_value,
    ranked,
    score_evaluation,
)

Cell = tuple[int, str]  # (candidate id, leaf key)


@dataclass
class _Store:
    """What a one-cell update reads, kept current by each update (owned by the newest book)."""

    cells: defaultdict[Cell, dict[int, Score]]  # member id -> score, in snapshot order
    consensus: dict[Cell, float]
    answers: dict[Cell, object]
    conflicted: frozenset[tuple[int, int]]
    leaf: dict[str, tuple[Criterion, Scoring, int]]  # key -> leaf, how scored, tree position
    order: dict[int, int]  # candidate id -> position
    tally: Tally
    reviewed: set[Cell]  # cells a member without a conflict abstained on


@dataclass
class ScoreBook:
    """One snapshot's results and what updating them after one cell edit needs."""

    data: EvaluationData
    results: Results
    _store: _Store | None

    @classmethod
    def build(cls, data: EvaluationData) -> ScoreBook:
        """Score `data` in full (raises ScoringError like `score_evaluation`)."""
        results = score_evaluation(data)
        conflicted = conflicts(data)
        cells: defaultdict[Cell, dict[int, Score]] = defaultdict(dict)
        for score in data.scores:
            cells[score.candidate_id, score.criterion_key][score.evaluator_id] = score
        store = _Store(
            cells,
            {(c.candidate_id, c.criterion_key): c.value for c in data.consensus},
            {(r.candidate_id, r.criterion_key): r.value for r in data.responses},
            conflicted,
            {
                leaf.key: (leaf, kind_info(leaf.kind).scoring, position)
                for position, leaf in enumerate(leaves(data.criteria))
            },
            {c.id: position for position, c in enumerate(data.candidates)},
            Tally.build(data.criteria),
            set(abstained_cells(data.scores, conflicted)),
        )
        return cls(data, results, store)

    def after(self, data: EvaluationData, change: Change) -> ScoreBook | None:
        """The book of `data`, the snapshot after `change` was applied to this one; None
        when a full scoring is needed (see the module docstring)."""
        store, old = self._store, self.data
        if store is None or not _same_frame(old, data):
            return None
        if isinstance(change, SetScore):
            cell = (change.candidate_id, change.key)
            if cell[1] not in store.leaf:
                return None
            _set_score(store, change)
        elif isinstance(change, SetConsensus):
            cell = (change.candidate_id, change.key)
            known = store.leaf.get(change.key)
            if known is None or known[1] in (Scoring.PASS_FAIL, Scoring.PRICE):
                return None  # gates and prices move other candidates' figures
            if change.after is None:
                store.consensus.pop(cell, None)
            else:
                store.consensus[cell] = change.after.value
        else:
            return None
        self._store = None  # handed on: this book no longer updates
        return ScoreBook(data, _updated(self.results, store, data, cell), store)


def _same_frame(old: EvaluationData, new: EvaluationData) -> bool:
    """Whether only scores or consensus values can differ between the two snapshots."""
    return (
        new.criteria is old.criteria
        and new.candidates is old.candidates
        and new.evaluators is old.evaluators
        and new.responses is old.responses
        and new.scale == old.scale
        and new.aggregation == old.aggregation
    )


def _set_score(store: _Store, change: SetScore) -> None:
    scores = store.cells[change.candidate_id, change.key]
    if change.after is None:
        scores.pop(change.evaluator_id, None)
        return
    after = change.after
    scores[change.evaluator_id] = Score(
        change.evaluator_id, change.candidate_id, change.key, after.value,
        after.justification, after.abstained,
    )  # fmt: skip  # a changed score keeps its place, a new one goes last: as in the snapshot


def _updated(results: Results, store: _Store, data: EvaluationData, cell: Cell) -> Results:
    candidate_id, key = cell
    leaf, scoring, _ = store.leaf[key]
    scores = store.cells[cell].values()
    values = [s.value for s in scores if counts(s, store.conflicted)]
    if any(s.abstained and (s.evaluator_id, candidate_id) not in store.conflicted for s in scores):
        store.reviewed.add(cell)
    else:
        store.reviewed.discard(cell)
    old = next(r for r in results.candidates if r.candidate_id == candidate_id)
    leaf_values = old.leaf_values
    if scoring in (Scoring.MEMBERS, Scoring.RULE):  # scores on other kinds feed no value
        new_value = leaf_value(
            data, leaf, scoring, candidate_id, store.consensus, {cell: values}, store.answers, {}
        )
        leaf_values = {**leaf_values, key: new_value}
    candidate = data.candidates[store.order[candidate_id]]
    entry = CandidateLeaves(candidate, leaf_values, {})  # gates unchanged: carried over below
    fresh = replace(
        store.tally.result(entry, store.reviewed),
        disqualified=old.disqualified,
        failed_gates=old.failed_gates,
        pending_gates=old.pending_gates,
    )
    others = [r if r.candidate_id != candidate_id else fresh for r in results.candidates]
    return Results(
        results.effective_weights,
        ranked(others, store.order),
        _disagreements(results.disagreements, store, cell, values, data),
    )


def _disagreements(
    found: list[Disagreement],
    store: _Store,
    cell: Cell,
    values: list[float],
    data: EvaluationData,
) -> list[Disagreement]:
    """The list with this cell's entry replaced, added or dropped (candidate, then tree order)."""

    def place(d: Disagreement) -> tuple[int, int]:
        return store.order[d.candidate_id], store.leaf[d.criterion_key][2]

    target = (store.order[cell[0]], store.leaf[cell[1]][2])
    start = bisect_left(found, target, key=place)
    end = start + (start < len(found) and place(found[start]) == target)
    new = [disagreement(*cell, values, data.scale)] if len(values) >= 2 else []
    return [*found[:start], *new, *found[end:]]
