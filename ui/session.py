"""The open database and evaluation, its in-memory snapshot, live results and the undo stack.

Every view talks to one `EvaluationSession`; none opens a database session or calls a service
for an edit itself. The API below is stable: the Scoring, Consensus and Results views use it.

Opening
    session.open_database(path_or_url) -> bool      errors are emitted, not raised
    session.close_database()
    session.evaluations() -> list[EvaluationSummary]
    session.open_evaluation(evaluation_id | None) -> bool
    session.create_evaluation(name, criteria, client=, scale=, catalog_id=) -> int | None
    session.reload()                                 re-read the snapshot (e.g. after F5)
    session.add_leave_guard(guard)                   `guard() -> bool` is asked before another
        evaluation or database replaces the open one (opening, creating, switching); False
        keeps the open one and the call returns False/None. The window uses it for unsaved
        score edits. `may_leave()` asks every guard (closing the window uses it too).

State (read it fresh each time; the objects are replaced, never mutated)
    db: Database | None        data: EvaluationData | None      results: Results | None
    results_error: str         ("" or the ScoringError message, e.g. all-zero sibling weights)
    results_pending: bool      read_only: bool (status final)    editable: bool
    ref: int                   the open evaluation's id, for service calls
    undo_stack: QUndoStack
    Lookups: candidate(id), evaluator(id), criterion(key), score(evaluator_id, candidate_id, key),
    consensus(candidate_id, key), response(candidate_id, key), score_progress(evaluator_id=None),
    score_count(candidate_id= | evaluator_id=), location (path or URL, for display)

Editing
    session.execute(command) -> bool   command: a `ui.undo.ServiceCommand`. Its first redo runs
        in `try_first()` *before* the push, so a refused action (ServiceError, locked database)
        never reaches the stack: the message goes out on `errorRaised` and False is returned.
        A later undo/redo that fails marks its command obsolete (Qt drops it), reloads the
        snapshot from the database and emits `errorRaised`: the stack never lies.
    session.finalise(why="") -> bool   irreversible (the core refuses edits of final ones), so
        it is not an undo command; it clears the undo stack.
    apply_*() methods: used by the commands to mirror a successful service call on the snapshot
        (see ui/snapshot.py); views do not call them.

Signals
    evaluationChanged()            another evaluation or database is open (or none): reset all
    criteriaChanged()              the criteria tree object was replaced (models diff it)
    candidatesChanged()            the candidate list was replaced (and scores may have gone)
    evaluatorsChanged()            the committee list was replaced (and scores may have gone)
    scoresReset()                  scores, consensus and answers were replaced wholesale (reload,
                                   or a removal took some with it): re-read them all
    scoreChanged(int, int, str)    evaluator id, candidate id, criterion key of one cell
    consensusChanged(int, str)     candidate id, criterion key
    dataChanged()                  after any change above (snapshot replaced or updated)
    resultsChanged()               results (or results_error) recomputed
    readOnlyChanged(bool)          status became final, or an evaluation with another state opened
    errorRaised(str)               a clear sentence for the user (shown by the main window)

Results are recomputed after each change by `ui.live_results.LiveResults`: coalesced by a
zero-delay single-shot timer, scored inline when small and on the QThreadPool at committee scale
(about 50 ms for 50 x 200 x 10), so typing never waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QObject,
    Signal,
)
from PySide6.QtGui import QUndoCommand, QUndoStack

from evaluator import services
from evaluator.db import Database, open_database
from evaluator.domain import (
    Candidate,
    ConsensusScore,
    Criterion,
    CriterionKind,
    EvaluationData,
    Evaluator,
    Response,
    Results,
    Scale,
    Score,
    Status,
    leaves,
    walk_tree,
)
from ui import snapshot
from ui.errors import USER_ERRORS, user_message
from ui.live_results import LiveResults

log = logging.getLogger("supportscope.ui")


class EvaluationSession(QObject):
    """See the module docstring for the API."""

    evaluationChanged = Signal()
    criteriaChanged = Signal()
    candidatesChanged = Signal()
    evaluatorsChanged = Signal()
    scoresReset = Signal()
    scoreChanged = Signal(int, int, str)
    consensusChanged = Signal(int, str)
    dataChanged = Signal()
    resultsChanged = Signal()
    readOnlyChanged = Signal(bool)
    errorRaised = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self._data: EvaluationData | None = None
        self._cells = snapshot.CellIndex()
        self._tree_cache: tuple[list[Criterion], dict[str, Criterion], list[Criterion]] | None = (
            None
        )
        self._undo_stack = QUndoStack(self)
        self._leave_guards: list[Callable[[], bool]] = []
        self._live = LiveResults(lambda: self._data, self)
        self._live.changed.connect(self.resultsChanged)

    # ---- state -------------------------------------------------------------------------------

    @property
    def db(self) -> Database | None:
        return self._db

    @property
    def data(self) -> EvaluationData | None:
        return self._data

    @property
    def results(self) -> Results | None:
        return self._live.results

    @property
    def results_error(self) -> str:
        return self._live.error

    @property
    def results_pending(self) -> bool:
        return self._live.pending

    @property
    def last_scoring_ms(self) -> float:
        """How long the last results computation took (diagnostics, performance tests)."""
        return self._live.last_ms

    @property
    def read_only(self) -> bool:
        return self._data is not None and self._data.status is Status.FINAL

    @property
    def editable(self) -> bool:
        return self._data is not None and self._data.status is not Status.FINAL

    @property
    def undo_stack(self) -> QUndoStack:
        return self._undo_stack

    @property
    def ref(self) -> int:
        if self._data is None:
            raise services.ServiceError("open an evaluation first")
        return self._data.id

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

    # ---- opening -----------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """The database as people read it: the file path, or the URL for a server."""
        if self._db is None:
            return ""
        return str(self._db.path) if self._db.path is not None else self._db.url

    def add_leave_guard(self, guard: Callable[[], bool]) -> None:
        """Ask `guard()` before the open evaluation is replaced; False keeps it open."""
        self._leave_guards.append(guard)

    def may_leave(self) -> bool:
        """True when the open evaluation may be replaced or closed (every guard agrees)."""
        return self._data is None or all(guard() for guard in self._leave_guards)

    def open_database(self, target: str, evaluation_id: int | None = None) -> bool:
        """Open (creating if needed) a database and the given evaluation, or else the most
        recently changed one; False (and a message) when it cannot be opened or a leave guard
        kept the open evaluation."""
        if not self.may_leave():
            return False
        try:
            db = open_database(target)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        self.close_database(notify=False)
        self._db = db
        summaries = self.evaluations()
        ids = [s.id for s in summaries]
        if evaluation_id not in ids:
            latest = max(summaries, key=lambda s: s.updated_at, default=None)
            evaluation_id = latest.id if latest else None
        return self._open_evaluation(evaluation_id)

    def close_database(self, notify: bool = True) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None
        if notify:
            self.open_evaluation(None)

    def evaluations(self) -> list[services.EvaluationSummary]:
        if self._db is None:
            return []
        try:
            return services.list_evaluations(self._db)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return []

    def open_evaluation(self, evaluation_id: int | None) -> bool:
        """Load an evaluation (None closes it); the undo stack starts empty. Opening one
        (even the same one again) asks the leave guards first; closing does not."""
        if evaluation_id is not None and not self.may_leave():
            return False
        return self._open_evaluation(evaluation_id)

    def _open_evaluation(self, evaluation_id: int | None) -> bool:
        data = None
        if evaluation_id is not None:
            data = self._load(evaluation_id)
            if data is None:
                return False
        was_read_only = self.read_only
        self._undo_stack.clear()
        self._set_snapshot(data)
        self.evaluationChanged.emit()
        self.dataChanged.emit()
        if self.read_only != was_read_only or data is not None:
            self.readOnlyChanged.emit(self.read_only)
        return True

    def create_evaluation(
        self,
        name: str,
        criteria: list[Criterion],
        *,
        client: str = "",
        scale: Scale | None = None,
        catalog_id: str = "",
    ) -> int | None:
        """Create a draft evaluation and open it; None (and a message) when refused."""
        if self._db is None:
            self.errorRaised.emit("Open or create a database first.")
            return None
        if not self.may_leave():
            return None
        try:
            new_id = services.create_evaluation(
                self._db, name, criteria, client=client, scale=scale, catalog_id=catalog_id
            )
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return None
        self._open_evaluation(new_id)
        return new_id

    def reload(self) -> None:
        """Re-read the open evaluation from the database (after a restore, or on request)."""
        if self._data is None:
            return
        data = self._load(self._data.id)
        if data is None:  # deleted behind our back
            self.open_evaluation(None)
            return
        was_read_only = self.read_only
        self._data = data
        self._cells.rebuild(data)
        self.schedule_results()  # the old results stay on show until the new ones are in
        for signal in (
            self.criteriaChanged,
            self.candidatesChanged,
            self.evaluatorsChanged,
            self.scoresReset,
        ):
            signal.emit()
        self.dataChanged.emit()
        if self.read_only != was_read_only:
            self.readOnlyChanged.emit(self.read_only)

    def _load(self, evaluation_id: int) -> EvaluationData | None:
        if self._db is None:
            return None
        try:
            return services.load_evaluation(self._db, evaluation_id)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return None

    def _set_snapshot(self, data: EvaluationData | None) -> None:
        self._data = data
        self._cells.rebuild(data)
        self._live.invalidate()  # results of the previous snapshot are stale

    def _require(self) -> EvaluationData:
        if self._data is None:
            raise services.ServiceError("open an evaluation first")
        return self._data

    # ---- editing -----------------------------------------------------------------------------

    def execute(self, command: QUndoCommand) -> bool:
        """Run a command's first redo; push it only when the service accepted it."""
        if self._data is None or self._db is None:
            self.errorRaised.emit("Open an evaluation first.")
            return False
        try:
            command.try_first()  # type: ignore[attr-defined]
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        if getattr(command, "noop", False):
            return False
        self._undo_stack.push(command)
        return True

    def failed_replay(self, exc: BaseException) -> None:
        """An undo/redo was refused: the command is dropped, the snapshot re-read from disk."""
        log.info("undo/redo refused: %s", exc)
        self.reload()
        self.errorRaised.emit(user_message(exc))

    def finalise(self, why: str = "") -> bool:
        """Move to `final` (no way back: the core refuses edits of final evaluations)."""
        if self._db is None:
            return False
        try:
            status = services.change_status(self._db, self.ref, Status.FINAL, why=why)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        self._undo_stack.clear()
        self.apply_status(status)
        return True

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

    # ---- results -----------------------------------------------------------------------------

    def schedule_results(self) -> None:
        """Recompute soon; many calls before the event loop runs cost one computation."""
        self._live.request()

    def wait_for_results(self, timeout_ms: int = 10_000) -> bool:
        """Process events until fresh results are in (for tests and scripts, not for views)."""
        return self._live.wait(timeout_ms)
