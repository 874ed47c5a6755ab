""" "Who are you?": the member or chair working in this window, asked when an evaluation that has
a chair opens (and from Committee ▸ Switch identity…).

The name goes with every change to the core, which records it in the audit and applies the
committee's rules. A protected identity asks for its passphrase; a wrong one is refused in place
(the dialog stays open). Cancel leaves the evaluation open read-only. The last name chosen is
remembered per database and evaluation (never the passphrase).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.errors import USER_ERRORS, user_message
from ui.grid.delegates import DANGER_HUE
from ui.phase_banner import padlock
from ui.session import EvaluationSession
from ui.settings import AppSettings

NAME_ROLE = Qt.ItemDataRole.UserRole
PROTECTED_ROLE = Qt.ItemDataRole.UserRole + 1


class IdentityDialog(QDialog):
    """Pick yourself from the committee (the chair first, marked); a passphrase when protected."""

    def __init__(
        self, session: EvaluationSession, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("identityDialog")
        self.setWindowTitle("Who are you?")
        self.session, self.settings = session, settings
        data = session.data
        assert data is not None
        intro = QLabel(
            f"“{data.name}” is run by a committee with a chair. Say who you are: your name goes "
            "with every change you make and is recorded in the audit trail. What you may see "
            "and change follows your role and the evaluation's phase."
        )
        intro.setWordWrap(True)
        self.people = QListWidget()
        self.people.setAccessibleName("Committee members and the chair")
        self._fill()
        who = QLabel("&Who is working here:")
        who.setBuddy(self.people)
        self.passphrase_label = QLabel("&Passphrase:")
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase_label.setBuddy(self.passphrase)
        self.refusal = QLabel(wordWrap=True)
        self.refusal.setObjectName("identityRefusal")
        palette = self.refusal.palette()
        palette.setColor(QPalette.ColorRole.WindowText, DANGER_HUE)
        self.refusal.setPalette(palette)
        self.refusal.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Open &read-only")
        self.cancel_button.setToolTip("Look at the evaluation without changing anything")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, who, self.people, self.passphrase_label, self.passphrase):
            layout.addWidget(widget)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)
        self.people.currentItemChanged.connect(self._chosen)
        self.people.itemActivated.connect(lambda _item: self.accept())
        self.passphrase.textChanged.connect(lambda _text: self.refusal.hide())
        self._preselect()
        rows = max(self.people.count(), 3)
        frame = 2 * self.people.frameWidth() + 4
        self.people.setMinimumHeight(min(rows, 10) * self.people.sizeHintForRow(0) + frame)
        hint = self.sizeHint()
        self.resize(max(560, hint.width()), hint.height())

    def _fill(self) -> None:
        data = self.session.data
        assert data is not None
        if data.chair:
            self._add(data.chair, "chair", data.chair_protected)
        for member in data.evaluators:
            role = f"committee member, {member.role}" if member.role else "committee member"
            self._add(member.name, role, member.protected)

    def _add(self, name: str, role: str, protected: bool) -> None:
        lock = " (passphrase)" if protected else ""
        item = QListWidgetItem(f"{name} — {role}{lock}")
        colour = self.palette().color(QPalette.ColorRole.Text) if protected else None
        item.setIcon(QIcon(padlock(16, colour)))  # an empty one keeps the names aligned
        if protected:
            item.setToolTip(f"{name} is protected by a passphrase")
        item.setData(NAME_ROLE, name)
        item.setData(PROTECTED_ROLE, protected)
        if role == "chair":
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.people.addItem(item)

    def _preselect(self) -> None:
        """The one who worked here last, else the current identity, else the first row."""
        data, location = self.session.data, self.session.location
        assert data is not None
        current = self.session.identity
        wanted = current.name if current else self.settings.last_identity(location, data.id)
        row = next((i for i in range(self.people.count()) if self.name(i) == wanted), 0)
        self.people.setCurrentRow(row)
        self._chosen()

    def name(self, row: int | None = None) -> str:
        item = self.people.item(self.people.currentRow() if row is None else row)
        return str(item.data(NAME_ROLE)) if item is not None else ""

    def choose(self, name: str) -> None:
        """Select `name` in the list (as a click would)."""
        for row in range(self.people.count()):
            if self.name(row) == name:
                self.people.setCurrentRow(row)
                return
        raise KeyError(name)

    @property
    def protected(self) -> bool:
        item = self.people.currentItem()
        return item is not None and bool(item.data(PROTECTED_ROLE))

    def _chosen(self, *_args: object) -> None:
        protected = self.protected
        self.passphrase_label.setVisible(protected)
        self.passphrase.setVisible(protected)
        self.passphrase.clear()
        self.refusal.hide()
        name = self.name()
        self.ok_button.setEnabled(bool(name))
        self.ok_button.setText(f"&Continue as {name}" if name else "&Continue")
        if protected:
            self.passphrase.setFocus()

    def accept(self) -> None:
        """Check the identity with the core; a refusal is shown here and the dialog stays."""
        name = self.name()
        if not name:
            return
        try:
            identity = self.session.check_identity(
                name, self.passphrase.text() if self.protected else None
            )
        except USER_ERRORS as exc:
            self.refusal.setText(f"⚠ {user_message(exc)}")
            self.refusal.show()
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        data = self.session.data
        assert data is not None
        self.settings.set_last_identity(self.session.location, data.id, identity.name)
        self.passphrase.clear()
        super().accept()
        self.session.set_identity(identity)
