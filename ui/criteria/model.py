"""The criteria tree as a Qt item model: name, kind, raw weight, effective weight, share.

The model wraps the session's snapshot (plain `Criterion` objects) and never writes: `setData`
turns an edit into an undoable `EditCriterion`. When the session replaces the tree, the model
works out what happened (an edit, one insert, one removal, one move) and tells views exactly
that, so expansion, selection and the edited row survive; anything else resets the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from evaluator.domain import Criterion, ScoringError
from evaluator.kinds import CRITERION_KINDS, is_weighted, kind_info, kind_label
from evaluator.weights import WeightTree
from ui.criteria.diff import one_change
from ui.numbers import fmt, parse, percent
from ui.session import EvaluationSession
from ui.undo import EditCriterion

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
NAME, KIND, WEIGHT, EFFECTIVE, SHARE = range(5)
HEADERS = ("Criterion", "Kind", "Weight", "Effective", "Share of siblings")
HEADER_TIPS = (
    "The criterion's name; double-click or press F2 to rename it.",
    "A category holds criteria; the others are "
    + ", ".join(row.in_sentence for row in CRITERION_KINDS.values() if row.is_leaf)
    + ".",
    "The raw weight, compared with its siblings' weights (0 or more).",
    "How much of the total this criterion counts: the product of its shares along the path.",
    "This criterion's share of its parent's weight: imbalance shows at a glance.",
)
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the criterion key
SHARE_ROLE = KEY_ROLE + 1  # float 0..1 share of siblings, None for gates
KIND_ROLE = KEY_ROLE + 2  # the CriterionKind


@dataclass
class _Node:
    criterion: Criterion
    parent: str | None
    row: int
    children: list[str] = field(default_factory=list)


@dataclass
class _Tree:
    """The tree flattened for O(1) lookups by key."""

    nodes: dict[str, _Node]
    roots: list[str]
    effective: dict[str, float | None]
    share: dict[str, float | None]
    warning: str

    @classmethod
    def build(cls, roots: list[Criterion]) -> _Tree:
        nodes: dict[str, _Node] = {}

        def add(items: list[Criterion], parent: str | None) -> list[str]:
            keys = []
            for row, node in enumerate(items):
                nodes[node.key] = _Node(node, parent, row)
                nodes[node.key].children = add(node.children, node.key)
                keys.append(node.key)
            return keys

        top = add(roots, None)
        effective, warning = _effective(roots)
        return cls(nodes, top, effective, _shares(roots), warning)

    def children(self, parent: str | None) -> list[str]:
        return self.roots if parent is None else self.nodes[parent].children

    def shape(self) -> dict[str | None, list[str]]:
        return {None: self.roots, **{k: n.children for k, n in self.nodes.items()}}


def _effective(roots: list[Criterion]) -> tuple[dict[str, float | None], str]:
    try:
        tree = WeightTree.build(roots)
        values = tree.node_effective(tree.raw_weights())
    except ScoringError as exc:
        return {}, str(exc)
    return {node.key: value for node, value in zip(tree.nodes, values, strict=True)}, ""


def _shares(items: list[Criterion]) -> dict[str, float | None]:
    """Each node's share of its weighted siblings; None for nodes that count nothing (gates,
    categories with nothing weighted below them), as in the effective-weight rules."""
    out: dict[str, float | None] = {}
    weighted = [n for n in items if _counts(n)]
    total = math.fsum(n.weight for n in weighted)
    for node in items:
        out[node.key] = (node.weight / total if total > 0 else 0.0) if _counts(node) else None
        out.update(_shares(node.children))
    return out


def _counts(node: Criterion) -> bool:
    if not is_weighted(node.kind):
        return False
    return node.is_leaf or any(_counts(child) for child in node.children)


class CriteriaModel(QAbstractItemModel):
    """Tree model over `session.data.criteria`; edits go through the undo stack."""

    warningChanged = Signal(str)  # "" when the weights are fine

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._tree = _Tree.build([])
        self._ids: dict[str, int] = {}
        self._keys: dict[int, str] = {}
        self._reset()
        session.evaluationChanged.connect(self._reset)
        session.criteriaChanged.connect(self._sync)
        session.readOnlyChanged.connect(self._flags_changed)

    # ---- lookups -----------------------------------------------------------------------------

    @property
    def warning(self) -> str:
        return self._tree.warning

    def key_of(self, index: Index) -> str | None:
        return self._keys.get(index.internalId()) if index.isValid() else None

    def index_of(self, key: str, column: int = NAME) -> QModelIndex:
        node = self._tree.nodes.get(key)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, column, self._id(key))

    def criterion(self, index: Index) -> Criterion | None:
        key = self.key_of(index)
        return self._tree.nodes[key].criterion if key else None

    def parent_key(self, key: str) -> str | None:
        return self._tree.nodes[key].parent

    def sibling_keys(self, key: str) -> list[str]:
        return self._tree.children(self._tree.nodes[key].parent)

    def _id(self, key: str) -> int:
        if key not in self._ids:
            self._ids[key] = len(self._ids) + 1
            self._keys[self._ids[key]] = key
        return self._ids[key]

    # ---- the model interface -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if parent.isValid() and parent.column() != NAME:
            return QModelIndex()
        children = self._tree.children(self.key_of(parent) if parent.isValid() else None)
        if not (0 <= row < len(children) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, self._id(children[row]))

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        key = self.key_of(index)
        if key is None or key not in self._tree.nodes:
            return QModelIndex()
        parent = self._tree.nodes[key].parent
        return QModelIndex() if parent is None else self.index_of(parent)

    def rowCount(self, parent: Index = ROOT) -> int:
        if parent.isValid() and parent.column() != NAME:
            return 0
        key = self.key_of(parent) if parent.isValid() else None
        if parent.isValid() and key not in self._tree.nodes:
            return 0
        return len(self._tree.children(key))

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        node = self.criterion(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.session.editable:
            return flags
        column = index.column()
        editable = column == NAME or (column == KIND and not node.children)
        editable |= column == WEIGHT and is_weighted(node.kind)
        return flags | Qt.ItemFlag.ItemIsEditable if editable else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        key = self.key_of(index)
        if key is None or key not in self._tree.nodes:
            return None
        node = self._tree.nodes[key].criterion
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.EditRole:
            return {NAME: node.name, KIND: node.kind.value, WEIGHT: node.weight}.get(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (WEIGHT, EFFECTIVE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and not node.is_leaf:
            font = QFont()
            font.setBold(True)
            return font
        if role == KEY_ROLE:
            return key
        if role == SHARE_ROLE:
            return self._tree.share.get(key)
        if role == KIND_ROLE:
            return node.kind.value
        return None

    def _display(self, node: Criterion, column: int) -> str | None:
        if column == NAME:
            return node.name
        if column == KIND:
            return kind_label(node.kind)
        if column == WEIGHT:
            return fmt(node.weight) if is_weighted(node.kind) else "—"
        if column == EFFECTIVE:
            if not is_weighted(node.kind):
                return "no weight"
            value = self._tree.effective.get(node.key)
            return "—" if value is None else percent(value, 1, spaced=True)
        share = self._tree.share.get(node.key)
        return "" if share is None else percent(share, 0, spaced=True)

    def _tooltip(self, node: Criterion, column: int) -> str:
        if column == KIND:
            return kind_info(node.kind).description
        if column == WEIGHT and not is_weighted(node.kind):
            return f"{kind_info(node.kind).nouns.capitalize()} carry no weight."
        if column == EFFECTIVE and self._tree.warning:
            return self._tree.warning
        if column == EFFECTIVE and node.key not in self._tree.effective:
            return "Counts nothing: there is no weighted criterion below it."
        detail = f"{node.name} ({node.key})"
        return f"{detail}\n{node.description}" if node.description else detail

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = self.key_of(index)
        if key is None or role != Qt.ItemDataRole.EditRole:
            return False
        column = index.column()
        if column == WEIGHT:
            typed = parse(value) if isinstance(value, str) else value
            if typed is None:
                self.session.errorRaised.emit(f"The weight {value!r} is not a number.")
                return False
            value = typed
        fields = {NAME: "name", KIND: "kind", WEIGHT: "weight"}
        if column not in fields:
            return False
        return self.session.execute(EditCriterion(self.session, key, **{fields[column]: value}))

    # ---- following the session ---------------------------------------------------------------

    def _reset(self) -> None:
        self.beginResetModel()
        self._install(_Tree.build(self.session.data.criteria if self.session.data else []))
        self.endResetModel()

    def _install(self, tree: _Tree) -> None:
        old_warning = self._tree.warning
        self._tree = tree
        if tree.warning != old_warning:
            self.warningChanged.emit(tree.warning)

    def _flags_changed(self) -> None:
        if self._tree.roots:  # views re-read flags on the next paint
            last = self.index(len(self._tree.roots) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _sync(self) -> None:
        """The session replaced the tree: report exactly what changed."""
        old = self._tree
        new = _Tree.build(self.session.data.criteria if self.session.data else [])
        if old.shape() != new.shape() and not self._structural(old, new):
            self.beginResetModel()
            self._install(new)
            self.endResetModel()
            return
        self._install(new)
        # one signal per group of siblings, spanning the rows and columns that changed
        spans: dict[str | None, tuple[int, int, int, int]] = {}
        for key, node in new.nodes.items():
            before = old.nodes.get(key)
            if before is None:
                continue
            columns = _changed_columns(before.criterion, node.criterion)
            if old.effective.get(key) != new.effective.get(key):
                columns.add(EFFECTIVE)
            if old.share.get(key) != new.share.get(key):
                columns.add(SHARE)
            if columns:
                top, bottom, left, right = spans.get(node.parent, (node.row, node.row, 99, 0))
                spans[node.parent] = (
                    min(top, node.row),
                    max(bottom, node.row),
                    min(left, *columns),
                    max(right, *columns),
                )
        for parent, (top, bottom, left, right) in spans.items():
            siblings = new.children(parent)
            self.dataChanged.emit(
                self.index_of(siblings[top], left), self.index_of(siblings[bottom], right)
            )

    def _structural(self, old: _Tree, new: _Tree) -> bool:
        """One insert, removal or move, announced to views; False when it is something else."""
        change = one_change(old.shape(), new.shape(), {k: n.parent for k, n in new.nodes.items()})
        if change is None:
            return False
        kind, key = change
        if kind == "insert":
            parent = new.nodes[key].parent
            row = new.nodes[key].row
            self.beginInsertRows(self._parent_index(parent), row, row)
            self._install(new)
            self.endInsertRows()
            return True
        if kind == "remove":
            node = old.nodes[key]
            self.beginRemoveRows(self._parent_index(node.parent), node.row, node.row)
            self._install(new)
            self.endRemoveRows()
            return True
        source, target = old.nodes[key], new.nodes[key]
        destination = target.row
        if source.parent == target.parent and target.row > source.row:
            destination += 1  # Qt counts the destination before the row leaves
        if not self.beginMoveRows(
            self._parent_index(source.parent), source.row, source.row,
            self._parent_index(target.parent), destination,
        ):  # fmt: skip
            return False
        self._install(new)
        self.endMoveRows()
        return True

    def _parent_index(self, key: str | None) -> QModelIndex:
        return QModelIndex() if key is None else self.index_of(key)


def _changed_columns(before: Criterion, after: Criterion) -> set[int]:
    columns = set()
    if before.name != after.name or before.description != after.description:
        columns.add(NAME)
    if before.kind != after.kind:
        columns.update((KIND, WEIGHT, EFFECTIVE, SHARE))
    if before.weight != after.weight:
        columns.add(WEIGHT)
    return columns
