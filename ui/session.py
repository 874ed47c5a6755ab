"""The open database and evaluation, its in-memory snapshot, live results and the undo stack.

Every view talks to one `EvaluationSession`; none opens a database session or calls a service
for an edit itself. The API below is stable: the Scoring, Consensus and Results views use it.

Opening
    session.open_database(path_or_url) -> bool      errors are emitted, not raised
    session.open_database_later(path_or_url, on_opened=) read on the thread pool, the window
        responsive meanwhile (ui/session_opening.py); `opening` names the database meanwhile
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
    results_pending: bool      read_only: bool (status final)
    editable: bool             not final, and (once a chair is named) someone said who they are
    ref: int                   the open evaluation's id, for service calls
    undo_stack: QUndoStack
    Lookups: candidate(id), evaluator(id), criterion(key), score(evaluator_id, candidate_id, key),
    consensus(candidate_id, key), response(candidate_id, key), score_progress(evaluator_id=None),
    score_count(candidate_id= | evaluator_id=), score_cell(...) and consensus_cell(...) (what a
    change carries as `before`; ui/session_snapshot.py), location (path or
    URL, for display)

Editing
    session.execute(command) -> bool   command: a `ui.undo.ChangeCommand` (one change object,
        evaluator/changes). Its first redo runs in `try_first()` *before* the push, so a refused
        action (ServiceError, a stale edit, a locked database) never reaches the stack: the
        message goes out on `errorRaised` and False is returned. A later undo/redo that fails
        marks its command obsolete (Qt drops it), reloads the snapshot from the database and
        emits `errorRaised`: the stack never lies.
    session.apply(change) -> Applied   used by the commands: writes the change through the core
        (evaluator.changes.write.apply_change) and updates the snapshot with the core's pure
        `apply_applied` (ui/session_snapshot.py); views do not call it.
    session.finalise(why="") -> bool   irreversible (the core refuses edits of final ones), so
        it is not an undo command; it clears the undo stack.

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
    readOnlyChanged(bool)          status became final, or an evaluation with another state opened,
                                   or another identity works here (`editable` may have changed)
    identityChanged()              another member or the chair works here, or the chair looks at
                                   live results (ui/session_process.py)
    errorRaised(str)               a clear sentence for the user (shown by the main window)
    auditBroken(str)               after opening an evaluation: "" when its audit record holds,
                                   else the first broken link (evaluator.audit_verify); at
                                   committee scale a moment later (ui/audit_check.py)
    openingChanged(str)            a background open started (the database) or ended ("")
    externalChange(str)            another window or process changed the open evaluation and the
                                   snapshot was re-read (checked every WATCH_MS; a sentence for
                                   the status bar)

Results are recomputed after each change by `ui.live_results.LiveResults`: coalesced by a
zero-delay single-shot timer, scored inline when small and on the QThreadPool at committee scale
(about 50 ms for 50 x 200 x 10), so typing never waits; one score or consensus edit updates
only its cell, its candidate and the ranks, inline (evaluator.live_scoring).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from evaluator import services
from evaluator.changes import Applied, Change, SetStatus
from evaluator.changes.write import apply_change
from evaluator.collector import collector_paused
from evaluator.db import Database
from evaluator.domain import Criterion, EvaluationData, Results, Scale, Status
from evaluator.identity import Identity
from ui.audit_check import AuditCheck
from ui.cell_index import CellIndex, settle
from ui.errors import USER_ERRORS, user_message
from ui.jobs import JobRunner
from ui.live_results import LiveResults
from ui.session_opening import SessionOpening, read_database
from ui.session_process import SessionProcess
from ui.session_snapshot import SessionSnapshot

log = logging.getLogger("supportscope.ui")


class EvaluationSession(QObject, SessionSnapshot, SessionProcess, SessionOpening):
    """See the module docstring for the API; lookups and `apply_*` are in ui/session_snapshot.py."""

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
    externalChange = Signal(str)
    auditBroken = Signal(str)
    identityChanged = Signal()
    openingChanged = Signal(str)

    WATCH_MS = 2000  # how often the open evaluation is checked for other processes' changes

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self._data: EvaluationData | None = None
        self._cells = CellIndex()
        self._tree_cache: tuple[list[Criterion], dict[str, Criterion], list[Criterion]] | None = (
            None
        )
        self._undo_stack = QUndoStack(self)
        self._identity: Identity | None = None
        self._live_view = False
        self._leave_guards: list[Callable[[], bool]] = []
        self._submitted = False
        self.dataChanged.connect(self.follow_submissions)
        self._live = LiveResults(lambda: self._data, self)
        self._live.changed.connect(self.resultsChanged)
        self._audit = AuditCheck(self, self._live)
        self._audit.checked.connect(self.auditBroken)
        self._opener = JobRunner(self)
        self._opening = ""
        self._watch = QTimer(self)
        self._watch.setInterval(self.WATCH_MS)
        self._watch.timeout.connect(self.check_for_changes)

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
        """Not final, and someone the core takes changes from works here (once a chair is
        named, a window whose user has not said who they are is read-only)."""
        return (
            self._data is not None
            and self._data.status is not Status.FINAL
            and not self.needs_identity
        )

    @property
    def undo_stack(self) -> QUndoStack:
        return self._undo_stack

    @property
    def ref(self) -> int:
        if self._data is None:
            raise services.ServiceError("open an evaluation first")
        return self._data.id

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

    def open_database(
        self, target: str, evaluation_id: int | None = None, *, create: bool = True
    ) -> bool:
        """Open (creating if needed) a database and the given evaluation, or else the most
        recently changed one; False (and a message) when it cannot be opened or a leave guard
        kept the open evaluation."""
        if not self.may_leave():
            return False
        self.stop_opening()
        try:
            opened = read_database(target, evaluation_id, create, on_pool=False)
        except USER_ERRORS as exc:  # what was open stays open
            self.errorRaised.emit(user_message(exc))
            return False
        return self._install(opened.db, opened.evaluation_id, opened.data)

    def _install(
        self, db: Database, evaluation_id: int | None, data: EvaluationData | None
    ) -> bool:
        """Take over a database and snapshot read in the background (ui/session_opening.py)."""
        self.close_database(notify=False)
        self._db = db
        return self._open_evaluation(evaluation_id, loaded=data)

    def close_database(self, notify: bool = True) -> None:
        self.stop_opening()
        self._audit.stop()
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

    def _open_evaluation(
        self, evaluation_id: int | None, loaded: EvaluationData | None = None
    ) -> bool:
        """Show this evaluation; `loaded` is its stored snapshot when already read."""
        data = None
        if self._identity is not None:  # an identity belongs to one evaluation: ask again
            self._identity, self._live_view = None, False
            self.identityChanged.emit()
        if evaluation_id is not None:
            data = self.visible(loaded) if loaded is not None else self._load(evaluation_id)
            if data is None:
                return False
        was_read_only = self.read_only
        self._undo_stack.clear()
        self._set_snapshot(data)
        if data is None:
            self._watch.stop()
        else:
            self._watch.start()
        self.evaluationChanged.emit()
        self._audit.start(self._db, data.id if data else None, len(data.scores) if data else 0)
        self.dataChanged.emit()
        if self.read_only != was_read_only or data is not None:
            self.readOnlyChanged.emit(self.read_only)
        self._live.after_open()
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
        """Re-read the open evaluation from the database (after a restore, on request, or when
        another window or process changed it). Only what differs is announced: a colleague's
        new score repaints one cell, so an open editor and unsaved cells are left alone."""
        if self._data is None:
            return
        old = self._data
        data = self._load(old.id)
        if data is None:  # deleted behind our back
            self.open_evaluation(None)
            return
        was_read_only = self.read_only
        self._data = data
        self.schedule_results()  # the old results stay on show until the new ones are in
        for part, signal in (
            ("criteria", self.criteriaChanged),
            ("candidates", self.candidatesChanged),
            ("evaluators", self.evaluatorsChanged),
        ):
            if getattr(old, part) != getattr(data, part):
                signal.emit()
        self._announce_cells(old, data)
        settle(data)
        self.dataChanged.emit()
        if self.read_only != was_read_only:
            self.readOnlyChanged.emit(self.read_only)

    def _announce_cells(self, old: EvaluationData, new: EvaluationData) -> None:
        """Tell the views which cells a reload changed: one by one when few, else all."""
        before = dict(self._cells.scores), dict(self._cells.consensus)
        self._cells.rebuild(new)
        scores = [cell for cell in before[0].keys() ^ self._cells.scores.keys()]
        scores += [
            cell for cell, s in self._cells.scores.items()
            if cell in before[0] and before[0][cell] != s
        ]  # fmt: skip
        agreed = [cell for cell in before[1].keys() ^ self._cells.consensus.keys()]
        agreed += [
            cell for cell, v in self._cells.consensus.items()
            if cell in before[1] and before[1][cell] != v
        ]  # fmt: skip
        structure = (old.criteria, old.candidates, old.evaluators) != (
            new.criteria, new.candidates, new.evaluators
        )  # fmt: skip
        if structure or old.responses != new.responses or len(scores) + len(agreed) > 200:
            self.scoresReset.emit()
            return
        for cell in scores:
            self.scoreChanged.emit(*cell)
        for cell2 in agreed:
            self.consensusChanged.emit(*cell2)

    def check_for_changes(self) -> bool:
        """Reload when another window or process changed the open evaluation (its change
        counter moved); True when it did. Runs every few seconds while an evaluation is open."""
        if self._data is None or self._db is None:
            return False
        try:
            revision = services.current_revision(self._db, self._data.id)
        except USER_ERRORS as exc:  # a busy or unreachable database: try again next time
            log.info("could not check for changes: %s", exc)
            return False
        if revision is None or revision == self._data.revision:
            return False
        self.reload()
        # nobody named: the last audit entry names one of possibly many writers (not
        # necessarily whose change shows here), and during blind scoring it would tell a
        # member which colleague is working
        self.externalChange.emit("Updated with changes saved in another window or process.")
        return True

    def _load(self, evaluation_id: int) -> EvaluationData | None:
        if self._db is None:
            return None
        try:
            return self.visible(services.load_evaluation(self._db, evaluation_id))
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return None

    def _set_snapshot(self, data: EvaluationData | None) -> None:
        self._data = data
        with collector_paused():
            self._cells.rebuild(data)
        self._live.invalidate()  # results of the previous snapshot are stale
        settle(data)

    # ---- editing -----------------------------------------------------------------------------

    def apply(self, change: Change) -> Applied:
        """Write one change through the core and bring the snapshot up to date; raises the
        core's refusal (a stale change also re-reads the snapshot, so the user sees why)."""
        if self._data is None or self._db is None:
            raise services.ServiceError("open an evaluation first")
        was_blind = self.blind
        try:
            applied = apply_change(self._db, self._data.id, change, actor=self._identity)
        except services.StaleChange as exc:
            self.reload()
            raise exc.reloaded() from None
        self._absorb(applied)
        if self.blind != was_blind:  # the last submission, a phase move, a reopened sheet:
            self.reload()  # what this window may see changed, so read it again through visible()
        return applied

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
            self.apply(SetStatus(self._require().status, Status.FINAL, why))
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        self._undo_stack.clear()
        return True

    # ---- results -----------------------------------------------------------------------------

    def schedule_results(self) -> None:
        """Recompute soon; many calls before the event loop runs cost one computation."""
        self._live.request()

    def _follow_results(
        self, before: EvaluationData, after: EvaluationData, change: Change
    ) -> None:
        """After one applied change: results updated at once when one cell changed, else soon."""
        self._live.follow(before, after, change)

    def wait_for_audit(self, timeout_ms: int = 10_000) -> bool:
        """Process events until the open evaluation's audit check has spoken (tests, scripts)."""
        return self._audit.wait(timeout_ms)

    def wait_for_results(self, timeout_ms: int = 10_000) -> bool:
        """Process events until fresh results are in (for tests and scripts, not for views)."""
        return self._live.wait(timeout_ms)
