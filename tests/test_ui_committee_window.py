"""The committee process through the real window: "Who are you?" on opening an evaluation with a
chair, a wrong passphrase refused in place, a member who sees only their own scores while the
Consensus and Results tabs stay shut (and open by themselves when everyone has submitted), the
export refused while blind, the chair's live view (audited), reopening a final evaluation with a
reason, switching identity, naming the chair and protecting an identity.

Every organisation and person here is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from test_ui_window import make_window
from ui_helpers import answer_identity_prompt, make_database

from evaluator import services
from evaluator.db import open_database
from evaluator.domain import Status
from evaluator.identity import Identity, hash_passphrase, identify
from evaluator.services import process
from tests.core_fixtures import populated
from ui.audit_view import audit_view_for
from ui.committee_dialogs import (
    MIN_PASSPHRASE,
    NameChairDialog,
    PassphraseDialog,
)
from ui.export.dialog import ExportDialog
from ui.identity_dialog import IdentityDialog
from ui.main_window import MainWindow
from ui.phase_banner import LockableTab
from ui.reason_dialog import ReasonDialog
from ui.settings import AppSettings
from ui.undo import SetScore

RFP, CHAIR, ANN, BEN = "Riverbend RFP", "Cora Whitfield", "Ann Example", "Ben Sample"
ANN_PASSPHRASE = "harbour-lights-42"
ANN_WHY, BEN_WHY = "Nurse triage on every call", "Queue times too long"


def me(db, ev, name: str, passphrase: str | None = None) -> Identity:  # type: ignore[no-untyped-def]
    return identify(db, ev, name, passphrase)


def committee_file(tmp_path: Path, phase: str = "scoring") -> Path:
    """Riverbend RFP with the chair Cora Whitfield, Ann (protected by a passphrase) and Ben;
    both scored Zephyr on Level 1 (Ann 4, Ben 2). `phase`: scoring (nobody submitted), or
    final (both submitted, consensus, finalised with a reason)."""
    db, ev = populated(tmp_path)
    process.name_chair(db, ev, CHAIR)
    process.set_passphrase(db, ev, ANN, ANN_PASSPHRASE, actor=me(db, ev, ANN))
    ann = me(db, ev, ANN, ANN_PASSPHRASE)
    services.set_score(db, ev, ANN, "Zephyr Care IT", "tiers.l1", 4, ANN_WHY, actor=ann)
    services.set_score(db, ev, BEN, "Zephyr Care IT", "tiers.l1", 2, BEN_WHY, actor=me(db, ev, BEN))
    if phase == "final":
        chair = me(db, ev, CHAIR)
        process.submit(db, ev, ANN, actor=ann)
        process.submit(db, ev, BEN, actor=me(db, ev, BEN))
        services.change_status(db, ev, "consensus", actor=chair)
        services.change_status(db, ev, "final", why="Agreed in the meeting", actor=chair)
    db.close()
    return tmp_path / "t.db"


def open_window(qtbot, tmp_path: Path, path: Path, settings: AppSettings | None = None):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, tmp_path, settings)
    assert window.start_page.open_location(str(path))
    return window


def scores_seen(window: MainWindow) -> set[tuple[str, str]]:
    """(member, justification) of every score the window holds."""
    data = window.session.data
    names = {e.id: e.name for e in data.evaluators}
    return {(names[s.evaluator_id], s.justification) for s in data.scores}


def locked(window: MainWindow, title: str) -> bool:
    page = window.tab_page(title)
    assert isinstance(page, LockableTab)
    return page.locked


def answer_reason(qtbot, reason: str, seen: list[str]) -> None:
    """Answer the next reason dialog: OK is disabled until a reason is typed."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        seen.append(dialog.windowTitle())
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.editor, reason)
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_opening_asks_who_you_are_and_cancel_leaves_it_read_only(
    qtbot, tmp_path: Path, shown
) -> None:
    window = open_window(qtbot, tmp_path, committee_file(tmp_path))
    dialog = window.identity_dialog
    assert isinstance(dialog, IdentityDialog) and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    rows = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert rows == [
        f"{CHAIR} — chair",
        f"{ANN} — committee member, CMO (passphrase)",
        f"{BEN} — committee member, CNO",
    ]
    assert dialog.people.item(0).font().weight() == QFont.Weight.Bold  # the chair, marked
    assert dialog.name() == CHAIR and dialog.passphrase.isHidden()  # the chair has none

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    session = window.session
    assert session.identity is None and not session.editable
    assert window.banner.text().startswith(
        "Scoring: read-only — you have not said who you are. Committee ▸ Switch identity…"
    )
    assert window.identity_label.text() == "Not signed in: read-only"
    assert scores_seen(window) == set()  # nobody in particular sees no member's score
    assert locked(window, "Results") and locked(window, "Consensus")
    assert window.menus.committee.switch.isEnabled()
    assert not window.menus.committee.live.isEnabled()
    assert shown == []


