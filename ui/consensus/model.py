"""The committee's view of every cell (aggregate, spread, consensus) and the meeting agenda.

`ConsensusModel` shows per (criterion, candidate) the evaluators' aggregate with the range of
their scores ("3.5 (2–4)": mean 3.5, lowest 2, highest 4), flags the cells whose spread
(highest minus lowest) reaches the disagreement threshold, and shows the chair's consensus
where one is set, the members' figures beside it ("4  [3.5 (2–4)]"). Its per-cell
statistics are built once per snapshot, when first asked for (a hidden Consensus tab costs
nothing when an evaluation opens), and updated cell by cell on `scoreChanged`, so a paint never
scans the scores. `AgendaModel` (ui/consensus/agenda.py, re-exported here) lists the
flagged cells, most consequential first (effective weight x spread), for the consensus meeting;
`cellChanged` lets it follow one cell at a time, `flagsChanged` asks it to rebuild.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from evaluator.domain import ConsensusScore, CriterionKind, GateState, Score
from evaluator.gates import decision_state, gate_look
from evaluator.kinds import Scoring, is_pass_fail, kind_info
from evaluator.scoring import aggregate, conflicts, counts, spread
from ui.consensus.agenda import AgendaItem, AgendaModel
from ui.grid.model import (
    ALIGNMENT,
    BACKGROUND,
    CENTER,
    DECORATION,
    DISPLAY,
    FONT,
    FOREGROUND,
    NAMING_ROLES,
    STATE_ROLE,
    TOOLTIP,
    CriteriaGridModel,
    GridRow,
    computed_text,
)
from ui.numbers import fmt, money, percent
from ui.session import EvaluationSession
from ui.undo import ClearConsensus, SetConsensus

__all__ = ["AGREED", "FLAGGED", "PLAIN", "AgendaItem", "AgendaModel", "CellStats", "ConsensusModel"]

Index = QModelIndex | QPersistentModelIndex
FLAGGED, AGREED, PLAIN = "flagged", "agreed", "plain"


@dataclass(frozen=True, slots=True)
class CellStats:
    """The evaluators' scores of one cell, summarised."""

    scores: tuple[Score, ...]  # every member's, abstentions and declared conflicts included
    aggregate: float | None  # of the scores that count (evaluator.scoring.counts)
    spread: float  # likewise: an abstention is never a 0
    flagged: bool
    counted: int = 0  # how many scores count
    lowest: float = 0.0  # of the scores that count
    highest: float = 0.0

    @property
    def range_text(self) -> str:
        """'(1–4)': the lowest and highest of the scores that count."""
        return f"({fmt(self.lowest)}–{fmt(self.highest)})"


def _icon(pixmap: QStyle.StandardPixmap) -> QIcon:
    app = QApplication.instance()
    return app.style().standardIcon(pixmap) if isinstance(app, QApplication) else QIcon()


