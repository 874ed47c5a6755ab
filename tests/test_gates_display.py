"""Gates read right in the window: pass a green ✓, fail a red ✗, pending an amber ?, everywhere.

A failed HIPAA gate once showed beside the green "agreed" tick ("✓ fail"). The set-up is the
scored evaluation of tests/test_ui_consensus.py: nobody has answered the gate "Signs a HIPAA
BAA", so it is pending for both candidates until the chair decides it in the Consensus tab
(Orbis fails it, Zephyr passes it). Colours are checked against the one table
(evaluator.gates) and for legibility (WCAG contrast 4.5:1) on a light and a dark palette.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from ui_helpers import show

from evaluator.domain import GateState
from evaluator.gates import GATE_LOOKS
from tests import test_ui_consensus
from tests.test_ui_consensus import firm
from ui.consensus.view import ConsensusView
from ui.grid.delegates import blend, gate_colour
from ui.results.chart import GREYED
from ui.results.view import ResultsView
from ui.scoring.view import ScoringView

DISPLAY = Qt.ItemDataRole.DisplayRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
DECORATION = Qt.ItemDataRole.DecorationRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
GATE = "gates.baa"

session = test_ui_consensus.session  # the scored evaluation, open in a session (fixture)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2d30"),
        (QPalette.ColorRole.WindowText, "#dfe1e5"),
        (QPalette.ColorRole.Base, "#1e1f22"),
        (QPalette.ColorRole.Text, "#dfe1e5"),
        (QPalette.ColorRole.PlaceholderText, "#8c8f94"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def consensus(session, qtbot):
    return show(qtbot, ConsensusView(session), 1300, 750)


@pytest.fixture
def results(session, qtbot):
    return show(qtbot, ResultsView(session), 1200, 700)


def decide(view: ConsensusView, candidate_id: int, decision: str, note: str) -> None:
    """The chair picks the gate cell, chooses pass or fail and sets it, as in the meeting."""
    view.grid.setCurrentIndex(view.model.index_of(candidate_id, GATE))
    assert view.panel.decision.currentWidget() is view.panel.gate
    view.panel.gate.setCurrentIndex(view.panel.gate.findData(decision))
    view.panel.note.setPlainText(note)
    view.panel.set_button.click()
    view.session.wait_for_results()


def assert_gate_cell(index, state: GateState, palette: QPalette) -> None:
    """Symbol and word, the state's colour, and never the green "agreed" tick."""
    look = GATE_LOOKS[state]
    assert index.data(DISPLAY) == f"{look.symbol} {look.word}"
    assert index.data(FOREGROUND).color() == gate_colour(state, palette)
    assert index.data(DECORATION) is None
    assert look.text in index.data(TOOLTIP)


def test_the_one_table_gives_each_state_its_own_symbol_word_and_colour():
    looks = list(GATE_LOOKS.values())
    assert [(g.state, g.symbol, g.word) for g in looks] == [
        (GateState.PASSED, "✓", "passed"),
        (GateState.FAILED, "✗", "failed"),
        (GateState.PENDING, "?", "pending"),
    ]
    assert len({g.colour for g in looks}) == 3
    hue = {g.state: QColor(g.colour).hueF() * 360 for g in looks}
    assert 90 < hue[GateState.PASSED] < 150  # green
    assert hue[GateState.FAILED] < 15 or hue[GateState.FAILED] > 345  # red
    assert 25 < hue[GateState.PENDING] < 50  # amber


@pytest.mark.parametrize("dark", [False, True])
def test_gate_colours_read_on_the_base_and_on_their_own_tint(qtbot, dark):
    from ui.grid.delegates import GridBrushes

    palette = dark_palette()
    if not dark:
        palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    base = palette.color(QPalette.ColorRole.Base)
    brushes = GridBrushes(palette)
    for state in GateState:
        text = brushes.gate[state].color()
        assert contrast(text, base) >= 4.5, (state, dark)
        assert contrast(text, brushes.gate_tint[state].color()) >= 4.5, (state, dark)


