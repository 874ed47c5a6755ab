"""The Sensitivity tab, driven as a committee would: the flip table worked out by hand, a seeded
simulation run with the buttons (reproducible, cancellable, a close call said in words), the
chair's weighting sets through the dialog and the undo stack, and the blind-scoring rule."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from evaluator import services
from evaluator.changes import SetChair
from evaluator.domain import Aggregation, EvaluationData, Status
from evaluator.jsonio import load_document, to_document
from tests.core_fixtures import new_db, populated, start_consensus
from tests.sensitivity_fixtures import one_cell, three_levels, two_way
from tests.ui_helpers import open_session, show
from ui.main_window import MainWindow
from ui.sensitivity.set_dialog import WeightSetDialog
from ui.sensitivity.view import SIMULATION, SensitivityView
from ui.undo import EditCriterion


@pytest.fixture
def make_view(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """Opens the Sensitivity tab on `data` (in consensus), or with no data on the database a
    test wrote at tmp_path / "t.db"; closes every session it opened afterwards."""
    sessions = []

    def make(data: EvaluationData | None = None) -> SensitivityView:
        if data is not None:
            data.status = Status.CONSENSUS
            db = new_db(tmp_path)
            load_document(db, to_document(data))
            db.close()
        session = open_session(tmp_path / "t.db", wait=data is not None)
        sessions.append(session)
        return show(qtbot, SensitivityView(session), 1300, 900)

    yield make
    for session in sessions:
        session.close_database()


def chair_named(tmp_path: Path, submitted: bool) -> None:
    """`populated` with Cora Chair named; every member submitted (nothing blind) if `submitted`."""
    db, ev = populated(tmp_path)
    if submitted:
        start_consensus(db, ev)
    services.apply_change(db, ev, SetChair("", "Cora Chair"), actor="setup")
    db.close()


def texts(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def run(qtbot, view: SensitivityView, *, draws: int, seed: int, weights: bool = True,
        concentration: float = 50.0, scores: bool = True) -> None:  # fmt: skip
    odds = view.odds
    odds.draws.setValue(draws)
    odds.seed.setValue(seed)
    odds.vary_weights.setChecked(weights)
    odds.concentration.setValue(concentration)
    odds.resample.setChecked(scores)
    qtbot.mouseClick(odds.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.jobs.running(SIMULATION), timeout=60_000)


def within(text: str, p: float, draws: int) -> bool:
    return abs(float(text.rstrip("%")) / 100 - p) <= 4.5 * math.sqrt(p * (1 - p) / draws) + 5e-4


def test_flip_table_and_chart_by_hand(make_view, qtmodeltester):
    view = make_view(three_levels())  # see tests/test_sensitivity_core.py for the algebra
    rows = texts(view.flips.model)
    assert rows == [
        ["Service", "50.0%", "-16.7 pts", "33.3%", "0.5", "Example Partner Y"],
        ["    Tiers", "25.0%", "-8.3 pts", "16.7%", "0.5", "Example Partner Y"],
        ["        Leaf t", "25.0%", "—", "—", "—", "alone (share fixed)"],
        ["    Leaf s", "25.0%", "+8.3 pts", "33.3%", "2", "Example Partner Y"],
        ["Cost", "50.0%", "+16.7 pts", "66.7%", "2", "Example Partner Y"],
        ["    Leaf c", "50.0%", "—", "—", "—", "alone (share fixed)"],
    ]
    tip = view.flips.model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == (
        "Lower its weight by 8.3 points (from 25.0% to 16.7%): Example Partner Y takes the lead"
    )
    assert [name for name, _, _ in view.flips.chart.bars] == ["Tiers", "Leaf s", "Service", "Cost"]
    assert "Example Vendor X</b> with 65.0 points" in view.leader.text()
    for model in (view.flips.model, view.odds.model, view.sets.model):
        qtmodeltester.check(model)


def test_a_seeded_run_matches_the_closed_form_and_repeats(make_view, qtbot):
    view = make_view(two_way())  # X wins when Cost's share s > 1/2; s ~ Beta(6, 2) at κ = 8
    run(qtbot, view, draws=20_000, seed=5, concentration=8, scores=False)
    first = texts(view.odds.model)
    assert [row[0] for row in first] == ["Example Vendor X", "Example Outsourcer Y"]
    assert within(first[0][1], 15 / 16, 20_000)
    assert first[0][2:] == ["1–2", "1"] and first[1][2:] == ["1–2", "2"]
    assert "20,000 draws from seed 5: weights varied (Dirichlet, concentration 8)" in (
        view.odds.state.text()
    )
    assert not view.odds.close_call.isVisible()
    assert [bar[0] for bar in view.odds.chart.bars] == ["Example Vendor X", "Example Outsourcer Y"]
    run(qtbot, view, draws=20_000, seed=5, concentration=8, scores=False)
    assert texts(view.odds.model) == first
    run(qtbot, view, draws=20_000, seed=6, concentration=8, scores=False)
    assert texts(view.odds.model) != first


def test_a_close_call_is_announced(make_view, qtbot):
    view = make_view(one_cell([5, 5, 0], 4, Aggregation.MEAN))  # B wins 19/27 of the draws
    run(qtbot, view, draws=4000, seed=3, weights=False)
    assert view.odds.close_call.isVisible()
    text = view.odds.close_call.text()
    assert text.startswith("Close call: Example B ranks first in only")
    assert within(text.split("only ")[1].split("%")[0], 19 / 27, 4000)


def test_a_long_run_can_be_cancelled_and_a_change_drops_the_result(make_view, qtbot):
    view = make_view(two_way())
    view.odds.draws.setValue(1_000_000)
    qtbot.mouseClick(view.odds.run_button, Qt.MouseButton.LeftButton)
    assert view.odds.cancel_button.isVisible() and not view.odds.run_button.isEnabled()
    qtbot.waitUntil(lambda: view.odds.progress.value() > 0, timeout=30_000)
    qtbot.mouseClick(view.odds.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.jobs.running(SIMULATION), timeout=30_000)
    assert view.odds.state.text() == "Stopped: nothing was changed."
    assert view.odds.run_button.isEnabled() and view.odds.model.rowCount() == 0
    run(qtbot, view, draws=500, seed=1)
    assert view.odds.model.rowCount() == 2
    session = view.session
    assert session.execute(EditCriterion(session, "quality", weight=5))  # Y now leads
    session.wait_for_results()
    assert view.odds.model.rowCount() == 0
    assert "changed since the last run" in view.odds.state.text()
    assert texts(view.flips.model)[0][5] == "Example Vendor X"  # the new leader is Y


def fill_dialog(name: str, weights: dict[str, float], *, accept: bool = True) -> None:
    """When the weighting-set dialog opens: type a name, set some weights, press OK."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WeightSetDialog)
        dialog.name.setCurrentText(name)
        for key, value in weights.items():
            dialog.spins[key].setValue(value)
        (dialog.ok_button.click if accept else dialog.reject)()

    QTimer.singleShot(0, fill)


