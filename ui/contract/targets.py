"""Editing a contract target: the dialog (value and reason, both required) and the undoable
command that writes it through the core's `apply_target`, as one audited change.

The command carries what the user saw; undo applies the inverse through the same path, so an
edit someone made meanwhile is refused with the core's message rather than overwritten."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from evaluator.contracts import SetTarget, Target, apply_target, parse_target
from evaluator.errors import ServiceError
from ui.accessibility import describe
from ui.contract.models import shown
from ui.errors import USER_ERRORS, user_message
from ui.session import EvaluationSession
from ui.widgets import ok_cancel


def typed(target: Target) -> str:
    """The target as a user would type it back (4h, 7%, 30, or the words)."""
    if target.value is None:
        return target.text
    unit = target.info.unit
    if unit == "share":
        return f"{target.value * 100:g}%"
    if unit == "min":
        return f"{target.value / 60:g}h" if target.value % 60 == 0 else f"{target.value:g}min"
    return f"{target.value:g}"


class TargetDialog(QDialog):
    """The new value of one target and why it changes."""

    def __init__(self, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetDialog")
        self.setWindowTitle(f"Change target: {target.label}")
        self.target = target
        self.value = QLineEdit(typed(target))
        describe(self.value, "New target", "Minutes or 15min, 4h, 3d; shares as 7%; ASA in s")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.reason.setPlaceholderText("Why it changes (required: it is recorded in the audit)")
        describe(self.reason, "Reason for the change")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        was = target.text if target.value is None else shown(target.value, target.info.unit)
        source = QLabel(f"Now {was}: {target.source}, {target.citation}")
        source.setWordWrap(True)
        self.buttons, self.ok_button = ok_cancel(self, "&Set target", self._accept)
        form = QFormLayout(self)
        form.addRow(source)
        value_label = QLabel("&Value:")
        value_label.setBuddy(self.value)
        form.addRow(value_label, self.value)
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.reason.textChanged.connect(self._update)
        self.value.textChanged.connect(self._update)
        self.resize(520, 260)
        self._update()

    def change(self) -> SetTarget:
        """The change as the user asked it (raises the core's ServiceError for a bad value)."""
        after = parse_target(self.target.metric, self.value.text())
        why = self.reason.toPlainText().strip()
        return SetTarget(self.target.metric, self.target.priority, self.target.seen, after, why)

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.toPlainText().strip() and self.value.text()))

    def _accept(self) -> None:
        try:
            self.change()
        except ServiceError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()


class TargetCommand(QUndoCommand):
    """One target change on the session's undo stack; `done` is told after every step."""

    def __init__(
        self, session: EvaluationSession, change: SetTarget, done: Callable[[], None]
    ) -> None:
        label = f"{change.metric} {change.priority}".strip()
        super().__init__(f"Set target {label}")
        self.session, self.change, self.done = session, change, done
        self.noop = False
        self._first = False

    def _apply(self, change: SetTarget) -> bool:
        assert self.session.db is not None
        applied = apply_target(
            self.session.db, self.session.ref, change, actor=self.session.identity
        )
        return applied.changed

    def try_first(self) -> None:
        """The first redo, before the push: raises the core's refusal (to `session.execute`)."""
        self.noop = not self._apply(self.change)
        self._first = True
        self.done()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._replay(self.change)

    def undo(self) -> None:
        self._replay(self.change.inverse())

    def _replay(self, change: SetTarget) -> None:
        try:
            self._apply(change)
        except USER_ERRORS as exc:
            self.setObsolete(True)
            self.session.errorRaised.emit(user_message(exc))
        self.done()
