"""A table model over a plain list of rows, with columns that say what each cell shows and an
edit function that carries a typed value out: no session and no database inside, so it is
tested with plain lists and a lambda (as Vorta's models are).

`set_rows(new)` reports a single inserted or removed row as such and changed rows as
fine-grained `dataChanged`; only other changes reset the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QPalette

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1

Edit = Callable[[Any, str, str], bool]  # (row item, column keyword, typed text) -> accepted


@dataclass(frozen=True)
class Column:
    title: str
    tip: str
    value: Callable[[Any], str]  # what the cell shows
    edit: str | None = None  # the keyword the edit function receives; None: read-only
    placeholder: str = ""  # shown greyed when the value is empty
    edit_value: Callable[[Any], Any] | None = None  # what an editor starts from (default: value)


class RowsModel(QAbstractTableModel):
    """Rows are plain objects with an `id`; see the module docstring."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Any] = (),
        edit: Edit | None = None,
        editable: Callable[[], bool] = lambda: True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._items: list[Any] = list(rows)
        self._edit = edit
        self._editable = editable

    # ---- rows ---------------------------------------------------------------------------------

    def item(self, row: int) -> Any:
        return self._items[row]

    def row_of(self, item_id: int) -> int | None:
        return next((row for row, item in enumerate(self._items) if item.id == item_id), None)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace the rows: one insert, one removal, changed rows, or a reset."""
        old, new = self._items, list(rows)
        old_ids, new_ids = [i.id for i in old], [i.id for i in new]
        if len(new_ids) == len(old_ids) + 1 and [i for i in new_ids if i in old_ids] == old_ids:
            row = next(r for r, i in enumerate(new_ids) if i not in old_ids)
            self.beginInsertRows(ROOT, row, row)
            self._items = new
            self.endInsertRows()
        elif len(new_ids) + 1 == len(old_ids) and [i for i in old_ids if i in new_ids] == new_ids:
            row = next(r for r, i in enumerate(old_ids) if i not in new_ids)
            self.beginRemoveRows(ROOT, row, row)
            self._items = new
            self.endRemoveRows()
        elif old_ids != new_ids:
            self.reset_rows(new)
            return
        else:
            self._items = new
        before = {item.id: item for item in old}
        for row, item in enumerate(new):
            if item.id in before and before[item.id] != item:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def reset_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._items = list(rows)
        self.endResetModel()

    def refresh_all(self, *_: object) -> None:
        """Every cell may show something else (e.g. counts computed from elsewhere)."""
        if self._items:
            last = self.index(len(self._items) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def refresh_cell(self, row: int, column: int) -> None:
        self.dataChanged.emit(self.index(row, column), self.index(row, column))

    # ---- the model interface -----------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tip
        if orientation is Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._edit is not None and self._editable() and self.columns[index.column()].edit:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], self.columns[index.column()]
        shown = column.value(item)
        if role == Qt.ItemDataRole.DisplayRole:
            return shown or column.placeholder
        if role == Qt.ItemDataRole.EditRole:
            return column.edit_value(item) if column.edit_value else shown
        if role == Qt.ItemDataRole.ToolTipRole:
            return shown or column.tip
        if role == Qt.ItemDataRole.ForegroundRole and not shown and column.placeholder:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == ID_ROLE:
            return item.id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._edit is None:
            return False
        keyword = self.columns[index.column()].edit
        if keyword is None:
            return False
        # even when read-only: the edit function refuses with a message that says why
        return self._edit(self._items[index.row()], keyword, str(value))
