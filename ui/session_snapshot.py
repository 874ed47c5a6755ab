"""The session's in-memory snapshot of the open evaluation: quick lookups over it, and the
`apply_*` methods with which the undo commands mirror a successful service call on it, so an
edit never needs a second database read.

`SessionSnapshot` is a mixin of `ui.session.EvaluationSession`, which owns the state read here
(`_data`, `_cells`, `_tree_cache`) and the signals emitted here; views and commands use these
methods through the session. The pure tree and list edits are in ui/snapshot.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from evaluator import services
from evaluator.domain import (
    Candidate,
    ConsensusScore,
    Criterion,
    CriterionKind,
    EvaluationData,
    Evaluator,
    Response,
    Score,
    Status,
    leaves,
    walk_tree,
)
from ui import snapshot

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance


class SessionSnapshot:
    """Lookups and mirroring over the session's snapshot (see the module docstring)."""

    # owned and set up by EvaluationSession
    _data: EvaluationData | None
    _cells: snapshot.CellIndex
    _tree_cache: tuple[list[Criterion], dict[str, Criterion], list[Criterion]] | None
    read_only: bool
    schedule_results: Callable[[], None]
    criteriaChanged: SignalInstance
    candidatesChanged: SignalInstance
    evaluatorsChanged: SignalInstance
    scoresReset: SignalInstance
    scoreChanged: SignalInstance
    consensusChanged: SignalInstance
    dataChanged: SignalInstance
    readOnlyChanged: SignalInstance

    # ---- lookups -----------------------------------------------------------------------------

    def candidate(self, candidate_id: int) -> Candidate:
        return next(c for c in self._require().candidates if c.id == candidate_id)

    def evaluator(self, evaluator_id: int) -> Evaluator:
        return next(e for e in self._require().evaluators if e.id == evaluator_id)

    def criterion(self, key: str) -> Criterion:
        """The criterion with this key (KeyError when there is none); O(1)."""
        return self._tree_index()[0][key]

    def leaves(self) -> list[Criterion]:
        """The leaf criteria in tree order (do not mutate the list)."""
        return self._tree_index()[1] if self._data else []

    def _tree_index(self) -> tuple[dict[str, Criterion], list[Criterion]]:
        """Lookups over the current criteria tree, rebuilt when the tree object changes."""
        roots = self._require().criteria
        if self._tree_cache is None or self._tree_cache[0] is not roots:
            nodes = {node.key: node for node in walk_tree(roots)}
            self._tree_cache = (roots, nodes, leaves(roots))
        return self._tree_cache[1], self._tree_cache[2]

    def score(self, evaluator_id: int, candidate_id: int, key: str) -> Score | None:
        return self._cells.scores.get((evaluator_id, candidate_id, key))

    def consensus(self, candidate_id: int, key: str) -> ConsensusScore | None:
        return self._cells.consensus.get((candidate_id, key))

    def response(self, candidate_id: int, key: str) -> Response | None:
        return self._cells.response(candidate_id, key)

    def score_count(
        self, *, candidate_id: int | None = None, evaluator_id: int | None = None
    ) -> int:
        """How many scores a candidate has received, or a committee member has given."""
        if candidate_id is not None:
            return self._cells.by_candidate.get(candidate_id, 0)
        if evaluator_id is not None:
            return self._cells.by_evaluator.get(evaluator_id, 0)
        return len(self._cells.scores)

    def score_progress(self, evaluator_id: int | None = None) -> tuple[int, int]:
        """(scores entered, scores expected) on rated leaves, for one evaluator or everyone."""
        if self._data is None:
            return 0, 0
        rated = [leaf.key for leaf in self.leaves() if leaf.kind is CriterionKind.RATED]
        people = (
            [evaluator_id] if evaluator_id is not None else [e.id for e in self._data.evaluators]
        )
        expected = len(rated) * len(self._data.candidates) * len(people)
        counts = self._cells.by_evaluator_key
        entered = sum(counts[person, key] for person in people for key in rated)
        return entered, expected

    def _require(self) -> EvaluationData:
        if self._data is None:
            raise services.ServiceError("open an evaluation first")
        return self._data

    # ---- mirroring a successful service call on the snapshot (used by ui.undo) -------------

    def apply_score(
        self, evaluator_id: int, candidate_id: int, key: str, value: float | None, text: str = ""
    ) -> None:
        """A set (None: cleared) score. A changed score keeps its place, a new one goes last,
        as the rows do in the database."""
        self._replace(scores=self._cells.set_score(evaluator_id, candidate_id, key, value, text))
        self.scoreChanged.emit(evaluator_id, candidate_id, key)
        self._changed()

    def apply_consensus(
        self, candidate_id: int, key: str, value: float | None, note: str = ""
    ) -> None:
        self._replace(consensus=self._cells.set_consensus(candidate_id, key, value, note))
        self.consensusChanged.emit(candidate_id, key)
        self._changed()

    def apply_criterion_fields(self, key: str, fields: dict[str, Any]) -> None:
        self._replace(criteria=snapshot.edited_tree(self._require().criteria, key, fields))
        self.criteriaChanged.emit()
        self._changed()

    def apply_criterion_added(
        self, criterion: Criterion, parent: str | None, position: int | None
    ) -> None:
        tree = snapshot.added_tree(self._require().criteria, criterion, parent, position)
        self._replace(criteria=tree)
        self.criteriaChanged.emit()
        self._changed()

    def apply_criterion_removed(self, key: str) -> None:
        tree, gone = snapshot.removed_tree(self._require().criteria, key)
        data = snapshot.without_criteria(replace(self._require(), criteria=tree), gone)
        self._restructure(data, self.criteriaChanged)

    def apply_criterion_moved(self, key: str, parent: str | None, position: int) -> None:
        self._replace(criteria=snapshot.moved_tree(self._require().criteria, key, parent, position))
        self.criteriaChanged.emit()
        self._changed()

    def apply_candidate(self, candidate: Candidate) -> None:
        """A new candidate (appended) or an edited one (replaced in place)."""
        items = self._require().candidates
        known = any(c.id == candidate.id for c in items)
        self._replace(
            candidates=snapshot.replaced(items, candidate) if known else [*items, candidate]
        )
        self.candidatesChanged.emit()
        self._changed()

    def apply_candidate_removed(self, candidate_id: int) -> None:
        self._restructure(
            snapshot.without_candidate(self._require(), candidate_id), self.candidatesChanged
        )

    def apply_evaluator(self, evaluator: Evaluator) -> None:
        items = self._require().evaluators
        known = any(e.id == evaluator.id for e in items)
        self._replace(
            evaluators=snapshot.replaced(items, evaluator) if known else [*items, evaluator]
        )
        self.evaluatorsChanged.emit()
        self._changed()

    def apply_evaluator_removed(self, evaluator_id: int) -> None:
        self._restructure(
            snapshot.without_evaluator(self._require(), evaluator_id), self.evaluatorsChanged
        )

    def apply_status(self, status: Status) -> None:
        was_read_only = self.read_only
        self._replace(status=Status(status))
        self._changed()
        if self.read_only != was_read_only:
            self.readOnlyChanged.emit(self.read_only)

    def _replace(self, **fields: Any) -> None:
        self._data = replace(self._require(), **fields)

    def _restructure(self, data: EvaluationData, signal: Any) -> None:
        """A removal that also dropped scores: indexes rebuilt, listeners told."""
        self._data = data
        self._cells.rebuild(data)
        signal.emit()
        self.scoresReset.emit()
        self._changed()

    def _changed(self) -> None:
        self.dataChanged.emit()
        self.schedule_results()