def test_consensus_grid_shows_each_gate_state_never_a_green_tick(session, consensus, results):
    model = consensus.model
    zephyr, orbis = firm(session, "Zephyr Care IT"), firm(session, "Orbis Support Co")
    palette = consensus.palette()
    for candidate in (zephyr, orbis):  # nobody answered: pending
        assert_gate_cell(model.index_of(candidate, GATE), GateState.PENDING, palette)

    decide(consensus, orbis, "fail", "Refused our BAA in writing")
    decide(consensus, zephyr, "pass", "Signed BAA received")
    failed, passed = model.index_of(orbis, GATE), model.index_of(zephyr, GATE)
    assert_gate_cell(failed, GateState.FAILED, palette)
    assert_gate_cell(passed, GateState.PASSED, palette)
    # decided by the committee: tinted in the state's own colour, not the green "agreed" one
    assert failed.data(BACKGROUND) == model.brushes.gate_tint[GateState.FAILED]
    assert failed.data(BACKGROUND) != model.brushes.agreed
    assert "Consensus ✗ failed" in failed.data(TOOLTIP)
    # the chair's panel says it in words and colour too, and offers the choices that way
    consensus.grid.setCurrentIndex(failed)
    details = consensus.panel.details.text()
    red = gate_colour(GateState.FAILED, palette).name()
    assert f"color:{red}'>✗ failed</b> by the committee's decision" in details
    gate_box = consensus.panel.gate
    assert [gate_box.itemText(i) for i in range(gate_box.count())] == ["✓ passed", "✗ failed"]
    assert gate_box.currentText() == "✗ failed"
    assert gate_box.itemData(1, FOREGROUND) == gate_colour(GateState.FAILED, palette)
    # the pass/fail category header counts the states instead of "0 open disagreements"
    header = model.index(model.index_of(orbis, "gates").row(), 0)  # spanned: text in column 0
    assert header.data(DISPLAY) == "✗ 1 failed  ·  ✓ 1 passed"


def test_dark_palette_lightens_gate_colours_for_the_grid(session, consensus):
    model = consensus.model
    orbis = firm(session, "Orbis Support Co")
    decide(consensus, orbis, "fail", "Refused our BAA in writing")
    light = model.index_of(orbis, GATE).data(FOREGROUND).color()
    consensus.setPalette(dark_palette())
    dark_colour = model.index_of(orbis, GATE).data(FOREGROUND).color()
    assert dark_colour == gate_colour(GateState.FAILED, dark_palette())
    assert dark_colour.lightness() > light.lightness()
    assert contrast(dark_colour, QColor("#1e1f22")) >= 4.5
    assert model.index_of(orbis, GATE).data(DISPLAY) == "✗ failed"


def test_scoring_grid_shows_gates_as_computed_states(session, qtbot):
    view = ScoringView(session)
    qtbot.addWidget(view)
    zephyr = firm(session, "Zephyr Care IT")
    cell = view.model.index_of(zephyr, GATE)
    assert_gate_cell(cell, GateState.PENDING, view.palette())
    assert not view.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    view.grid.setCurrentIndex(cell)
    assert view.justification.state.text().startswith("Gate ? pending.")
    header = view.model.index(view.model.index_of(zephyr, "gates").row(), 0)
    assert header.data(DISPLAY) == "? 2 pending"


def test_results_table_says_why_with_symbol_sentence_and_colour(session, consensus, results):
    model = results.model
    status = 5
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    provisional = model.index(rows["Zephyr Care IT"], status)
    assert provisional.data(DISPLAY) == (
        "? Provisional: the gate “Signs a HIPAA BAA” is not decided yet"
    )
    assert provisional.data(FOREGROUND) == model.brushes.gate[GateState.PENDING]
    assert provisional.data(BACKGROUND) == model.brushes.gate_tint[GateState.PENDING]

    decide(consensus, firm(session, "Orbis Support Co"), "fail", "Refused our BAA in writing")
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    out = model.index(rows["Orbis Support Co"], status)
    assert out.data(DISPLAY) == "✗ Disqualified: failed the gate “Signs a HIPAA BAA”"
    assert out.data(FOREGROUND).color() == gate_colour(GateState.FAILED, results.palette())
    assert out.data(BACKGROUND) == model.brushes.gate_tint[GateState.FAILED]
    assert model.index(rows["Orbis Support Co"], 0).data(DISPLAY) == "—"  # never ranked


