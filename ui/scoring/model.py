"""One committee member's scores as a criteria x candidates table, with unsaved edits kept.

A score is only saved with a justification (the core refuses one without), so typing a value
does not save it: it becomes a *pending* edit, shown tinted in the grid, until the justification
is written and `save()` runs one `SetScore` command. Pending edits (ui/scoring/pending.py)
survive moving to another cell or another evaluator, so nothing typed is lost. Only `rated`
leaves are editable; `auto`, `price` and `gate` rows show the engine's computed value in a muted
colour, read-only, because the committee does not score them (the chair can override them in
the Consensus tab).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from evaluator.changes import ScoreCell, normalise
from evaluator.domain import Score
from evaluator.errors import ServiceError
from evaluator.gates import gate_look
from ui.errors import user_message
from ui.grid.model import (
    ALIGNMENT,
    BACKGROUND,
    CANDIDATE_ROLE,
    CATEGORY_ROLE,
    CENTER,
    DISPLAY,
    EDIT,
    FONT,
    FOREGROUND,
    KEY_ROLE,
    STATE_ROLE,
    TOOLTIP,
    CriteriaGridModel,
    GridRow,
    computed_text,
)
from ui.scoring.pending import Pending, PendingEdits
from ui.session import EvaluationSession
from ui.undo import ClearScore, SetScore
from ui.undo_base import fmt

Index = QModelIndex | QPersistentModelIndex
EMPTY, SAVED, PENDING, COMPUTED = "empty", "saved", "pending", "computed"
USED_ROLES = frozenset(
    {DISPLAY, EDIT, ALIGNMENT, BACKGROUND, FONT, FOREGROUND, TOOLTIP, STATE_ROLE}
    | {KEY_ROLE, CANDIDATE_ROLE, CATEGORY_ROLE}
)


class ScoringModel(CriteriaGridModel):
    """Criteria rows x candidate columns of one evaluator's scores."""

    progressChanged = Signal()  # scored count or pending edits changed

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        self._evaluator_id: int | None = None
        self._pending = PendingEdits(session.score)  # of every member, see unsaved_cells
        self._scored: set[tuple[int, str]] = set()  # this evaluator's scored cells
        self._rated_keys: list[str] = []
        super().__init__(session, parent)
        session.evaluatorsChanged.connect(self._evaluators_changed)
        session.scoreChanged.connect(self._score_changed)
        session.scoresReset.connect(self._scores_reset)
        session.readOnlyChanged.connect(lambda _ro: self.touch_all())
        self.rebuild()

    # ---- the evaluator ---------------------------------------------------------------------

    @property
    def evaluator_id(self) -> int | None:
        return self._evaluator_id

    def set_evaluator(self, evaluator_id: int | None) -> None:
        if evaluator_id == self._evaluator_id:
            return
        self._evaluator_id = evaluator_id
        self._index_scored()
        self.category_cache.clear()
        self.touch_all()
        self.progressChanged.emit()

    def _evaluators_changed(self) -> None:
        data = self.session.data
        ids = [e.id for e in data.evaluators] if data else []
        self._pending.keep_only(evaluators=ids)
        if self._evaluator_id not in ids:
            self.set_evaluator(ids[0] if ids else None)
        self.progressChanged.emit()

    def forget(self) -> None:
        self._pending.clear()
        self._evaluator_id = None

    # ---- lookups, rebuilt once per snapshot ------------------------------------------------

    def reindex(self) -> None:
        data = self.session.data
        ids = [e.id for e in data.evaluators] if data else []
        if self._evaluator_id not in ids:
            self._evaluator_id = ids[0] if ids else None
        self._rated_keys = [r.key for r in self._rows if r.members_score]
        rated, columns = set(self._rated_keys), set(self._column_of)
        self._pending.keep_only(candidates=columns, keys=rated)
        self._index_scored()

    def _index_scored(self) -> None:
        e, score = self._evaluator_id, self.session.score
        self._scored = (
            set()
            if e is None
            else {
                (c.id, key)
                for c in self._candidates
                for key in self._rated_keys
                if score(e, c.id, key) is not None
            }
        )
        self._pending.settle()

    # ---- session signals ---------------------------------------------------------------------

    def _score_changed(self, evaluator_id: int, candidate_id: int, key: str) -> None:
        if evaluator_id != self._evaluator_id:
            return
        cell = (evaluator_id, candidate_id, key)
        if self.session.score(*cell) is None:
            self._scored.discard((candidate_id, key))
        else:
            self._scored.add((candidate_id, key))
        self._pending.settle(cell)
        self._touch_cell(self.index_of(candidate_id, key))

    def _scores_reset(self) -> None:
        self._index_scored()
        self.category_cache.clear()
        self.touch_all()
        self.progressChanged.emit()

    def _touch_cell(self, index: QModelIndex) -> None:
        """A cell, its category rows and the evaluator's progress changed."""
        self.touch_cell(index)
        if index.isValid():
            self.progressChanged.emit()

    # ---- what a cell holds -------------------------------------------------------------------

    def is_score_cell(self, index: Index) -> bool:
        return index.isValid() and self._rows[index.row()].members_score

    def _cell(self, index: Index) -> tuple[int, int, str] | None:
        if self._evaluator_id is None or not self.is_score_cell(index):
            return None
        return (
            self._evaluator_id,
            self._candidates[index.column()].id,
            self._rows[index.row()].key,
        )

    def saved(self, index: Index) -> Score | None:
        cell = self._cell(index)
        return self.session.score(*cell) if cell else None

    def pending(self, index: Index) -> Pending | None:
        cell = self._cell(index)
        return self._pending.get(cell) if cell else None

    def value(self, index: Index) -> int | None:
        """The value the cell shows: the typed one if any, else the saved one."""
        cell = self._cell(index)
        if cell is None:
            return None
        pending = self._pending.get(cell)
        if pending is not None and pending.value is not None:
            return pending.value
        saved = self.session.score(*cell)
        return None if saved is None else int(saved.value)

    def justification(self, index: Index) -> str:
        """The draft if one is being written, else the saved justification."""
        pending = self.pending(index)
        if pending is not None:
            return pending.text
        saved = self.saved(index)
        return saved.justification if saved else ""

    def progress(self) -> tuple[int, int]:
        """(cells this evaluator has scored, rated cells), counted without a scan."""
        return len(self._scored), len(self._rated_keys) * len(self._candidates)

    def pending_count(self) -> int:
        return len(self._pending.of(self._evaluator_id))

    def unsaved_cells(self) -> list[tuple[int, int, str]]:
        """(evaluator, candidate, key) of every pending edit, of every committee member (the
        window asks before they would be lost; `pending_count` counts the shown member's)."""
        return self._pending.cells()

    def pending_indexes(self) -> list[QModelIndex]:
        return [self.index_of(c, k) for (_e, c, k) in self._pending.of(self._evaluator_id)]

    # ---- Qt model API ------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        row = self._rows[index.row()]
        if row.is_category:
            return Qt.ItemFlag.NoItemFlags  # a group header: the cursor skips it
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if row.members_score and self.session.editable and self._evaluator_id is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = DISPLAY) -> object:
        """The hot path of every paint: one dict lookup per cell, roles not used answered first."""
        role = int(role)
        if role not in USED_ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        if row.is_category:
            return self.category_data(row, index.column(), role)
        if role == KEY_ROLE:
            return row.key
        if role == CANDIDATE_ROLE:
            return self._candidates[index.column()].id
        if role == CATEGORY_ROLE:
            return False
        if not row.members_score:
            return self._computed_data(row, index.column(), role)
        if role == ALIGNMENT:
            return CENTER
        if self._evaluator_id is None:
            return None
        cell = (self._evaluator_id, self._candidates[index.column()].id, row.key)
        pending = self._pending.get(cell)
        if role in (DISPLAY, EDIT):
            value = pending.value if pending is not None else None
            if value is None:
                saved = self.session.score(*cell)
                value = None if saved is None else int(saved.value)
            if role == EDIT:
                return value
            return "" if value is None else fmt(value) + (" *" if pending else "")
        if role == BACKGROUND:
            return self.brushes.pending if pending else None
        if role == FONT:
            return self._bold if pending else None
        if role == STATE_ROLE:
            return PENDING if pending else (SAVED if self.session.score(*cell) else EMPTY)
        if role == TOOLTIP:
            return self._score_tooltip(index, pending)
        return None

    def _score_tooltip(self, index: Index, pending: Pending | None) -> str:
        saved = self.saved(index)
        if pending is not None:
            typed = fmt(self.value(index)) if self.value(index) is not None else "no score"
            return (
                f"Not saved yet: {typed}. Write the justification beside the grid and press "
                "Enter to save it (Delete discards the edit)."
            )
        if saved is not None:
            return f"{fmt(saved.value)}: {saved.justification}"
        scale = self.scale
        return f"Not scored yet: type a score {scale.minimum}-{scale.maximum}."

    def _computed_data(self, row: GridRow, column: int, role: int) -> object:
        if role == DISPLAY:
            result = self._results.get(self._candidates[column].id)
            return computed_text(row, result, self.scale)
        if role == FOREGROUND:  # a gate in its state's colour, other computed values muted
            return self.gate_brush(row, self._candidates[column].id) or self.brushes.muted
        if role == FONT:
            return self._italic
        if role == ALIGNMENT:
            return CENTER
        if role == STATE_ROLE:
            return COMPUTED
        if role == TOOLTIP:
            return self._computed_tooltip(row, self._candidates[column].id)
        return None

    def _computed_tooltip(self, row: GridRow, candidate_id: int) -> str:
        text = f"{row.info.label}, computed by SupportScope: not scored by the committee."
        state = self.gate_state(candidate_id, row.key) if row.pass_fail else None
        if state is None:
            return text
        return f"Gate {gate_look(state).text}. {text}"

    def category_text(self, row: GridRow) -> str:
        """'7 of 16 scored · 15% of the total' (cached until a score below changes)."""
        keys = [r.key for r in self.leaves_under(row.key) if r.members_score]
        weight = self.effective_weight(row.key)
        share = f"{100 * weight:.0f}% of the total" if weight is not None else ""
        if not keys:  # gates only (or nothing scored by members): how the gates stand
            return self.gate_counts(row) or share or "no rated criteria"
        done = sum(1 for c in self._candidates for k in keys if (c.id, k) in self._scored)
        scored = f"{done} of {len(keys) * len(self._candidates)} scored"
        return scored + (f"  ·  {share}" if share else "")

    # ---- editing -----------------------------------------------------------------------------

    def setData(self, index: Index, value: object, role: int = EDIT) -> bool:
        """A typed value becomes a pending edit; `save()` writes it with its justification."""
        cell = self._cell(index)
        if cell is None or int(role) != EDIT or not self.session.editable:
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
        if cell is None or not self.session.editable:
            return
        pending = self._pending.get(cell) or Pending(None, "", self.session.score(*cell))
        if pending.text == text and cell in self._pending:
            return
        pending.text = text
        self._set_pending(cell, pending, index)

    def _set_pending(self, cell: tuple[int, int, str], pending: Pending, index: Index) -> None:
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
        if self.value(index) is None:
            return "Type a score first."
        if not self.justification(index).strip():
            return "Write a justification: a score is not saved without one."
        return ""

    def save(self, index: Index) -> bool:
        """Save the cell's value and justification as one undoable SetScore."""
        cell = self._cell(index)
        if cell is None or self.problem(index):
            return False
        value, text = self.value(index), self.justification(index).strip()
        pending = self._pending.pop(cell)
        if pending is None:
            return True  # nothing changed
        seen = pending.seen
        before = None if seen is None else ScoreCell(seen.value, seen.justification)
        ok = self.session.execute(SetScore(self.session, *cell, value, text, before=before))
        if not ok:
            # kept, now based on what is saved: the user has been told why, saving again
            # replaces the colleague's score knowingly
            self._pending.restore(cell, replace(pending, seen=self.session.score(*cell)))
        self._touch_cell(self.index(index.row(), index.column()))
        return ok

    def clear(self, indexes: list[QModelIndex]) -> int:
        """Delete: discard pending edits, clear saved scores (one undo step). Returns cleared."""
        cells = [i for i in indexes if self._cell(i) is not None]
        for index in cells:
            self.discard(index)
        saved = [i for i in cells if self.saved(i) is not None]
        if not saved or not self.session.editable:
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
