"""The session's in-memory snapshot of the open evaluation: quick lookups over it, and how an
applied change (from the core) reaches it and the views, so an edit never needs a reload.

`SessionSnapshot` is a mixin of `ui.session.EvaluationSession`, which owns the state read here
(`_data`, `_cells`, `_tree_cache`) and the signals emitted here; views and commands use these
methods through the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from evaluator import services
from evaluator.changes import (
    AddCandidate,
    AddCriterion,
    AddEvaluator,
    Applied,
    Change,
    ConsensusCell,
    EditCandidate,
    EditCriterion,
    EditEvaluation,
    EditEvaluator,
    MoveCriterion,
    RemoveCandidate,
    RemoveCriterion,
    RemoveEvaluator,
    ScoreCell,
    SetAnswer,
    SetConsensus,
    SetScore,
    SetWeights,
    apply_applied,
)
from evaluator.domain import (
    Candidate,
    ConsensusScore,
    Criterion,
    EvaluationData,
    Evaluator,
    Response,
    Score,
    leaves,
    walk_tree,
)
from evaluator.kinds import members_score
from ui.cell_index import CellIndex

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance


class SessionSnapshot:
    """Lookups and mirroring over the session's snapshot (see the module docstring)."""

    # owned and set up by EvaluationSession
    _data: EvaluationData | None
    _cells: CellIndex
    _tree_cache: tuple[list[Criterion], dict[str, Criterion], list[Criterion]] | None
    read_only: bool
    _follow_results: Callable[[EvaluationData, EvaluationData, Change], None]
    reload: Callable[[], None]
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
        return self._cells.score(evaluator_id, candidate_id, key)

    def consensus(self, candidate_id: int, key: str) -> ConsensusScore | None:
        return self._cells.consensus.get((candidate_id, key))

    def score_cell(self, evaluator_id: int, candidate_id: int, key: str) -> ScoreCell | None:
        """A member's score as a change's `before`: what the user sees now."""
        score = self.score(evaluator_id, candidate_id, key)
        return (
            None if score is None else ScoreCell(score.value, score.justification, score.abstained)
        )

    def consensus_cell(self, candidate_id: int, key: str) -> ConsensusCell | None:
        agreed = self.consensus(candidate_id, key)
        return None if agreed is None else ConsensusCell(agreed.value, agreed.note)

    def response(self, candidate_id: int, key: str) -> Response | None:
        return self._cells.responses.get((candidate_id, key))

    def score_count(
        self, *, candidate_id: int | None = None, evaluator_id: int | None = None
    ) -> int:
        """How many scores a candidate has received, or a committee member has given."""
        if candidate_id is not None:
            return self._cells.by_candidate.get(candidate_id, 0)
        if evaluator_id is not None:
            return self._cells.by_evaluator.get(evaluator_id, 0)
        return len(self._cells)

    def score_progress(self, evaluator_id: int | None = None) -> tuple[int, int]:
        """(scores entered, scores expected) on rated leaves, for one evaluator or everyone. A
        candidate a member declared a conflict with is not on their sheet: neither counts."""
        if self._data is None:
            return 0, 0
        data = self._data
        rated = [leaf.key for leaf in self.leaves() if members_score(leaf.kind)]
        people = [e for e in data.evaluators if evaluator_id in (None, e.id)]
        left_out = {
            (person.id, candidate.id)
            for person in people
            for candidate in data.candidates
            if person.conflicted_with(candidate.id)
        }
        expected = len(rated) * (len(data.candidates) * len(people) - len(left_out))
        if evaluator_id is None:  # every score is a committee member's
            by_key = self._cells.by_key
            entered = sum(by_key[key] for key in rated)
        else:
            counts = self._cells.by_evaluator_key
            entered = sum(counts[evaluator_id, key] for key in rated)
        if left_out:
            entered -= self._cells.count_on(left_out, set(rated))
        return entered, expected

    def _require(self) -> EvaluationData:
        if self._data is None:
            raise services.ServiceError("open an evaluation first")
        return self._data

    # ---- absorbing an applied change ------------------------------------------------------

    def _absorb(self, applied: Applied) -> None:
        """Bring the snapshot up to date after the core applied a change, and tell the views.

        The snapshot is changed only by the core's pure `apply_applied`; the cell index is
        kept current per cell, and each kind of change raises the signals of what it touched.
        When the database's change counter moved by more than this one change, another window
        or process wrote meanwhile: the snapshot is re-read so the user sees their changes too.
        """
        if not applied.changed:
            return
        data = self._require()
        others_wrote = applied.revision != data.revision + 1
        was_read_only = self.read_only
        self._data = apply_applied(data, applied)
        change = applied.change
        if isinstance(change, SetScore):
            cell = (change.evaluator_id, change.candidate_id, change.key)
            after = change.after
            score = (
                None if after is None
                else Score(*cell, after.value, after.justification, after.abstained)
            )  # fmt: skip
            self._cells.score_cell(cell, score)
            self.scoreChanged.emit(*cell)
        elif isinstance(change, SetConsensus):
            cell2 = (change.candidate_id, change.key)
            agreed = change.after
            value = None if agreed is None else ConsensusScore(*cell2, agreed.value, agreed.note)
            self._cells.consensus_cell(cell2, value)
            self.consensusChanged.emit(*cell2)
        elif isinstance(change, SetAnswer):
            cell2 = (change.candidate_id, change.key)
            a = change.after
            self._cells.answer_cell(
                cell2, None if a is None else Response(*cell2, a.value, a.raw, a.comment)
            )
            self.scoresReset.emit()
        else:
            self._structure_changed(change)
        self.dataChanged.emit()
        self._follow_results(data, self._data, change)
        if self.read_only != was_read_only:
            self.readOnlyChanged.emit(self.read_only)
        if others_wrote:
            self.reload()

    def _structure_changed(self, change: Change) -> None:
        """Candidates, members, criteria or the evaluation changed (rows may have gone)."""
        moved_cells = isinstance(change, REMOVALS) or bool(getattr(change, "dependents", None))
        if moved_cells:
            self._cells.rebuild(self._data)
        if isinstance(change, AddCandidate | EditCandidate | RemoveCandidate):
            self.candidatesChanged.emit()
        elif isinstance(change, AddEvaluator | EditEvaluator | RemoveEvaluator):
            self.evaluatorsChanged.emit()
        elif isinstance(
            change, EditCriterion | AddCriterion | RemoveCriterion | MoveCriterion | SetWeights
        ):
            self.criteriaChanged.emit()
        if moved_cells or (
            isinstance(change, EditEvaluation)
            and change.before.aggregation != change.after.aggregation
        ):  # every aggregate the grids show is another number now
            self.scoresReset.emit()


REMOVALS = (RemoveCandidate, RemoveEvaluator, RemoveCriterion)
