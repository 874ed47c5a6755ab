"""The one undoable command: a change object applied through the core; undo applies its inverse.

Each application returns the change as applied and its inverse, so undo and redo always carry
what the window last saw: if a colleague changed the same thing meanwhile, the core refuses the
step as stale ("changed by NAME at TIME: reload") instead of silently overwriting it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from evaluator.changes import Change, EditCriterion
from evaluator.kinds import CANDIDATE_KINDS
from ui.errors import USER_ERRORS
from ui.session import EvaluationSession

# the table's candidate kind labels as they read inside a sentence ("Make X a third-party
# outsourcer"); kept here for the undo texts that import it
KIND_LABELS = {kind: row.in_sentence for kind, row in CANDIDATE_KINDS.items()}
_MERGE_WEIGHT = 1001


class ChangeCommand(QUndoCommand):
    """One user action on the undo stack (use through `session.execute`, see ui/undo.py)."""

    def __init__(self, session: EvaluationSession, change: Change, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.change = change  # as asked; after the first redo, as applied
        self.noop = False  # the core found nothing to change: not pushed
        self._first_done = False
        self._undo: Change | None = None
        self._redo: Change | None = None

    def try_first(self) -> None:
        """The first redo, before the push; raises the core's refusal to the session."""
        applied = self.session.apply(self.change)
        self.change, self._undo = applied.change, applied.inverse
        self.noop = not applied.changed
        self._first_done = True

    def redo(self) -> None:
        if self._first_done:  # QUndoStack.push calls redo(): the work is already done
            self._first_done = False
            return
        assert self._redo is not None
        applied = self._replay(self._redo)
        if applied is not None:
            self._undo = applied.inverse

    def undo(self) -> None:
        assert self._undo is not None
        applied = self._replay(self._undo)
        if applied is not None:
            self._redo = applied.inverse

    def _replay(self, change: Change):  # type: ignore[no-untyped-def]
        try:
            return self.session.apply(change)
        except USER_ERRORS as exc:
            self.setObsolete(True)
            failure = exc  # the name `exc` is cleared when the except block ends
            # after the stack has finished with this command, not from inside undo()/redo()
            QTimer.singleShot(0, lambda: self.session.failed_replay(failure))
            return None

    # consecutive weight edits of one criterion are one undo step (typing 3, 4, 6 in a cell)

    def _weight_edit(self) -> EditCriterion | None:
        change = self.change
        if isinstance(change, EditCriterion) and set(change.after) == {"weight"}:
            return change
        return None

    def id(self) -> int:
        return _MERGE_WEIGHT if self._weight_edit() is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        mine = self._weight_edit()
        theirs = other._weight_edit() if isinstance(other, ChangeCommand) else None
        if mine is None or theirs is None or theirs.key != mine.key:
            return False
        assert isinstance(other, ChangeCommand) and self._undo is not None
        assert isinstance(other._undo, EditCriterion)
        # undo the pair at once: from the latest weight back to the first one's original
        self._undo = replace(self._undo, before=other._undo.before)
        self.change = replace(mine, after=theirs.after)
        self.setText(other.text())
        return True
