"""The conflict-of-interest declaration a member makes before scoring, shown above their grid.

"No conflict", or a conflict with the candidates ticked, with a note. A declaration is recorded
with its date and never deleted (a new one is added); when a candidate was added after the last
declaration, the panel asks again and names the newcomers. It only lays out and reports: the
Scoring view decides when it shows and calls `session.declare`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import Declaration
from ui.grid.delegates import WARNING_HUE, blend
from ui.widgets import scrolled

COLUMNS = 3  # candidate check boxes per row
VISIBLE_ROWS = 5  # rows of check boxes shown; more scroll (50 candidates: 17 rows)


class DeclarationPanel(QFrame):
    """Radio buttons (no conflict / a conflict with), candidate check boxes, a note, Declare."""

    declared = Signal(tuple, str)  # conflicted candidate ids, note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("declarationPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        base = palette.color(palette.ColorRole.Window)
        palette.setColor(palette.ColorRole.Window, blend(base, WARNING_HUE, 0.18))
        self.setPalette(palette)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.explain = QLabel(
            "A conflict of interest is any tie to a candidate that could colour your scores: "
            "past or present employment, consulting, shares, a close relative there. A "
            "candidate you declare is hidden from your sheet and your scores for it do not "
            "count. Your declaration is recorded with its date and appears in the report."
        )
        self.explain.setWordWrap(True)
        self.none = QRadioButton("&No conflict of interest with any candidate")
        self.some = QRadioButton("A &conflict of interest with:")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.none)
        self.choice.addButton(self.some)
        self.boxes: dict[int, QCheckBox] = {}
        boxes = QWidget()
        boxes.setAutoFillBackground(False)  # the panel's tint shows through
        self.candidates = QGridLayout(boxes)
        self.candidates.setContentsMargins(24, 0, 0, 0)
        self.boxes_area = scrolled(boxes)
        self.boxes_area.viewport().setAutoFillBackground(False)
        self.boxes_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What the conflict is (optional for no conflict)")
        self.note.setAccessibleName("Declaration note")
        note_label = QLabel("N&ote:")
        note_label.setBuddy(self.note)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.declare_button = QPushButton("&Declare")
        self.declare_button.setToolTip(
            "Record this declaration (it cannot be deleted, only renewed)"
        )
        self.declare_button.setDefault(True)
        note_row = QHBoxLayout()
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(self.declare_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.none)
        layout.addWidget(self.some)
        layout.addWidget(self.boxes_area)
        layout.addLayout(note_row)
        layout.addLayout(buttons)
        self.none.toggled.connect(self._update)
        self.some.toggled.connect(self._update)
        self.note.returnPressed.connect(self.declare)
        self.declare_button.clicked.connect(self.declare)

    def ask(
        self,
        member: str,
        names: dict[int, str],
        previous: Declaration | None,
        added: list[int],
        mine: bool,
        day: str = "",
    ) -> None:
        """Fill the panel for `member` over the candidates `names` (id -> name, in order); a
        previous declaration is the starting point, and `added` are the ones it missed."""
        you = "you" if mine else member
        if previous is None:
            title = (
                "<b>Declare your conflicts of interest before scoring</b>"
                if mine
                else f"<b>{html.escape(member)} has not declared conflicts of interest yet</b>"
            )
        else:
            new = ", ".join(names.get(c, "?") for c in added)
            since = f" on {day}" if day else ""
            title = (
                f"<b>{html.escape(new)} {'was' if len(added) == 1 else 'were'} added after "
                f"{html.escape(you)} declared{since}: declare again, covering "
                f"{'it' if len(added) == 1 else 'them'}, to score "
                f"{'it' if len(added) == 1 else 'them'}</b>"
            )
        self.title.setText(title)
        while self.candidates.count():
            item = self.candidates.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.boxes = {}
        conflicted = set(previous.conflicted) if previous else set()
        for i, (candidate_id, name) in enumerate(names.items()):
            label = name + ("  (new)" if previous is not None and candidate_id in added else "")
            box = QCheckBox(label)
            box.setChecked(candidate_id in conflicted)
            box.toggled.connect(self._update)
            self.boxes[candidate_id] = box
            self.candidates.addWidget(box, i // COLUMNS, i % COLUMNS)
        self._fit_boxes()
        (self.some if conflicted else self.none).setChecked(True)
        if previous is None:  # a first declaration is a choice, not a default
            self.choice.setExclusive(False)
            self.none.setChecked(False)
            self.some.setChecked(False)
            self.choice.setExclusive(True)
        self.note.setText(previous.note if previous else "")
        self._update()

    def conflicted(self) -> tuple[int, ...]:
        if not self.some.isChecked():
            return ()
        return tuple(c for c, box in self.boxes.items() if box.isChecked())

    def _update(self) -> None:
        some = self.some.isChecked()
        for box in self.boxes.values():
            box.setEnabled(some)
        problem = ""
        if not (some or self.none.isChecked()):
            problem = "Choose: no conflict, or a conflict with the candidates you tick."
        elif some and not self.conflicted():
            problem = "Tick the candidates you have a conflict of interest with."
        self.problem.setText(problem)
        self.declare_button.setEnabled(not problem)

    def declare(self) -> None:
        if self.declare_button.isEnabled():
            self.declared.emit(self.conflicted(), self.note.text().strip())

    def _fit_boxes(self) -> None:
        """As tall as its rows up to VISIBLE_ROWS, then a scroll bar: with 50 candidates the
        boxes would push the grid, the justification and Save off a laptop's screen."""
        rows = -(-len(self.boxes) // COLUMNS)
        layout = self.candidates
        row_height = max((b.sizeHint().height() for b in self.boxes.values()), default=0)
        shown = min(rows, VISIBLE_ROWS)
        spacing = max(0, layout.verticalSpacing())
        height = shown * row_height + max(0, shown - 1) * spacing
        margins = layout.contentsMargins()
        self.boxes_area.setFixedHeight(height + margins.top() + margins.bottom() if rows else 0)
        self.boxes_area.setVisible(bool(rows))
