"""The Scoring tab in the committee process, driven like a member: locked to their own sheet,
declaring conflicts of interest before scoring (again when a candidate is added), a declared
candidate hidden, abstaining with a reason, submitting, and a score's history one click away."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSpinBox

from evaluator import services
from evaluator.changes.context import score_ref
from evaluator.changes.rules import NotAllowed
from evaluator.domain import Score
from evaluator.identity import Identity
from evaluator.services import process
from tests.core_fixtures import CHAIR, chaired, populated
from tests.test_ui_scoring import click_cell, type_score
from tests.ui_helpers import session_on, show
from ui import errors
from ui.audit_view import AuditView
from ui.grid.model import STATE_ROLE
from ui.main_window import MainWindow
from ui.reason_dialog import ReasonDialog
from ui.scoring.model import ABSTAINED, EMPTY
from ui.scoring.view import ScoringView
from ui.settings import AppSettings
from ui.undo import SetScore

ZEPHYR, ORBIS = "Zephyr Care IT", "Orbis Support Co"
ANN, BEN = "Ann Example", "Ben Sample"


@pytest.fixture
def session(tmp_path: Path, qtbot):
    chaired(tmp_path)[0].close()
    with session_on(tmp_path / "t.db") as session:
        yield session


@pytest.fixture
def view(session, qtbot):
    return show(qtbot, ScoringView(session), 1300, 760, activate=True)


def ids(session) -> tuple[dict[str, int], dict[str, int]]:
    data = services.load_evaluation(session.db, session.ref)  # every candidate, even hidden
    return {e.name: e.id for e in data.evaluators}, {c.name: c.id for c in data.candidates}


def stored(session):
    return services.load_evaluation(session.db, session.ref)


def member(session, name: str):
    return next(e for e in stored(session).evaluators if e.name == name)


def editable(view: ScoringView, candidate: int, key: str = "tiers.l1") -> bool:
    index = view.model.index_of(candidate, key)
    return bool(view.model.flags(index) & Qt.ItemFlag.ItemIsEditable)


def tick(qtbot, button) -> None:
    """Click a radio button or check box on its indicator (as wide as the panel, it takes
    clicks on the indicator and label only)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def declare_none(qtbot, view: ScoringView) -> None:
    panel = view.declaration
    assert panel.isVisible()
    tick(qtbot, panel.none)
    qtbot.mouseClick(panel.declare_button, Qt.MouseButton.LeftButton)


def answer_reason(qtbot, reason: str, seen: list[str] | None = None) -> None:
    """When the reason dialog opens: type `reason` and press its button."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        if seen is not None:
            seen.append(dialog.intro.text())
        assert not dialog.ok_button.isEnabled()  # a reason first
        qtbot.keyClicks(dialog.editor, reason)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def back_to(qtbot, widget) -> None:
    """After a modal dialog: the widget's window is active again (offscreen, Qt leaves none)."""
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def test_a_member_sees_only_their_own_sheet_the_chair_every_sheet(session, view):
    people, _firms = ids(session)
    assert session.sign_in(ANN)
    combo = view.evaluator_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [people[ANN]]
    assert not combo.isEnabled()
    assert session.sign_in(CHAIR)
    assert [combo.itemData(i) for i in range(combo.count())] == [people[ANN], people[BEN]]
    assert combo.isEnabled()
    # the chair does not see the members' scores while they score blind, nor types over them
    assert "hidden from the chair" in view.banner.text()
    assert not view.declaration.isVisible()


def test_a_member_declares_before_the_grid_is_editable(session, view, qtbot):
    people, firms = ids(session)
    assert session.sign_in(ANN)
    cell = view.model.index_of(firms[ZEPHYR], "tiers.l1")
    assert view.declaration.isVisible()
    assert "Declare your conflicts of interest before scoring" in view.declaration.title.text()
    assert not editable(view, firms[ZEPHYR]) and not editable(view, firms[ORBIS])
    click_cell(qtbot, view, cell)
    qtbot.keyClicks(view.grid, "4")
    assert not isinstance(QApplication.focusWidget(), QSpinBox)  # no editor opened
    assert not view.declaration.declare_button.isEnabled()  # a choice first

    declare_none(qtbot, view)

    declaration = member(session, ANN).declaration
    assert declaration is not None and declaration.conflicted == ()
    assert set(declaration.covers) == {firms[ZEPHYR], firms[ORBIS]}
    assert not view.declaration.isVisible()
    assert view.conflict.text() == "No conflict"
    assert editable(view, firms[ZEPHYR]) and editable(view, firms[ORBIS])
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "4")
    qtbot.keyClicks(view.justification.editor, "Nurse triage on every call")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert stored(session).scores == [
        Score(people[ANN], firms[ZEPHYR], "tiers.l1", 4.0, "Nurse triage on every call")
    ]