def test_the_chair_adds_edits_and_removes_sets_with_undo(make_view, qtbot):
    view = make_view(two_way())
    session, sets = view.session, view.sets
    assert sets.add_button.isEnabled() and not sets.edit_button.isEnabled()
    fill_dialog("Finance", {"cost": 1, "quality": 3})  # s = 1/4: X 40, Y 70
    qtbot.mouseClick(sets.add_button, Qt.MouseButton.LeftButton)
    session.wait_for_results()
    qtbot.waitUntil(lambda: sets.model.columnCount() == 3)
    assert texts(sets.model) == [
        ["Example Vendor X", "1 (80.0)", "2 (40.0)"],
        ["Example Outsourcer Y", "2 (50.0)", "1 (70.0)"],
    ]
    assert sets.verdict.text().startswith("The winner does not hold")
    assert sets.model.index(1, 2).data(Qt.ItemDataRole.BackgroundRole) is not None  # tinted
    assert session.undo_stack.undoText() == "Add weighting set “Finance”"
    fill_dialog("Finance office", {"quality": 1})  # back to 3 : 1 -> X leads everywhere
    qtbot.mouseClick(sets.edit_button, Qt.MouseButton.LeftButton)
    session.wait_for_results()
    qtbot.waitUntil(lambda: sets.model.headerData(2, Qt.Orientation.Horizontal) == "Finance office")
    assert "ranks first under every weighting set" in sets.verdict.text()
    session.undo_stack.undo()
    session.wait_for_results()
    qtbot.waitUntil(lambda: sets.model.headerData(2, Qt.Orientation.Horizontal) == "Finance")
    qtbot.mouseClick(sets.remove_button, Qt.MouseButton.LeftButton)
    session.wait_for_results()
    qtbot.waitUntil(lambda: sets.model.columnCount() == 2)
    assert session.data.weight_sets == []
    session.undo_stack.undo()
    session.wait_for_results()
    assert [s.name for s in session.data.weight_sets] == ["Finance"]
    assert session.errors == []


