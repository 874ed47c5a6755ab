"""Opening an evaluation paints the window before the scoring thread starts, and the grid's
headers are measured once per change of what they show, not at every layout (fictitious
vendors and people only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

import ui.live_results
from evaluator import services
from tests.core_fixtures import populated
from ui.grid.view import MeasuredHeader
from ui.live_results import KEY, LiveResults
from ui.main_window import MainWindow
from ui.settings import AppSettings


class Counter(QObject):
    """Counts one kind of event a watched object receives."""

    def __init__(self, kind: QEvent.Type) -> None:
        super().__init__()
        self.kind, self.count = kind, 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == self.kind:
            self.count += 1
        return False


def shown_window(
    qtbot,
    tmp_path: Path,
    size: tuple[int, int] = (1300, 800),
    tab: str = "Scoring",
    *,
    open_file: bool = True,
) -> MainWindow:
    """The main window shown on `tab`, and the fixture's file (t.db, made when missing)
    opened in it unless `open_file` is False."""
    if not (tmp_path / "t.db").exists():
        db, _ev = populated(tmp_path)
        db.close()
    window = MainWindow(settings=AppSettings())
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.show_tab(tab)
    if open_file:
        assert window.session.open_database(str(tmp_path / "t.db"))
    return window


@pytest.fixture
def data(tmp_path: Path):
    db, ev = populated(tmp_path)
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Named engineers")
    loaded = services.load_evaluation(db, ev)
    db.close()
    return loaded


def test_a_large_evaluation_is_scored_after_the_grace_an_edit_at_once(qtbot, data, monkeypatch):
    monkeypatch.setattr(ui.live_results, "INLINE_LIMIT", 0)  # this small one counts as large
    monkeypatch.setattr(ui.live_results, "PAINT_GRACE_MS", 60_000)  # never over in this test
    live = LiveResults(lambda: data)
    live.invalidate()
    live.after_open()
    for _ in range(3):
        QApplication.processEvents()
    assert live.pending and live.results is None
    assert not live._jobs.running(KEY)  # the window paints; nothing scores yet

    live.request()  # an edit does not wait for the grace
    assert live.wait(30_000)
    assert live.results is not None and len(live.results.candidates) == 2


def test_a_small_evaluation_is_scored_at_the_next_turn_of_the_event_loop(qtbot, data):
    live = LiveResults(lambda: data)
    live.invalidate()
    live.after_open()  # scored inline: no thread to keep away from the painting
    QApplication.processEvents()
    assert not live.pending and live.results is not None


def test_the_window_paints_the_grid_before_scoring_starts(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(ui.live_results, "INLINE_LIMIT", 0)
    monkeypatch.setattr(ui.live_results, "PAINT_GRACE_MS", 60_000)
    window = shown_window(qtbot, tmp_path, open_file=False)
    grid = window.tab("Scoring").grid
    paints = Counter(QEvent.Type.Paint)
    grid.viewport().installEventFilter(paints)

    assert window.session.open_database(str(tmp_path / "t.db"))
    for _ in range(3):
        QApplication.processEvents()
    assert paints.count > 0 and grid.model().rowCount() > 0  # the grid is on screen
    assert window.session.results is None and window.session.results_pending

    window.session.schedule_results()  # as an edit would: scored now
    assert window.session.wait_for_results(30_000)
    assert window.session.results is not None


class CountingModel(QStandardItemModel):
    """Counts the header measures asked of it (Qt asks the size hint role for each)."""

    measures = 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Vertical and int(role) == int(
            Qt.ItemDataRole.SizeHintRole
        ):
            self.measures += 1
        return super().headerData(section, orientation, role)


def test_the_header_measures_again_only_when_what_it_shows_changes(qtbot):
    model = CountingModel(200, 5)
    model.setVerticalHeaderLabels([f"Criterion {n}" for n in range(200)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setVerticalHeader(MeasuredHeader(Qt.Orientation.Vertical, view))
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    header = view.verticalHeader()
    narrow = header.sizeHint().width()

    model.measures = 0
    for width in (500, 700, 550, 650):  # a user dragging the window's edge
        view.resize(width, 400)
        QApplication.processEvents()
    assert model.measures == 0
    assert header.width() == narrow

    model.setHeaderData(7, Qt.Orientation.Vertical, "Criterion with a much longer name " * 2)
    QApplication.processEvents()
    assert model.measures > 0
    assert header.sizeHint().width() > narrow
    assert header.width() > narrow  # laid out at the new measure

    model.measures = 0
    model.setRowCount(0)  # rows removed
    model.setRowCount(3)
    model.setVerticalHeaderLabels(["A", "B", "C"])
    assert header.sizeHint().width() < narrow and model.measures > 0

    wide = header.sizeHint().width()
    font = QFont(header.font())
    font.setPointSizeF(font.pointSizeF() * 3)
    header.setFont(font)
    assert header.sizeHint().width() > wide


def test_the_criteria_tab_behind_another_is_laid_out_when_shown(qtbot, tmp_path: Path):
    """Opening with the Scoring tab in front leaves the Criteria tree as it is (expanding 200
    rows is a few milliseconds of the open); showing the tab expands it and selects the first
    criterion, as when it was in front."""
    window = shown_window(qtbot, tmp_path)
    criteria = window.tab("Criteria")
    tree, model = criteria.tree, criteria.tree.model()
    first = model.index(0, 0)
    assert model.rowCount() == 4 and not tree.isExpanded(first)

    window.show_tab("Criteria")
    assert tree.isExpanded(first) and tree.currentIndex() == first
    assert criteria.panel.key == model.key_of(first)

    window.session.open_database(str(tmp_path / "t.db"))  # in front: laid out at once
    assert tree.isExpanded(model.index(0, 0)) and criteria.panel.key is not None


def test_a_wrapped_name_is_elided_line_by_line(qtbot) -> None:
    """Qt elides a header's text as one line: "Fictitious Support / Co 00" lost its second line
    ("C…") though both lines fit the column."""
    from PySide6.QtGui import QFontMetrics

    from ui.grid.view import elided_lines

    metrics = QFontMetrics(QFont())
    two = "Fictitious Support\nCo 00"
    width = metrics.horizontalAdvance("Fictitious Support") + 2
    assert metrics.elidedText(two, Qt.TextElideMode.ElideRight, width) != two  # Qt's way
    assert elided_lines(two, metrics, width, Qt.TextElideMode.ElideRight) == two
    long = "Fictitious Support\nPartners of the Northern Counties Cooperative"
    first, second = elided_lines(long, metrics, width, Qt.TextElideMode.ElideRight).split("\n")
    assert first == "Fictitious Support" and second.endswith("…")
    assert metrics.horizontalAdvance(second) <= width


def test_the_grid_headers_select_and_highlight_as_a_tables_own(qtbot, tmp_path: Path) -> None:
    """The grid's own headers replace the table's: a click on a candidate's header still
    selects the column, and the current column's header is highlighted."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QHeaderView

    window = shown_window(qtbot, tmp_path)
    grid = window.tab("Scoring").grid
    header: QHeaderView = grid.horizontalHeader()
    assert isinstance(header, MeasuredHeader)
    assert header.highlightSections() and grid.verticalHeader().highlightSections()
    x = header.sectionViewportPosition(1) + header.sectionSize(1) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    columns = {index.column() for index in grid.selectionModel().selectedIndexes()}
    assert columns == {1}