def test_a_declared_conflict_hides_the_candidate_from_the_members_sheet(session, view, qtbot):
    people, firms = ids(session)
    assert session.sign_in(BEN)
    panel = view.declaration
    tick(qtbot, panel.some)
    assert not panel.declare_button.isEnabled()  # tick a candidate first
    tick(qtbot, panel.boxes[firms[ORBIS]])
    qtbot.keyClicks(panel.note, "Advised Orbis in 2022")
    qtbot.mouseClick(panel.declare_button, Qt.MouseButton.LeftButton)

    declaration = member(session, BEN).declaration
    assert declaration is not None and declaration.conflicted == (firms[ORBIS],)
    assert declaration.note == "Advised Orbis in 2022"
    assert [view.model.candidate_at(c).name for c in range(view.model.columnCount())] == [ZEPHYR]
    assert view.hidden_line.isVisible()
    assert view.hidden_line.text().startswith(f"Not shown: {ORBIS} — a declared conflict")
    assert view.conflict.text() == f"⚠ Conflict with {ORBIS}: Advised Orbis in 2022"
    assert editable(view, firms[ZEPHYR])
    assert view.progress.maximum() == 2  # two rated criteria x the one candidate shown
    # the core refuses a score for it by any path
    with pytest.raises(NotAllowed, match="declared a conflict of interest with Orbis"):
        services.set_score(session.db, session.ref, BEN, ORBIS, "tiers.l1", 3, "x",
                           actor=Identity(BEN, people[BEN]))  # fmt: skip


def test_a_candidate_added_after_the_declaration_asks_for_a_new_one(session, view, qtbot):
    _people, firms = ids(session)
    assert session.sign_in(ANN)
    declare_none(qtbot, view)
    chair = Identity(CHAIR, chair=True)
    services.add_candidate(session.db, session.ref, "Cedar Support", actor=chair)  # elsewhere
    assert session.check_for_changes()
    cedar = ids(session)[1]["Cedar Support"]

    panel = view.declaration
    assert panel.isVisible()
    assert "Cedar Support was added after you declared on " in panel.title.text()
    assert panel.none.isChecked()  # the earlier declaration is the starting point
    assert panel.boxes[cedar].text() == "Cedar Support  (new)"
    assert editable(view, firms[ZEPHYR]) and not editable(view, cedar)

    qtbot.mouseClick(panel.declare_button, Qt.MouseButton.LeftButton)
    assert cedar in member(session, ANN).declaration.covers
    assert not panel.isVisible() and editable(view, cedar)
    # re-declaring kept the first declaration: both are in the audit trail
    trail = [e.action for e in services.audit_trail(session.db, session.ref)]
    assert trail.count("declare conflict of interest") == 2


def test_abstain_with_a_reason_reads_abstain_and_undoes(session, view, qtbot):
    people, firms = ids(session)
    assert session.sign_in(ANN)
    declare_none(qtbot, view)
    cell = view.model.index_of(firms[ORBIS], "tiers.l4")
    click_cell(qtbot, view, cell)
    seen: list[str] = []
    answer_reason(qtbot, "Missed their engineering demo", seen)
    qtbot.keyClick(view.grid, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip

    assert "Orbis Support Co / Level 4 engineering escalation" in seen[0]
    abstention = Score(people[ANN], firms[ORBIS], "tiers.l4", 0.0,
                       "Missed their engineering demo", abstained=True)  # fmt: skip
    assert stored(session).scores == [abstention]
    assert cell.data() == "abstain" and cell.data(STATE_ROLE) == ABSTAINED
    assert "Missed their engineering demo" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert view.justification.text() == "Missed their engineering demo"
    assert view.progress.value() == 1  # an abstention counts as reviewed
    assert session.undo_stack.undoText() == (
        "Abstain on Orbis Support Co / Level 4 engineering escalation"
    )

    session.undo_stack.undo()
    assert stored(session).scores == [] and cell.data() == "" and cell.data(STATE_ROLE) == EMPTY
    session.undo_stack.redo()
    assert stored(session).scores == [abstention] and cell.data() == "abstain"

    # a number typed over it replaces the abstention (the reason stays as the justification)
    back_to(qtbot, view)
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "0")
    assert cell.data() == "0 *"
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert stored(session).scores == [
        Score(people[ANN], firms[ORBIS], "tiers.l4", 0.0, "Missed their engineering demo")
    ]


