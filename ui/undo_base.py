"""The base of every undoable command (see ui/undo.py for how commands are used)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from evaluator.kinds import CANDIDATE_KINDS
from ui.errors import USER_ERRORS
from ui.session import EvaluationSession

# the table's candidate kind labels as they read inside a sentence ("Make X a third-party
# outsourcer"); kept here for the undo texts that import it
KIND_LABELS = {kind: row.in_sentence for kind, row in CANDIDATE_KINDS.items()}
_MERGE_WEIGHT = 1001


def fmt(value: float | str) -> str:
    """A number as people write it: 4, not 4.0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


class ServiceCommand(QUndoCommand):
    """Base class: subclasses implement `forward()` and `backward()`."""

    def __init__(self, session: EvaluationSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.noop = False  # set by try_first when there was nothing to do: not pushed
        self._first_done = False

    @property
    def db(self) -> Any:
        return self.session.db

    @property
    def ref(self) -> int:
        return self.session.ref

    def forward(self) -> None:
        raise NotImplementedError

    def backward(self) -> None:
        raise NotImplementedError

    def try_first(self) -> None:
        """The first redo, before the push; raises the service's error to the session."""
        self.forward()
        self._first_done = True

    def redo(self) -> None:
        if self._first_done:  # QUndoStack.push calls redo(): the work is already done
            self._first_done = False
            return
        self._replay(self.forward)

    def undo(self) -> None:
        self._replay(self.backward)

    def _replay(self, step: Callable[[], None]) -> None:
        try:
            step()
        except USER_ERRORS as exc:
            self.setObsolete(True)
            failure = exc  # the name `exc` is cleared when the except block ends
            # after the stack has finished with this command, not from inside undo()/redo()
            QTimer.singleShot(0, lambda: self.session.failed_replay(failure))
