"""The shape shared by the Scoring and Consensus grids: criteria rows x candidate columns.

Rows are the criteria tree flattened depth first, category rows included (the views span them
across all columns as group headers); columns are the candidates in evaluation order. Everything
a paint needs is looked up in dicts built once per snapshot, so `data()` never touches the
database and costs O(1) whatever the size of the evaluation.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from evaluator.domain import (
    Candidate,
    CandidateResult,
    Criterion,
    CriterionKind,
    GateState,
    Results,
    Scale,
)
from evaluator.gates import gate_look
from evaluator.kinds import CriterionKindInfo, candidate_kind_label, kind_info
from ui.grid.delegates import GridBrushes
from ui.numbers import fmt, percent
from ui.session import EvaluationSession

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FONT = int(Qt.ItemDataRole.FontRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the criterion key of a row
CANDIDATE_ROLE = KEY_ROLE + 1  # the candidate id of a column
CATEGORY_ROLE = KEY_ROLE + 2  # True on category (group header) rows
STATE_ROLE = KEY_ROLE + 3  # model-specific cell state ("pending", "flagged", ...)

CENTER = int(Qt.AlignmentFlag.AlignCenter)
Index = QModelIndex | QPersistentModelIndex
NAMING_ROLES = frozenset({KEY_ROLE, CANDIDATE_ROLE, CATEGORY_ROLE})  # every grid answers these


@dataclass(frozen=True, slots=True)
class GridRow:
    """A row and what the table of kinds says about it, looked up once (paints ask often)."""

    criterion: Criterion
    depth: int
    ancestors: tuple[str, ...]  # keys of the enclosing categories, outermost first
    is_category: bool
    members_score: bool  # committee members score its cells; the others are computed
    pass_fail: bool  # its cells, and a consensus on one, read pass/fail
    weighted: bool  # it counts in the total with a weight

    @classmethod
    def of(cls, node: Criterion, depth: int, ancestors: tuple[str, ...]) -> GridRow:
        info = kind_info(node.kind)
        return cls(
            node, depth, ancestors,
            not info.is_leaf, info.members_score, info.is_pass_fail, info.weighted,
        )  # fmt: skip

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def kind(self) -> CriterionKind:
        return self.criterion.kind

    @property
    def info(self) -> CriterionKindInfo:
        return kind_info(self.criterion.kind)


def flatten(roots: list[Criterion]) -> list[GridRow]:
    rows: list[GridRow] = []

    def visit(node: Criterion, depth: int, ancestors: tuple[str, ...]) -> None:
        rows.append(GridRow.of(node, depth, ancestors))
        for child in node.children:
            visit(child, depth + 1, (*ancestors, node.key))

    for root in roots:
        visit(root, 0, ())
    return rows


@functools.lru_cache(maxsize=4096)
def wrapped_name(name: str, width: int = 18) -> str:
    """Candidate names on at most two lines, so columns can stay narrow (kept: a header asks
    again at every paint and sizing, 2,000 times as a 50-candidate evaluation opens)."""
    lines = textwrap.wrap(name, width) or [""]
    return "\n".join([*lines[:1], " ".join(lines[1:])] if len(lines) > 1 else lines)


def gate_state(result: CandidateResult | None, key: str) -> GateState | None:
    """A gate's state for a candidate; None while no results are known."""
    if result is None:
        return None
    if key in result.failed_gates:
        return GateState.FAILED
    if key in result.pending_gates:
        return GateState.PENDING
    return GateState.PASSED


def computed_text(row: GridRow, result: CandidateResult | None, scale: Scale) -> str:
    """The value the engine computed for a non-rated leaf, as a cell shows it ("✗ failed")."""
    if row.pass_fail:
        state = gate_state(result, row.key)
        return "" if state is None else gate_look(state).text
    leaf = result.leaf_values.get(row.key) if result else None
    if leaf is None or leaf.value is None:
        return "–"
    return fmt(round(leaf.value, 1))