def test_the_context_menu_abstains_and_opens_the_history(session, qtbot):
    people, firms = ids(session)

    class Window(QMainWindow):
        opened: ClassVar[list[str]] = []

        def open_history(self, ref: str) -> None:
            self.opened.append(ref)

    window = Window()
    view = ScoringView(session)
    window.setCentralWidget(view)
    qtbot.addWidget(window)
    window.resize(1300, 760)
    window.show()
    qtbot.waitExposed(window)
    assert session.sign_in(ANN)
    declare_none(qtbot, view)
    cell = view.model.index_of(firms[ZEPHYR], "tiers.l1")
    point = view.grid.visualRect(cell).center()

    def menu_texts() -> list[str]:
        view.grid.customContextMenuRequested.emit(point)
        menu = next(m for m in view.grid.findChildren(QMenu) if m.isVisible())
        texts = [a.text() for a in menu.actions() if a.text()]
        menu.close()
        return texts

    assert menu_texts() == ["&Abstain…", "&Clear score", "&History…"]
    assert view.grid.currentIndex() == cell  # the menu acts on the cell clicked
    answer_reason(qtbot, "Outside my expertise")
    view.actions.abstain_action.trigger()
    assert cell.data() == "abstain"
    view.justification.history_button.click()
    assert window.opened == [score_ref(people[ANN], firms[ZEPHYR], "tiers.l1")]
    view.actions.history_action.trigger()
    assert len(window.opened) == 2


def test_submit_confirms_then_the_sheet_is_read_only_until_the_chair_reopens(
    session, view, qtbot, monkeypatch
):
    people, firms = ids(session)
    db, ev = session.db, session.ref
    assert session.sign_in(ANN)
    declare_none(qtbot, view)
    assert view.actions.submit_button.isVisible()
    assert view.actions.submit_button.text() == "Submit my scores…"
    session.execute(SetScore(session, people[ANN], firms[ZEPHYR], "tiers.l1", 4, "Triage"))
    answer_reason(qtbot, "Not at the demo")
    click_cell(qtbot, view, view.model.index_of(firms[ORBIS], "tiers.l1"))
    view.actions.abstain_action.trigger()
    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(
        errors, "confirm", lambda _p, _t, text, _a: asked.append(text) or next(answers)
    )

    qtbot.mouseClick(view.actions.submit_button, Qt.MouseButton.LeftButton)
    assert not member(session, ANN).submitted  # declined
    qtbot.mouseClick(view.actions.submit_button, Qt.MouseButton.LeftButton)

    assert "1 of 4 scored, 1 abstained (50 %)" in asked[0]
    assert "2 cells are still empty: they count as missing." in asked[0]
    assert member(session, ANN).submitted
    at = process.submission_times(db, ev)[people[ANN]]  # UTC, as the database keeps it
    day = at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d")
    assert view.banner.isVisible()
    assert view.banner.text() == f"Submitted on {day} — only the chair can reopen your sheet."
    assert not view.actions.submit_button.isVisible()
    assert not editable(view, firms[ZEPHYR]) and not editable(view, firms[ORBIS])
    assert not view.actions.abstain_action.isEnabled()

    # the chair reopens the sheet from another laptop: this window follows on its next check
    process.reopen_sheet(
        db, ev, ANN, "Score on the wrong candidate", actor=Identity(CHAIR, chair=True)
    )
    assert session.check_for_changes()
    assert not view.banner.isVisible()
    assert editable(view, firms[ZEPHYR]) and view.actions.submit_button.isVisible()
    # ... and a submission from elsewhere (the shell) shows here too
    process.submit(db, ev, ANN, actor=Identity(ANN, people[ANN]))
    assert session.check_for_changes()
    assert view.banner.text().startswith("Submitted on ") and not editable(view, firms[ZEPHYR])