def test_wrong_passphrase_is_refused_in_place_and_a_member_sees_only_their_own_scores(
    qtbot, tmp_path: Path, shown
) -> None:
    path = committee_file(tmp_path)
    settings = AppSettings()
    window = open_window(qtbot, tmp_path, path, settings)
    dialog = window.identity_dialog
    dialog.choose(ANN)
    assert dialog.passphrase.isVisible() and dialog.ok_button.text() == f"&Continue as {ANN}"
    qtbot.keyClicks(dialog.passphrase, "not-her-passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # stays open, says why, ready for another try
    assert dialog.refusal.isVisible()
    assert dialog.refusal.text() == f"⚠ The passphrase for {ANN} is not right: try again."
    assert window.session.identity is None and shown == []
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, ANN_PASSPHRASE)
    assert not dialog.refusal.isVisible()
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    session = window.session
    assert session.identity.name == ANN and session.editable

    assert scores_seen(window) == {(ANN, ANN_WHY)}  # Ben's score is not in this window
    assert window.banner.text() == (
        f"Scoring: you are {ANN} — you see only your own scores until everyone has submitted "
        f"(0 of 2 have; waiting for {ANN}, {BEN}). Submit when you are done."
    )
    assert window.identity_label.text() == f"Working as {ANN} (committee member)"
    assert window.progress_label.text() == "Your scores: 1 of 4 scored (25 %)"  # 2 rated x 2
    assert not window.menus.advance.isEnabled() and not window.menus.back.isEnabled()
    assert window.menus.advance.toolTip().startswith(f"The chair ({CHAIR}) moves the evaluation")
    for title, what in (
        ("Results", "The ranking (and its chart)"),
        ("Consensus", "The consensus view"),
        ("Sensitivity", "The sensitivity analysis"),  # shut and padlocked like the others
        ("Agreement", "The committee's agreement"),
    ):
        assert locked(window, title)
        index = window.tabs.indexOf(window.tab_page(title))
        assert not window.tabs.tabIcon(index).isNull()  # a padlock on the tab
        assert window.tabs.tabToolTip(index).startswith(f"{what} opens when every committee member")
        page = window.tab_page(title)
        assert "waiting for Ann Example, Ben Sample" in page.reason.text()
        assert page.live_button.isHidden()  # a member cannot look early
    window.show_tab("Results")
    assert window.tabs.currentWidget() is window.tab_page("Results")  # the notice, not the view

    window.menus.export.trigger()  # Ctrl+E: refused with the reason, no dialog
    assert shown[-1].startswith("The report opens when every committee member has submitted")
    assert not [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert "waiting for" in window.menus.export.toolTip()

    audit = audit_view_for(window, session)
    audit.refresh()
    whys = {row.why for row in audit.proxy.visible_rows()}
    assert ANN_WHY in whys and BEN_WHY not in whys  # the trail does not give Ben's score away
    assert audit.blind_note.isVisibleTo(audit)

    # the name (never the passphrase) is remembered: the next window starts on Ann
    settings.sync()
    stored = Path(settings.store.fileName()).read_text()
    assert ANN in stored and ANN_PASSPHRASE not in stored
    second = open_window(qtbot, tmp_path, path, settings)
    assert second.identity_dialog.name() == ANN


def test_locked_tabs_open_by_themselves_when_everyone_has_submitted(
    qtbot, tmp_path: Path, shown
) -> None:
    path = committee_file(tmp_path)
    window = open_window(qtbot, tmp_path, path)
    answer_identity_prompt(window, ANN, ANN_PASSPHRASE)
    session = window.session
    ann = next(e.id for e in session.data.evaluators if e.name == ANN)
    assert session.submit(ann)
    assert locked(window, "Results")
    assert (
        "you have submitted" in window.banner.text()
        and f"waiting for {BEN}" in window.banner.text()
    )

    db = open_database(path)  # Ben submits on his own laptop
    process.submit(db, session.ref, BEN, actor=me(db, session.ref, BEN))
    db.close()
    assert session.check_for_changes()  # what the window's watch does every few seconds
    assert not locked(window, "Results") and not locked(window, "Consensus")
    assert not locked(window, "Sensitivity") and not locked(window, "Agreement")
    index = window.tabs.indexOf(window.tab_page("Results"))
    assert window.tabs.tabIcon(index).isNull() and window.tabs.tabToolTip(index) == ""
    assert scores_seen(window) == {(ANN, ANN_WHY), (BEN, BEN_WHY)}  # re-read, now open
    assert window.banner.text().startswith(f"Scoring: you are {ANN} — every member has submitted")
    assert shown == []


def test_the_last_submission_in_the_window_opens_the_committee_scores(
    qtbot, tmp_path: Path, shown
) -> None:
    path = committee_file(tmp_path)
    db = open_database(path)  # Ben submitted already
    process.submit(db, RFP, BEN, actor=me(db, RFP, BEN))
    db.close()
    window = open_window(qtbot, tmp_path, path)
    answer_identity_prompt(window, ANN, ANN_PASSPHRASE)
    assert scores_seen(window) == {(ANN, ANN_WHY)}
    ann = next(e.id for e in window.session.data.evaluators if e.name == ANN)
    assert window.session.submit(ann)
    assert scores_seen(window) == {(ANN, ANN_WHY), (BEN, BEN_WHY)}
    assert not locked(window, "Results")
    assert shown == []


def test_the_chair_views_live_results_with_a_reason_and_the_audit_records_it(
    qtbot, tmp_path: Path, shown
) -> None:
    window = open_window(qtbot, tmp_path, committee_file(tmp_path))
    answer_identity_prompt(window, CHAIR)
    session = window.session
    assert scores_seen(window) == set()  # the chair sees no member's score while they score
    assert window.banner.text().startswith(
        f"Scoring: you are {CHAIR} (chair) — members' scores stay hidden, from you and from "
        "each other, until everyone has submitted (0 of 2 have"
    )
    assert window.menus.advance.isEnabled()  # the chair moves the phases
    page = window.tab_page("Results")
    assert page.locked and page.live_button.isVisibleTo(page)
    assert window.menus.committee.live.isEnabled()
    window.show_tab("Results")

    titles: list[str] = []
    answer_reason(qtbot, "The board asked for an interim view", titles)
    qtbot.mouseClick(page.live_button, Qt.MouseButton.LeftButton)
    assert titles == ["View live results"]
    assert session.live_view and not page.locked and not locked(window, "Consensus")
    assert scores_seen(window) == {(ANN, ANN_WHY), (BEN, BEN_WHY)}
    assert "looking at the live results (recorded in the audit trail)" in window.banner.text()
    assert not window.menus.committee.live.isEnabled()
    last = services.audit_trail(session.db, session.ref)[-1]
    assert (last.action, last.actor) == ("view live results", CHAIR)
    assert last.why == "The board asked for an interim view"
    assert shown == []


def test_the_chair_reopens_a_final_evaluation_with_a_reason(qtbot, tmp_path: Path, shown) -> None:
    window = open_window(qtbot, tmp_path, committee_file(tmp_path, "final"))
    answer_identity_prompt(window, BEN)
    assert "final and read-only" in window.banner.text()
    assert "Only the chair can reopen it" in window.banner.text()
    assert not window.menus.committee.reopen.isEnabled()  # a member cannot

    window.menus.committee.switch.trigger()
    answer_identity_prompt(window, CHAIR)
    assert "As the chair you can reopen it" in window.banner.text()
    assert window.menus.committee.reopen.isEnabled()
    titles: list[str] = []
    answer_reason(qtbot, "The losing bidder's appeal: re-check the gates", titles)
    window.menus.committee.reopen.trigger()
    assert titles == ["Reopen final evaluation"]
    session = window.session
    assert session.data.status is Status.CONSENSUS and session.editable
    assert services.load_evaluation(session.db, session.ref).status is Status.CONSENSUS
    assert window.banner.text().startswith(f"Consensus: you are {CHAIR} (chair)")
    reopened = [e for e in services.audit_trail(session.db, session.ref) if "reopen" in e.action]
    assert reopened[-1].why == "The losing bidder's appeal: re-check the gates"
    assert reopened[-1].actor == CHAIR
    assert shown == []


def test_switching_identity_changes_what_the_window_shows(qtbot, tmp_path: Path, shown) -> None:
    window = open_window(qtbot, tmp_path, committee_file(tmp_path))
    answer_identity_prompt(window, ANN, ANN_PASSPHRASE)
    assert scores_seen(window) == {(ANN, ANN_WHY)}
    session = window.session
    ann = next(e.id for e in session.data.evaluators if e.name == ANN)
    zephyr = next(c.id for c in session.data.candidates if c.name == "Zephyr Care IT")
    assert session.execute(SetScore(session, ann, zephyr, "tiers.l4", 3, "Engineers on call"))
    assert window.menus.undo.isEnabled()
    entries = len(services.audit_trail(session.db, session.ref))
    window.menus.committee.switch.trigger()
    dialog = window.identity_dialog
    assert dialog.name() == ANN  # starts on who works now
    answer_identity_prompt(window, BEN)
    assert scores_seen(window) == {(BEN, BEN_WHY)}
    assert window.banner.text().startswith(f"Scoring: you are {BEN} — ")
    assert window.identity_label.text() == f"Working as {BEN} (committee member)"
    assert not window.menus.undo.isEnabled()  # Ann's steps are not Ben's to undo
    # saying who you are is not a change: nothing is recorded
    assert len(services.audit_trail(window.session.db, window.session.ref)) == entries
    assert shown == []


def test_naming_the_chair_then_protecting_the_chair_with_a_passphrase(
    qtbot, tmp_path: Path, shown
) -> None:
    make_database(tmp_path / "setup.db")[0].close()
    window = open_window(qtbot, tmp_path, tmp_path / "setup.db")
    assert window.identity_dialog is None  # no chair: the one setting up acts as the chair
    assert window.banner.text().startswith(
        "Draft: no chair is named yet, so you act as the chair. Name the chair (Committee ▸ "
        "Name the chair…) before scoring starts"
    )
    assert window.identity_label.text() == "No chair named"
    assert not window.menus.committee.switch.isEnabled()
    assert not window.menus.committee.protect.isEnabled()  # nobody to protect yet

    def name_chair() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NameChairDialog)
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.name_box.lineEdit(), CHAIR)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, name_chair)
    window.menus.committee.name_chair.trigger()
    session = window.session
    assert session.data.chair == CHAIR and session.identity is None and not session.editable
    assert window.identity_dialog.name() == CHAIR  # asked again, starting on the new chair
    answer_identity_prompt(window, CHAIR)
    assert session.is_chair and session.editable
    assert window.menus.committee.name_chair.text() == "Hand the chair &over…"

    def protect() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PassphraseDialog)
        qtbot.keyClicks(dialog.first, "short")
        assert not dialog.ok_button.isEnabled() and "At least 8" in dialog.state.text()
        qtbot.keyClicks(dialog.first, "-but-now-long")
        qtbot.keyClicks(dialog.second, "short-but-now-lon")
        assert not dialog.ok_button.isEnabled() and "same passphrase" in dialog.state.text()
        qtbot.keyClicks(dialog.second, "g")
        assert dialog.ok_button.isEnabled()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, protect)
    window.menus.committee.protect.trigger()
    assert session.data.chair_protected
    with pytest.raises(services.ServiceError, match="protected by a passphrase"):
        identify(session.db, session.ref, CHAIR)
    assert identify(session.db, session.ref, CHAIR, "short-but-now-long").chair
    assert shown == []


