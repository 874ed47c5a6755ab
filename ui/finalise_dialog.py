"""Finalise with evidence: the checklist of what is still open, and the chair's reason.

A final evaluation is the committee's decision of record. Before it is locked the chair sees
every open item (incomplete candidates, members who have not submitted, unresolved
disagreements, undecided gates) from `evaluator.checklist`; with items open, finalising needs a
reason, which the core records in the audit and the report shows.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evaluator.checklist import OpenItem
from ui.widgets import ok_cancel


class FinaliseDialog(QDialog):
    """Shows the open items; Finalise is enabled when there are none or a reason is given."""

    def __init__(self, name: str, items: list[OpenItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finaliseDialog")
        self.setWindowTitle("Finalise evaluation")
        self.items = items
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Finalise “{name}”? A final evaluation is read-only: nobody can change its scores, "
            "weights, candidates or committee afterwards. Only the chair can reopen it, with a "
            "reason that is recorded."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.checklist = QListWidget()
        self.checklist.setAccessibleName("Open items")
        self.checklist.addItems([f"• {item.text}" for item in items])
        for row, item in enumerate(items):
            self.checklist.item(row).setToolTip(item.text)
        self.checklist.setVisible(bool(items))
        layout.addWidget(self.checklist)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason to finalise with open items")
        self.reason.setPlaceholderText(
            "Why the committee finalises with these items open (recorded in the audit trail "
            "and shown in the report)"
        )
        self.reason.setVisible(bool(items))
        self.reason.setMaximumHeight(90)
        layout.addWidget(self.reason)
        self.buttons, self.finalise_button = ok_cancel(self, "&Finalise")
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        # wide enough for the longest item (up to a readable limit), so nothing is cut off
        longest = max(
            (self.checklist.fontMetrics().horizontalAdvance(f"• {i.text}") for i in items),
            default=0,
        )
        self.resize(min(max(560, longest + 60), 980), 420 if items else 160)
        self._update()

    def _update(self) -> None:
        if not self.items:
            self.summary.setText("✓ Nothing is open: every item on the checklist is settled.")
            self.finalise_button.setEnabled(True)
            return
        count = len(self.items)
        self.summary.setText(
            f"⚠ {count} item{'s are' if count != 1 else ' is'} still open. Settle "
            f"{'them' if count != 1 else 'it'} first, or give the reason to finalise anyway."
        )
        self.finalise_button.setEnabled(bool(self.why))

    @property
    def why(self) -> str:
        return self.reason.toPlainText().strip()


def ask_finalise(parent: QWidget | None, name: str, items: list[OpenItem]) -> str | None:
    """The chair's answer: None when cancelled, else the reason ("" when nothing is open)."""
    dialog = FinaliseDialog(name, items, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.why
