"""The side panel of the Criteria tab: description, rubric, question and auto-score rule.

Each field is committed when the user leaves it (or picks from a list), as one undoable
`EditCriterion` holding that field only. The panel shows what the snapshot says and refreshes
when it changes, leaving alone the field that has the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import AnswerType, Criterion, Question
from evaluator.kinds import kind_info, uses_rubric, uses_rule
from ui.accessibility import describe
from ui.criteria.rule_text import HELP, RuleSyntaxError, rule_from_text, rule_to_text
from ui.session import EvaluationSession
from ui.undo import EditCriterion

ANSWER_TYPES = {
    AnswerType.YES_NO: "Yes / no",
    AnswerType.NUMBER: "Number",
    AnswerType.PERCENT: "Percentage",
    AnswerType.CURRENCY: "Amount of money",
    AnswerType.CHOICE: "One of a list",
    AnswerType.TEXT: "Free text",
    AnswerType.DATE: "Date",
}


class CommitTextEdit(QPlainTextEdit):
    """A multi-line field that reports `committed` when it loses the focus; Tab moves on."""

    committed = Signal()

    def __init__(self, placeholder: str = "", lines: int = 0) -> None:
        super().__init__(placeholderText=placeholder)
        self.setTabChangesFocus(True)
        if lines:
            margins = self.contentsMargins()
            document = self.document().documentMargin()
            height = self.fontMetrics().lineSpacing() * lines + 2 * document + margins.top()
            self.setFixedHeight(round(height + margins.bottom() + 4))

    def text(self) -> str:
        return self.toPlainText()

    def focusOutEvent(self, event: QEvent) -> None:  # type: ignore[override]
        super().focusOutEvent(event)
        self.committed.emit()


class CriterionPanel(QWidget):
    """Edits the details of the criterion whose key is set with `show_criterion`."""

    def __init__(self, session: EvaluationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.key: str | None = None
        self.title = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(wordWrap=True)
        self.description = CommitTextEdit("What this criterion is about", lines=3)
        self.description.setToolTip("Shown to the committee beside the rubric while scoring.")
        self.description.committed.connect(self._commit_description)

        self.rubric_box = QGroupBox("Rubric: what each point of the scale means")
        self.rubric_form = QFormLayout(self.rubric_box)
        self.rubric_edits: dict[int, CommitTextEdit] = {}

        self.question_box = QGroupBox("Questionnaire question")
        form = QFormLayout(self.question_box)
        self.question_text = CommitTextEdit("The question put to each candidate", lines=3)
        self.answer_type = QComboBox(toolTip="How the answer is typed; drives auto-scoring.")
        for answer_type, label in ANSWER_TYPES.items():
            self.answer_type.addItem(label, answer_type.value)
        self.unit = QLineEdit(placeholderText="e.g. hours, %, USD per year")
        self.choices = QLineEdit(placeholderText="Choices, separated by commas")
        self.key_answer = QCheckBox(  # short: a check box's text does not wrap (the panel
            "Quote in the report",  # grew wider than its place, with a scroll bar)
            toolTip="Quote this answer in each candidate's section of the report",
        )
        form.addRow("&Question:", self.question_text)
        form.addRow("Answer &type:", self.answer_type)
        form.addRow("&Unit:", self.unit)
        form.addRow("C&hoices:", self.choices)
        form.addRow("", self.key_answer)
        self.question_text.committed.connect(self._commit_question)
        for edit in (self.unit, self.choices):
            edit.editingFinished.connect(self._commit_question)
        self.answer_type.activated.connect(self._commit_question)
        self.key_answer.clicked.connect(self._commit_question)

        self.rule_box = QGroupBox("Auto-score rule")
        rule_layout = QVBoxLayout(self.rule_box)
        self.rule = CommitTextEdit("yes = 5\nno = 0", lines=5)
        self.rule.setToolTip(HELP)
        describe(self.rule, "Auto-score rule", "One line per answer: answer = points")
        self.rule.committed.connect(self._commit_rule)
        self.rule_help = QLabel(HELP, wordWrap=True)
        self.rule_help.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.rule_error = QLabel(wordWrap=True, visible=False)
        rule_layout.addWidget(self.rule)
        rule_layout.addWidget(self.rule_help)
        rule_layout.addWidget(self.rule_error)

        self.empty = QLabel("Select a criterion to see and edit its details.", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.description_label = QLabel("&Description:", buddy=self.description)
        layout.addWidget(self.description_label)
        layout.addWidget(self.description)
        for box in (self.rubric_box, self.question_box, self.rule_box):
            layout.addWidget(box)
        layout.addStretch(1)
        session.criteriaChanged.connect(self.refresh)
        session.readOnlyChanged.connect(self.refresh)
        self.show_criterion(None)

    # ---- showing -----------------------------------------------------------------------------

    def show_criterion(self, key: str | None) -> None:
        self.key = key
        self.rule_error.hide()
        self.refresh(force=True)

    def _node(self) -> Criterion | None:
        if self.key is None or self.session.data is None:
            return None
        try:
            return self.session.criterion(self.key)
        except KeyError:
            return None

    def refresh(self, *_: object, force: bool = False) -> None:
        node = self._node()
        details = (self.title, self.subtitle, self.description_label, self.description)
        self.empty.setVisible(node is None)
        for widget in details:
            widget.setVisible(node is not None)
        if node is None:
            for box in (self.rubric_box, self.question_box, self.rule_box):
                box.hide()
            return
        self.title.setText(node.name)
        info = kind_info(node.kind)
        self.subtitle.setText(f"{info.label} · id {node.key}\n{info.description}")
        self._set_text(self.description, node.description, force)
        self._show_rubric(node, force)
        self.question_box.setVisible(node.is_leaf)
        self._show_question(node.question, force)
        self.rule_box.setVisible(uses_rule(node.kind))
        if force or not self.rule.hasFocus():
            self._set_text(self.rule, rule_to_text(node.rule), force)
        read_only = not self.session.editable
        for edit in (self.description, self.rule, self.question_text, self.unit, self.choices):
            edit.setReadOnly(read_only)
        for rubric_edit in self.rubric_edits.values():
            rubric_edit.setReadOnly(read_only)
        self.answer_type.setEnabled(not read_only)
        self.key_answer.setEnabled(not read_only)

    def _show_rubric(self, node: Criterion, force: bool) -> None:
        self.rubric_box.setVisible(uses_rubric(node.kind))
        scale = self.session.data.scale if self.session.data else None
        points = list(scale.points()) if scale else []
        if list(self.rubric_edits) != points:
            while self.rubric_form.rowCount():
                self.rubric_form.removeRow(0)
            self.rubric_edits = {}
            for point in points:
                edit = CommitTextEdit(f"What a {point} means", lines=3)
                edit.committed.connect(self._commit_rubric)
                describe(edit, f"Rubric for {point} points", f"What a score of {point} means")
                self.rubric_edits[point] = edit
                self.rubric_form.addRow(f"{point}:", edit)
        for point, edit in self.rubric_edits.items():
            self._set_text(edit, node.rubric.get(point, ""), force)

    def _show_question(self, question: Question | None, force: bool) -> None:
        self._set_text(self.question_text, question.text if question else "", force)
        values = (
            (self.unit, question.unit if question else ""),
            (self.choices, ", ".join(question.choices) if question else ""),
        )
        for edit, text in values:
            if force or not edit.hasFocus():
                edit.setText(text)
                edit.setCursorPosition(0)
        answer = question.answer_type if question else AnswerType.TEXT
        self.answer_type.setCurrentIndex(self.answer_type.findData(answer.value))
        self.key_answer.setChecked(bool(question and question.key))
        self.choices.setEnabled(answer is AnswerType.CHOICE)

    @staticmethod
    def _set_text(edit: QPlainTextEdit, text: str, force: bool) -> None:
        if (force or not edit.hasFocus()) and edit.toPlainText() != text:
            edit.setPlainText(text)

    # ---- committing --------------------------------------------------------------------------

    def _edit(self, **fields: object) -> None:
        node = self._node()
        if node is None or not self.session.editable:
            return
        self.session.execute(EditCriterion(self.session, node.key, **fields))

    def _commit_description(self) -> None:
        node = self._node()
        if node is not None and self.description.toPlainText() != node.description:
            self._edit(description=self.description.toPlainText())

    def _commit_rubric(self) -> None:
        rubric = {p: e.text().strip() for p, e in self.rubric_edits.items() if e.text().strip()}
        node = self._node()
        if node is not None and rubric != node.rubric:
            self._edit(rubric=rubric)

    def _commit_question(self) -> None:
        node = self._node()
        if node is None:
            return
        answer = AnswerType(self.answer_type.currentData())
        self.choices.setEnabled(answer is AnswerType.CHOICE)
        text = self.question_text.text().strip()
        choices = tuple(c.strip() for c in self.choices.text().split(",") if c.strip())
        question = (
            Question(
                text,
                answer,
                choices if answer is AnswerType.CHOICE else (),
                self.unit.text().strip(),
                self.key_answer.isChecked(),
            )
            if text
            else None
        )
        if question != node.question:
            self._edit(question=question)

    def _commit_rule(self) -> None:
        node = self._node()
        if node is None or not self.rule_box.isVisible():
            return
        try:
            rule = rule_from_text(self.rule.toPlainText())
        except RuleSyntaxError as exc:
            self.rule_error.setText(f"⚠ {str(exc)[0].upper()}{str(exc)[1:]}: not saved yet.")
            self.rule_error.show()
            return
        self.rule_error.hide()
        if rule != node.rule:
            self._edit(rule=rule)
