"""The preview tables of the import dialogs: rows of old -> new and problems, by status.

Plain item models over lists of `PreviewRow`s built from the core's previews, so they can be
checked with pytest-qt's model tester without any dialog. The scoresheet model adds a check
box on conflict rows for the chair's decision (partially checked until decided).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from evaluator.questionnaire.importer import ChangeKind, FilePreview
from evaluator.scoresheet.merge import Resolution, ScoreChangeKind, ScoresheetPreview
from ui.tables.read_only import ReadOnlyTable

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
COLOURS = {
    "error": "#FDE2E1",
    "refused": "#FDE2E1",
    "conflict": "#FFF1CC",
    "warning": "#FFF9DB",
    "note": "#EEF3F8",
}
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class PreviewRow:
    cells: tuple[str, ...]
    status: str  # new, changed, unchanged, conflict, error, warning, note, refused
    tooltip: str = ""
    cell_key: tuple[int, str] | None = None  # scoresheet conflicts: what the decision is for


class PreviewModel(ReadOnlyTable):
    """Rows of a preview: what changes (old -> new) and what is wrong, coloured by status."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self.rows: list[PreviewRow] = []

    def row(self, number: int) -> PreviewRow:
        return self.rows[number]

    def cell(self, row: PreviewRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column < len(row.cells):
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or (row.cells[column] if column < len(row.cells) else None)
        if role == Qt.ItemDataRole.BackgroundRole and row.status in COLOURS:
            return QBrush(QColor(COLOURS[row.status]))
        if role == STATUS_ROLE:
            return row.status
        return None


class ScorePreviewModel(PreviewModel):
    """The scoresheet preview; conflict rows carry a check box: checked takes the sheet."""

    DECISION_COLUMN = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            (
                "Candidate",
                "Criterion",
                "Cell",
                "At export",
                "Database now",
                "Sheet",
                "Take sheet",
                "Status",
            ),
            parent,
        )
        self._decisions: dict[tuple[int, str], Resolution] = {}

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self._decisions = {}
        super().set_rows(rows)

    def decisions(self) -> dict[tuple[int, str], Resolution]:
        return dict(self._decisions)

    def undecided(self) -> int:
        keys = [r.cell_key for r in self.rows if r.cell_key is not None]
        return sum(key not in self._decisions for key in keys)

    def decide_all(self, resolution: Resolution) -> None:
        for number, row in enumerate(self.rows):
            if row.cell_key is not None:
                self._decisions[row.cell_key] = resolution
                index = self.index(number, self.DECISION_COLUMN)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self._is_decision(index):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and self._is_decision(index):
            key = self.rows[index.row()].cell_key
            decision = self._decisions.get(key) if key else None
            if decision is None:
                return Qt.CheckState.PartiallyChecked  # not decided yet
            return (
                Qt.CheckState.Checked
                if decision is Resolution.TAKE_SHEET
                else Qt.CheckState.Unchecked
            )
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not self._is_decision(index):
            return False
        key = self.rows[index.row()].cell_key
        assert key is not None
        state = Qt.CheckState(value) if isinstance(value, int) else value
        self._decisions[key] = (
            Resolution.TAKE_SHEET if state == Qt.CheckState.Checked else Resolution.KEEP_DATABASE
        )
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def _is_decision(self, index: Index) -> bool:
        return (
            index.isValid()
            and index.column() == self.DECISION_COLUMN
            and 0 <= index.row() < len(self.rows)
            and self.rows[index.row()].cell_key is not None
        )


def _short(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def questionnaire_rows(previews: Sequence[FilePreview]) -> list[PreviewRow]:
    rows: list[PreviewRow] = []
    for item in previews:
        name = item.path.name
        if item.preview is None:
            rows.append(
                PreviewRow(
                    (name, "", "", "", _short(item.refused), "refused"), "refused", item.refused
                )
            )
            continue
        preview = item.preview
        for change in preview.changes:
            if change.kind is ChangeKind.UNCHANGED:
                continue
            where = f"{change.key} ({change.cell.split('!')[-1]})"
            rows.append(
                PreviewRow(
                    (
                        name,
                        preview.candidate,
                        where,
                        _short(change.old_text),
                        _short(change.new_text),
                        change.kind.value,
                    ),
                    change.kind.value,
                    f"{change.question}\n\n{change.old_text or '(no answer)'} \u2192 "
                    f"{change.new_text}",
                )
            )
        for problem in preview.problems:
            rows.append(
                PreviewRow(
                    (
                        name,
                        preview.candidate,
                        problem.cell or problem.key,
                        "",
                        _short(problem.text),
                        problem.severity.value,
                    ),
                    problem.severity.value,
                    problem.text,
                )
            )
        for notice in preview.notices:
            rows.append(PreviewRow((name, preview.candidate, "", "", notice, "note"), "note"))
    return rows


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def scoresheet_rows(preview: ScoresheetPreview) -> list[PreviewRow]:
    rows: list[PreviewRow] = []
    for change in preview.changes:
        if change.kind is ScoreChangeKind.UNCHANGED:
            continue
        base = None if change.base is None else change.base.value
        now = None if change.current is None else change.current.value
        is_conflict = change.kind is ScoreChangeKind.CONFLICT
        rows.append(
            PreviewRow(
                (
                    change.candidate,
                    change.criterion_key,
                    change.cell.split("!")[-1],
                    _score(base),
                    _score(now),
                    _score(change.value),
                    "",
                    change.kind.value,
                ),
                change.kind.value,
                f"{change.criterion}\nSheet: {change.justification}"
                + (f"\nDatabase: {change.current.justification}" if change.current else ""),
                change.cell_key if is_conflict else None,
            )
        )
    for problem in preview.problems:
        rows.append(
            PreviewRow(
                (
                    "",
                    problem.key,
                    problem.cell.split("!")[-1],
                    "",
                    "",
                    _short(problem.text),
                    "",
                    problem.severity.value,
                ),
                problem.severity.value,
                problem.text,
            )
        )
    return rows
