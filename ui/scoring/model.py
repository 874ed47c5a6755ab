"""One committee member's scores as a criteria x candidates table, with unsaved edits kept.

A score is only saved with a justification (the core refuses one without), so typing a value
does not save it: it becomes a *pending* edit, shown tinted in the grid, until the justification
is written and `save()` runs one `SetScore` command. Pending edits (ui/scoring/pending.py)
survive moving to another cell or another evaluator, so nothing typed is lost. Only `rated`
leaves are editable; `auto`, `price` and `gate` rows show the engine's computed value in a muted
colour, read-only, because the committee does not score them (the chair can override them in
the Consensus tab). A member's sheet leaves out the candidates they declared a conflict of
interest with, and is editable only when ui/scoring/sheet.py says a score would be accepted (the
scoring phase, the member or the chair working, declared, not submitted); a candidate added
after the declaration stays read-only until the member declares again. An abstention reads
"abstain" (hatched, with its reason in the tooltip) and counts as reviewed, not as a number.
Editing (typing, saving, clearing, abstaining) is in ui/scoring/editing.py.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from evaluator.domain import Candidate, Evaluator, Score
from evaluator.gates import gate_look
from ui.grid.model import (
    ALIGNMENT,
    BACKGROUND,
    CENTER,
    DISPLAY,
    EDIT,
    FONT,
    FOREGROUND,
    NAMING_ROLES,
    STATE_ROLE,
    TOOLTIP,
    CriteriaGridModel,
    GridRow,
    computed_text,
)
from ui.numbers import fmt, percent
from ui.scoring.editing import ScoreEditing
from ui.scoring.pending import Pending, PendingEdits
from ui.scoring.progress import Progress
from ui.scoring.sheet import sheet_editable
from ui.session import EvaluationSession

Index = QModelIndex | QPersistentModelIndex
EMPTY, SAVED, PENDING, COMPUTED = "empty", "saved", "pending", "computed"
ABSTAINED = "abstained"
ABSTAIN_TEXT = "abstain"


class ScoringModel(ScoreEditing, CriteriaGridModel):
    """Criteria rows x candidate columns of one evaluator's scores."""

    progressChanged = Signal()  # scored count or pending edits changed
    sheetChanged = Signal()  # the sheet became editable or read-only, or its columns changed
    notice = Signal(str)  # a typed edit was dropped: the stored score changed under it
    used_roles = NAMING_ROLES | frozenset(
        {DISPLAY, EDIT, ALIGNMENT, BACKGROUND, FONT, FOREGROUND, TOOLTIP, STATE_ROLE}
    )

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        self._evaluator_id: int | None = None
        self._pending = PendingEdits(session.score)  # of every member, see unsaved_cells
        self._scored: set[tuple[int, str]] = set()  # this evaluator's scored cells
        self._abstained: set[tuple[int, str]] = set()  # ... and those that are abstentions
        self._rated_keys: list[str] = []
        self._open = False  # the shown sheet takes scores now (ui/scoring/sheet.py)
        self._covers: frozenset[int] = frozenset()  # candidates its declaration covers
        self._rated_set: frozenset[str] = frozenset()
        self._counted: Progress | None = None  # progress of the index as it stands
        super().__init__(session, parent)
        session.evaluatorsChanged.connect(self._evaluators_changed)
        session.scoreChanged.connect(self._score_changed)
        session.scoresReset.connect(self._scores_reset)
        session.readOnlyChanged.connect(lambda _ro: self.refresh_sheet())
        session.dataChanged.connect(self.refresh_sheet)  # the phase, a declaration, a submission
        session.identityChanged.connect(self.refresh_sheet)
        self.rebuild()

    # ---- the evaluator ---------------------------------------------------------------------

    @property
    def evaluator_id(self) -> int | None:
        return self._evaluator_id

    def member(self) -> Evaluator | None:
        """The committee member whose sheet is shown."""
        data = self.session.data
        if data is None or self._evaluator_id is None:
            return None
        return next((e for e in data.evaluators if e.id == self._evaluator_id), None)

    def set_evaluator(self, evaluator_id: int | None) -> None:
        if evaluator_id == self._evaluator_id:
            return
        self._evaluator_id = evaluator_id
        if [c.id for c in self.shown_candidates()] != [c.id for c in self._candidates]:
            self.rebuild()  # another member's conflicts: other columns
        else:
            self._index_scored()
            self.category_cache.clear()
            self._read_sheet()
            self.touch_all()
        self.progressChanged.emit()
        self.sheetChanged.emit()

    def _evaluators_changed(self) -> None:
        data = self.session.data
        ids = [e.id for e in data.evaluators] if data else []
        self._pending.keep_only(evaluators=ids)
        if self._evaluator_id not in ids:
            self.set_evaluator(ids[0] if ids else None)
        self.refresh_sheet()
        self.progressChanged.emit()

    def shown_candidates(self) -> list[Candidate]:
        """Every candidate but those the shown member declared a conflict of interest with
        (the member is chosen first: an evaluation opening must not show the first member a
        column they declared a conflict with)."""
        self._choose_member()
        member = self.member()
        hidden = member.declaration.conflicted if member and member.declaration else ()
        return [c for c in super().shown_candidates() if c.id not in hidden]

    def _read_sheet(self) -> bool:
        """Re-read whether the sheet takes scores and which candidates; True when it changed."""
        member = self.member()
        state = (
            sheet_editable(self.session, member),
            frozenset(member.declaration.covers) if member and member.declaration else frozenset(),
        )
        changed = state != (self._open, self._covers)
        self._open, self._covers = state
        return changed

    def refresh_sheet(self) -> None:
        """The phase, the identity, a declaration or a submission may have changed."""
        if [c.id for c in self.shown_candidates()] != [c.id for c in self._candidates]:
            self.rebuild()
            self.sheetChanged.emit()
        elif self._read_sheet():
            self.touch_all()
            self.sheetChanged.emit()

    def forget(self) -> None:
        self._pending.clear()
        self._evaluator_id = None

    # ---- lookups, rebuilt once per snapshot ------------------------------------------------

    def _choose_member(self) -> None:
        """Keep the shown member while they are on the committee, else show the first."""
        data = self.session.data
        ids = [e.id for e in data.evaluators] if data else []
        if self._evaluator_id not in ids:
            self._evaluator_id = ids[0] if ids else None

    def reindex(self) -> None:
        data = self.session.data
        self._choose_member()
        self._rated_keys = [r.key for r in self._rows if r.members_score]
        rated = self._rated_set = frozenset(self._rated_keys)
        candidates = {c.id for c in data.candidates} if data else set()
        self._pending.keep_only(candidates=candidates, keys=rated)
        self._index_scored()
        self._read_sheet()

    def _index_scored(self) -> None:
        self._counted = None
        e, score = self._evaluator_id, self.session.score
        found = (
            []
            if e is None
            else [
                ((c.id, key), s)
                for c in self._candidates
                for key in self._rated_keys
                if (s := score(e, c.id, key)) is not None
            ]
        )
        self._scored = {cell for cell, _s in found}
        self._abstained = {cell for cell, s in found if s.abstained}
        self.drop_overtaken(repaint=False)  # the callers repaint every cell
        self._pending.settle()

    # ---- session signals ---------------------------------------------------------------------

    def _score_changed(self, evaluator_id: int, candidate_id: int, key: str) -> None:
        cell = (evaluator_id, candidate_id, key)
        self.drop_overtaken(cell)  # of any member: an unsaved edit must not overwrite it
        if evaluator_id != self._evaluator_id:
            return
        self._counted = None
        score = self.session.score(*cell)
        if score is None:
            self._scored.discard((candidate_id, key))
        else:
            self._scored.add((candidate_id, key))
        if score is not None and score.abstained:
            self._abstained.add((candidate_id, key))
        else:
            self._abstained.discard((candidate_id, key))
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
        """The value the cell shows: the typed one if any, else the saved one (None for an
        abstention)."""
        cell = self._cell(index)
        if cell is None:
            return None
        pending = self._pending.get(cell)
        if pending is not None and pending.value is not None:
            return pending.value
        saved = self.session.score(*cell)
        return None if saved is None or saved.abstained else int(saved.value)

    def is_editable(self, index: Index) -> bool:
        """The cell takes a score now (the sheet is open and its declaration covers it)."""
        return (
            self._cell(index) is not None
            and self._open
            and self.session.editable
            and self._candidates[index.column()].id in self._covers
        )

    @property
    def sheet_open(self) -> bool:
        return self._open

    def justification(self, index: Index) -> str:
        """The draft if one is being written, else the saved justification."""
        pending = self.pending(index)
        if pending is not None:
            return pending.text
        saved = self.saved(index)
        return saved.justification if saved else ""

    def progress(self) -> Progress:
        """The shown member's progress, read from the sheet's own index of scored cells: the
        same reading as `member_progress` (ui/scoring/progress.py, which the status line uses;
        a test holds them equal) without looking up the member's 10,000 cells again."""
        if self._evaluator_id is None:
            return Progress(0, 0, 0)
        if self._counted is None:  # kept until the index changes (opening asks five times)
            shown, rated = self._column_of, self._rated_set
            scored = sum(1 for c, key in self._scored if c in shown and key in rated)
            abstained = sum(1 for c, key in self._abstained if c in shown and key in rated)
            total = len(self._candidates) * len(self._rated_keys)
            self._counted = Progress(scored - abstained, abstained, total)
        return self._counted

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
        if row.members_score and self.is_editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def cell_data(self, index: Index, row: GridRow, role: int) -> object:
        """One dict lookup per cell: the hot path of every paint (see the base's `data`)."""
        if not row.members_score:
            return self._computed_data(row, index.column(), role)
        if role == ALIGNMENT:
            return CENTER
        if self._evaluator_id is None:
            return None
        cell = (self._evaluator_id, self._candidates[index.column()].id, row.key)
        pending = self._pending.get(cell)
        typed = pending.value if pending is not None else None
        abstained = typed is None and (cell[1], row.key) in self._abstained
        if role in (DISPLAY, EDIT):
            value = typed
            if value is None and not abstained:
                saved = self.session.score(*cell)
                value = None if saved is None else int(saved.value)
            if role == EDIT:
                return value
            if abstained:
                return ABSTAIN_TEXT + (" *" if pending else "")
            return "" if value is None else fmt(value) + (" *" if pending else "")
        if role == BACKGROUND:
            brushes = self.brushes
            return brushes.pending if pending else brushes.abstained if abstained else None
        if role == FONT:
            return self._bold if pending else self._italic if abstained else None
        if role == FOREGROUND:
            return self.brushes.muted if abstained and not pending else None
        if role == STATE_ROLE:
            if pending:
                return PENDING
            return ABSTAINED if abstained else SAVED if self.session.score(*cell) else EMPTY
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
        if saved is not None and saved.abstained:
            return (
                f"Abstained: {saved.justification}. Not counted in the committee's aggregate; "
                "type a score to replace it."
            )
        if saved is not None:
            return f"{fmt(saved.value)}: {saved.justification}"
        scale = self.scale
        if self._evaluator_id is not None and not self.is_editable(index):
            return "Not scored."
        return (
            f"Not scored yet: type a score {scale.minimum}-{scale.maximum}, or abstain "
            "(right-click)."
        )

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
        share = f"{percent(weight, 0)} of the total" if weight is not None else ""
        if not keys:  # gates only (or nothing scored by members): how the gates stand
            return self.gate_counts(row) or share or "no rated criteria"
        done = sum(1 for c in self._candidates for k in keys if (c.id, k) in self._scored)
        scored = f"{done} of {len(keys) * len(self._candidates)} scored"
        return scored + (f"  ·  {share}" if share else "")