def test_long_criterion_names_leave_room_for_scores_in_a_narrow_window(qtbot, tmp_path: Path):
    from ui.undo import EditCriterion

    window = shown_window(qtbot, tmp_path, (1900, 900))
    grid = window.tab("Scoring").grid
    before = grid.verticalHeader().width()
    long = "Level 4 engineering escalation with named engineers on call " * 2
    assert window.session.execute(EditCriterion(window.session, "tiers.l4", name=long))
    QApplication.processEvents()
    wide = grid.verticalHeader().width()
    assert wide > before + 50  # the long name widened the names column, up to half the grid
    assert wide <= grid.width() // 2
    window.resize(1366, 768)  # names that fit half the grid are whole (the cap once followed
    window.session.execute(
        EditCriterion(
            window.session, "tiers.l4", name="Support levels delivered by the vendor's own staff"
        )
    )
    QApplication.processEvents()  # the viewport's width, which the names column narrows)
    header = grid.verticalHeader()
    assert header.sizeHint().width() <= grid.width() // 2
    assert header.width() == header.sizeHint().width()
    window.resize(1900, 900)
    window.session.execute(EditCriterion(window.session, "tiers.l4", name=long))
    QApplication.processEvents()

    window.resize(700, 500)
    qtbot.waitUntil(lambda: grid.verticalHeader().width() <= grid.width() // 2)
    assert grid.viewport().width() >= grid.width() // 3  # scores still in sight
    window.resize(1900, 900)
    qtbot.waitUntil(lambda: grid.verticalHeader().width() == wide)


def test_typing_on_a_sheet_not_yet_declared_stays_put_and_says_why(qtbot, tmp_path: Path):
    """Qt's item search jumped to the next cell starting with the digit typed, silently."""
    db, ev = populated(tmp_path)
    services.add_evaluator(db, ev, "Cleo Placeholder", "CIO", actor="chair")  # not declared
    db.close()
    window = shown_window(qtbot, tmp_path)
    view = window.tab("Scoring")
    cleo = next(e.id for e in window.session.data.evaluators if e.name == "Cleo Placeholder")
    view.evaluator_combo.setCurrentIndex(view.evaluator_combo.findData(cleo))
    model, grid = view.model, view.grid
    cell = next(
        model.index(r, 0) for r in range(model.rowCount()) if model.is_score_cell(model.index(r, 0))
    )
    grid.setCurrentIndex(cell)
    grid.setFocus()
    before = window.session.data.scores
    qtbot.keyClicks(grid, "3")
    assert grid.currentIndex() == cell
    assert "Cleo Placeholder declares conflicts of interest first" in (
        window.statusBar().currentMessage()
    )
    assert window.session.data.scores == before


def test_the_justification_state_reads_whole_above_the_buttons(qtbot) -> None:
    from ui.scoring.rubric_panel import JustificationBox

    box = JustificationBox()
    qtbot.addWidget(box)
    box.resize(408, 240)
    box.show()
    qtbot.waitExposed(box)
    box.set_state(
        "Not saved yet. Write a justification: a score is not saved without one.",
        pending=True,
        can_edit=True,
    )
    QApplication.processEvents()
    state, save = box.state, box.save_button
    assert state.width() >= box.width() - 10  # the whole width, not a column beside buttons
    assert state.geometry().bottom() < save.geometry().top()
    assert state.height() >= state.heightForWidth(state.width())  # every line shown


def test_a_category_shows_no_share_until_the_weights_are_computed(
    qtbot, tmp_path: Path, monkeypatch
):
    """Before the ranking is in, a category row read "0% of the total"."""
    monkeypatch.setattr(ui.live_results, "INLINE_LIMIT", 0)
    monkeypatch.setattr(ui.live_results, "PAINT_GRACE_MS", 60_000)
    window = shown_window(qtbot, tmp_path)
    model = window.tab("Scoring").model
    category = next(r for r in range(model.rowCount()) if model.row(r).is_category)
    assert "of the total" not in model.category_text(model.row(category))
    window.session.schedule_results()
    assert window.session.wait_for_results(30_000)
    assert "% of the total" in model.category_text(model.row(category))


def test_the_scoring_tab_says_opening_while_a_database_is_read(qtbot, tmp_path: Path):
    """At a start on the Scoring tab the sheet read "Open an evaluation to score it." while
    the last database was being read in the background."""
    window = shown_window(qtbot, tmp_path, open_file=False)
    view = window.tab("Scoring")
    assert view.banner.text() == "Open an evaluation to score it."
    assert window.start_page.open_location(str(tmp_path / "t.db"), later=True)
    assert view.banner.text() == "Opening the evaluation…"
    qtbot.waitUntil(lambda: window.session.data is not None, timeout=30_000)
    assert "Opening" not in view.banner.text()


def test_the_criterion_details_never_scroll_sideways(qtbot, tmp_path: Path) -> None:
    """The details beside the criteria tree fit their narrowest place: a check box's long text
    made the panel wider than its scroll area (a sideways scroll bar, the description cut)."""
    from PySide6.QtWidgets import QScrollArea

    window = shown_window(qtbot, tmp_path, (1366, 768), "Criteria")
    view = window.tab("Criteria")
    model = view.tree.model()
    view.tree.setCurrentIndex(model.index(0, 0, model.index(0, 0)))  # a rated criterion
    view.splitter.setSizes([5000, 1])  # the details at their narrowest
    QApplication.processEvents()
    scroll = view.findChild(QScrollArea)
    assert scroll.width() <= 340
    assert not scroll.horizontalScrollBar().isVisible()
    assert scroll.widget().width() <= scroll.viewport().width()
