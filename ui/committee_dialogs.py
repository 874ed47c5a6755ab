"""The chair's small dialogs: name (or hand over) the chair, protect an identity with a
passphrase, and give a reason (to look at live results, to reopen a final evaluation).

Each `ask_*` function returns the answer, or None when cancelled; the session does the work, so
the core's rules and audit apply. They are module functions so that tests can answer them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evaluator.domain import EvaluationData

MIN_PASSPHRASE = 8  # evaluator.identity.hash_passphrase refuses shorter ones (a test pins it)


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QWidget]:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class NameChairDialog(QDialog):
    """Pick a committee member or type a name; with a chair already named, a hand-over."""

    def __init__(self, data: EvaluationData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nameChairDialog")
        handing_over = bool(data.chair)
        self.setWindowTitle("Hand the chair over" if handing_over else "Name the chair")
        text = (
            f"{data.chair} chairs “{data.name}”. Hand the chair over to:"
            if handing_over
            else f"Who chairs “{data.name}”? The chair sets up, moves the phases, decides "
            "consensus and finalises. Once a chair is named, everyone working on the evaluation "
            "says who they are, and members score blind until everyone has submitted."
        )
        self.name_box = QComboBox(editable=True)
        self.name_box.setAccessibleName("The chair's name")
        self.name_box.addItems([e.name for e in data.evaluators if e.name != data.chair])
        self.name_box.setCurrentText("")
        self.name_box.lineEdit().setPlaceholderText("A committee member, or type a name")
        form = QFormLayout()
        form.addRow("&Chair:", self.name_box)
        note = _intro(
            "Afterwards you say again who you are (the chair, or a member), so that your changes "
            "are recorded under the right name."
        )
        self.buttons, self.ok_button = _buttons(
            self, "&Hand over" if handing_over else "&Name the chair"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(text))
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.name_box.currentTextChanged.connect(self._update)
        self.resize(max(480, self.sizeHint().width()), self.sizeHint().height())
        self._update()

    @property
    def chosen(self) -> str:
        return " ".join(self.name_box.currentText().split())

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.chosen))


class PassphraseDialog(QDialog):
    """A passphrase typed twice; OK when both match and it is long enough."""

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("Protect your identity")
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.first.setAccessibleName("New passphrase")
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.second.setAccessibleName("New passphrase again")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.first)
        form.addRow("&Again:", self.second)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.buttons, self.ok_button = _buttons(self, "P&rotect")
        layout = QVBoxLayout(self)
        layout.addWidget(
            _intro(
                f"Protect {who} with a passphrase: whoever says they are {who} in this "
                "evaluation, in the window or with --as, then has to type it. It is stored only "
                "as a salted hash, never in clear; nobody can read it back, so keep it safe."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.state)
        layout.addWidget(self.buttons)
        for edit in (self.first, self.second):
            edit.textChanged.connect(self._update)
        self.resize(max(460, self.sizeHint().width()), self.sizeHint().height())
        self._update()

    @property
    def passphrase(self) -> str:
        return self.first.text()

    def _update(self) -> None:
        first, second = self.first.text(), self.second.text()
        if len(first) < MIN_PASSPHRASE:
            text = f"At least {MIN_PASSPHRASE} characters ({len(first)} so far)."
        elif first != second:
            text = "Type the same passphrase twice." if second else "Type it again to confirm."
        else:
            text = "✓ The two match."
        self.state.setText(text)
        self.ok_button.setEnabled(len(first) >= MIN_PASSPHRASE and first == second)


def ask_chair(parent: QWidget | None, data: EvaluationData) -> str | None:
    dialog = NameChairDialog(data, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_passphrase(parent: QWidget | None, who: str) -> str | None:
    dialog = PassphraseDialog(who, parent)
    return dialog.passphrase if dialog.exec() == QDialog.DialogCode.Accepted else None
