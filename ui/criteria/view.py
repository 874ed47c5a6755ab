"""The Criteria tab: the weighted tree on the left, the selected criterion's details on the right.

Thin: the tree model and the undo commands do the work; this module lays out, maps buttons to
commands and keeps the selection on the criterion the user is working on.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import Criterion, CriterionKind, walk_tree
from evaluator.kinds import CRITERION_KINDS, members_score
from ui import errors
from ui.accessibility import describe
from ui.criteria.ahp_dialog import AhpDialog
from ui.criteria.model import (
    EFFECTIVE,
    KIND,
    NAME,
    SHARE,
    SHARE_ROLE,
    WEIGHT,
    CriteriaModel,
)
from ui.criteria.panel import CriterionPanel
from ui.session import EvaluationSession
from ui.tables.delegates import ChoiceDelegate, ShareBarDelegate, WeightDelegate, tint_background
from ui.undo import AddCriterion, MoveCriterion, RemoveCriterion
from ui.widgets import behind_another_tab, tool_action

MIN_DETAILS = 330  # the details beside the tree: narrowest without scrolling sideways


class CriteriaView(QWidget):
    """The criteria tree with in-place editing, buttons for structure, and a detail panel."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = CriteriaModel(session, self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("criteriaTree")
        describe(
            self.tree,
            "Criteria tree",
            "Categories and criteria with their kind, weight and share of the total; "
            "type to edit a weight",
        )
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.tree.setItemDelegateForColumn(WEIGHT, WeightDelegate(self.tree))
        kinds = [(kind.value, row.label) for kind, row in CRITERION_KINDS.items()]
        self.tree.setItemDelegateForColumn(KIND, ChoiceDelegate(kinds, self.tree))
        self.tree.setItemDelegateForColumn(SHARE, ShareBarDelegate(SHARE_ROLE, self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        # fixed widths sized once: ResizeToContents would measure every row after every edit
        for column in (KIND, WEIGHT, EFFECTIVE, SHARE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        metrics = self.tree.fontMetrics()
        longest_kind = max((label for _, label in kinds), key=metrics.horizontalAdvance)
        for column, sample in (
            (KIND, longest_kind),
            (WEIGHT, "Weight"),
            (EFFECTIVE, "Effective"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 20)
        # a short bar reads as well as a long one; the stretched names get the width back
        header.resizeSection(SHARE, metrics.horizontalAdvance("100 %") + 80)
        # wide enough that the weights never scroll out of sight (a restored splitter once left
        # the tree at 250 px): the names keep ~24 characters beside the fixed columns
        fixed = sum(header.sectionSize(column) for column in (KIND, WEIGHT, EFFECTIVE, SHARE))
        self.usable_width = fixed + metrics.averageCharWidth() * 24 + 40

        self.warning = QLabel(wordWrap=True, visible=False)
        self.warning.setObjectName("weightWarning")
        self.warning.setAutoFillBackground(True)
        self.warning.setContentsMargins(8, 6, 8, 6)
        tint_background(self.warning, (255, 170, 0), 0.22)

        self.panel = CriterionPanel(session)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.panel)
        scroll.setMinimumWidth(MIN_DETAILS)
        describe(scroll, "Criterion details")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("criteria")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        bar = self.actions_bar = QHBoxLayout()
        icons = QStyle.StandardPixmap
        self.add_action = tool_action(
            self, bar, "Add criterion", "Insert", icons.SP_FileIcon,
            "Add a rated criterion inside the selected category (or after the selected "
            "criterion)", self.add_criterion,
        )  # fmt: skip
        self.add_category_action = tool_action(
            self, bar, "Add category", "Ctrl+Insert", icons.SP_FileDialogNewFolder,
            "Add a category after the selection, at the same level", self.add_category,
        )  # fmt: skip
        self.remove_action = tool_action(
            self, bar, "Remove", "Delete", icons.SP_TrashIcon,
            "Remove the selected criterion with its sub-criteria and scores", self.remove,
        )  # fmt: skip
        self.up_action = tool_action(
            self, bar, "Move up", "Alt+Up", icons.SP_ArrowUp,
            "Move the selected criterion above its previous sibling", lambda: self.move(-1),
        )  # fmt: skip
        self.down_action = tool_action(
            self, bar, "Move down", "Alt+Down", icons.SP_ArrowDown,
            "Move the selected criterion below its next sibling", lambda: self.move(1),
        )  # fmt: skip
        self.ahp_action = tool_action(
            self, bar, "Pairwise weights…", "Ctrl+Shift+W", icons.SP_FileDialogContentsView,
            "Weigh the criteria inside the selected category (for a criterion: it and its "
            "siblings) by comparing them two at a time (AHP)", self.open_pairwise,
        )  # fmt: skip
        self.ahp_dialog: AhpDialog | None = None
        self.actions_bar.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(self.actions_bar)
        layout.addWidget(self.warning)
        layout.addWidget(self.splitter, 1)

        self.model.warningChanged.connect(self._show_warning)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsInserted.connect(lambda *_: self._update_actions())
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        session.readOnlyChanged.connect(lambda _: self._update_actions())
        session.criteriaChanged.connect(self._update_actions)
        self._after_reset()

    def showEvent(self, event: QShowEvent) -> None:
        """Each time the tab is shown the tree gets at least its usable width, room allowing
        (saved sizes from a smaller window, or an older version, do not hide the weights)."""
        super().showEvent(event)
        if self._reset_owed:
            self._after_reset()
        tree, details = self.splitter.sizes()
        total = tree + details
        if tree < self.usable_width and total >= self.usable_width + MIN_DETAILS:
            self.splitter.setSizes([self.usable_width, total - self.usable_width])

    def prepare_screenshot(self) -> None:
        """Show a rated criterion's details (used by tools/screenshots.py)."""
        data = self.session.data
        rated = [n for n in walk_tree(data.criteria) if members_score(n.kind)] if data else []
        if rated:
            self.select(rated[0].key)

    # ---- state -------------------------------------------------------------------------------

    def current_key(self) -> str | None:
        return self.model.key_of(self.tree.currentIndex())

    def select(self, key: str, edit: bool = False) -> None:
        index = self.model.index_of(key)
        if not index.isValid():
            return
        self.tree.scrollTo(index)
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if edit:
            self.tree.edit(index)

    def _after_reset(self) -> None:
        # behind another tab: expanded and filled when shown (an opening need not wait for it)
        self._reset_owed = behind_another_tab(self)
        if self._reset_owed:
            return
        self.tree.expandAll()
        self._show_warning(self.model.warning)
        if not self.tree.currentIndex().isValid() and self.model.rowCount():
            self.tree.setCurrentIndex(self.model.index(0, 0))
        self._current_changed(self.tree.currentIndex(), QModelIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.panel.show_criterion(self.model.key_of(current))
        self._update_actions()

    def _update_actions(self) -> None:
        key = self.current_key()
        editable = self.session.editable
        node = self.session.criterion(key) if key and self.session.data else None
        siblings = self.model.sibling_keys(key) if key else []
        self.add_action.setEnabled(editable)
        self.add_category_action.setEnabled(editable)
        self.remove_action.setEnabled(editable and node is not None)
        self.up_action.setEnabled(editable and bool(siblings) and siblings[0] != key)
        self.down_action.setEnabled(editable and bool(siblings) and siblings[-1] != key)
        self.ahp_action.setEnabled(self.session.data is not None)

    def _show_warning(self, message: str) -> None:
        self.warning.setText(f"⚠ {message} Scores cannot be totalled until this is fixed.")
        self.warning.setVisible(bool(message))

    # ---- actions -----------------------------------------------------------------------------

    def _new_key(self, parent: str | None, stem: str) -> str:
        taken = (
            {n.key for n in walk_tree(self.session.data.criteria)} if self.session.data else set()
        )
        base = f"{parent}.{stem}" if parent else stem
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        return key

    def add_criterion(self) -> None:
        key = self.current_key()
        node = self.session.criterion(key) if key else None
        if node is not None and not node.is_leaf:
            parent, position = node.key, len(node.children)
        elif node is not None:
            parent = self.model.parent_key(node.key)
            position = self.model.sibling_keys(node.key).index(node.key) + 1
        else:
            parent, position = None, self.model.rowCount()
        new = Criterion(self._new_key(parent, "new"), "New criterion", CriterionKind.RATED, 1.0)
        self._add(new, parent, position)

    def add_category(self) -> None:
        key = self.current_key()
        parent = self.model.parent_key(key) if key else None
        position = self.model.sibling_keys(key).index(key) + 1 if key else self.model.rowCount()
        new = Criterion(self._new_key(parent, "category"), "New category", weight=1.0)
        self._add(new, parent, position)

    def _add(self, criterion: Criterion, parent: str | None, position: int) -> None:
        if self.session.execute(AddCriterion(self.session, criterion, parent, position)):
            if parent is not None:
                self.tree.expand(self.model.index_of(parent))
            self.select(criterion.key, edit=True)

    def remove(self) -> None:
        key = self.current_key()
        if key is None or self.session.data is None:
            return
        node = self.session.criterion(key)
        keys = {n.key for n in node.walk()}
        data = self.session.data
        scores = sum(1 for s in data.scores if s.criterion_key in keys)
        agreed = sum(1 for c in data.consensus if c.criterion_key in keys)
        answers = sum(1 for r in data.responses if r.criterion_key in keys)
        below = len(keys) - 1
        parts = [f"Remove the criterion “{node.name}”"]
        if below:
            parts.append(f" and its {below} sub-criteria")
        text = "".join(parts) + "?"
        if scores or agreed or answers:
            text += (
                f"\n\n{scores} scores, {agreed} consensus scores and {answers} questionnaire "
                "answers go with it."
            )
        text += "\n\nYou can undo this with Ctrl+Z."
        if errors.confirm(self, "Remove criterion", text, "Remove"):
            self.session.execute(RemoveCriterion(self.session, key))

    def open_pairwise(self) -> AhpDialog:
        """The pairwise dialog for the selected category's criteria (for a leaf: its siblings;
        with nothing selected: the top level)."""
        key = self.current_key()
        node = self.session.criterion(key) if key and self.session.data else None
        if node is None:
            parent = None
        else:
            parent = node.key if not node.is_leaf else self.model.parent_key(node.key)
        if self.ahp_dialog is not None:
            self.ahp_dialog.close()
        dialog = self.ahp_dialog = AhpDialog(self.session, parent, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.show()
        return dialog

    def _forget_dialog(self, dialog: AhpDialog) -> None:
        if self.ahp_dialog is dialog:
            self.ahp_dialog = None

    def move(self, step: int) -> None:
        key = self.current_key()
        if key is None:
            return
        siblings = self.model.sibling_keys(key)
        position = siblings.index(key) + step
        if 0 <= position < len(siblings):
            command = MoveCriterion(self.session, key, self.model.parent_key(key), position)
            if self.session.execute(command):
                self.select(key)
