"""Editing one member's sheet: typed values wait as pending edits until saved with their
justification (one SetScore), Delete clears, Abstain replaces a number with a reason.

`ScoreEditing` is a mixin of `ui.scoring.model.ScoringModel`, which owns the state used here
(`_pending`, `_evaluator_id`, the rows and columns) and decides which cells are editable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from evaluator.changes import ScoreCell, normalise
from evaluator.domain import Score
from evaluator.errors import ServiceError
from ui.errors import user_message
from ui.grid.model import EDIT
from ui.numbers import fmt
from ui.scoring.pending import Pending, PendingEdits
from ui.undo import Abstain, ClearScore, SetScore

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from evaluator.domain import Candidate, Scale
    from ui.grid.model import GridRow
    from ui.session import EvaluationSession

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, int, str]


def seen_cell(score: Score | None) -> ScoreCell | None:
    """A stored score as a change's `before` (an abstention included)."""
    return None if score is None else ScoreCell(score.value, score.justification, score.abstained)


class ScoreEditing:
    """Pending edits, saving, clearing and abstaining (see the module docstring)."""

    session: EvaluationSession
    _pending: PendingEdits
    _evaluator_id: int | None
    _rows: list[GridRow]
    _candidates: list[Candidate]
    scale: Scale

    # provided by ScoringModel and QAbstractTableModel (annotations only: no attributes here)
    _cell: Callable[[Index], Cell | None]
    is_editable: Callable[[Index], bool]
    value: Callable[[Index], int | None]
    justification: Callable[[Index], str]
    saved: Callable[[Index], Score | None]
    _touch_cell: Callable[[QModelIndex], None]
    index: Callable[..., QModelIndex]
    index_of: Callable[[int, str], QModelIndex]
    notice: SignalInstance  # a sentence for the status line

    # ---- typing ------------------------------------------------------------------------------

    def setData(self, index: Index, value: object, role: int = EDIT) -> bool:
        """A typed value becomes a pending edit; `save()` writes it with its justification."""
        cell = self._cell(index)
        if cell is None or int(role) != EDIT or not self.is_editable(index):
            return False
        try:  # the core's rule for a member's score: a whole number on the scale
            number = int(normalise.on_scale(str(value).strip(), self.scale, "score", whole=True))
        except ServiceError as exc:
            self.session.errorRaised.emit(user_message(exc))
            return False
        pending = self._pending.get(cell) or Pending(
            None, self.justification(index), self.session.score(*cell)
        )
        pending.value = number
        self._set_pending(cell, pending, index)
        return True

    def set_draft(self, index: Index, text: str) -> None:
        """Keep the justification being written, so moving away never loses it."""
        cell = self._cell(index)
        if cell is None or not self.is_editable(index):
            return
        pending = self._pending.get(cell) or Pending(None, "", self.session.score(*cell))
        if pending.text == text and cell in self._pending:
            return
        pending.text = text
        self._set_pending(cell, pending, index)

    def _set_pending(self, cell: Cell, pending: Pending, index: Index) -> None:
        if self._pending.put(cell, pending):
            self._touch_cell(self.index(index.row(), index.column()))

    def discard(self, index: Index) -> None:
        cell = self._cell(index)
        if cell is not None and self._pending.pop(cell) is not None:
            self._touch_cell(self.index(index.row(), index.column()))

    def problem(self, index: Index) -> str:
        """Why the cell's edit cannot be saved yet ("" when it can)."""
        if self._cell(index) is None:
            return "Select a cell of a rated criterion."
        saved = self.saved(index)
        rewording = saved is not None and saved.abstained  # a new reason for the abstention
        if self.value(index) is None and not rewording:
            return "Type a score first."
        if not self.justification(index).strip():
            if rewording and self.value(index) is None:
                return "Write the reason: an abstention is not saved without one."
            return "Write a justification: a score is not saved without one."
        return ""

    # ---- saving ------------------------------------------------------------------------------

    def save(self, index: Index) -> bool:
        """Save the cell's value and justification as one undoable SetScore (the reason of
        an abstention, when no number was typed over it)."""
        cell = self._cell(index)
        if cell is None or self.problem(index):
            return False
        value, text = self.value(index), self.justification(index).strip()
        pending = self._pending.pop(cell)
        if pending is None:
            return True  # nothing changed
        before = seen_cell(pending.seen)
        if value is None:  # a new reason for an abstention
            command = Abstain(self.session, *cell, text, before=before)
        else:
            command = SetScore(self.session, *cell, value, text, before=before)
        ok = self.session.execute(command)
        if not ok:
            self._pending.restore(cell, pending)  # as typed, still on what the user saw ...
            self.drop_overtaken(cell)  # ... unless the stored score changed meanwhile
        self._touch_cell(self.index(index.row(), index.column()))
        return ok

    def drop_overtaken(self, cell: Cell | None = None, repaint: bool = True) -> None:
        """Drop the edits whose stored score changed since the typing began (a colleague, the
        shell, an undo) and say so: the cell shows the stored value again, and the user types
        anew on what they now see, so an edit never replaces a score the user did not see
        (`repaint` False inside a model reset)."""
        for each, pending in self._pending.overtaken(cell):
            self.notice.emit(self.overtaken_text(each, pending))
            if repaint and each[0] == self._evaluator_id:
                self._touch_cell(self.index_of(each[1], each[2]))

    def overtaken_text(self, cell: Cell, pending: Pending) -> str:
        """'Your 4 for Acme / Level 4 was not saved: … now 1 …'."""
        session = self.session
        where = f"{session.candidate(cell[1]).name} / {session.criterion(cell[2]).name}"
        stored = session.score(*cell)
        now = (
            "empty" if stored is None
            else "an abstention" if stored.abstained
            else fmt(stored.value)
        )  # fmt: skip
        yours = "justification" if pending.value is None else fmt(pending.value)
        typed = pending.text.strip()
        wrote = f" You had written: “{typed}”." if typed else ""
        return (
            f"Your {yours} for {where} was not saved: that score was changed meanwhile and is "
            f"now {now}.{wrote} Type it again if you still mean it."
        )

    def abstain(self, index: Index, reason: str) -> bool:
        """Abstain on the cell instead of scoring it (one undoable change); a pending edit
        of the cell is dropped."""
        cell = self._cell(index)
        if cell is None or not self.is_editable(index):
            return False
        pending = self._pending.pop(cell)
        ok = self.session.execute(Abstain(self.session, *cell, reason))
        if not ok and pending is not None:
            self._pending.restore(cell, pending)
        self._touch_cell(self.index(index.row(), index.column()))
        return ok

    def clear(self, indexes: list[QModelIndex]) -> int:
        """Delete: discard pending edits, clear saved scores (one undo step). Returns cleared."""
        cells = [i for i in indexes if self._cell(i) is not None]
        for index in cells:
            self.discard(index)
        saved = [i for i in cells if self.saved(i) is not None and self.is_editable(i)]
        if not saved:
            return 0
        stack, e = self.session.undo_stack, self._evaluator_id
        assert e is not None
        if len(saved) > 1:
            stack.beginMacro(f"Clear {len(saved)} scores")
        done = 0
        try:
            for index in saved:
                c, k = self._candidates[index.column()].id, self._rows[index.row()].key
                done += self.session.execute(ClearScore(self.session, e, c, k))
        finally:
            if len(saved) > 1:
                stack.endMacro()
        return done
