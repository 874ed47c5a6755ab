"""Table models over the candidates and the committee members of the open evaluation.

Rows are the snapshot's plain `Candidate` / `Evaluator` objects; edits become undoable
commands. When the session replaces a list, the model reports a single inserted or removed row
as such and changed cells as fine-grained `dataChanged`; only other changes reset it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QPalette

from evaluator.domain import Candidate, Evaluator
from evaluator.kinds import CANDIDATE_KINDS, candidate_kind_label, members_score
from ui.session import EvaluationSession
from ui.undo import ChangeCommand, EditCandidate, EditEvaluator

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True)
class Column:
    title: str
    tip: str
    value: Callable[[Any], str]  # what the cell shows
    edit: str | None = None  # the keyword the edit command takes; None: read-only
    placeholder: str = ""  # shown greyed when the value is empty


class PeopleModel(QAbstractTableModel):
    """Shared behaviour; subclasses say which list, which columns and which command."""

    columns: tuple[Column, ...] = ()

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._items: list[Any] = self._current()
        self._rated: tuple[object, int] | None = None
        session.evaluationChanged.connect(self._reset)
        session.readOnlyChanged.connect(self._refresh_all)
        session.scoresReset.connect(self._refresh_all)
        session.scoreChanged.connect(self._score_changed)
        session.criteriaChanged.connect(self._refresh_all)  # expected counts depend on leaves

    # ---- subclass hooks ----------------------------------------------------------------------

    def _current(self) -> list[Any]:
        raise NotImplementedError

    def _command(self, item: Any, **change: Any) -> ChangeCommand:
        raise NotImplementedError

    def _score_row(self, evaluator_id: int, candidate_id: int) -> int | None:
        raise NotImplementedError

    def rated_count(self) -> int:
        """Rated leaves in the current tree, cached per tree object (data() runs per paint)."""
        roots = self.session.data.criteria if self.session.data else None
        if self._rated is None or self._rated[0] is not roots:
            leaves = self.session.leaves()
            self._rated = (roots, sum(1 for n in leaves if members_score(n.kind)))
        return self._rated[1]

    # ---- the model interface -----------------------------------------------------------------

    def item(self, row: int) -> Any:
        return self._items[row]

    def row_of(self, item_id: int) -> int | None:
        return next((row for row, item in enumerate(self._items) if item.id == item_id), None)

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
        if self.session.editable and self.columns[index.column()].edit:
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
            return self._edit_value(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return shown or column.tip
        if role == Qt.ItemDataRole.ForegroundRole and not shown and column.placeholder:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == ID_ROLE:
            return item.id
        return None

    def _edit_value(self, item: Any, column: Column) -> Any:
        if column.edit == "kind":
            return item.kind.value
        return column.value(item)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        keyword = self.columns[index.column()].edit
        if keyword is None:
            return False
        item = self._items[index.row()]
        return self.session.execute(self._command(item, **{keyword: str(value)}))

    # ---- following the session ---------------------------------------------------------------

    def _reset(self) -> None:
        self.beginResetModel()
        self._items = self._current()
        self.endResetModel()

    def _refresh_all(self, *_: object) -> None:
        if self._items:
            last = self.index(len(self._items) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _score_changed(self, evaluator_id: int, candidate_id: int, _key: str) -> None:
        row = self._score_row(evaluator_id, candidate_id)
        if row is not None:
            last = len(self.columns) - 1
            self.dataChanged.emit(self.index(row, last), self.index(row, last))

    def _sync(self) -> None:
        """The session replaced the list: one insert, one removal, edits, or a reset."""
        old, new = self._items, self._current()
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
            self._reset()
            return
        else:
            self._items = new
        before = {item.id: item for item in old}
        for row, item in enumerate(new):
            if item.id in before and before[item.id] != item:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))


class CandidatesModel(PeopleModel):
    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        self.columns = (
            Column("Name", "The candidate's name, as in reports", lambda c: c.name, "new_name"),
            Column(
                "Kind",
                "\n".join(f"{row.label}: {row.description}" for row in CANDIDATE_KINDS.values()),
                lambda c: candidate_kind_label(c.kind),
                "kind",
            ),
            Column("Notes", "Anything the committee should know", lambda c: c.notes, "notes", "—"),
            Column("Scores received", "Scores the committee has entered", self._progress),
        )  # fmt: skip
        super().__init__(session, parent)
        session.candidatesChanged.connect(self._sync)
        session.evaluatorsChanged.connect(self._refresh_all)

    def _current(self) -> list[Candidate]:
        return list(self.session.data.candidates) if self.session.data else []

    def _command(self, item: Candidate, **change: Any) -> ChangeCommand:
        return EditCandidate(self.session, item.id, **change)

    def _score_row(self, evaluator_id: int, candidate_id: int) -> int | None:
        return self.row_of(candidate_id)

    def _progress(self, candidate: Candidate) -> str:
        data = self.session.data
        expected = self.rated_count() * (len(data.evaluators) if data else 0)
        return f"{self.session.score_count(candidate_id=candidate.id)} of {expected}"


class CommitteeModel(PeopleModel):
    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        self.columns = (
            Column("Name", "The committee member's name", lambda e: e.name, "new_name"),
            Column("Role", "e.g. CMO, CNO, CIO, informaticist", lambda e: e.role, "role", "—"),
            Column(
                "Conflict of interest",
                "The member's declaration; empty means none declared",
                lambda e: e.conflict_of_interest,
                "conflict_of_interest",
                "None declared",
            ),
            Column("Scores given", "Scores this member has entered", self._progress),
        )  # fmt: skip
        super().__init__(session, parent)
        session.evaluatorsChanged.connect(self._sync)
        session.candidatesChanged.connect(self._refresh_all)

    def _current(self) -> list[Evaluator]:
        return list(self.session.data.evaluators) if self.session.data else []

    def _command(self, item: Evaluator, **change: Any) -> ChangeCommand:
        return EditEvaluator(self.session, item.id, **change)

    def _score_row(self, evaluator_id: int, candidate_id: int) -> int | None:
        return self.row_of(evaluator_id)

    def _progress(self, evaluator: Evaluator) -> str:
        data = self.session.data
        expected = self.rated_count() * (len(data.candidates) if data else 0)
        return f"{self.session.score_count(evaluator_id=evaluator.id)} of {expected}"
