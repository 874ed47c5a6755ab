"""The Scoring tab driven like a user: keys in the grid, a justification, undo, read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QSpinBox

from evaluator import services
from evaluator.domain import Score
from tests.core_fixtures import populated
from tests.ui_helpers import finalise, session_on, show
from ui.grid.model import STATE_ROLE
from ui.scoring.model import PENDING, SAVED, ScoringModel
from ui.scoring.view import ScoringView


@pytest.fixture
def session(tmp_path, qtbot):
    db, evaluation = populated(tmp_path)
    db.close()
    with session_on(tmp_path / "t.db") as session:
        assert session.data is not None and session.data.id == evaluation
        yield session


@pytest.fixture
def view(session, qtbot):
    return show(qtbot, ScoringView(session), 1200, 700, activate=True)


def ids(session):
    data = session.data
    people = {e.name: e.id for e in data.evaluators}
    firms = {c.name: c.id for c in data.candidates}
    return people, firms


def click_cell(qtbot, view, index: QModelIndex) -> None:
    view.grid.scrollTo(index)
    rect = view.grid.visualRect(index)
    qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.grid.currentIndex() == index


def type_score(qtbot, view, digit: str, key=Qt.Key.Key_Return) -> None:
    """Type a digit on the current cell (opens the editor) and leave it with Enter or Tab."""
    qtbot.keyClicks(view.grid, digit)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QSpinBox), "typing a digit opens the score editor"
    qtbot.keyClick(editor, key)


def saved_scores(session) -> set[Score]:
    return set(services.load_evaluation(session.db, session.ref).scores)


def test_keyboard_score_with_justification_is_saved_and_undoable(session, view, qtbot):
    people, firms = ids(session)
    ann, zephyr = people["Ann Example"], firms["Zephyr Care IT"]
    model = view.model
    assert view.evaluator_combo.currentData() == ann
    cell = model.index_of(zephyr, "tiers.l1")
    click_cell(qtbot, view, cell)

    type_score(qtbot, view, "4")
    # not saved yet: it waits, visibly, for its justification, and focus went there
    assert cell.data() == "4 *"
    assert cell.data(STATE_ROLE) == PENDING
    assert view.justification.editor.hasFocus()
    assert saved_scores(session) == set()
    assert view.unsaved.isVisible() and "1 score waiting" in view.unsaved.text()

    qtbot.keyClicks(view.justification.editor, "Triage nurse on every call")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)

    expected = Score(ann, zephyr, "tiers.l1", 4.0, "Triage nurse on every call")
    assert saved_scores(session) == {expected}
    assert cell.data() == "4"
    assert view.grid.hasFocus()
    # Enter moved the cursor down to the next rated row (l4), same candidate
    assert view.grid.currentIndex() == model.index_of(zephyr, "tiers.l4")
    assert view.progress.value() == 1 and view.progress.maximum() == 4  # 2 rated x 2 firms
    assert session.undo_stack.undoText() == "Set score Zephyr Care IT / Level 1 help desk to 4"

    session.undo_stack.undo()
    assert saved_scores(session) == set()
    assert cell.data() == ""
    assert view.progress.value() == 0
    session.undo_stack.redo()
    assert saved_scores(session) == {expected}
    assert cell.data() == "4"


def test_tab_after_a_digit_moves_right_and_enter_comes_back_to_the_justification(
    session, view, qtbot
):
    _people, firms = ids(session)
    model = view.model
    zephyr = model.index_of(firms["Zephyr Care IT"], "tiers.l4")
    orbis = model.index_of(firms["Orbis Support Co"], "tiers.l4")
    click_cell(qtbot, view, zephyr)
    type_score(qtbot, view, "2", Qt.Key.Key_Tab)
    assert view.grid.currentIndex() == orbis  # as the hint says: Tab moves right
    assert view.grid.hasFocus()
    assert zephyr.data(STATE_ROLE) == PENDING and zephyr.data() == "2 *"  # waits, marked
    assert saved_scores(session) == set()
    type_score(qtbot, view, "4", Qt.Key.Key_Backtab)
    assert view.grid.currentIndex() == zephyr
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)  # the waiting value: write its justification
    assert view.justification.editor.hasFocus()
    qtbot.keyClicks(view.justification.editor, "Escalation only via the account manager")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert {(s.candidate_id, s.value) for s in saved_scores(session)} == {
        (firms["Zephyr Care IT"], 2.0)
    }
    assert orbis.data(STATE_ROLE) == PENDING  # the other still waits for its justification


def test_enter_on_a_cell_without_a_typed_value_moves_down(session, view, qtbot):
    _people, firms = ids(session)
    model = view.model
    click_cell(qtbot, view, model.index_of(firms["Zephyr Care IT"], "tiers.l1"))
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert view.grid.currentIndex() == model.index_of(firms["Zephyr Care IT"], "tiers.l4")
    assert view.grid.hasFocus()


def test_a_value_outside_the_scale_says_why(session, view, qtbot):
    from PySide6.QtWidgets import QMainWindow, QToolTip

    window = QMainWindow()  # the window's status line says it too
    window.setCentralWidget(view)
    window.show()
    _people, firms = ids(session)
    cell = view.model.index_of(firms["Zephyr Care IT"], "tiers.l1")
    click_cell(qtbot, view, cell)
    with qtbot.waitSignal(view.delegate.refused) as refused:
        qtbot.keyClicks(view.grid, "7")
    assert refused.args == ["7 is not on the scale: scores go from 0 to 5 (whole points)"]
    assert window.statusBar().currentMessage() == refused.args[0]
    assert QToolTip.text() == refused.args[0]
    editor = view.grid.findChild(QSpinBox)
    assert editor is not None and editor.text() == " "  # the 7 was not taken
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert cell.data(STATE_ROLE) != PENDING and cell.data() == ""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "5")  # a value on the scale is taken without a word
    assert cell.data() == "5 *"
    window.takeCentralWidget()  # the view's fixture closes it
    window.deleteLater()


def test_no_score_is_saved_without_a_justification(session, view, qtbot):
    _people, firms = ids(session)
    cell = view.model.index_of(firms["Orbis Support Co"], "tiers.l1")
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, "3")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)  # empty text
    assert saved_scores(session) == set()
    assert "justification" in view.justification.state.text()
    assert view.justification.editor.hasFocus()  # still asking
    assert session.errors == []


def test_moving_away_keeps_the_unsaved_edit_and_its_draft(session, view, qtbot):
    _people, firms = ids(session)
    model = view.model
    first = model.index_of(firms["Orbis Support Co"], "tiers.l1")
    other = model.index_of(firms["Zephyr Care IT"], "tiers.l4")
    click_cell(qtbot, view, first)
    type_score(qtbot, view, "5")
    qtbot.keyClicks(view.justification.editor, "Half-written")
    click_cell(qtbot, view, other)  # walks away before saving
    assert view.justification.text() == ""
    assert first.data() == "5 *"
    assert first.data(STATE_ROLE) == PENDING
    assert model.pending_count() == 1

    qtbot.keyClick(view, Qt.Key.Key_F8)  # next unsaved edit
    assert view.grid.currentIndex() == first
    assert view.justification.text() == "Half-written"
    qtbot.keyClicks(view.justification.editor, " reasons")
    view.justification.save_button.click()
    assert [s.justification for s in saved_scores(session)] == ["Half-written reasons"]
    assert model.pending_count() == 0 and not view.unsaved.isVisible()


def test_changing_a_saved_score_keeps_its_justification_on_enter(session, view, qtbot):
    people, firms = ids(session)
    ann, zephyr = people["Ann Example"], firms["Zephyr Care IT"]
    services.set_score(session.db, session.ref, "Ann Example", "Zephyr Care IT", "tiers.l4", 2,
                       "Only by ticket")  # fmt: skip
    session.reload()
    cell = view.model.index_of(zephyr, "tiers.l4")
    click_cell(qtbot, view, cell)
    assert view.justification.text() == "Only by ticket"
    type_score(qtbot, view, "3")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert saved_scores(session) == {Score(ann, zephyr, "tiers.l4", 3.0, "Only by ticket")}


def test_delete_clears_and_undo_restores(session, view, qtbot):
    people, firms = ids(session)
    ann, orbis = people["Ann Example"], firms["Orbis Support Co"]
    for key, value in (("tiers.l1", 1), ("tiers.l4", 2)):
        services.set_score(session.db, session.ref, "Ann Example", "Orbis Support Co", key,
                           value, "seen in demo")  # fmt: skip
    session.reload()
    model = view.model
    click_cell(qtbot, view, model.index_of(orbis, "tiers.l1"))
    qtbot.keyClick(view.grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # select 2
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)
    assert saved_scores(session) == set()
    assert model.index_of(orbis, "tiers.l4").data() == ""
    assert session.undo_stack.undoText() == "Clear 2 scores"
    session.undo_stack.undo()
    assert {(s.criterion_key, s.value) for s in saved_scores(session)} == {
        ("tiers.l1", 1.0),
        ("tiers.l4", 2.0),
    }
    assert model.index_of(orbis, "tiers.l4").data() == "2"
    assert all(s.evaluator_id == ann for s in saved_scores(session))


def test_only_rated_cells_are_editable_and_categories_are_headers(session, view):
    _people, firms = ids(session)
    model = view.model
    zephyr = firms["Zephyr Care IT"]
    editable = Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index_of(zephyr, "tiers.l1")) & editable
    for key in ("offshore.share", "cost.fee", "gates.baa"):
        assert not model.flags(model.index_of(zephyr, key)) & editable
    header = model.index_of(zephyr, "tiers")
    assert model.flags(header) == Qt.ItemFlag.NoItemFlags
    assert view.grid.columnSpan(header.row(), 0) == 2
    # no answers yet: the gate is pending, the auto leaf has no value
    assert model.index_of(zephyr, "gates.baa").data() == "? pending"
    assert model.index_of(zephyr, "offshore.share").data() == "–"
    assert model.index_of(zephyr, "tiers").data().startswith("0 of 4 scored")


def test_switching_evaluator_shows_their_scores(session, view, qtbot):
    people, firms = ids(session)
    services.set_score(session.db, session.ref, "Ben Sample", "Zephyr Care IT", "tiers.l1", 1,
                       "Slow answers")  # fmt: skip
    session.reload()
    cell = view.model.index_of(firms["Zephyr Care IT"], "tiers.l1")
    assert cell.data() == ""
    view.evaluator_combo.setCurrentIndex(view.evaluator_combo.findData(people["Ben Sample"]))
    assert cell.data() == "1"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "1: Slow answers"
    assert view.conflict.text() == "No conflict. Advised Orbis in 2022"


def test_final_evaluation_refuses_editing(session, view, qtbot):
    _people, firms = ids(session)
    cell = view.model.index_of(firms["Zephyr Care IT"], "tiers.l1")
    finalise(session, "Board approved")
    assert view.banner.isVisible() and "read-only" in view.banner.text()
    assert not view.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    click_cell(qtbot, view, cell)
    qtbot.keyClicks(view.grid, "4")
    assert not isinstance(QApplication.focusWidget(), QSpinBox)
    assert view.justification.editor.isReadOnly()
    assert view.model.setData(cell, 4) is False
    assert saved_scores(session) == set()


def test_scoring_model_passes_the_model_tester(session, qtmodeltester):
    services.set_score(session.db, session.ref, "Ann Example", "Zephyr Care IT", "tiers.l1", 3,
                       "Fine")  # fmt: skip
    session.reload()
    session.wait_for_results()
    model = ScoringModel(session)
    qtmodeltester.check(model)
    index = model.index_of(session.data.candidates[0].id, "tiers.l1")
    assert index.data(STATE_ROLE) == SAVED
    assert model.setData(model.index_of(session.data.candidates[1].id, "tiers.l4"), 2)
    qtmodeltester.check(model)
