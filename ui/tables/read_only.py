"""A table model of rows shown and never edited, under fixed headers with tooltips: the base of
the Results tab's ranking, the Sensitivity tab's tables, the import previews and the audit
trail. A subclass keeps its rows in `rows` (`set_rows` replaces them all) and answers each cell
in `cell`; alignment follows the columns it names right or centred."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ReadOnlyTable(QAbstractTableModel):
    """Rows in `rows`, columns in `headers` (with `header_tips`); see the module docstring."""

    headers: tuple[str, ...] = ()
    header_tips: tuple[str, ...] = ()
    right: frozenset[int] = frozenset()  # columns of numbers
    centred: frozenset[int] = frozenset()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row (a model reset)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if int(role) == DISPLAY:
            return self.headers[section]
        if int(role) == TOOLTIP and section < len(self.header_tips):
            return self.header_tips[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        role, column = int(role), index.column()
        if role == ALIGNMENT:
            return RIGHT if column in self.right else CENTER if column in self.centred else LEFT
        return self.cell(self.rows[index.row()], column, role)

    def cell(self, row: Any, column: int, role: int) -> object:
        """What `row` shows in `column` for `role` (any role but the alignment)."""
        raise NotImplementedError
