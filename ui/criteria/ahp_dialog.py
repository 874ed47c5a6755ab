"""Pairwise weighting (AHP) of one set of sibling criteria: each pair on Saaty's verbal scale,
the matrix filling in as the member answers, the weights, lambda_max, CI and CR live, a warning
above 0.10 naming the judgments that cause it with the values that would fit, the member's own
judgments or the committee's geometric mean, and Apply for the chair (one undo step). While the
committee scores blind a member sees only their own judgments, and a sentence in place of the
committee's result says why and when it appears; the chair sees everything.

Every answer is one undoable change through the session, so the dialog shows only what is stored
and follows undo, redo and colleagues' changes (it redraws on `session.dataChanged`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.ahp_committee import percentages
from evaluator.ahp_judgments import as_fraction, sentence
from evaluator.domain import ScoringError
from ui.accessibility import describe
from ui.criteria.ahp_model import (
    CHOICES,
    COMMITTEE,
    ApplyWeights,
    SetJudgment,
    View,
    cell_text,
    choice_index,
    hidden_text,
    judgments_hidden,
    members_text,
    sets_of,
    stats_text,
    view_of,
    warning_text,
)
from ui.errors import user_message
from ui.session import EvaluationSession
from ui.tables.delegates import tint_background

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class AhpDialog(QDialog):
    """The pairwise comparisons of the criteria under `parent` (None: the top level)."""

    def __init__(self, session: EvaluationSession, parent_key: str | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("ahpDialog")
        self.session = session
        self.parent_key = parent_key
        self.whose: int | None = session.member_id if session.member_id else COMMITTEE
        self.view: View | None = None
        self.pair_boxes: list[QComboBox] = []
        self._pair_names: list[str] = []
        self._building = False

        self.set_box = QComboBox(objectName="ahpSet")
        self.set_box.setAccessibleName("Criteria compared")
        self.whose_box = QComboBox(objectName="ahpWhose")
        self.whose_box.setAccessibleName("Whose comparisons")
        top = QFormLayout()
        top.addRow("Compare the criteria under", self.set_box)
        top.addRow("Comparisons of", self.whose_box)
        self.intro = QLabel(wordWrap=True)
        self.hidden_note = QLabel(wordWrap=True, visible=False, objectName="ahpHidden")

        self.pairs_panel = QWidget()
        self.pairs_grid = QGridLayout(self.pairs_panel)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.pairs_panel)
        describe(scroll, "Pairwise comparisons")
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(600)
        self.matrix = QTableWidget(objectName="ahpMatrix")
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        describe(
            self.matrix,
            "Comparison matrix",
            "How many times more each row matters than each column",
        )
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.weights = QTableWidget(0, 3, objectName="ahpWeights")
        self.weights.setHorizontalHeaderLabels(["Criterion", "AHP weight", "Raw weight now"])
        self.weights.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        describe(
            self.weights,
            "Resulting weights",
            "The AHP weight and the raw weight now of each criterion",
        )
        self.weights.verticalHeader().hide()
        self.weights.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stats = QLabel(wordWrap=True, objectName="ahpStats")
        self.members = QLabel(wordWrap=True, objectName="ahpMembers")
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        for title, widget in (("Matrix (row over column)", self.matrix),
                              ("Weights", self.weights)):  # fmt: skip
            group = QGroupBox(title)
            QVBoxLayout(group).addWidget(widget)
            column.addWidget(group, 1)
        column.addWidget(self.stats)
        column.addWidget(self.members)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([680, 500])

        self.warning = QLabel(wordWrap=True, visible=False, objectName="ahpWarning")
        self.warning.setAutoFillBackground(True)
        self.warning.setContentsMargins(8, 6, 8, 6)
        tint_background(self.warning, (255, 170, 0), 0.22)
        self.reason = QLineEdit(objectName="ahpReason")
        self.reason.setPlaceholderText(
            "Why the committee applies inconsistent weights anyway (recorded in the audit trail)"
        )
        self.apply_button = QPushButton("Apply committee weights", objectName="ahpApply")
        self.apply_button.setToolTip(
            "Set the raw weights of these criteria to the committee's AHP weights (one step: "
            "Edit ▸ Undo puts the old weights back)"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addWidget(self.hidden_note)
        layout.addWidget(self.warning)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.setWindowTitle("Pairwise weighting (AHP)")
        self.resize(1180, 720)

        self.set_box.currentIndexChanged.connect(self._set_chosen)
        self.whose_box.currentIndexChanged.connect(self._whose_chosen)
        self.reason.textChanged.connect(lambda _: self._update_apply())
        self.apply_button.clicked.connect(self.apply)
        session.dataChanged.connect(self.refresh)
        session.identityChanged.connect(self._identity_changed)
        self.refresh()

    # ---- choosing what is shown ---------------------------------------------------------------

    def _fill_choosers(self) -> None:
        self._building = True
        sets = sets_of(self.session)
        self.set_box.clear()
        for sset in sets:
            self.set_box.addItem(f"{sset.label} ({len(sset.criteria)} criteria)", sset.parent)
        keys = [s.parent for s in sets]
        if self.parent_key not in keys and keys:
            self.parent_key = keys[0]
        self.set_box.setCurrentIndex(keys.index(self.parent_key) if keys else -1)
        self.whose_box.clear()
        data, hidden = self.session.data, judgments_hidden(self.session)
        members = [
            m for m in (data.evaluators if data else [])
            if not hidden or m.id == self.session.member_id
        ]  # fmt: skip
        for member in members:
            own = " (you)" if member.id == self.session.member_id else ""
            self.whose_box.addItem(f"{member.name}{own}", member.id)
        if not hidden:
            self.whose_box.addItem("the committee (geometric mean of the members')", COMMITTEE)
        ids = [m.id for m in members]
        if self.whose not in ids:
            self.whose = ids[0] if hidden and ids else COMMITTEE
        self.whose_box.setCurrentIndex(ids.index(self.whose) if self.whose in ids else len(ids))
        self._building = False

    def _identity_changed(self) -> None:
        """Someone else works in the window now: show their own comparisons (or the
        committee's, for the chair)."""
        self.whose = self.session.member_id if self.session.member_id else COMMITTEE
        self.refresh()

    def _set_chosen(self, index: int) -> None:
        if not self._building and index >= 0:
            self.parent_key = self.set_box.itemData(index)
            self.refresh()

    def _whose_chosen(self, index: int) -> None:
        if not self._building and index >= 0:
            self.whose = self.whose_box.itemData(index)
            self.refresh()

    # ---- drawing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw from the session's snapshot (after any change, undo or reload)."""
        if self.session.data is None:
            self.reject()
            return
        self._fill_choosers()
        hidden = judgments_hidden(self.session)
        self.hidden_note.setText(hidden_text(self.session) if hidden else "")
        self.hidden_note.setVisible(hidden)
        empty = ""
        if self.set_box.count() == 0:
            empty = "No category has two or more weighted criteria to compare."
        elif hidden and self.whose is COMMITTEE:  # nobody named: nobody's judgments to show
            empty = "Say who you are (Committee ▸ Switch identity…) to give your comparisons."
        if empty:
            self.view = None
            self.intro.setText(empty)
            self._rebuild_pair_rows([], [])
            self._update_apply()
            return
        self.view = view_of(self.session, self.parent_key, self.whose)
        self._draw_pairs()
        self._draw_matrix()
        self._draw_results()
        self._update_apply()

    def _draw_pairs(self) -> None:
        view = self.view
        assert view is not None
        names = [c.name for c in view.sset.criteria]
        if view.whose is COMMITTEE:
            who = "The committee's"
        elif view.whose == self.session.member_id:
            who = "Your"
        else:
            who = f"{self.session.evaluator(view.whose).name}'s"
        state = "" if view.editable else " (read-only here)"
        self.intro.setText(
            f"{who} comparisons{state}: for each pair, which criterion matters more for this "
            f"evaluation, and how much (Saaty's 1–9 scale; the arrow points at the more "
            f"important one). {view.analysis.given} of {view.sset.pairs} pairs compared."
        )
        pairs = view.pairs()
        if len(self.pair_boxes) != len(pairs) or self._pair_names != names:
            self._rebuild_pair_rows(names, pairs)
        for box, (i, j) in zip(self.pair_boxes, pairs, strict=True):
            value = view.judgments.get((i, j))
            box.blockSignals(True)
            box.setCurrentIndex(choice_index(value))
            box.blockSignals(False)
            box.setEnabled(view.editable)
            exact = "" if value is None else f" (exactly {as_fraction(value)})"
            box.setToolTip(
                "Not compared yet" if value is None else sentence(value, names[i], names[j]) + exact
            )

    def _rebuild_pair_rows(self, names: list[str], pairs: list[tuple[int, int]]) -> None:
        while self.pairs_grid.count():
            item = self.pairs_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.pair_boxes = []
        for row, (i, j) in enumerate(pairs):
            left, right = QLabel(names[i]), QLabel(names[j])
            left.setAlignment(RIGHT)
            for label in (left, right):
                label.setWordWrap(True)
                label.setMinimumWidth(150)
            box = QComboBox(objectName=f"ahpPair{i}_{j}")
            box.setAccessibleName(f"{names[i]} compared with {names[j]}")
            for text, _ in CHOICES:
                box.addItem(text)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(lambda k, pair=(i, j): self.answer(pair, CHOICES[k][1]))
            self.pairs_grid.addWidget(left, row, 0)
            self.pairs_grid.addWidget(box, row, 1)
            self.pairs_grid.addWidget(right, row, 2)
            self.pair_boxes.append(box)
        self.pairs_grid.setColumnStretch(0, 1)
        self.pairs_grid.setColumnStretch(2, 1)
        self.pairs_grid.setRowStretch(len(pairs), 1)
        self._pair_names = names

    def _draw_matrix(self) -> None:
        view = self.view
        assert view is not None
        n = len(view.sset.criteria)
        numbers = [str(k + 1) for k in range(n)]
        self.matrix.setRowCount(n)
        self.matrix.setColumnCount(n)
        self.matrix.setHorizontalHeaderLabels(numbers)
        self.matrix.setVerticalHeaderLabels(numbers)
        for k, crit in enumerate(view.sset.criteria):
            for header in (self.matrix.horizontalHeaderItem(k), self.matrix.verticalHeaderItem(k)):
                if header is not None:
                    header.setToolTip(crit.name)
        completed = view.analysis.completed
        grey = self.palette().placeholderText().color()
        for i in range(n):
            for j in range(n):
                given = 1.0 if i == j else view.judgments.get((i, j))
                if given is None and (j, i) in view.judgments:
                    given = 1 / view.judgments[(j, i)]
                item = QTableWidgetItem(cell_text(given))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if given is None and completed:
                    item.setText(f"({as_fraction(completed[i][j])})")
                    item.setForeground(grey)
                    item.setToolTip("Not compared: the value the other judgments imply")
                    font = QFont(item.font())
                    font.setItalic(True)
                    item.setFont(font)
                self.matrix.setItem(i, j, item)

    def _draw_results(self) -> None:
        view = self.view
        assert view is not None
        analysis, criteria = view.analysis, view.sset.criteria
        total = sum(c.weight for c in criteria) or 1.0
        self.weights.setRowCount(len(criteria))
        for row, crit in enumerate(criteria):
            share = f"{100 * analysis.weights[row]:.1f} %" if analysis.determined else "–"
            now = f"{crit.weight:g} ({100 * crit.weight / total:.1f} %)"
            for col, text in enumerate((f"{row + 1} {crit.name}", share, now)):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(RIGHT)
                self.weights.setItem(row, col, item)
        self.stats.setText(stats_text(view))
        self.members.setText(members_text(view))
        self._draw_warning()

    def _draw_warning(self) -> None:
        assert self.view is not None
        text = warning_text(self.view)
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def _update_apply(self) -> None:
        view = self.view
        combined = view.result.combined if view else None
        chair = self.session.is_chair and self.session.editable
        ready = combined is not None and combined.determined and bool(view and view.result.judges)
        reason_needed = bool(combined and combined.inconsistent)
        self.reason.setVisible(chair and reason_needed)
        self.apply_button.setVisible(chair)
        self.apply_button.setEnabled(
            chair and ready and (not reason_needed or bool(self.reason.text().strip()))
        )
        if combined is not None and combined.determined:
            shares = ", ".join(f"{w:g}" for w in percentages(combined.weights))
            self.apply_button.setToolTip(f"Set the raw weights to {shares} (one undo step)")

    # ---- actions ------------------------------------------------------------------------------

    def answer(self, pair: tuple[int, int], value: float | None) -> bool:
        """Record the shown person's judgment of a pair (None clears it): one undo step."""
        view = self.view
        if view is None or not view.editable or view.whose is COMMITTEE:
            return False
        first, second = (view.sset.criteria[k].key for k in pair)
        command = SetJudgment(self.session, view.whose, view.sset.parent, first, second, value)
        if self.session.execute(command):
            return True
        self.refresh()  # refused or unchanged: show what is stored again
        return False

    def apply(self) -> bool:
        """The chair applies the committee's weights (one undo step)."""
        if self.view is None:
            return False
        try:
            command = ApplyWeights(self.session, self.view.result, self.reason.text())
        except ScoringError as exc:
            self.session.errorRaised.emit(user_message(exc))
            return False
        if self.session.execute(command):
            self.reason.clear()
            return True
        return False
