"""The Consensus tab driven like a chair: agenda, decision by keyboard, ranking, undo, final.

Hand-computed set-up (tests/core_fixtures.small_tree): top-level weights tiers 3, offshore 1,
cost 1, gates 0, so tiers is 3/5; inside it l1 weighs 1/4 and l4 3/4: effective weights
l1 = 0.15, l4 = 0.45. No questionnaire answers, so the auto and price leaves are missing and
the gate is pending for everyone.

    Zephyr  l1: Ann 2, Ben 2 (mean 2)       l4: Ann 5, Ben 1 (mean 3, spread 4: flagged)
    Orbis   l1: Ann 4, Ben 1 (2.5, flagged) l4: Ann 3, Ben 4 (3.5, spread 1)

Totals: Zephyr 100 x (0.15 x 0.4 + 0.45 x 0.6) = 33.0; Orbis 100 x (0.15 x 0.5 + 0.45 x 0.7)
= 39.0. A consensus of 5 on Zephyr / l4 makes Zephyr 100 x (0.06 + 0.45) = 51.0: first.
Agenda priority (weight x spread): Zephyr/l4 0.45 x 4 = 1.8 before Orbis/l1 0.15 x 3 = 0.45.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import open_session, show

from evaluator import services
from evaluator.domain import ConsensusScore
from evaluator.services import process
from tests.core_fixtures import populated, start_consensus
from ui.consensus.model import AGREED, FLAGGED, PLAIN, AgendaModel, ConsensusModel
from ui.consensus.view import ConsensusView
from ui.grid.model import STATE_ROLE
from ui.results.view import ResultsView
from ui.session import EvaluationSession

SCORES = (
    ("Ann Example", "Zephyr Care IT", "tiers.l1", 2, "Triage is slow"),
    ("Ben Sample", "Zephyr Care IT", "tiers.l1", 2, "Slow pick-up"),
    ("Ann Example", "Zephyr Care IT", "tiers.l4", 5, "Named engineer"),
    ("Ben Sample", "Zephyr Care IT", "tiers.l4", 1, "No escalation path shown"),
    ("Ann Example", "Orbis Support Co", "tiers.l1", 4, "Clinical triage"),
    ("Ben Sample", "Orbis Support Co", "tiers.l1", 1, "Offshore queue"),
    ("Ann Example", "Orbis Support Co", "tiers.l4", 3, "Backlog visible"),
    ("Ben Sample", "Orbis Support Co", "tiers.l4", 4, "Engineers on calls"),
)


def scored_session(tmp_path) -> EvaluationSession:
    """The populated evaluation with SCORES, every sheet submitted and in consensus, open in a
    session; messages kept in `.errors`."""
    db, evaluation = populated(tmp_path)
    for person, firm, key, value, why in SCORES:
        services.set_score(db, evaluation, person, firm, key, value, why)
    start_consensus(db, evaluation)
    db.close()
    return open_session(tmp_path / "t.db", wait=True)


@pytest.fixture
def session(tmp_path, qtbot):
    session = scored_session(tmp_path)
    yield session
    session.close_database()


@pytest.fixture
def view(session, qtbot):
    return show(qtbot, ConsensusView(session), 1300, 750, activate=True)


def firm(session, name: str) -> int:
    return next(c.id for c in session.data.candidates if c.name == name)


def ranking(results_view: ResultsView) -> list[tuple[str, str, str]]:
    model = results_view.model
    return [
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 3).data())
        for r in range(model.rowCount())
    ]


def test_cells_show_aggregate_spread_and_flags(session, view):
    model = view.model
    zephyr, orbis = firm(session, "Zephyr Care IT"), firm(session, "Orbis Support Co")
    assert model.index_of(zephyr, "tiers.l4").data() == "3 (1–5)"
    assert model.index_of(orbis, "tiers.l1").data() == "2.5 (1–4)"
    assert model.index_of(orbis, "tiers.l4").data() == "3.5 (3–4)"
    assert model.index_of(zephyr, "tiers.l4").data(STATE_ROLE) == FLAGGED
    assert model.index_of(orbis, "tiers.l4").data(STATE_ROLE) == PLAIN
    assert model.index_of(zephyr, "gates.baa").data() == "? pending"
    tip = model.index_of(zephyr, "tiers.l4").data(Qt.ItemDataRole.ToolTipRole)
    for text in ("Ann Example: 5", "Named engineer", "Ben Sample: 1", "No escalation path"):
        assert text in tip
    flagged_brush = model.index_of(zephyr, "tiers.l4").data(Qt.ItemDataRole.BackgroundRole)
    assert flagged_brush is not None and flagged_brush.color() != view.palette().base().color()
    assert model.index_of(zephyr, "tiers").data().startswith("2 open disagreements")


def test_agenda_orders_by_weight_times_spread_and_jumps_to_the_cell(session, view, qtbot):
    zephyr, orbis = firm(session, "Zephyr Care IT"), firm(session, "Orbis Support Co")
    items = view.agenda_model.items
    assert [(i.candidate_id, i.key) for i in items] == [(zephyr, "tiers.l4"), (orbis, "tiers.l1")]
    assert items[0].priority == pytest.approx(0.45 * 4)
    assert "2" in view.summary.text() and "open disagreements" in view.summary.text()
    second = view.agenda_model.index(1)
    rect = view.agenda.visualRect(second)
    qtbot.mouseClick(view.agenda.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.grid.currentIndex() == view.model.index_of(orbis, "tiers.l1")
    assert "Clinical triage" in view.panel.details.text()
    assert "Offshore queue" in view.panel.details.text()


def test_setting_consensus_by_keyboard_changes_the_ranking_and_undoes(session, view, qtbot):
    results = ResultsView(session)
    qtbot.addWidget(results)
    zephyr = firm(session, "Zephyr Care IT")
    assert ranking(results) == [("1", "Orbis Support Co", "39.0"), ("2", "Zephyr Care IT", "33.0")]
    # the view opened on the top of the agenda: Zephyr / Level 4; Enter goes to the decision
    cell = view.model.index_of(zephyr, "tiers.l4")
    assert view.grid.currentIndex() == cell
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    assert view.panel.value.hasFocus()
    assert view.panel.value.value() == 3.0  # proposed: the rounded aggregate
    qtbot.keyClicks(view.panel.value, "5")
    qtbot.keyClick(view.panel.value, Qt.Key.Key_Tab)
    assert view.panel.note.hasFocus()
    qtbot.keyClicks(view.panel.note, "Engineer named in the contract")
    qtbot.keyClick(view.panel.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    stored = services.load_evaluation(session.db, session.ref).consensus
    assert stored == [ConsensusScore(zephyr, "tiers.l4", 5.0, "Engineer named in the contract")]
    assert cell.data() == "5  [3 (1–5)]"
    # settled: the chair is taken to the next open item on the agenda
    assert view.grid.currentIndex() == view.model.index_of(firm(session, "Orbis Support Co"),
                                                           "tiers.l1")  # fmt: skip
    assert cell.data(STATE_ROLE) == AGREED
    qtbot.waitUntil(lambda: view.agenda_model.open_count() == 1)  # rebuilt after the burst
    assert view.agenda_model.items[-1].settled
    session.wait_for_results()
    assert ranking(results) == [("1", "Zephyr Care IT", "51.0"), ("2", "Orbis Support Co", "39.0")]
    assert session.undo_stack.undoText() == (
        "Set consensus Zephyr Care IT / Level 4 engineering escalation to 5"
    )

    session.undo_stack.undo()
    session.wait_for_results()
    assert services.load_evaluation(session.db, session.ref).consensus == []
    assert cell.data() == "3 (1–5)"
    assert ranking(results)[0] == ("1", "Orbis Support Co", "39.0")
    session.undo_stack.redo()
    session.wait_for_results()
    assert ranking(results)[0] == ("1", "Zephyr Care IT", "51.0")

    view.grid.setCurrentIndex(cell)
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)  # clears the consensus of the current cell
    assert services.load_evaluation(session.db, session.ref).consensus == []
    assert session.undo_stack.undoText().startswith("Clear consensus Zephyr Care IT")


def test_a_note_is_required(session, view, qtbot):
    view.panel.note.setPlainText("   ")
    view.panel.set_button.click()
    assert "note" in view.panel.state.text()
    assert services.load_evaluation(session.db, session.ref).consensus == []
    assert session.errors == []


def test_gate_decision_fail_disqualifies(session, view, qtbot):
    results = ResultsView(session)
    qtbot.addWidget(results)
    orbis = firm(session, "Orbis Support Co")
    view.grid.setCurrentIndex(view.model.index_of(orbis, "gates.baa"))
    assert view.panel.decision.currentWidget() is view.panel.gate
    view.panel.gate.setCurrentIndex(view.panel.gate.findData("fail"))
    view.panel.note.setPlainText("Refused our BAA in writing")
    view.panel.set_button.click()
    session.wait_for_results()
    assert view.model.index_of(orbis, "gates.baa").data() == "✗ failed"
    assert ranking(results) == [("1", "Zephyr Care IT", "33.0"), ("—", "Orbis Support Co", "39.0")]
    status = results.model.index(1, 5).data()
    assert status == "✗ Disqualified: failed the gate “Signs a HIPAA BAA”"


def test_a_gates_agreed_value_starts_empty_and_must_be_chosen(session, view, qtbot):
    """No decision is proposed for a gate: Set refuses until the chair picks passed or failed."""
    orbis = firm(session, "Orbis Support Co")
    view.grid.setCurrentIndex(view.model.index_of(orbis, "gates.baa"))
    gate = view.panel.gate
    assert view.panel.decision.currentWidget() is gate
    assert gate.currentIndex() == -1 and gate.currentText() == ""
    assert gate.placeholderText() == "Choose passed or failed"
    view.panel.note.setPlainText("Signed the BAA at the meeting")
    view.panel.set_button.click()
    assert "Choose passed or failed" in view.panel.state.text()
    assert services.load_evaluation(session.db, session.ref).consensus == []
    gate.setCurrentIndex(gate.findData("pass"))
    view.panel.set_button.click()
    stored = services.load_evaluation(session.db, session.ref).consensus
    assert [(c.candidate_id, c.criterion_key, c.value) for c in stored] == [
        (orbis, "gates.baa", 1.0)
    ]
    view.grid.setCurrentIndex(view.model.index_of(orbis, "gates.baa"))
    assert gate.currentText() == "✓ passed"  # a decided gate shows its decision


def test_final_evaluation_is_read_only(session, view):
    assert not session.finalise()  # disagreements and the gates are still open
    assert "items are still open" in session.errors[-1] and "give a reason" in session.errors[-1]
    assert session.finalise("The board accepted the open items")
    assert view.banner.isVisible() and "read-only" in view.banner.text()
    assert not view.panel.set_button.isEnabled()
    assert not view.panel.note.isEnabled()
    zephyr = firm(session, "Zephyr Care IT")
    assert view.model.set_consensus(zephyr, "tiers.l4", 4, "late") is False
    assert services.load_evaluation(session.db, session.ref).consensus == []
    assert session.errors and "final" in session.errors[-1]


def test_models_pass_the_model_tester(session, qtmodeltester):
    services.set_consensus(session.db, session.ref, "Orbis Support Co", "tiers.l1", 3, "Agreed")
    session.reload()
    session.wait_for_results()
    grid = ConsensusModel(session)
    qtmodeltester.check(grid)
    agenda = AgendaModel(grid)
    qtmodeltester.check(agenda)
    assert [item.settled for item in agenda.items] == [False, True]


def test_abstentions_read_abstain_and_count_neither_as_zero_nor_in_the_spread(tmp_path, qtbot):
    db, evaluation = populated(tmp_path)
    for person, name, key, value, why, abstain in (
        ("Ann Example", "Zephyr Care IT", "tiers.l1", 5, "Nurse triage on every call", False),
        ("Ben Sample", "Zephyr Care IT", "tiers.l1", 0, "Not at their demo", True),
        ("Ann Example", "Orbis Support Co", "tiers.l4", 0, "Outside my field", True),
        ("Ben Sample", "Orbis Support Co", "tiers.l4", 0, "Missed the session", True),
    ):
        services.set_score(db, evaluation, person, name, key, value, why, abstain=abstain)
    services.set_score(db, evaluation, "Ann Example", "Orbis Support Co", "tiers.l1", 4, "Good")
    services.set_score(db, evaluation, "Ben Sample", "Orbis Support Co", "tiers.l1", 1, "Weak")
    process.declare(db, evaluation, "Ben Sample", ["Orbis Support Co"], "Advised Orbis in 2022")
    start_consensus(db, evaluation)
    db.close()
    session = EvaluationSession()
    assert session.open_database(str(tmp_path / "t.db"))
    session.wait_for_results()
    view = ConsensusView(session)
    qtbot.addWidget(view)
    view.resize(1300, 750)
    view.show()
    model = view.model
    zephyr, orbis = firm(session, "Zephyr Care IT"), firm(session, "Orbis Support Co")

    half = model.index_of(zephyr, "tiers.l1")
    assert half.data() == "5"  # Ann's 5 alone: not a mean of 2.5, no spread of 5
    assert half.data(STATE_ROLE) == PLAIN and view.agenda_model.items == []
    tip = half.data(Qt.ItemDataRole.ToolTipRole)
    assert "mean 5, spread 0" in tip and "<b>Ben Sample: abstain</b> — Not at their demo" in tip
    view.grid.setCurrentIndex(half)
    details = view.panel.details.text()
    assert "Aggregate 5, spread 0" in details
    assert "Not counted: 1 abstention (not zeros)." in details
    assert "<b>abstain</b>" in details and "Not at their demo" in details
    assert session.results.for_candidate(zephyr).leaf_values["tiers.l1"].value == 5.0

    excluded = model.index_of(orbis, "tiers.l1")  # Ben declared a conflict after scoring
    assert excluded.data() == "4" and excluded.data(STATE_ROLE) == PLAIN
    tip = excluded.data(Qt.ItemDataRole.ToolTipRole)
    assert "Ben Sample: 1 (not counted: declared conflict of interest)" in tip
    view.grid.setCurrentIndex(excluded)
    assert "Not counted: 1 score of members with a declared conflict" in view.panel.details.text()

    nobody = model.index_of(orbis, "tiers.l4")
    assert nobody.data() == "abstain"  # no score counts: shown as such, not as 0 or empty
    view.grid.setCurrentIndex(nobody)
    assert "No score counts: every member abstained" in view.panel.details.text()
    assert session.results.for_candidate(orbis).leaf_values["tiers.l4"].value is None
    session.close_database()


def test_a_hidden_tab_summarises_nothing_until_shown_then_shows_the_agenda_top(session, qtbot):
    """An evaluation opened while another tab is in front leaves the 10,000-cell summary and
    the panel for later (a third of opening a committee-scale evaluation); showing the tab
    catches up: the agenda's top cell, its members' scores, the counts."""
    from PySide6.QtWidgets import QLabel, QTabWidget

    tabs = QTabWidget()
    tabs.addTab(QLabel("Scoring goes here"), "Scoring")
    view = ConsensusView(session)
    tabs.addTab(view, "Consensus")
    show(qtbot, tabs, 1300, 750, activate=True)
    assert not view.isVisible()

    session.open_evaluation(session.data.id)  # opened again, the Consensus tab behind
    assert view.model._stats is None  # nothing summarised yet
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    zephyr = firm(session, "Zephyr Care IT")
    assert view.grid.currentIndex() == view.model.index_of(zephyr, "tiers.l4")
    details = view.panel.details.text()
    assert "Named engineer" in details and "No escalation path shown" in details
    assert "spread 4" in details
    assert "<b>2</b> open disagreements of 2 flagged" in view.summary.text()
