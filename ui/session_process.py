"""Who is working in the window, what they may see, and the committee's process actions.

`SessionProcess` is a mixin of `ui.session.EvaluationSession`. The identity (a member or the
chair, checked against a passphrase by `evaluator.identity.identify`) goes with every change to
the core, which records it in the audit and applies the committee's rules; the snapshot the
views show is `evaluator.visibility.visible_to(...)` of the stored one, so during blind scoring a
member's window holds only their own scores and the chair's none (until they look at live
results, which the audit records).

Process actions (declare, submit, reopen a sheet, excuse, name the chair, protect an identity,
look at live results, reopen a final evaluation) are not undo steps: each is a commitment the
committee relies on, recorded once; they return False (and a message) when refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evaluator import services
from evaluator.changes import (
    Declare,
    Excuse,
    SetChair,
    SetPassphrase,
    SetScore,
    SetSubmitted,
    ViewLiveResults,
)
from evaluator.domain import Declaration, EvaluationData, Status
from evaluator.identity import Identity, hash_passphrase, identify
from evaluator.services import process
from evaluator.visibility import blind_refusal, is_blind, visible_to
from ui.errors import USER_ERRORS, user_message

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QUndoCommand, QUndoStack

    from evaluator.changes import Applied, Change
    from evaluator.db import Database


class SessionProcess:
    """Identity, blind view and process actions of the session (see the module docstring)."""

    # owned and set up by EvaluationSession
    _db: Database | None
    _data: EvaluationData | None
    _identity: Identity | None
    _live_view: bool
    _submitted: bool  # the sheet of the member working here was submitted when last seen
    errorRaised: SignalInstance
    identityChanged: SignalInstance
    readOnlyChanged: SignalInstance
    read_only: bool  # provided by EvaluationSession
    undo_stack: QUndoStack  # provided by EvaluationSession

    def apply(self, change: Change) -> Applied:  # provided by EvaluationSession
        raise NotImplementedError

    def reload(self) -> None:  # provided by EvaluationSession
        raise NotImplementedError

    # ---- who is working --------------------------------------------------------------------

    @property
    def identity(self) -> Identity | None:
        """The member or chair working in this window (None: nobody named, one person setting
        up an evaluation that has no chair yet)."""
        return self._identity

    def sign_in(self, name: str, passphrase: str | None = None) -> bool:
        """Work as `name` (a member or the chair), checked against their passphrase."""
        try:
            identity = self.check_identity(name, passphrase)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        self.set_identity(identity)
        return True

    def check_identity(self, name: str, passphrase: str | None = None) -> Identity:
        """The identity `name` in the open evaluation, checked against its passphrase; raises
        the core's refusal (a dialog shows it in place instead of a message box)."""
        if self._db is None or self._data is None:
            raise services.ServiceError("open an evaluation first")
        return identify(self._db, self._data.id, name, passphrase)

    def set_identity(self, identity: Identity | None) -> None:
        """Work as `identity` (None: nobody; read-only once a chair is named). The undo stack
        starts empty: its steps were someone else's."""
        self._identity, self._live_view = identity, False
        self.undo_stack.clear()
        self.reload()
        self.identityChanged.emit()
        self.readOnlyChanged.emit(self.read_only)  # what may be edited depends on who works

    @property
    def needs_identity(self) -> bool:
        """An evaluation with a chair takes changes only from a named member or the chair."""
        return self._data is not None and bool(self._data.chair) and self._identity is None

    @property
    def is_chair(self) -> bool:
        """The chair, or the one person setting up an evaluation that has no chair yet."""
        if self._data is None:
            return False
        if self._identity is None:
            return not self._data.chair
        return self._identity.chair

    @property
    def member_id(self) -> int | None:
        return self._identity.evaluator_id if self._identity else None

    # ---- what they may see -------------------------------------------------------------------

    def _viewer(self, data: EvaluationData) -> Identity | None:
        """Who looks: once a chair is named, a window whose user has not said who they are
        looks as nobody in particular (no member's scores while the committee scores blind)."""
        if self._identity is None and data.chair:
            return Identity("", context="")
        return self._identity

    def visible(self, data: EvaluationData) -> EvaluationData:
        """What this window may show of a stored snapshot."""
        return visible_to(data, self._viewer(data), self._live_view)

    @property
    def blind(self) -> bool:
        """Colleagues' scores, the aggregate and the ranking are hidden from this window now."""
        data = self._data
        return data is not None and is_blind(data, self._viewer(data), self._live_view)

    def blind_reason(self, what: str) -> str:
        return blind_refusal(self._data, what) if self._data else ""

    @property
    def live_view(self) -> bool:
        return self._live_view

    def view_live_results(self, why: str = "") -> bool:
        """The chair looks at the committee's live results during blind scoring (audited)."""
        if not self._act(ViewLiveResults(why)):
            return False
        self._live_view = True
        self.reload()
        self.identityChanged.emit()
        return True

    # ---- process actions (not undo steps) ----------------------------------------------------

    def _act(self, change: Change) -> bool:
        try:
            self.apply(change)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        return True

    def declare(self, evaluator_id: int, conflicted: tuple[int, ...] = (), note: str = "") -> bool:
        member = self._member(evaluator_id)
        after = Declaration(tuple(conflicted), (), note)
        return self._act(Declare(evaluator_id, member.declaration, after))

    def submit(self, evaluator_id: int) -> bool:
        return self._act(SetSubmitted(evaluator_id, self._member(evaluator_id).submitted, True))

    def reopen_sheet(self, evaluator_id: int, why: str) -> bool:
        member = self._member(evaluator_id)
        return self._act(SetSubmitted(evaluator_id, member.submitted, False, why))

    def excuse(self, evaluator_id: int, why: str) -> bool:
        return self._act(Excuse(evaluator_id, self._member(evaluator_id).excused, why))

    def name_chair(self, name: str) -> bool:
        """Name the chair or hand the role over; whoever works here then says again who they
        are (an identity taken as the chair before a hand-over would no longer be right)."""
        if self._data is None or not self._act(SetChair(self._data.chair, name)):
            return False
        self.set_identity(None)
        return True

    def set_passphrase(self, evaluator_id: int | None, passphrase: str | None) -> bool:
        """Protect the chair's (None) or a member's identity; None removes the protection."""
        try:
            secret = None if passphrase is None else hash_passphrase(passphrase)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        return self._act(SetPassphrase(evaluator_id, secret))

    def reopen_final(self, why: str) -> bool:
        """The chair reopens a final evaluation (back to consensus), with a reason."""
        if self._db is None or self._data is None or self._data.status is not Status.FINAL:
            return False
        try:
            process.reopen_evaluation(self._db, self._data.id, why, actor=self._identity)
        except USER_ERRORS as exc:
            self.errorRaised.emit(user_message(exc))
            return False
        self.reload()
        return True

    def follow_submissions(self) -> None:
        """The member working here submitted (here or from their shell): their scores are
        frozen, so undoing a score edit would only be refused ("Cannot do that") — the stack
        is cleared when it holds one. A sheet the chair reopens takes new edits and undo steps.
        (The chair's stack is kept: the chair's own steps, e.g. a phase move, may unfreeze a
        sheet, and a refused step is dropped with the reason.)"""
        data, me = self._data, self.member_id
        submitted = data is not None and any(e.id == me and e.submitted for e in data.evaluators)
        newly, self._submitted = submitted and not self._submitted, submitted
        stack, mine = self.undo_stack, {me or 0}
        if newly and any(_edits_scores_of(stack.command(i), mine) for i in range(stack.count())):
            stack.clear()

    def _member(self, evaluator_id: int):  # type: ignore[no-untyped-def]
        if self._data is None:
            raise services.ServiceError("open an evaluation first")
        return next(e for e in self._data.evaluators if e.id == evaluator_id)


def _edits_scores_of(command: QUndoCommand, members: set[int]) -> bool:
    """The undo step (or a step of its macro) changes a score of one of `members`."""
    change = getattr(command, "change", None)
    if isinstance(change, SetScore) and change.evaluator_id in members:
        return True
    return any(_edits_scores_of(command.child(i), members) for i in range(command.childCount()))
