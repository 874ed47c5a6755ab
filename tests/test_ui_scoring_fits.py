"""The Scoring tab fits a 1366 x 768 laptop at committee scale: 50 candidates to declare about
scroll inside the declaration panel instead of pushing the grid and Save off the screen, and a
long conflict note ends in "…" instead of widening the window, and the member shown as the
evaluation opens does not see the candidate they declared (all found by a tester)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from benchmarks.data import NAME, Size, build_database
from evaluator import services
from evaluator.db import open_database
from evaluator.services import process
from tests.ui_helpers import open_session, show
from ui.scoring.declaration import VISIBLE_ROWS
from ui.scoring.view import ScoringView

LAPTOP_WIDTH, LAPTOP_HEIGHT = 1366, 768
NOTE = (
    "Advised Fictitious Support Co 01 on its 2024 restructuring and still holds shares in "
    "its parent company through a family trust"
)


def view_on(qtbot, path: Path) -> ScoringView:  # type: ignore[no-untyped-def]
    session = open_session(path, wait=True)
    view = show(qtbot, ScoringView(session), 1300, 700)
    qtbot.addWidget(view)
    return view


def test_fifty_candidates_to_declare_about_scroll_inside_the_panel(qtbot, tmp_path) -> None:
    path = tmp_path / "fifty.db"
    build_database(path, Size(50, 12, 2))  # nobody has declared yet
    view = view_on(qtbot, path)
    panel = view.declaration
    assert panel.isVisible() and len(panel.boxes) == 50
    assert panel.boxes_area.verticalScrollBar().maximum() > 0  # the rest scroll
    row = next(iter(panel.boxes.values())).sizeHint().height()
    step = row + panel.candidates.verticalSpacing()
    assert VISIBLE_ROWS * row <= panel.boxes_area.height() < (VISIBLE_ROWS + 1) * step
    hint = view.minimumSizeHint()
    assert hint.height() < LAPTOP_HEIGHT - 150  # room for the menus, tabs and status line
    assert hint.width() < LAPTOP_WIDTH
    view.session.close_database()


def test_a_long_conflict_note_ends_in_an_ellipsis_not_a_wider_window(qtbot, tmp_path) -> None:
    path = tmp_path / "few.db"
    build_database(path, Size(3, 6, 2))
    db = open_database(path)
    member = services.load_evaluation(db, NAME).evaluators[0].name
    process.declare(db, NAME, member, ["Fictitious Support Co 01"], NOTE)
    db.close()
    view = view_on(qtbot, path)
    # the first member's sheet, shown as the evaluation opens, leaves out what they declared
    shown = [view.model.candidate_at(c).name for c in range(view.model.columnCount())]
    assert shown == ["Fictitious Support Co 00", "Fictitious Support Co 02"]
    assert view.conflict.text().startswith("⚠ Conflict with Fictitious Support Co 01")
    assert NOTE in view.conflict.toolTip()  # the whole text, on hover
    assert view.minimumSizeHint().width() < LAPTOP_WIDTH - 100
    view.resize(1000, 700)
    qtbot.wait(10)
    assert view.conflict.width() < view.fontMetrics().horizontalAdvance(view.conflict.text())
    view.session.close_database()


def test_the_declaration_names_a_member_renamed_while_it_is_open(qtbot, tmp_path) -> None:
    """A member added as "New committee member" and then named: the panel asking them to
    declare says the name they were given (it kept the first one)."""
    from ui.undo import RenameEvaluator

    path = tmp_path / "few.db"
    build_database(path, Size(3, 6, 2))  # nobody has declared yet
    view = view_on(qtbot, path)
    member = view.model.member()
    assert member is not None and member.name in view.declaration.title.text()
    assert view.session.execute(RenameEvaluator(view.session, member.id, "Dr. Ada Testwell"))
    assert "Dr. Ada Testwell has not declared" in view.declaration.title.text()
    view.session.close_database()


def test_candidate_columns_share_a_wide_grid_and_keep_their_width_in_a_narrow_one(
    qtbot, tmp_path
) -> None:
    """A few candidates stretch across a wide grid; when the grid narrows they go back to
    their readable width and scroll (they stayed squeezed, and the bold header of the current
    column was cut off)."""
    from PySide6.QtWidgets import QHeaderView

    path = tmp_path / "four.db"
    build_database(path, Size(4, 6, 2))
    view = view_on(qtbot, path)
    header = view.grid.horizontalHeader()
    view.resize(2400, 700)
    qtbot.waitUntil(lambda: header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch)
    assert header.sectionSize(0) > header.defaultSectionSize()
    view.resize(900, 700)
    qtbot.waitUntil(lambda: header.sectionResizeMode(0) == QHeaderView.ResizeMode.Interactive)
    assert [header.sectionSize(c) for c in range(4)] == [header.defaultSectionSize()] * 4
    assert header.textElideMode() == Qt.TextElideMode.ElideRight
    view.session.close_database()