class ConsensusModel(CriteriaGridModel):
    """Criteria rows x candidate columns of aggregates, spreads and consensus values."""

    flagsChanged = Signal()  # any cell's flag, spread, settlement or weight may have changed
    cellChanged = Signal(int, str)  # one cell's (candidate id, key) scores or consensus changed
    used_roles = NAMING_ROLES | frozenset(
        {DISPLAY, ALIGNMENT, BACKGROUND, FONT, FOREGROUND, DECORATION, TOOLTIP, STATE_ROLE}
    )

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        self._stats: dict[tuple[int, str], CellStats] | None = None  # None: built when asked
        self._names: dict[int, str] = {}
        self._conflicted: frozenset[tuple[int, int]] = frozenset()
        self._ordering_weights: dict[str, float] = {}  # the weights the agenda was ordered by
        self.flag_icon = _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.agreed_icon = _icon(QStyle.StandardPixmap.SP_DialogApplyButton)
        super().__init__(session, parent)
        session.scoreChanged.connect(self._score_changed)
        session.scoresReset.connect(self._refresh_all)
        session.evaluatorsChanged.connect(self._refresh_all)
        session.consensusChanged.connect(self._consensus_changed)
        self.rebuild()

    # ---- statistics --------------------------------------------------------------------------

    def reindex(self) -> None:
        data = self.session.data
        self._names = {e.id: e.name for e in data.evaluators} if data else {}
        self._conflicted = conflicts(data) if data else frozenset()
        self._stats = None  # summarised on first use: 10,000 cells are a third of an open
        self._ordering_weights = dict(self._weights)

    def _cell_stats(self) -> dict[tuple[int, str], CellStats]:
        """Every scored cell's statistics, summarised from the snapshot when first needed."""
        if self._stats is None:
            data = self.session.data
            order = {e: i for i, e in enumerate(self._names)}
            # sorted once by member, the cells' lists come out in member order
            scores = sorted(data.scores, key=lambda s: order.get(s.evaluator_id, 0)) if data else []
            grouped: dict[tuple[int, str], list[Score]] = {}
            for score in scores:  # shown with abstentions; counted without
                grouped.setdefault((score.candidate_id, score.criterion_key), []).append(score)
            self._stats = {
                cell: self._summarise(cell_scores) for cell, cell_scores in grouped.items()
            }
        return self._stats

    def _summarise(self, scores: list[Score]) -> CellStats:
        """A cell's statistics from its scores, already in member order."""
        data = self.session.data
        assert data is not None
        conflicted = self._conflicted
        values = [s.value for s in scores if counts(s, conflicted)]
        width, flagged = spread(values, data.scale)
        low, high = (min(values), max(values)) if values else (0.0, 0.0)
        average = aggregate(values, data.aggregation)
        return CellStats(tuple(scores), average, width, flagged, len(values), low, high)

    def score_note(self, score: Score) -> str:
        """How a member's score reads beside the others: "4", "abstain", or "4 (not counted:
        conflict of interest)"."""
        if score.abstained:
            return "abstain"
        if (score.evaluator_id, score.candidate_id) in self._conflicted:
            return f"{fmt(score.value)} (not counted: declared conflict of interest)"
        return fmt(score.value)

    def _score_changed(self, _evaluator_id: int, candidate_id: int, key: str) -> None:
        if self._stats is not None:  # else the owed summary reads the new score
            scores = [
                s
                for e in self._names
                if (s := self.session.score(e, candidate_id, key)) is not None
            ]
            cell = (candidate_id, key)
            if scores:
                self._stats[cell] = self._summarise(scores)
            else:
                self._stats.pop(cell, None)
        self._touch(candidate_id, key)

    def _consensus_changed(self, candidate_id: int, key: str) -> None:
        self._touch(candidate_id, key)

    def _touch(self, candidate_id: int, key: str) -> None:
        """A cell and the category rows above it (their counts) changed."""
        self.touch_cell(self.index_of(candidate_id, key))
        self.cellChanged.emit(candidate_id, key)

    def _refresh_all(self) -> None:
        self.reindex()
        self.category_cache.clear()
        self.touch_all()
        self.flagsChanged.emit()

    def results_changed(self) -> None:
        super().results_changed()
        if self._weights != self._ordering_weights:  # effective weights order the agenda;
            self._ordering_weights = dict(self._weights)  # a score edit rarely changes them
            self.flagsChanged.emit()

    # ---- what a cell holds -------------------------------------------------------------------

    def stats(self, candidate_id: int, key: str) -> CellStats | None:
        return self._cell_stats().get((candidate_id, key))

    def cell(self, index: Index) -> tuple[int, str] | None:
        """(candidate id, criterion key) of a leaf cell; None for category rows."""
        if not index.isValid() or self._rows[index.row()].is_category:
            return None
        return self._candidates[index.column()].id, self._rows[index.row()].key

    def flagged_cells(self) -> list[tuple[int, str, float]]:
        """(candidate id, key, spread) of every flagged cell shown in the grid, in grid order."""
        rows, columns = self._row_of, self._column_of
        found = [
            (rows[key], columns[c], c, key, stats.spread)
            for (c, key), stats in self._cell_stats().items()
            if stats.flagged and key in rows and c in columns
        ]
        found.sort()
        return [(c, key, spread) for _row, _column, c, key, spread in found]

    def position(self, candidate_id: int, key: str) -> tuple[int, int] | None:
        """(row, column) of a cell in the grid without making an index; None when not shown."""
        row, column = self._row_of.get(key), self._column_of.get(candidate_id)
        return None if row is None or column is None else (row, column)

    def evaluator_name(self, evaluator_id: int) -> str:
        return self._names.get(evaluator_id, "?")

    def state(self, candidate_id: int, key: str) -> str:
        if self.session.consensus(candidate_id, key) is not None:
            return AGREED
        stats = self._cell_stats().get((candidate_id, key))
        return FLAGGED if stats is not None and stats.flagged else PLAIN

    def summary(self, row: GridRow, candidate_id: int) -> str:
        """What the evaluators (or the engine) say, without the consensus."""
        stats = self._cell_stats().get((candidate_id, row.key))
        if row.members_score:
            if stats is None:
                return ""
            if stats.aggregate is None:  # abstentions (or excluded scores) only
                return "abstain" if any(s.abstained for s in stats.scores) else ""
            value = fmt(round(stats.aggregate, 1))
            # the range once scores differ: "2.3 (1–4)"; "4 (4–4)" would add nothing
            return f"{value} {stats.range_text}" if stats.spread > 0 else value
        return computed_text(row, self._results.get(candidate_id), self.scale)

    def computed_value(self, candidate_id: int, key: str) -> float | None:
        """The engine's value of a non-rated leaf (rule or price), for a default decision."""
        result = self._results.get(candidate_id)
        leaf = result.leaf_values.get(key) if result else None
        return leaf.value if leaf is not None else None

    def answer_text(self, candidate_id: int, key: str) -> str:
        response = self.session.response(candidate_id, key)
        if response is None or (response.value is None and not response.raw):
            return "no answer yet"
        value = response.value
        if not isinstance(value, float):
            return response.raw or str(value)
        if kind_info(self.session.criterion(key).kind).scoring is Scoring.PRICE:
            return money(value)  # as the user writes amounts, whatever the vendor typed
        return response.raw or fmt(value)  # the vendor's own words ("12.5%") when there are

    def consensus_text(self, consensus: ConsensusScore, kind: CriterionKind) -> str:
        """The agreed value; for a gate its state as symbol and word ("✗ failed")."""
        if is_pass_fail(kind):
            return gate_look(decision_state(consensus.value)).text
        return fmt(consensus.value)

    # ---- editing (the chair) -----------------------------------------------------------------

    def set_consensus(self, candidate_id: int, key: str, value: float | str, note: str) -> bool:
        """One undoable SetConsensus; False (and a message on errorRaised) when refused."""
        if not note.strip():
            self.session.errorRaised.emit("Write a note: a consensus is not set without one.")
            return False
        return self.session.execute(
            SetConsensus(self.session, candidate_id, key, value, note.strip())
        )

    def clear_consensus(self, candidate_id: int, key: str) -> bool:
        if self.session.consensus(candidate_id, key) is None:
            return False
        return self.session.execute(ClearConsensus(self.session, candidate_id, key))

    # ---- Qt model API ------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or self._rows[index.row()].is_category:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def cell_data(self, index: Index, row: GridRow, role: int) -> object:
        candidate_id = self._candidates[index.column()].id
        if role == DISPLAY:
            return self._display(row, candidate_id)
        if role == ALIGNMENT:
            return CENTER
        state = self.state(candidate_id, row.key)
        if role == STATE_ROLE:
            return state
        if row.pass_fail and role in (BACKGROUND, FOREGROUND, DECORATION):
            return self._gate_data(row, candidate_id, state, role)
        if role == BACKGROUND:
            return {FLAGGED: self.brushes.warning, AGREED: self.brushes.agreed}.get(state)
        if role == FONT:
            return self._bold if state != PLAIN else (None if row.members_score else self._italic)
        if role == FOREGROUND and state == PLAIN and not row.members_score:
            return self.brushes.muted
        if role == DECORATION:
            return {FLAGGED: self.flag_icon, AGREED: self.agreed_icon}.get(state)
        if role == TOOLTIP:
            return self.tooltip(row, candidate_id)
        return None

    def gate_html(self, state: GateState) -> str:
        """A gate state as rich text: bold symbol and word in the state's colour."""
        colour = self.brushes.gate[state].color().name()
        return f"<b style='color:{colour}'>{html.escape(gate_look(state).text)}</b>"

    def _gate_data(self, row: GridRow, candidate_id: int, state: str, role: int) -> object:
        """A gate cell reads its state (symbol, word, colour), never the green "agreed" tick:
        a decided gate is tinted in its own state's colour instead."""
        if role == FOREGROUND:
            return self.gate_brush(row, candidate_id)
        gate = self.gate_state(candidate_id, row.key)
        if role == BACKGROUND and state == AGREED and gate is not None:
            return self.brushes.gate_tint[gate]
        return None

    def _display(self, row: GridRow, candidate_id: int) -> str:
        summary = self.summary(row, candidate_id)
        consensus = self.session.consensus(candidate_id, row.key)
        if consensus is None:
            return summary
        agreed = self.consensus_text(consensus, row.kind)
        # the engine's value of other kinds already is the consensus: only rated cells have
        # an independent aggregate worth showing beside it
        return f"{agreed}  [{summary}]" if summary and row.members_score else agreed

    def category_text(self, row: GridRow) -> str:
        """'3 open disagreements · 15% of the total' (cached until a cell below changes)."""
        flagged = sum(
            1
            for leaf in self.leaves_under(row.key)
            for c in self._candidates
            if self.state(c.id, leaf.key) == FLAGGED
        )
        gates = self.gate_counts(row)
        if gates and not any(leaf.weighted for leaf in self.leaves_under(row.key)):
            return gates  # pass/fail requirements only: how they stand, not disagreements
        parts = [f"{flagged} open disagreement{'s' if flagged != 1 else ''}"]
        weight = self.effective_weight(row.key)
        if weight is not None:
            parts.append(f"{percent(weight, 0)} of the total")
        if gates:
            parts.append(gates)
        return "  ·  ".join(parts)

    def tooltip(self, row: GridRow, candidate_id: int) -> str:
        """Rich text: each evaluator's score and justification, and the consensus note."""
        stats = self._cell_stats().get((candidate_id, row.key))
        parts = [f"<b>{html.escape(row.criterion.name)}</b>"]
        if stats is not None:
            if stats.aggregate is not None:
                method = self.session.data.aggregation.value if self.session.data else "mean"
                flag = " — <b>disagreement flagged</b>" if stats.flagged else ""
                parts.append(
                    f"{method} {fmt(round(stats.aggregate, 2))}, spread {fmt(stats.spread)}{flag}"
                )
            for score in stats.scores:
                name = html.escape(self.evaluator_name(score.evaluator_id))
                why = html.escape(score.justification)
                parts.append(f"<b>{name}: {html.escape(self.score_note(score))}</b> — {why}")
        elif row.members_score:
            parts.append("No evaluator has scored this cell yet.")
        else:
            answer = html.escape(self.answer_text(candidate_id, row.key))
            parts.append(f"Questionnaire answer: {answer}")
        gate = self.gate_state(candidate_id, row.key) if row.pass_fail else None
        if gate is not None:
            parts.append(f"Gate {self.gate_html(gate)}")
        consensus = self.session.consensus(candidate_id, row.key)
        if consensus is not None:
            agreed = self.consensus_text(consensus, row.kind)
            parts.append(f"<b>Consensus {agreed}</b> — {html.escape(consensus.note)}")
        return "<qt>" + "<br>".join(parts) + "</qt>"
