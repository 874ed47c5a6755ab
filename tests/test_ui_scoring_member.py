"""A committee member's scoring flow in a window, as a tester used it: a score changed from
another process while the member types one, the status line during blind scoring, the progress
readings, and undo after submitting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from evaluator import services
from evaluator.identity import Identity
from evaluator.services import process
from tests import test_ui_scoring_process as process_tests
from tests.core_fixtures import CHAIR
from tests.test_ui_scoring import click_cell, type_score
from tests.test_ui_scoring_process import (
    ANN,
    BEN,
    ORBIS,
    ZEPHYR,
    answer_reason,
    declare_none,
    ids,
)
from tests.ui_helpers import show
from ui import errors
from ui.grid.model import STATE_ROLE
from ui.scoring.model import PENDING, SAVED
from ui.scoring.view import ScoringView
from ui.window_status import StatusLabels

session = process_tests.session  # the chaired evaluation, in scoring


@pytest.fixture
def window(session, qtbot) -> QMainWindow:
    """The Scoring view in a window with a status line, Ann signed in and declared."""
    window = QMainWindow()
    window.setCentralWidget(ScoringView(session))
    show(qtbot, window, 1300, 760, activate=True)
    assert session.sign_in(ANN)
    declare_none(qtbot, window.centralWidget())
    return window


def shell_score(session, value: int, why: str) -> None:
    """Ann's score for Zephyr / Level 1 set from another process (her CLI `score`)."""
    people, _firms = ids(session)
    services.set_score(
        session.db, session.ref, ANN, ZEPHYR, "tiers.l1", value, why,
        actor=Identity(ANN, people[ANN]),
    )  # fmt: skip


def type_four_with_justification(qtbot, view: ScoringView):  # type: ignore[no-untyped-def]
    _people, firms = ids(view.session)
    cell = view.model.index_of(firms[ZEPHYR], "tiers.l1")
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "4")
    assert QApplication.focusWidget() is view.justification.editor
    qtbot.keyClicks(view.justification.editor, "Named engineers on call")
    assert cell.data() == "4 *" and cell.data(STATE_ROLE) == PENDING
    return cell


def test_a_stale_save_shows_the_stored_score_and_never_saves_over_it_unseen(session, window, qtbot):
    view = window.centralWidget()
    cell = type_four_with_justification(qtbot, view)
    shell_score(session, 1, "Weak escalation")  # meanwhile, from the shell

    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)  # save: refused as stale
    assert "changed by Ann Example" in session.errors[-1]
    assert cell.data() == "1" and cell.data(STATE_ROLE) == SAVED  # the stored value
    said = window.statusBar().currentMessage()
    assert "Your 4 for Zephyr Care IT / " in said and "not saved" in said and "now 1" in said
    assert view.model.pending_count() == 0

    session.reload()  # F5
    assert cell.data() == "1"
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)  # a second Enter saves nothing over the 1
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert session.score(*view.model._cell(cell)).value == 1.0
    assert services.load_evaluation(session.db, session.ref).scores[0].value == 1.0


def test_a_score_arriving_while_typing_replaces_the_typed_one_with_a_notice(session, window, qtbot):
    view = window.centralWidget()
    cell = type_four_with_justification(qtbot, view)
    shell_score(session, 2, "Slow callbacks")
    assert session.check_for_changes()  # what the window's timer does

    assert cell.data() == "2" and view.model.pending_count() == 0
    assert "Your 4 for Zephyr Care IT" in window.statusBar().currentMessage()
    # above the grid too, with what was typed, until dismissed: the window's own status
    # message about the other process's change replaces the status line at once
    window.statusBar().showMessage("Updated with changes saved in another window or process.")
    said = view.set_aside.text()
    assert view.set_aside.isVisible() and "Your 4 for Zephyr Care IT" in said
    assert "You had written: “Named engineers on call”" in said and "now 2" in said
    view.set_aside.linkActivated.emit("dismiss")
    assert not view.set_aside.isVisible()
    # typed again on what the member now sees, the save carries the 2 as seen: accepted
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "4")
    qtbot.keyClicks(view.justification.editor, "Named engineers on call")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert session.score(*view.model._cell(cell)).value == 4.0