def test_unsaved_edits_are_saved_or_discarded_before_submitting(session, view, qtbot, monkeypatch):
    _people, firms = ids(session)
    assert session.sign_in(ANN)
    declare_none(qtbot, view)
    click_cell(qtbot, view, view.model.index_of(firms[ZEPHYR], "tiers.l4"))
    type_score(qtbot, view, "3")
    shown: list[str] = []
    monkeypatch.setattr(errors, "show_error", lambda _p, text, _t="": shown.append(text))
    monkeypatch.setattr(errors, "confirm", lambda *_a: pytest.fail("not asked"))
    assert not view.actions.submit()
    assert shown == [
        "1 typed score is not saved yet: write the justification and save, or discard the "
        "edit, before submitting."
    ]
    assert not member(session, ANN).submitted


def test_history_button_opens_the_windows_audit_viewer_on_the_score(tmp_path: Path, qtbot):
    """In the real window: the view finds its window's `open_history` (no shell import)."""
    db, ev = populated(tmp_path)  # no chair: one person sets up and scores for everyone
    services.set_score(db, ev, BEN, ORBIS, "tiers.l1", 2, "Slow desk")
    services.set_score(db, ev, BEN, ORBIS, "tiers.l1", 3, "Second look")
    services.set_score(db, ev, ANN, ORBIS, "tiers.l1", 4, "Fast desk")
    db.close()
    window = MainWindow(settings=AppSettings())
    qtbot.addWidget(window)
    window.start_page.open_location(str(tmp_path / "t.db"))
    window.show()
    qtbot.waitExposed(window)
    window.show_tab("Scoring")
    view = window.tab("Scoring")
    assert isinstance(view, ScoringView)
    people, firms = ids(window.session)
    view.evaluator_combo.setCurrentIndex(view.evaluator_combo.findData(people[BEN]))
    click_cell(qtbot, view, view.model.index_of(firms[ORBIS], "tiers.l1"))
    qtbot.mouseClick(view.justification.history_button, Qt.MouseButton.LeftButton)

    audit = window.findChild(AuditView, "auditView")
    assert audit is not None and audit.isVisible()
    rows = audit.proxy.visible_rows()
    assert [(r.actor, r.old, r.new, r.why) for r in rows] == [
        (rows[0].actor, "", "2", "Slow desk"),
        (rows[0].actor, "2", "3", "Second look"),
    ]
    assert "Ben Sample: Orbis Support Co" in audit.history.text()
    audit.close()

    # the abstain shortcut reaches the grid in the window (no other tab claims it)
    back_to(qtbot, view)
    zephyr = view.model.index_of(firms[ZEPHYR], "tiers.l4")
    click_cell(qtbot, view, zephyr)
    answer_reason(qtbot, "Was not in the Level 4 session")
    qtbot.keyClick(view.grid, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert zephyr.data() == "abstain"
    window.session.close_database()


def test_a_reset_of_the_same_sheet_keeps_the_current_cell(session, view, qtbot):
    """A sheet reset while the member works (their last submission opening everyone's scores,
    a candidate added elsewhere) keeps the current cell; it jumped to the first empty cell.
    Another member's sheet, or another evaluation, starts where work remains."""
    _people, firms = ids(session)
    assert session.sign_in(ANN)
    declare_none(qtbot, view)
    kept = view.model.index_of(firms[ORBIS], "tiers.l4")
    click_cell(qtbot, view, kept)
    view.model.rebuild()  # what a reload that changed the sheet's shape does
    current = view.grid.currentIndex()
    place = (view.model.candidate_at(current.column()).id, view.model.row(current.row()).key)
    assert place == (firms[ORBIS], "tiers.l4")

    session.open_evaluation(session.data.id)  # opened again: a fresh start
    current = view.grid.currentIndex()
    place = (view.model.candidate_at(current.column()).id, view.model.row(current.row()).key)
    assert place != (firms[ORBIS], "tiers.l4")
