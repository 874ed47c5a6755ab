"""The consensus meeting's agenda: flagged cells, most consequential first, kept up to date.

At committee scale (50 candidates x 200 criteria x 10 evaluators) about 8,500 cells are
flagged. Rebuilding and resetting the list after every score edit cost a quarter to half a
second (the scan, the sort, and a list view that re-measures every row after a reset), so a
changed cell is moved, inserted or removed in place: a binary search over the stored sort keys,
one row signal, and the view keeps its selection and scroll position. Only wholesale changes
(effective weights, a reload, the committee, the criteria tree) rebuild the list, and while the
agenda is not on screen (`set_live(False)`) those wait until it is shown again: a change of the
grid's rows or columns then empties the list at once (its lines could name cells that are gone,
and their order would use weights that are about to change) and marks it `stale`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QTimer

from ui.grid.model import CANDIDATE_ROLE, DECORATION, DISPLAY, FOREGROUND, KEY_ROLE, TOOLTIP
from ui.numbers import fmt, percent

if TYPE_CHECKING:
    from ui.consensus.model import ConsensusModel

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, str]  # candidate id, criterion key
SortKey = tuple[bool, float, float, int, int]  # settled, -priority, -spread, grid row, column


@dataclass(frozen=True, slots=True)
class AgendaItem:
    candidate_id: int
    key: str
    spread: float
    weight: float  # effective weight, 0..1 (0 while unknown)
    settled: bool

    @property
    def priority(self) -> float:
        return self.weight * self.spread


class AgendaModel(QAbstractListModel):
    """Flagged cells, most consequential first (effective weight x spread); settled ones last;
    equal priorities in grid order (criterion row, then candidate column)."""

    def __init__(self, grid: ConsensusModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.items: list[AgendaItem] = []
        self._keys: list[SortKey] = []  # the sort key of each item, in the same order
        self._cells: dict[Cell, tuple[AgendaItem, SortKey]] = {}
        self._live = True  # False while no one looks: wholesale rebuilds wait
        self._stale = False  # a rebuild is owed
        self._timer = QTimer(self, singleShot=True, interval=0)  # a burst of changes: one rebuild
        self._timer.timeout.connect(self._rebuild_due)
        grid.flagsChanged.connect(self.request_rebuild)
        grid.cellChanged.connect(self.update_cell)
        grid.modelReset.connect(self._grid_reset)  # rows and columns moved: positions are stale
        self.rebuild()

    # ---- keeping up --------------------------------------------------------------------------

    @property
    def stale(self) -> bool:
        """True while a wholesale rebuild waits for the agenda to be shown."""
        return self._stale

    def set_live(self, live: bool) -> None:
        """Shown (True) or hidden (False); a rebuild owed while hidden happens on showing."""
        self._live = live
        if live and self._stale:
            self.rebuild()

    def request_rebuild(self) -> None:
        """Everything may have changed: rebuild soon, or when shown again."""
        self._stale = True
        if self._live:
            self._timer.start()

    def _grid_reset(self) -> None:
        """The grid's rows or columns changed (a criterion edited, added, moved; a candidate):
        rebuilt now when shown; while hidden the lines are dropped until the agenda is shown,
        rather than ordered by effective weights that the pending results are about to change."""
        if self._live:
            self.rebuild()
            return
        self._timer.stop()
        self._stale = True
        if self.items:
            self.beginResetModel()
            self.items, self._keys, self._cells = [], [], {}
            self.endResetModel()

    def _rebuild_due(self) -> None:
        if self._live:
            self.rebuild()

    def rebuild(self) -> None:
        """Recompute every item (a model reset, unless nothing changed)."""
        self._timer.stop()
        self._stale = False
        entries = sorted(
            (self._sort_key(item), item)
            for item in (self._item(*cell) for cell in self.grid.flagged_cells())
        )
        items = [item for _key, item in entries]
        same = items == self.items
        if not same:
            self.beginResetModel()
        self.items = items
        self._keys = [sort_key for sort_key, _item in entries]
        self._cells = {(i.candidate_id, i.key): (i, k) for k, i in entries}
        if not same:
            self.endResetModel()

    def update_cell(self, candidate_id: int, key: str) -> None:
        """One cell's scores or consensus changed: move, insert or remove its line only."""
        if self._stale:
            return  # the owed rebuild will read it
        cell = (candidate_id, key)
        stats = self.grid.stats(candidate_id, key)
        shown = self.grid.position(candidate_id, key) is not None
        new = (
            self._item(candidate_id, key, stats.spread)
            if shown and stats is not None and stats.flagged
            else None
        )
        old_entry = self._cells.get(cell)
        if old_entry is None:
            if new is not None:
                self._insert(new)
            return
        old, old_key = old_entry
        if new == old:
            return
        row = bisect_left(self._keys, old_key)
        if new is None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.items[row], self._keys[row], self._cells[cell]
            self.endRemoveRows()
            return
        self._move(row, old_key, new)

    def _insert(self, item: AgendaItem) -> None:
        sort_key = self._sort_key(item)
        row = bisect_left(self._keys, sort_key)
        self.beginInsertRows(QModelIndex(), row, row)
        self.items.insert(row, item)
        self._keys.insert(row, sort_key)
        self._cells[item.candidate_id, item.key] = (item, sort_key)
        self.endInsertRows()

    def _move(self, row: int, old_key: SortKey, item: AgendaItem) -> None:
        """Replace the item at `row` by `item`, moving the line when its place changed."""
        sort_key = self._sort_key(item)
        target = bisect_left(self._keys, sort_key)  # in the list that still holds the old one
        if old_key < sort_key:
            target -= 1  # the old item, which sorts before, leaves the list
        moved = target != row
        if moved:
            destination = target if target < row else target + 1  # Qt counts before the move
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
            del self.items[row], self._keys[row]
            self.items.insert(target, item)
            self._keys.insert(target, sort_key)
        else:
            self.items[row], self._keys[row] = item, sort_key
        self._cells[item.candidate_id, item.key] = (item, sort_key)
        if moved:
            self.endMoveRows()
        index = self.index(target)
        self.dataChanged.emit(index, index)

    def _item(self, candidate_id: int, key: str, spread: float) -> AgendaItem:
        settled = self.grid.session.consensus(candidate_id, key) is not None
        weight = self.grid.effective_weight(key) or 0.0
        return AgendaItem(candidate_id, key, spread, weight, settled)

    def _sort_key(self, item: AgendaItem) -> SortKey:
        position = self.grid.position(item.candidate_id, item.key)
        assert position is not None  # only cells shown in the grid become items
        row, column = position
        return (item.settled, -item.priority, -item.spread, row, column)

    # ---- lookups -----------------------------------------------------------------------------

    def row_of(self, candidate_id: int, key: str) -> int | None:
        entry = self._cells.get((candidate_id, key))
        return None if entry is None else bisect_left(self._keys, entry[1])

    def open_count(self) -> int:
        """Items not settled yet (they sort before the settled ones)."""
        return bisect_left(self._keys, (True,))  # type: ignore[arg-type]

    # ---- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item, role = self.items[index.row()], int(role)
        grid = self.grid
        if role == DISPLAY:
            name = grid.session.criterion(item.key).name
            who = grid.session.candidate(item.candidate_id).name
            state = "settled" if item.settled else f"spread {fmt(item.spread)}"
            return f"{name}\n{who} · {state} · weight {percent(item.weight)}"
        if role == TOOLTIP:
            row = grid.row(grid.index_of(item.candidate_id, item.key).row())
            return grid.tooltip(row, item.candidate_id)
        if role == DECORATION:
            return grid.agreed_icon if item.settled else grid.flag_icon
        if role == FOREGROUND and item.settled:
            return grid.brushes.muted
        if role == KEY_ROLE:
            return item.key
        if role == CANDIDATE_ROLE:
            return item.candidate_id
        return None
