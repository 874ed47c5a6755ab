"""Changing a filter proxy's row filter the way the running Qt wants it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSortFilterProxyModel


def change_rows_filter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Run `change` (which sets what the filter reads) between begin/endFilterChange on Qt
    6.10+, else follow it with invalidateRowsFilter (deprecated from 6.10)."""
    begin = getattr(proxy, "beginFilterChange", None)
    if begin is None:
        change()
        proxy.invalidateRowsFilter()
        return
    begin()
    change()
    proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
