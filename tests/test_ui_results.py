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
from PySide6.QtWidgets import QLabel, QPushButton
from ui_helpers import show

from tests import test_ui_consensus
from tests.test_ui_consensus import firm, ranking
from ui.results.model import ResultsModel
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
        ["1", "Orbis Support Co", "Third-party outsourcer", "39.0", "60%", pending],
        ["2", "Zephyr Care IT", "Vendor (direct support)", "33.0", "60%", pending],
    ]
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


def test_one_chance_of_winning_the_sensitivity_tabs(view):
    """The Results tab no longer estimates chances (the old ±20% runs): the Sensitivity tab's
    simulation is the one figure, and the Results tab says where it is."""
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert view.model.columnCount() == 6 and not any("Chance" in h for h in headers)
    buttons = [b.text() for b in view.findChildren(QPushButton)]
    assert not any("chance" in text.lower() for text in buttons)
    assert any("Sensitivity tab" in label.text() for label in view.findChildren(QLabel))