def test_the_dialog_refuses_an_all_zero_group_until_fixed(make_view, qtbot):
    view = make_view(two_way())
    checked: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.name.setCurrentText("Zero")
        dialog.spins["cost"].setValue(0)
        dialog.spins["quality"].setValue(0)
        dialog.ok_button.click()
        checked.append(dialog.problem.text())
        assert dialog.isVisible()
        dialog.spins["quality"].setValue(2)
        dialog.ok_button.click()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(view.sets.add_button, Qt.MouseButton.LeftButton)
    assert "All weights at the top level are zero" in checked[0]
    assert view.session.data.weight_sets[0].weight_map()["quality"] == 2.0


def test_blind_scoring_hides_the_analysis(qtbot, tmp_path, make_view):
    chair_named(tmp_path, submitted=False)  # scoring, nobody has submitted
    view = make_view()
    session = view.session
    for who in ("Ann Example", "Cora Chair"):
        assert session.sign_in(who)
        session.wait_for_results()
        assert "opens when every committee member has submitted" in view.banner.text()
        assert not view.body.isVisible() and view.flips.model.rowCount() == 0
        assert not view.jobs.running()
        view.run_simulation()  # nothing starts while blind
        assert not view.jobs.running() and view.odds.model.rowCount() == 0
    assert session.view_live_results("checking progress")  # the chair's look is audited
    session.wait_for_results()
    qtbot.waitUntil(lambda: view.flips.model.rowCount() > 0)
    assert view.body.isVisible() and not view.banner.isVisible()
    assert view.sets.add_button.isEnabled()
    assert session.sign_in("Ann Example")
    session.wait_for_results()
    assert not view.body.isVisible()


def test_a_member_sees_the_analysis_but_only_the_chair_changes_sets(qtbot, tmp_path, make_view):
    chair_named(tmp_path, submitted=True)  # everyone submitted: nothing is blind any more
    view = make_view()
    session = view.session
    assert session.sign_in("Ann Example")
    session.wait_for_results()
    qtbot.waitUntil(lambda: view.flips.model.rowCount() > 0)
    assert not view.sets.add_button.isEnabled()
    assert view.sets.who.text() == "Only the chair adds, edits or removes weighting sets."
    assert session.sign_in("Cora Chair")
    assert view.sets.add_button.isEnabled()


def test_a_final_evaluations_sets_are_locked(make_view):
    data = two_way()
    view = make_view(data)
    assert view.session.finalise("Board decision")
    assert not view.sets.add_button.isEnabled()
    assert "final" in view.sets.who.text()


def test_the_window_has_the_tab(qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles[-2:] == ["Sensitivity", "Agreement"]
    assert isinstance(window.tab("Sensitivity"), SensitivityView)
