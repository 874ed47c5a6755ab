"""Scores typed without a justification are never dropped silently, driven in the real window.

A score is saved only with its justification, so a typed value waits ("4 *", tinted) until
one is written. Switching evaluation, opening another database or closing the window with
such edits asks "Discard them / Go back". The question box is replaced by a stand-in that
records the text and presses the named button, so the tests never block on a modal box.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QSpinBox
from ui_helpers import make_database

from evaluator import services
from tests.core_fixtures import populated
from ui.grid.model import STATE_ROLE
from ui.main_window import MainWindow
from ui.scoring.model import PENDING
from ui.settings import AppSettings


class Answers:
    """Stands in for QMessageBox.exec: records each question, presses the button whose text
    starts with `choice` ("Go back", "Discard")."""

    def __init__(self) -> None:
        self.choice = "Go back"
        self.asked: list[str] = []

    def exec(self, box: QMessageBox) -> int:
        self.asked.append(f"{box.text()} {box.informativeText()}")
        wanted = [b for b in box.buttons() if b.text().replace("&", "").startswith(self.choice)]
        assert wanted, f"no {self.choice!r} button in {[b.text() for b in box.buttons()]}"
        wanted[0].click()
        return 0


@pytest.fixture
def answers(monkeypatch) -> Answers:
    stand_in = Answers()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: stand_in.exec(box))
    return stand_in


@pytest.fixture
def window(qtbot, tmp_path, answers) -> MainWindow:
    """Two evaluations in one database; the first, with two candidates and members, open
    on the Scoring tab."""
    db, evaluation = populated(tmp_path)
    services.create_evaluation(db, "Lakeside RFP", [], client="Lakeside Clinic")
    db.close()
    widget = MainWindow(settings=AppSettings(), catalog_dirs=[])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.start_page.open_location(str(tmp_path / "t.db"))
    if widget.session.data is None or widget.session.data.id != evaluation:
        widget.session.open_evaluation(evaluation)
    widget.show_tab("Scoring")
    widget.activateWindow()
    yield widget
    answers.choice = "Discard"  # closed while the stand-in answers, whatever is pending
    widget.close()


def type_unsaved(qtbot, window: MainWindow, candidate: str, key: str, digit: str) -> None:
    """Type a score in the grid and leave it with Enter: it waits for a justification."""
    view = window.tab("Scoring")
    firm = next(c.id for c in window.session.data.candidates if c.name == candidate)
    index = view.model.index_of(firm, key)
    view.grid.scrollTo(index)
    qtbot.mouseClick(
        view.grid.viewport(), Qt.MouseButton.LeftButton, pos=view.grid.visualRect(index).center()
    )
    qtbot.keyClicks(view.grid, digit)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QSpinBox)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert index.data() == f"{digit} *" and index.data(STATE_ROLE) == PENDING


def pick_the_other_evaluation(qtbot, window: MainWindow) -> None:
    """Arrow keys on the toolbar's evaluation picker, as a keyboard user does."""
    picker = window.picker
    assert picker.count() == 2
    picker.setFocus()
    key = Qt.Key.Key_Down if picker.currentIndex() == 0 else Qt.Key.Key_Up
    qtbot.keyClick(picker, key)


def test_switching_evaluation_asks_and_go_back_keeps_the_edits(qtbot, window, answers):
    view, session = window.tab("Scoring"), window.session
    riverbend = session.data.id
    type_unsaved(qtbot, window, "Zephyr Care IT", "tiers.l1", "4")
    type_unsaved(qtbot, window, "Orbis Support Co", "tiers.l4", "2")
    view.evaluator_combo.setCurrentIndex(1)  # Ben's sheet: Ann's edits are kept, not shown
    type_unsaved(qtbot, window, "Orbis Support Co", "tiers.l1", "5")
    view.evaluator_combo.setCurrentIndex(0)
    window.show_tab("Candidates")

    pick_the_other_evaluation(qtbot, window)
    assert answers.asked == [
        "You have 3 scores without a justification in the Scoring tab. A score is saved only "
        "together with its justification, so these are not saved yet."
    ]
    assert session.data.id == riverbend
    assert window.picker.currentData() == riverbend  # the picker shows what is open
    assert view.unsaved_count() == 3
    # Go back: the Scoring tab, the cursor on an unsaved edit
    assert window.tabs.currentWidget() is view
    assert view.model.pending(view.grid.currentIndex()) is not None

    answers.choice = "Discard"
    pick_the_other_evaluation(qtbot, window)
    assert len(answers.asked) == 2
    assert session.data.name == "Lakeside RFP"
    assert view.unsaved_count() == 0
    assert services.load_evaluation(session.db, riverbend).scores == []  # nothing was saved


def test_opening_another_database_asks_first(qtbot, window, answers, tmp_path):
    make_database(tmp_path / "other.db", "Hillcrest RFP")[0].close()
    type_unsaved(qtbot, window, "Zephyr Care IT", "tiers.l4", "3")
    assert not window.start_page.open_location(str(tmp_path / "other.db"))  # File > Open path
    assert answers.asked[-1].startswith("You have 1 score without a justification")
    assert "this one is not saved yet" in answers.asked[-1]
    assert window.session.data.name == "Riverbend RFP"
    assert Path(window.session.location) == tmp_path / "t.db"

    answers.choice = "Discard"
    assert window.start_page.open_location(str(tmp_path / "other.db"))
    assert window.session.data.name == "Hillcrest RFP"


def test_closing_the_window_asks_and_go_back_keeps_it_open(qtbot, window, answers):
    type_unsaved(qtbot, window, "Orbis Support Co", "tiers.l1", "1")
    window.close()
    assert window.isVisible() and len(answers.asked) == 1
    answers.choice = "Discard"
    window.close()
    assert not window.isVisible() and len(answers.asked) == 2


def test_nothing_pending_nothing_asked(qtbot, window, answers):
    view = window.tab("Scoring")
    type_unsaved(qtbot, window, "Zephyr Care IT", "tiers.l1", "4")
    qtbot.keyClicks(view.justification.editor, "Nurse triage on every call")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)  # saved with its reason
    assert view.unsaved_count() == 0
    pick_the_other_evaluation(qtbot, window)
    assert window.session.data.name == "Lakeside RFP"
    window.close()
    assert answers.asked == [] and not window.isVisible()
