"""Asking for the reason an action needs: abstaining on a cell, excusing a member, reopening a
submitted scoresheet. The core refuses these without a reason and records it in the audit, so
the dialog's button stays disabled until one is written.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import ok_cancel


class ReasonDialog(QDialog):
    """A sentence saying what happens, a reason box, and the action's button (disabled until
    a reason is written)."""

    def __init__(
        self,
        title: str,
        text: str,
        action: str,
        placeholder: str = "",
        reason: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.intro = QLabel(text)
        self.intro.setWordWrap(True)
        self.editor = QPlainTextEdit(reason)
        self.editor.setAccessibleName("Reason")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText(placeholder or "Why (required: it is recorded)")
        self.editor.setMaximumHeight(100)
        self.buttons, self.ok_button = ok_cancel(self, action)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.editor)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._update)
        self.resize(460, 220)
        self._update()

    @property
    def reason(self) -> str:
        return self.editor.toPlainText().strip()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.reason))


def ask_reason(
    parent: QWidget | None,
    title: str,
    text: str,
    action: str,
    placeholder: str = "",
    reason: str = "",
) -> str | None:
    """The reason written, or None when cancelled."""
    dialog = ReasonDialog(title, text, action, placeholder, reason, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return dialog.reason if accepted else None
