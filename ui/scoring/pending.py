"""Scores typed in the Scoring grid but not saved yet, for every committee member.

A score is saved only with its justification, so a typed value waits here (with the draft text)
until `ScoringModel.save()` runs; it survives moving to another cell or another member. An
edit that comes to equal what is saved (typed back, or saved by an undo/redo) is settled and
dropped; one whose stored score changed since the typing began (a colleague, the shell) is
overtaken: dropped too, and the member told, so a save never replaces a score they did not see.
Qt-free: the model (ui/scoring/model.py) repaints the cells it is told changed.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from evaluator.domain import Score

Cell = tuple[int, int, str]  # evaluator id, candidate id, criterion key


@dataclass
class Pending:
    """An unsaved edit of one cell: the typed value (None: unchanged), the draft text, and the
    score that was saved when the typing began (what the user saw: a colleague's score saved
    meanwhile makes the save stale, refused by the core, instead of silently overwritten)."""

    value: int | None
    text: str
    seen: Score | None = None


class PendingEdits:
    """Unsaved edits by cell; `saved(*cell)` reads the score the database holds."""

    def __init__(self, saved: Callable[[int, int, str], Score | None]) -> None:
        self._saved = saved
        self._edits: dict[Cell, Pending] = {}

    def __contains__(self, cell: object) -> bool:
        return cell in self._edits

    def get(self, cell: Cell) -> Pending | None:
        return self._edits.get(cell)

    def cells(self) -> list[Cell]:
        """Every unsaved cell, of every committee member, oldest first."""
        return list(self._edits)

    def of(self, evaluator_id: int | None) -> list[Cell]:
        return [cell for cell in self._edits if cell[0] == evaluator_id]

    def put(self, cell: Cell, pending: Pending) -> bool:
        """Keep the edit while it differs from what is saved, else drop it. True when the
        cell was or is pending (so it must be repainted)."""
        was = cell in self._edits
        if self.differs(cell, pending):
            self._edits[cell] = pending
        else:
            self._edits.pop(cell, None)
        return was or cell in self._edits

    def pop(self, cell: Cell) -> Pending | None:
        return self._edits.pop(cell, None)

    def restore(self, cell: Cell, pending: Pending) -> None:
        """Put back an edit whose save was refused for another reason than a newer stored
        score (a locked database, a closed sheet), so nothing typed is lost."""
        self._edits[cell] = pending

    def keep_only(
        self,
        evaluators: Container[int] | None = None,
        candidates: Container[int] | None = None,
        keys: Container[str] | None = None,
    ) -> None:
        """Drop the edits of members, candidates or criteria that are gone."""
        self._edits = {
            cell: p
            for cell, p in self._edits.items()
            if (evaluators is None or cell[0] in evaluators)
            and (candidates is None or cell[1] in candidates)
            and (keys is None or cell[2] in keys)
        }

    def settle(self, cell: Cell | None = None) -> None:
        """Drop edits (one cell's, or all) that now equal what is saved."""
        cells = [cell] if cell is not None else list(self._edits)
        for each in cells:
            pending = self._edits.get(each)
            if pending is not None and not self.differs(each, pending):
                del self._edits[each]

    def overtaken(self, cell: Cell | None = None) -> list[tuple[Cell, Pending]]:
        """Drop and return the edits (one cell's, or all) whose stored score is no longer the
        one the user saw when typing began: saving them would replace a value the user never
        saw, so they are not kept (the model says what was dropped, and what is stored now)."""
        cells = [cell] if cell is not None else list(self._edits)
        gone = [
            (each, pending)
            for each in cells
            if (pending := self._edits.get(each)) is not None and pending.seen != self._saved(*each)
        ]
        for each, _pending in gone:
            del self._edits[each]
        return gone

    def clear(self) -> None:
        self._edits.clear()

    def differs(self, cell: Cell, pending: Pending) -> bool:
        saved = self._saved(*cell)
        if saved is None:
            return pending.value is not None or bool(pending.text.strip())
        typed = pending.value is not None
        value_changed = typed and (saved.abstained or pending.value != saved.value)
        return value_changed or pending.text.strip() != saved.justification
