"""The Results tab: live ranking, chart by category, invalid weights, hidden-tab redraws.

Set-up and hand-computed totals as in tests/test_ui_consensus.py: effective weights l1 0.15,
l4 0.45 (tiers 3/5), the auto and price leaves have no answers (missing: completeness 0.6),
the gate has no answer (pending: both candidates provisional).
Zephyr 33.0, Orbis 39.0. When the chair sets Zephyr / l4's consensus to 5 (members scored 5
and 1), Zephyr's l4 value is 5:
100 x (0.15 x 0.4 + 0.45 x 1.0) = 51.0 and Zephyr leads.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from ui_helpers import show

from tests import test_ui_consensus
from tests.test_ui_consensus import firm, ranking
from ui.results.model import CHANCE, ResultsModel
from ui.results.view import ResultsView
from ui.undo import EditCriterion, SetConsensus

session = test_ui_consensus.session  # the scored evaluation, open in a session (fixture)


@pytest.fixture
def view(session, qtbot):
    return show(qtbot, ResultsView(session), 1200, 800)


def row_texts(view: ResultsView) -> list[list[str]]:
    model = view.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_ranking_table_shows_hand_computed_totals(session, view):
    pending = "? Provisional: the gate “Signs a HIPAA BAA” is not decided yet"
    assert row_texts(view) == [
        ["1", "Orbis Support Co", "Third-party outsourcer", "39.0", "60%", pending, ""],
        ["2", "Zephyr Care IT", "Vendor (direct support)", "33.0", "60%", pending, ""],
    ]  # the last column (chance of ranking first) stays empty until it is asked for
    assert "Orbis Support Co" in view.summary.text() and "39.0" in view.summary.text()
    assert not view.banner.isVisible()


def test_a_new_score_reorders_live_and_the_selection_follows(session, view, qtbot):
    orbis, zephyr = firm(session, "Orbis Support Co"), firm(session, "Zephyr Care IT")
    selection = view.table.selectionModel()
    selection.setCurrentIndex(
        view.model.index(0, 1),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert session.execute(SetConsensus(session, zephyr, "tiers.l4", 5, "Saw the engineer"))
    session.wait_for_results()
    assert ranking(view) == [("1", "Zephyr Care IT", "51.0"), ("2", "Orbis Support Co", "39.0")]
    current = view.table.currentIndex()
    assert current.row() == 1 and view.model.result(current.row()).candidate_id == orbis
    labels = view.chart.labels
    assert labels == ["1. Zephyr Care IT  51.0", "2. Orbis Support Co  39.0"]  # ranking order


def test_chart_breaks_totals_down_by_weighted_top_level_category(session, view):
    chart = view.chart
    names = [name for name, _values in chart.segments]
    assert names == ["Support tiers", "Offshore use", "Cost"]  # the zero-weight gates left out
    tiers = dict(chart.segments)["Support tiers"]
    assert tiers == pytest.approx([39.0, 33.0])  # ranking order: Orbis (1st), Zephyr (2nd)
    assert dict(chart.segments)["Cost"] == [0.0, 0.0]
    assert chart.legend() == names
    assert chart.labels == ["1. Orbis Support Co  39.0", "2. Zephyr Care IT  33.0"]
    # on screen, on the 0-100 axis: each bar's tiers segment ends at its total's share of it
    image = chart.grab().toImage()
    plot = chart.plot_area()
    colour = chart.segment_colour(0)
    for row, total in enumerate((39.0, 33.0)):
        y = int(plot.top() + (row + 0.5) * chart.row_pitch())
        painted = [
            x
            for x in range(int(plot.left()), int(plot.right()))
            if image.pixelColor(x, y) == colour
        ]
        assert painted, f"row {row} has no tiers segment"
        end = (painted[-1] + 1 - plot.left()) / plot.width() * 100
        assert end == pytest.approx(total, abs=1.0)


def test_invalid_weights_show_the_error_and_undo_restores(session, view):
    stack = session.undo_stack
    stack.beginMacro("zero weights")
    for key in ("tiers", "offshore", "cost"):
        assert session.execute(EditCriterion(session, key, weight=0))
    stack.endMacro()
    session.wait_for_results()
    assert session.results_error
    assert view.banner.isVisible() and "cannot be computed" in view.banner.text()
    assert view.model.rowCount() == 0
    assert view.chart.segments == [] and view.chart.labels == []
    stack.undo()
    session.wait_for_results()
    assert not view.banner.isVisible()
    assert ranking(view)[0] == ("1", "Orbis Support Co", "39.0")


def test_hidden_view_redraws_its_chart_when_shown(session, qtbot):
    hidden = ResultsView(session)
    qtbot.addWidget(hidden)
    zephyr = firm(session, "Zephyr Care IT")
    assert session.execute(SetConsensus(session, zephyr, "tiers.l4", 5, "Saw the engineer"))
    session.wait_for_results()
    assert hidden.model.index(0, 1).data() == "Zephyr Care IT"  # the table is always live
    assert hidden.chart.labels == []  # the chart waits until it can be seen
    hidden.show()
    qtbot.waitExposed(hidden)
    assert hidden.chart.labels[0] == "1. Zephyr Care IT  51.0"


def test_results_model_passes_the_model_tester(session, qtmodeltester):
    model = ResultsModel(session)
    qtmodeltester.check(model)
    assert [model.index(r, 1).data() for r in range(2)] == ["Orbis Support Co", "Zephyr Care IT"]


def test_chance_of_winning_runs_in_the_background(session, view, qtbot):
    """Orbis leads 39.0 to 33.0 on two leaves that both sit in 'tiers', so varying weights
    by ±20% cannot change the order: Orbis ranks first in every run."""
    assert view.table.isColumnHidden(CHANCE)
    qtbot.mouseClick(view.robust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.table.isColumnHidden(CHANCE), timeout=20_000)
    chances = [view.model.index(r, CHANCE).data() for r in range(2)]
    assert chances == ["100.0%", "0.0%"]
    assert view.robust_button.isEnabled() and not view.robust_progress.isVisible()
    # any change makes the estimate stale: the column goes away until asked again
    zephyr = firm(session, "Zephyr Care IT")
    assert session.execute(SetConsensus(session, zephyr, "tiers.l4", 2, "Second look"))
    session.wait_for_results()
    assert view.table.isColumnHidden(CHANCE)
    assert view.model.index(0, CHANCE).data() == ""


def test_an_estimate_of_results_that_changed_meanwhile_is_never_shown(
    session, view, qtbot, monkeypatch
):
    import threading

    from evaluator import sensitivity

    inside, release, left = threading.Event(), threading.Event(), threading.Event()
    real = sensitivity.rank_probabilities

    def held(*args, **kwargs):  # the whole estimate, deaf to cancel, after the edit below
        inside.set()
        release.wait(10)
        try:
            return real(*args, **{**kwargs, "cancel": None})
        finally:
            left.set()

    monkeypatch.setattr(sensitivity, "rank_probabilities", held)
    qtbot.mouseClick(view.robust_button, Qt.MouseButton.LeftButton)
    assert inside.wait(10) and view.cancel_button.isVisible()
    zephyr = firm(session, "Zephyr Care IT")
    assert session.execute(SetConsensus(session, zephyr, "tiers.l4", 2, "Second look"))
    session.wait_for_results()
    assert not view.cancel_button.isVisible() and view.robust_button.isEnabled()
    release.set()
    assert left.wait(10)
    qtbot.wait(50)  # the old run's answer is queued by now: it must be dropped
    assert view.table.isColumnHidden(CHANCE)
    assert view.model.index(0, CHANCE).data() == "" and view.robust_state.text() == ""