class CriteriaGridModel(QAbstractTableModel):
    """Base class: rows, columns, headers and the per-snapshot lookups; subclasses add cells."""

    used_roles: frozenset[int] = NAMING_ROLES  # a subclass adds the roles its cells answer

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rows: list[GridRow] = []
        self._row_of: dict[str, int] = {}
        self._candidates: list[Candidate] = []
        self._column_of: dict[int, int] = {}
        self._results: dict[int, CandidateResult] = {}
        self._leaves_under: dict[str, list[GridRow]] = {}  # category key -> leaf rows below
        self.category_cache: dict[str, str] = {}  # category key -> its header text
        self._weights: dict[str, float] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self.brushes = GridBrushes(QGuiApplication.palette())
        session.evaluationChanged.connect(self._evaluation_changed)
        session.criteriaChanged.connect(self.rebuild)
        session.candidatesChanged.connect(self.rebuild)
        session.resultsChanged.connect(self._results_changed)

    # ---- shape -------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Re-read rows and columns from the snapshot (structure changed: a model reset)."""
        self.beginResetModel()
        data = self.session.data
        self._rows = flatten(data.criteria) if data else []
        self._row_of = {row.key: i for i, row in enumerate(self._rows)}
        self._leaves_under: dict[str, list[GridRow]] = {}
        for row in self._rows:
            for ancestor in row.ancestors:
                if not row.is_category:
                    self._leaves_under.setdefault(ancestor, []).append(row)
        self._candidates = self.shown_candidates()
        self._column_of = {c.id: i for i, c in enumerate(self._candidates)}
        self._read_results()
        self.category_cache.clear()
        self.reindex()
        self.endResetModel()

    def reindex(self) -> None:
        """Subclasses rebuild their cell lookups here (inside the reset)."""

    def shown_candidates(self) -> list[Candidate]:
        """The columns: every candidate of the snapshot (a member's sheet leaves some out)."""
        data = self.session.data
        return list(data.candidates) if data else []

    def leaves_under(self, key: str) -> list[GridRow]:
        return self._leaves_under.get(key, [])

    def forget(self) -> None:
        """Another evaluation (or none) is open: subclasses drop per-evaluation state."""

    def _evaluation_changed(self) -> None:
        self.forget()
        self.rebuild()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._candidates)

    @property
    def scale(self) -> Scale:
        data = self.session.data
        return data.scale if data else Scale()

    def row(self, row: int) -> GridRow:
        return self._rows[row]

    def rows(self) -> list[GridRow]:
        return self._rows

    def candidate_at(self, column: int) -> Candidate:
        return self._candidates[column]

    def category_rows(self) -> list[int]:
        return [i for i, row in enumerate(self._rows) if row.is_category]

    def index_of(self, candidate_id: int, key: str) -> QModelIndex:
        row, column = self._row_of.get(key), self._column_of.get(candidate_id)
        if row is None or column is None:
            return QModelIndex()
        return self.index(row, column)

    def effective_weight(self, key: str) -> float | None:
        """A leaf's share of the total (a category's: the sum of its leaves'), 0..1; None
        while no results are known (say the weights are invalid)."""
        return self._weights.get(key) if self._weights else None

    def gate_state(self, candidate_id: int, key: str) -> GateState | None:
        """The gate's state for the candidate as last scored (None: not known yet)."""
        return gate_state(self._results.get(candidate_id), key)

    def gate_brush(self, row: GridRow, candidate_id: int) -> QBrush | None:
        """The text colour of a gate cell: its state's colour (None on other rows)."""
        state = self.gate_state(candidate_id, row.key) if row.pass_fail else None
        return None if state is None else self.brushes.gate[state]

    def set_palette(self, palette: QPalette) -> None:
        self.brushes = GridBrushes(palette)
        self.touch_all()

    def touch_all(self) -> None:
        if self._rows and self._candidates:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._candidates) - 1)
            )

    # ---- results -----------------------------------------------------------------------------

    def _read_results(self) -> None:
        results: Results | None = self.session.results
        self._results = {r.candidate_id: r for r in results.candidates} if results else {}
        self._weights = dict(results.effective_weights) if results else {}
        if not self._weights:  # not computed yet: no share shown (a category read "0%")
            return
        for row in self._rows:  # categories weigh what their leaves weigh together
            share = self._weights.get(row.key, 0.0) if not row.is_category else 0.0
            for ancestor in row.ancestors:
                self._weights[ancestor] = self._weights.get(ancestor, 0.0) + share

    def _results_changed(self) -> None:
        self._read_results()
        self.category_cache.clear()
        self.results_changed()
        rows = len(self._rows)
        if rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, rows - 1)

    def results_changed(self) -> None:
        """Refresh the rows whose cells show computed values (never the rated ones, which may
        have an editor open); subclasses extend this."""
        self.touch_rows(
            [i for i, r in enumerate(self._rows)
             if not r.is_category and not r.members_score]
        )  # fmt: skip

    def touch_cell(self, index: QModelIndex) -> None:
        """A cell and the category rows above it (their cached counts) changed."""
        if not index.isValid():
            return
        self.dataChanged.emit(index, index)
        for key in self._rows[index.row()].ancestors:
            self.category_cache.pop(key, None)
            header = self.index(self._row_of[key], 0)
            self.dataChanged.emit(header, header)

    def touch_rows(self, wanted: list[int]) -> None:
        """dataChanged for whole rows, one signal per run of consecutive rows."""
        if not self._candidates:
            return
        last = len(self._candidates) - 1
        start = previous = None
        for row in [*wanted, None]:
            if row is not None and previous is not None and row == previous + 1:
                previous = row
                continue
            if start is not None and previous is not None:
                self.dataChanged.emit(self.index(start, 0), self.index(previous, last))
            start = previous = row

    # ---- category (group header) rows ------------------------------------------------------

    def category_data(self, row: GridRow, column: int, role: int) -> object:
        """A spanned group header: tinted, bold, with a summary cached per category."""
        if role == BACKGROUND:
            return self.brushes.category
        if role == CATEGORY_ROLE:
            return True
        if role == KEY_ROLE:
            return row.key
        if column != 0:
            return None
        if role == DISPLAY:
            text = self.category_cache.get(row.key)
            if text is None:
                text = self.category_cache[row.key] = self.category_text(row)
            return text
        if role == FONT:
            return self._bold
        if role == FOREGROUND:
            return self.brushes.muted
        return None

    def category_text(self, row: GridRow) -> str:
        """Subclasses summarise the cells under a category (progress, disagreements)."""
        return ""

    def gate_counts(self, row: GridRow) -> str:
        """The gates under a category, counted by state: '✗ 1 failed  ·  ? 1 pending  ·
        ✓ 6 passed' ("" when it holds no gate or no results are known)."""
        gates = [leaf for leaf in self.leaves_under(row.key) if leaf.pass_fail]
        counts = dict.fromkeys((GateState.FAILED, GateState.PENDING, GateState.PASSED), 0)
        for leaf in gates:
            for candidate in self._candidates:
                state = self.gate_state(candidate.id, leaf.key)
                if state is not None:
                    counts[state] += 1
        return "  ·  ".join(
            f"{gate_look(state).symbol} {count} {gate_look(state).word}"
            for state, count in counts.items()
            if count
        )

    # ---- headers -----------------------------------------------------------------------------

    def data(self, index: Index, role: int = DISPLAY) -> object:
        """The hot path of every paint: roles not used answered first, then category rows and
        the roles that name a cell; `cell_data` answers the rest for a leaf cell."""
        role = int(role)
        if role not in self.used_roles or not index.isValid():
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
        return self.cell_data(index, row, role)

    def cell_data(
        self, index: QModelIndex | QPersistentModelIndex, row: GridRow, role: int
    ) -> object:
        """What a leaf cell shows for `role` (one of `used_roles`, not a naming role)."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        role = int(role)
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._candidates):
                return None
            candidate = self._candidates[section]
            if role == DISPLAY:
                return wrapped_name(candidate.name)
            if role == TOOLTIP:
                notes = f"\n{candidate.notes}" if candidate.notes else ""
                return f"{candidate.name} · {candidate_kind_label(candidate.kind)}{notes}"
            return None
        if not 0 <= section < len(self._rows):
            return None
        row = self._rows[section]
        if role == DISPLAY:
            return "    " * row.depth + row.criterion.name
        if role == FONT and row.is_category:
            return self._bold
        if role == TOOLTIP:
            return self.criterion_tooltip(row)
        return None

    def criterion_tooltip(self, row: GridRow) -> str:
        node = row.criterion
        weight = self.effective_weight(node.key)
        parts = [node.name]
        if not row.is_category:
            how = row.info.how_scored
            parts.append(how[:1].upper() + how[1:])
        if weight is not None and row.weighted:
            parts.append(f"{percent(weight)} of the total")
        if node.description:
            parts.append(node.description)
        return "\n".join(parts)