def test_chart_greys_a_disqualified_candidate(session, consensus, results, qtbot):
    orbis = firm(session, "Orbis Support Co")
    decide(consensus, orbis, "fail", "Refused our BAA in writing")
    qtbot.waitUntil(lambda: any("disqualified" in label for label in results.chart.labels))
    chart = results.chart
    # ranking order: Orbis (disqualified, never ranked) comes last
    assert chart.labels[-1] == "✗ Orbis Support Co (disqualified)  39.0"
    assert chart.labels[0].startswith("1. Zephyr Care IT")
    assert chart.greyed == [1]
    assert dict(chart.segments)["Support tiers"] == [pytest.approx(33.0), pytest.approx(39.0)]
    base = results.palette().color(QPalette.ColorRole.Base)
    coloured, faded = chart.segment_colour(0), chart.segment_colour(0, disqualified=True)
    assert faded == blend(coloured, base, GREYED)
    # each category named once in the legend (a faded bar is the same category)
    assert chart.legend() == ["Support tiers", "Offshore use", "Cost"]
    # and on screen: inside the plot, the faded colour is painted in the lower bar only
    image = chart.grab().toImage()
    plot = chart.plot_area().toRect()

    def rows_painted(colour: QColor) -> set[int]:
        return {
            y
            for y in range(plot.top(), plot.bottom(), 2)
            for x in range(plot.left(), plot.right(), 4)
            if image.pixelColor(x, y) == colour
        }

    faded_rows, coloured_rows = rows_painted(faded), rows_painted(coloured)
    assert faded_rows and coloured_rows
    assert min(faded_rows) > max(coloured_rows)  # Orbis's bar is below Zephyr's


@pytest.mark.parametrize("dark", [False, True])
def test_hint_lines_are_muted_yet_readable(qtbot, dark):
    """The hint lines (and Kendall's W sentence) are quieter than text, not faint grey."""
    from PySide6.QtWidgets import QApplication

    from ui.widgets import muted, muted_colour

    app = QApplication.instance()
    before = app.palette()
    palette = dark_palette() if dark else QPalette(QColor("#efefef"))
    if not dark:
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    try:
        app.setPalette(palette)
        label = muted("Amber cells disagree")
        qtbot.addWidget(label)
        back = palette.color(QPalette.ColorRole.Window)
        shown = label.palette().color(QPalette.ColorRole.WindowText)
        assert shown == muted_colour(palette)
        text = palette.color(QPalette.ColorRole.WindowText)
        assert 4.5 <= contrast(shown, back) < contrast(text, back)
    finally:
        app.setPalette(before)


def test_a_final_evaluation_with_an_undecided_gate_reads_final_not_provisional(session, results):
    """Finalised with a gate undecided (a reason recorded): the table no longer calls a rank
    provisional and the line above it names who ranked first (a tester read "Leading" and
    "Provisional" under the "this evaluation is final" banner)."""
    from ui_helpers import finalise

    finalise(session, "The BAA was signed after the meeting; the minutes record it")
    session.wait_for_results()
    model, status = results.model, 5
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    cell = model.index(rows["Zephyr Care IT"], status)
    assert cell.data(DISPLAY) == (
        "? Finalised with the gate “Signs a HIPAA BAA” undecided (the reason is in the audit trail)"
    )
    summary = results.summary.text()
    assert summary.startswith("Ranked first: <b>") and "with a gate undecided" in summary
    assert "Leading" not in summary and "provisional" not in summary