def test_the_status_line_names_nobody_when_colleagues_save_during_blind_scoring(
    session, window, qtbot
):
    assert session.blind
    ben = Identity(BEN, ids(session)[0][BEN])
    process.declare(session.db, session.ref, BEN, actor=ben)
    services.set_score(
        session.db, session.ref, BEN, ZEPHYR, "tiers.l1", 3, "Good triage", actor=ben
    )
    shell_score(session, 2, "Slow callbacks")  # and Ann's own cell, from her shell
    messages: list[str] = []
    session.externalChange.connect(messages.append)
    assert session.check_for_changes()
    assert messages == ["Updated with changes saved in another window or process."]


def test_undo_is_disabled_after_submitting_and_works_again_on_a_reopened_sheet(
    session, window, qtbot, monkeypatch
):
    view = window.centralWidget()
    undo = session.undo_stack.createUndoAction(window, "&Undo")  # as the Edit menu has it
    cell = type_four_with_justification(qtbot, view)
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert cell.data() == "4" and undo.isEnabled()
    monkeypatch.setattr(errors, "confirm", lambda *_a: True)

    assert view.actions.submit()
    assert not undo.isEnabled()  # the submitted scores are frozen: nothing to undo

    process.reopen_sheet(
        session.db, session.ref, ANN, "Wrong candidate", actor=Identity(CHAIR, chair=True)
    )
    assert session.check_for_changes()
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "5")
    qtbot.keyClicks(view.justification.editor, "Engineers on site")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert undo.isEnabled()
    undo.trigger()
    assert cell.data() == "4" and session.errors == []


def test_the_progress_bar_status_line_and_submit_dialog_read_alike(
    session, window, qtbot, monkeypatch
):
    view = window.centralWidget()
    labels = StatusLabels(window.statusBar())
    _people, firms = ids(session)
    shell_score(session, 2, "Slow callbacks")  # 1 of 4 cells: 25 %, not Qt's rounding down
    assert session.check_for_changes()
    labels.show_progress(session)
    assert view.progress.text() == "1 of 4 scored (25 %)"
    assert labels.progress.text() == "Your scores: 1 of 4 scored (25 %)"
    answer_reason(qtbot, "Not at the demo")  # an abstention: done, counted alike everywhere
    click_cell(qtbot, view, view.model.index_of(firms[ORBIS], "tiers.l1"))
    view.actions.abstain_action.trigger()
    labels.show_progress(session)
    assert view.progress.text() == "1 of 4 scored, 1 abstained (50 %)"
    assert labels.progress.text() == "Your scores: 1 of 4 scored, 1 abstained (50 %)"
    asked: list[str] = []
    monkeypatch.setattr(errors, "confirm", lambda _p, _t, text, _a: asked.append(text) is None)
    assert view.actions.submit()
    assert "1 of 4 scored, 1 abstained (50 %)" in asked[0]
    assert "2 cells are still empty" in asked[0]


def test_the_sheets_progress_reads_as_the_status_lines_through_edits_and_a_declaration(
    session, window, qtbot
):
    """The Scoring tab counts from its own index of the member's cells; the status line (and
    every other place) from `member_progress`: the two agree after a score from the shell,
    an abstention, and a conflict declared on a scored candidate (its cells drop out)."""
    from ui.scoring.progress import member_progress

    view = window.centralWidget()
    people, firms = ids(session)
    ann = people[ANN]

    def both() -> tuple[object, object]:
        return view.model.progress(), member_progress(session, ann)

    sheet, status = both()
    assert sheet == status and sheet.total > 0 and sheet.done == 0
    shell_score(session, 2, "Slow callbacks")
    services.set_score(
        session.db, session.ref, ANN, ORBIS, "tiers.l1", 4, "Clinical triage",
        actor=Identity(ANN, ann),
    )  # fmt: skip
    assert session.check_for_changes()
    sheet, status = both()
    assert sheet == status and (sheet.scored, sheet.abstained) == (2, 0)
    assert view.model.abstain(view.model.index_of(firms[ZEPHYR], "tiers.l4"), "Not my area")
    sheet, status = both()
    assert sheet == status and (sheet.scored, sheet.abstained) == (2, 1)
    process.declare(session.db, session.ref, ANN, [ORBIS], "Consulted for Orbis",
                    actor=Identity(ANN, ann))  # fmt: skip
    assert session.check_for_changes()
    sheet, status = both()
    assert sheet == status and (sheet.scored, sheet.abstained) == (1, 1)  # Orbis left out
