"""The Committee menu: who is working (Switch identity…) and the chair's actions — name or hand
over the chair, protect an identity with a passphrase, look at live results during blind scoring,
reopen a final evaluation.

Each action asks what the core needs (a name, a passphrase typed twice, a reason) and calls the
session, which writes it through the core (rules, audit); a refusal comes back as a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar

from evaluator.domain import Status
from ui import committee_dialogs, reason_dialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class CommitteeMenu:
    """Builds the Committee menu and keeps its actions enabled for who works now."""

    def __init__(self, window: MainWindow, bar: QMenuBar) -> None:
        self.window = window
        self.menu: QMenu = bar.addMenu("&Committee")
        self.switch = self._add("&Switch identity…", window.ask_identity)
        self.switch.setToolTip("Say who you are: a committee member or the chair")
        self.menu.addSeparator()
        self.name_chair = self._add("&Name the chair…", self.ask_chair)
        self.protect = self._add("&Protect my identity with a passphrase…", self.ask_passphrase)
        self.menu.addSeparator()
        self.live = self._add("View &live results…", self.ask_live_results)
        self.reopen = self._add("&Reopen final evaluation…", self.ask_reopen)

    def _add(self, text: str, slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.window)
        action.triggered.connect(lambda _=False: slot())
        self.menu.addAction(action)
        return action

    def update_actions(self) -> None:
        session = self.window.session
        data, who = session.data, session.identity
        chair = session.is_chair
        self.switch.setEnabled(data is not None and bool(data.chair))
        self.switch.setToolTip(
            "Say who you are: a committee member or the chair"
            if data is not None and data.chair
            else "Name the chair first: until then the one setting up acts as the chair"
        )
        open_now = data is not None and data.status is not Status.FINAL
        self.name_chair.setEnabled(open_now and chair)
        self.name_chair.setText(
            "Hand the chair &over…" if data is not None and data.chair else "&Name the chair…"
        )
        self.protect.setEnabled(open_now and who is not None)
        self.protect.setToolTip(
            "Only you can then say you are you (in the window and with --as)"
            if who is not None
            else "Say who you are first"
        )
        self.live.setEnabled(who is not None and who.chair and session.blind)
        self.live.setToolTip(
            "The chair looks at the committee's results before everyone has submitted "
            "(recorded in the audit trail and the report)"
        )
        self.reopen.setEnabled(data is not None and data.status is Status.FINAL and chair)

    # ---- the chair's actions -----------------------------------------------------------------

    def ask_chair(self) -> None:
        window, session = self.window, self.window.session
        if session.data is None:
            return
        name = committee_dialogs.ask_chair(window, session.data)
        if name and session.name_chair(name):
            window.statusBar().showMessage(f"{name} chairs the evaluation.", 8000)
            window.ask_identity(suggest=name)

    def ask_passphrase(self) -> None:
        window, session = self.window, self.window.session
        who = session.identity
        if who is None:
            return
        passphrase = committee_dialogs.ask_passphrase(window, who.name)
        if passphrase is None:
            return
        if session.set_passphrase(None if who.chair else who.evaluator_id, passphrase):
            window.statusBar().showMessage(
                f"{who.name} is protected by a passphrase: it is asked whenever someone says "
                "they are you.",
                10000,
            )

    def ask_live_results(self) -> None:
        window, session = self.window, self.window.session
        if not session.blind or session.data is None:
            return
        why = reason_dialog.ask_reason(
            window,
            "View live results",
            "Members are still scoring blind: "
            + session.blind_reason("the committee's results")
            + ". As the chair you may look now; the audit trail and the report record that "
            "you did, when, and why. Members still see only their own scores.",
            "&View live results",
            "Why you look at the results now (recorded)",
        )
        if why:
            session.view_live_results(why)

    def ask_reopen(self) -> None:
        window, session = self.window, self.window.session
        if session.data is None:
            return
        why = reason_dialog.ask_reason(
            window,
            "Reopen final evaluation",
            f"Reopen “{session.data.name}”? It goes back to the consensus phase, so its scores "
            "and consensus values can change again. The reason is recorded in the audit trail "
            "and shown in the report.",
            "&Reopen",
            "Why the final evaluation is reopened (recorded)",
        )
        if why:
            session.reopen_final(why)
