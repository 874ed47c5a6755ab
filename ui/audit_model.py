"""The audit viewer's table model and filter: trail rows (evaluator.audit_trail) as a table,
and a proxy that keeps the rows matching who acted, candidate, criterion, action, a range of
local days, or one ref (a history). No database access: the viewer hands the rows in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from evaluator.audit_trail import TrailRow
from ui.tables.read_only import ReadOnlyTable

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the TrailRow of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("When", "Who", "From", "Action", "What", "Old → new", "Why")


def local_time(at: datetime) -> datetime:
    """A stored UTC time in this computer's time zone."""
    return at.replace(tzinfo=UTC).astimezone()


class AuditModel(ReadOnlyTable):
    """The trail rows as a table; the rows are replaced wholesale (`set_rows`)."""

    headers = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TrailRow] = []
        self._italic = QFont()
        self._italic.setItalic(True)

    def trail_row(self, row: int) -> TrailRow:
        return self.rows[row]

    def cell(self, row: TrailRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return row.id if column == 0 else self._text(row, column).casefold()
        if role == Qt.ItemDataRole.FontRole and row.imported:
            return self._italic
        return None

    @staticmethod
    def _text(row: TrailRow, column: int) -> str:
        if column == 0:
            return local_time(row.at).strftime("%Y-%m-%d %H:%M:%S")
        values = (row.actor, row.context, row.action, row.target, row.change, row.why)
        return " ".join(values[column - 1].split())  # one line in the table

    @staticmethod
    def _tooltip(row: TrailRow, column: int) -> str:
        if column == 0:
            origin = (
                "imported: taken from a file or from before the chain; the database did not "
                "set its time"
                if row.imported
                else "time set by the database"
            )
            return f"{row.at.isoformat(sep=' ')} UTC ({origin})\nentry {row.id}, hash {row.hash}"
        if column == 5:
            return f"old: {row.old or '(none)'}\nnew: {row.new or '(none)'}"
        values = (row.actor, row.context, row.action, row.target, row.change, row.why)
        return values[column - 1]


class AuditFilter(QSortFilterProxyModel):
    """Keeps the rows matching every filter set ("" / None: any)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actor = ""
        self.candidate = ""
        self.criterion = ""
        self.action = ""
        self.ref = ""
        self.first_day: date | None = None
        self.last_day: date | None = None
        self.setSortRole(SORT_ROLE)

    def set_filters(self, **values: Any) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.10+; invalidateFilter before
        if begin is not None:
            begin()
        for name, value in values.items():
            if not hasattr(self, name):
                raise AttributeError(name)
            setattr(self, name, value)
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AuditModel):
            return True
        row = model.trail_row(source_row)
        if self.ref and row.ref != self.ref:
            return False
        for wanted, value in (
            (self.actor, row.actor),
            (self.candidate, row.candidate),
            (self.criterion, row.criterion),
            (self.action, row.action),
        ):
            if wanted and value != wanted:
                return False
        if self.first_day or self.last_day:
            day = local_time(row.at).date()
            if self.first_day and day < self.first_day:
                return False
            if self.last_day and day > self.last_day:
                return False
        return True

    def visible_rows(self) -> list[TrailRow]:
        """The rows shown, in the order shown."""
        return [self.index(r, 0).data(ROW_ROLE) for r in range(self.rowCount())]
