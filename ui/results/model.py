"""The live ranking as a table: rank, candidate, kind, total, completeness and status.

It follows `session.resultsChanged`. When only the numbers moved the model emits one
`dataChanged`; when the order changed it emits a layout change (selections follow their
candidate); only a different set of candidates resets it. Chances of winning are the
Sensitivity view's (one figure, one method), not a column here.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from evaluator.domain import Candidate, CandidateResult, GateState, Status
from evaluator.gates import candidate_status, gate_look, quoted
from evaluator.kinds import CANDIDATE_KINDS, candidate_kind_label
from ui.grid.delegates import GridBrushes
from ui.grid.model import BACKGROUND, CANDIDATE_ROLE, DISPLAY, FONT, FOREGROUND, TOOLTIP
from ui.numbers import fixed, percent
from ui.session import EvaluationSession
from ui.tables.read_only import ReadOnlyTable

RANK, CANDIDATE, KIND, TOTAL, COMPLETENESS, STATUS = range(6)
HEADERS = ("Rank", "Candidate", "Kind", "Total", "Completeness", "Status")
HEADER_TIPS = (
    "Rank by total; equal totals share a rank. Disqualified candidates are not ranked.",
    "The vendor or outsourcer",
    " or ".join(row.label for row in CANDIDATE_KINDS.values()),
    "Weighted total, 0-100",
    "Share of the effective weight that has a value; missing values count 0",
    "Disqualified by a failed gate, or provisional while a gate is undecided",
)


class ResultsModel(ReadOnlyTable):
    """One row per candidate, in ranking order (disqualified ones last)."""

    headers, header_tips = HEADERS, HEADER_TIPS
    right, centred = frozenset({TOTAL, COMPLETENESS}), frozenset({RANK})

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.rows: list[CandidateResult] = []
        self._candidates: dict[int, Candidate] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self.brushes = GridBrushes(QGuiApplication.palette())
        session.resultsChanged.connect(self.refresh)
        session.evaluationChanged.connect(self.refresh)
        session.candidatesChanged.connect(self.refresh)  # renamed or removed before re-scoring
        self.refresh()

    def refresh(self) -> None:
        results, data = self.session.results, self.session.data
        rows = list(results.candidates) if results is not None else []
        self._candidates = {c.id: c for c in data.candidates} if data else {}
        rows = [r for r in rows if r.candidate_id in self._candidates]  # results may lag
        old = [r.candidate_id for r in self.rows]
        new = [r.candidate_id for r in rows]
        if old == new:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, STATUS))
        elif sorted(old) == sorted(new):
            self._reorder(rows)
        else:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()

    def _reorder(self, rows: list[CandidateResult]) -> None:
        self.layoutAboutToBeChanged.emit()
        position = {r.candidate_id: i for i, r in enumerate(rows)}
        before = self.persistentIndexList()
        after = [
            self.index(position[self.rows[i.row()].candidate_id], i.column())
            if i.isValid()
            else QModelIndex()
            for i in before
        ]
        self.rows = rows
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def set_palette(self, palette: QPalette) -> None:
        self.brushes = GridBrushes(palette)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, STATUS))

    def result(self, row: int) -> CandidateResult:
        return self.rows[row]

    def results(self) -> list[CandidateResult]:
        return self.rows

    # ---- Qt model API ------------------------------------------------------------------------

    def cell(self, result: CandidateResult, column: int, role: int) -> object:
        if role == DISPLAY:
            return self._text(result, column)
        if role == CANDIDATE_ROLE:
            return result.candidate_id
        if role == FONT and (column in (RANK, TOTAL) or (column == STATUS and result.disqualified)):
            return self._bold
        if role == FOREGROUND and column == STATUS:
            state = self.status_state(result)
            return None if state is None else self.brushes.gate[state]
        if role == FOREGROUND and result.disqualified:
            return self.brushes.muted
        if role == BACKGROUND and column == STATUS:
            state = self.status_state(result)
            return None if state is None else self.brushes.gate_tint[state]
        if role == TOOLTIP:
            return self._tooltip(result, column)
        return None

    def _text(self, result: CandidateResult, column: int) -> str:
        if column == RANK:
            return "—" if result.rank is None else str(result.rank)
        if column == CANDIDATE:
            return self.name(result.candidate_id)
        if column == KIND:
            return candidate_kind_label(self._candidate(result.candidate_id).kind)
        if column == TOTAL:
            return fixed(result.total)
        if column == COMPLETENESS:
            return percent(result.completeness, 0)
        return self.status(result)

    def status(self, result: CandidateResult) -> str:
        """'✗ Disqualified: failed the gate “Signs a HIPAA BAA”', '? Provisional: ...', 'Ranked'."""
        pending = self._gates(result.pending_gates)
        state, sentence = candidate_status(self._gates(result.failed_gates), pending)
        if state is GateState.PENDING and self.final:  # nothing is provisional any more
            sentence = f"Finalised with {'gates' if len(pending) > 1 else 'the gate'} "
            sentence += f"{quoted(pending)} undecided (the reason is in the audit trail)"
        return sentence if state is None else f"{gate_look(state).symbol} {sentence}"

    @property
    def final(self) -> bool:
        data = self.session.data
        return data is not None and data.status is Status.FINAL

    def status_state(self, result: CandidateResult) -> GateState | None:
        """The gate state that colours the status: failed (disqualified), pending (provisional)."""
        return candidate_status(result.failed_gates, result.pending_gates)[0]

    def _gates(self, keys: tuple[str, ...]) -> list[str]:
        names = []
        for key in keys:
            try:
                names.append(self.session.criterion(key).name)
            except KeyError:
                names.append(key)
        return names

    def _tooltip(self, result: CandidateResult, column: int) -> str | None:
        if column == STATUS:
            if result.disqualified:
                return "Shown but never ranked: a pass/fail requirement was failed."
            if result.provisional:
                return "Ranked provisionally: a pass/fail requirement has no decision yet."
            return "Every pass/fail requirement is met."
        if column == COMPLETENESS:
            return HEADER_TIPS[column]
        if column == CANDIDATE:
            notes = self._candidate(result.candidate_id).notes
            return notes or self.name(result.candidate_id)
        return None

    def _candidate(self, candidate_id: int) -> Candidate:
        return self._candidates.get(candidate_id) or Candidate(candidate_id, "?")

    def name(self, candidate_id: int) -> str:
        return self._candidate(candidate_id).name