def test_the_dialogs_minimum_passphrase_is_the_cores() -> None:
    hash_passphrase("x" * MIN_PASSPHRASE)
    with pytest.raises(services.ServiceError):
        hash_passphrase("x" * (MIN_PASSPHRASE - 1))


def test_mnemonics_are_unique_within_each_menu(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path, committee_file(tmp_path))
    answer_identity_prompt(window, CHAIR)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        letters = []
        for action in menu.actions():
            text = action.text()
            if "&" in text.replace("&&", ""):
                letters.append(text[text.index("&") + 1].lower())
        assert len(letters) == len(set(letters)), (menu_action.text(), letters)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Committee" in titles
    marks = [t[t.index("&") + 1].lower() for t in titles]
    assert len(marks) == len(set(marks))


def test_the_banner_keeps_its_tint_when_it_is_told_again(qtbot) -> None:
    """The phase banner follows every change: its colour must not drift towards the hue."""
    from PySide6.QtGui import QPalette

    from ui.phase_banner import INFO_HUE, PhaseBanner

    banner = PhaseBanner()
    qtbot.addWidget(banner)
    colours = set()
    for _ in range(3):
        banner.show_message("Scoring: you are Ann Example", INFO_HUE)
        colours.add(banner.palette().color(QPalette.ColorRole.Window).name())
    assert len(colours) == 1


def test_without_a_chair_during_scoring_the_banner_asks_for_one_now(tmp_path: Path) -> None:
    """A tester read "name the chair … before scoring starts" while scoring had started."""
    from benchmarks.data import Size, build_database
    from tests.ui_helpers import open_session
    from ui.phase_banner import phase_message

    build_database(tmp_path / "scoring.db", Size(3, 6, 2))  # scoring, no chair named
    session = open_session(tmp_path / "scoring.db", wait=True)
    text, _hue = phase_message(session)
    assert text.startswith("Scoring: no chair is named yet")
    assert "Name the chair (Committee ▸ Name the chair…) now: then everyone says" in text
    assert "before scoring starts" not in text
    session.close_database()
