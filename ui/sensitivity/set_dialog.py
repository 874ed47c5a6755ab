"""The dialog that makes or edits a weighting set: a stakeholder group's name, a note and a raw
weight for every weighted category and criterion, beside the evaluation's current weight.

A new set starts from the current weights, so a group only changes what it weighs differently.
The set is checked as the core will check it (an all-zero group of siblings is refused) before
the dialog closes; the window then writes it as one undoable change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import ScoringError, WeightSet
from evaluator.weight_sets import SUGGESTED_NAMES, complete_weights
from evaluator.weights import WeightTree
from ui.accessibility import describe
from ui.session import EvaluationSession

NAME, CURRENT, WEIGHT = range(3)


class WeightSetDialog(QDialog):
    def __init__(
        self,
        session: EvaluationSession,
        existing: WeightSet | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        data = session.data
        assert data is not None
        self.criteria = data.criteria
        self.existing = existing
        self.result_set: WeightSet | None = None
        self.setWindowTitle("Edit weighting set" if existing else "New weighting set")
        taken = {s.name.casefold() for s in data.weight_sets if s is not existing}
        self.name = QComboBox(editable=True)
        self.name.addItems([n for n in SUGGESTED_NAMES if n.casefold() not in taken])
        self.name.setCurrentText(existing.name if existing else "")
        self.name.lineEdit().setPlaceholderText("Clinical, IT, Finance, or any group")
        self.note = QLineEdit(existing.note if existing else "")
        self.note.setPlaceholderText("Who this set speaks for, or why (optional)")
        form = QFormLayout()
        form.addRow("Stakeholder group:", self.name)
        form.addRow("Note:", self.note)

        self.tree = WeightTree.build(data.criteria)
        given = existing.weight_map() if existing else {}
        self.table = QTableWidget(len(self.tree.nodes), 3)
        self.table.setHorizontalHeaderLabels(["Category or criterion", "Current", "This set"])
        self.table.verticalHeader().hide()
        describe(self.table, "Weights of this set", "Each category's and criterion's raw weight")
        self.spins: dict[str, QDoubleSpinBox] = {}
        depth: list[int] = []
        for row, node in enumerate(self.tree.nodes):
            depth.append(0 if node.parent < 0 else depth[node.parent] + 1)
            item = QTableWidgetItem("    " * depth[-1] + node.name)
            item.setToolTip(node.key)
            if not node.is_leaf:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, NAME, item)
            self.table.setItem(row, CURRENT, QTableWidgetItem(f"{node.raw_weight:g}"))
            spin = QDoubleSpinBox(decimals=3, maximum=1_000_000.0, singleStep=1.0)
            spin.setValue(given.get(node.key, node.raw_weight))
            spin.setToolTip(f"Raw weight of {node.name} for this group")
            describe(spin, f"Weight of {node.name} in this set")
            self.table.setCellWidget(row, WEIGHT, spin)
            self.spins[node.key] = spin
        for row in range(self.table.rowCount()):
            for column in (NAME, CURRENT):
                cell = self.table.item(row, column)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CURRENT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WEIGHT, QHeaderView.ResizeMode.ResizeToContents)
        self.reset_button = QPushButton("&Reset to the current weights")
        self.reset_button.clicked.connect(self.reset)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #c03030")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        hint = QLabel(
            "Raw weights, as on the Criteria tab: each is shared out among its siblings. "
            "Gates carry no weight and are not listed."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reset_button)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def reset(self) -> None:
        for node in self.tree.nodes:
            self.spins[node.key].setValue(node.raw_weight)

    def weights(self) -> dict[str, float]:
        return {key: spin.value() for key, spin in self.spins.items()}

    def accept(self) -> None:
        name = " ".join(self.name.currentText().split())
        try:
            if not name:
                raise ScoringError("give the stakeholder group a name")
            weights = complete_weights(self.criteria, self.weights())
        except ScoringError as error:
            self.problem.setText(f"Not yet: {error}")
            self.problem.show()
            return
        set_id = self.existing.id if self.existing else 0
        self.result_set = WeightSet(set_id, name, weights, self.note.text().strip())
        super().accept()
