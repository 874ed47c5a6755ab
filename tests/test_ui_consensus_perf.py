"""The Consensus tab at committee scale: timings printed, agenda behaviour asserted.

50 candidates x 200 rated criteria x 10 evaluators (100,000 scores, loaded through
`evaluator.jsonio.load_document` as benchmarks/bench_core.py does). Evaluators score each cell one
point around a common value, so about 8,900 of the 10,000 cells disagree. A corner is made
predictable so that one edit can put a cell on the agenda, take one off, or move one:

    candidates 0-4 x leaves c0.l0-c0.l4: every evaluator gives 3, except on leaves c0.l0-c0.l2
    where Evaluator 0 gives 5 (spread 2: flagged on the 0-5 scale, whose threshold is 2).

The expected agenda is recomputed here from the snapshot, independently of the models: a cell
is on it when two or more scores spread by 2 or more; settled (consensus set) cells go last;
the rest by effective weight x spread, then spread, then grid order (criterion, candidate).

Timings (wall clock and GUI-thread CPU per edit, until the agenda has caught up) are printed
with `-s`; nothing asserts a duration. Run:
    .venv/bin/python -m pytest -s tests/test_ui_consensus_perf.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QItemSelectionModel
from PySide6.QtWidgets import QLabel, QTabWidget

from evaluator.db import open_database
from evaluator.jsonio import load_document
from tests.scale import CANDIDATES, EVALUATORS, LEAVES, committee_criteria, committee_document
from ui.consensus.view import ConsensusView
from ui.grid.model import CANDIDATE_ROLE, KEY_ROLE
from ui.session import EvaluationSession
from ui.undo import EditCriterion, SetConsensus

pytestmark = pytest.mark.slow  # about 10 s: 100,000 scores

AGREEING = [f"c0.l{i}" for i in range(5)]
OUTLIER = AGREEING[:3]  # Evaluator 0 gives 5 where everyone else gives 3


def document() -> dict:
    rng = random.Random(20240611)
    bases = {(c, key): rng.randint(1, 4) for c in range(CANDIDATES) for key in LEAVES}
    scores = []
    for e in range(EVALUATORS):
        for c in range(CANDIDATES):
            for key in LEAVES:
                if c < 5 and key in AGREEING:
                    value = 5 if e == 0 and key in OUTLIER else 3
                else:  # near a per-cell consensus: nine cells in ten end up flagged
                    value = bases[c, key] + rng.choice((-1, 0, 0, 1))
                scores.append(
                    {
                        "evaluator": f"Evaluator {e}",
                        "candidate": f"Candidate {c:02d}",
                        "criterion": key,
                        "value": value,
                        "justification": "seen",
                    }
                )
    criteria = committee_criteria("Support criterion")
    return committee_document("Committee scale", "consensus", criteria, scores)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("committee") / "committee.db"
    db = open_database(path)
    start = time.perf_counter()
    load_document(db, document())
    db.close()
    print(f"\nbuilt 100,000 scores in {time.perf_counter() - start:.1f} s")
    return path


@pytest.fixture
def database(built, tmp_path) -> Path:
    """A fresh copy for each test: the tests edit it."""
    return Path(shutil.copy(built, tmp_path / "committee.db"))


@pytest.fixture
def tabs(database, qtbot):
    """The Consensus view as the window has it: one tab of several."""
    session = EvaluationSession()
    messages: list[str] = []
    session.errorRaised.connect(messages.append)
    assert session.open_database(str(database))
    session.wait_for_results()
    widget = QTabWidget()
    widget.view = ConsensusView(session)  # type: ignore[attr-defined]
    widget.addTab(widget.view, "Consensus")  # type: ignore[attr-defined]
    widget.addTab(QLabel("Another tab"), "Results")
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    settle(session)
    yield widget
    assert messages == []
    session.close_database()


def settle(session: EvaluationSession) -> None:
    session.wait_for_results()
    for _ in range(3):
        QCoreApplication.processEvents()


def ids(session: EvaluationSession) -> tuple[dict[str, int], dict[str, int]]:
    data = session.data
    assert data is not None
    return {c.name: c.id for c in data.candidates}, {e.name: e.id for e in data.evaluators}


def expected_agenda(session: EvaluationSession) -> list[tuple[int, str, float, bool]]:
    """(candidate id, key, spread, settled) in agenda order, from the snapshot alone."""
    data, results = session.data, session.results
    assert data is not None and results is not None
    values: dict[tuple[int, str], list[float]] = defaultdict(list)
    for score in data.scores:
        values[score.candidate_id, score.criterion_key].append(score.value)
    settled = {(c.candidate_id, c.criterion_key) for c in data.consensus}
    leaf_order = {leaf.key: i for i, leaf in enumerate(session.leaves())}
    column = {c.id: i for i, c in enumerate(data.candidates)}
    flagged = []
    for (candidate, key), found in values.items():
        spread = max(found) - min(found)
        if len(found) >= 2 and spread >= 2:
            weight = results.effective_weights[key]
            order = (leaf_order[key], column[candidate])
            flagged.append(((candidate, key) in settled, -weight * spread, -spread, order,
                            (candidate, key, spread, (candidate, key) in settled)))  # fmt: skip
    return [entry[-1] for entry in sorted(flagged)]


def shown_agenda(view: ConsensusView) -> list[tuple[int, str, float, bool]]:
    return [(i.candidate_id, i.key, i.spread, i.settled) for i in view.agenda_model.items]


def weights_match(view: ConsensusView) -> bool:
    weights = view.session.results.effective_weights  # type: ignore[union-attr]
    return all(abs(i.weight - weights[i.key]) < 1e-12 for i in view.agenda_model.items)


def timed_edit(session: EvaluationSession, edit: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, GUI-thread CPU ms) from the edit until the views have caught up, and then
    until fresh results have been shown (scoring itself runs on the pool: not GUI CPU)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    edit()
    for _ in range(3):
        QCoreApplication.processEvents()
    session.wait_for_results()
    QCoreApplication.processEvents()
    return 1000 * (time.perf_counter() - wall), 1000 * (time.thread_time() - cpu)


def report(label: str, timings: list[tuple[float, float]]) -> None:
    walls, cpus = [t[0] for t in timings], [t[1] for t in timings]
    print(
        f"{label:<46} wall median {statistics.median(walls):6.0f} ms (max {max(walls):4.0f}), "
        f"GUI CPU median {statistics.median(cpus):6.0f} ms (max {max(cpus):4.0f})"
    )


def agree(session: EvaluationSession, name: str, key: str, value: int) -> Callable[[], object]:
    candidate = ids(session)[0][name]
    return lambda: session.execute(SetConsensus(session, candidate, key, value, "Agreed"))


def cell_edits(session: EvaluationSession) -> list[Callable[[], object]]:
    """One cell edit of each kind the agenda must follow in the consensus phase (members'
    scores are closed then), through the undoable commands."""
    return [
        agree(session, "Candidate 00", "c0.l0", 3),  # settled: moves to the end
        agree(session, "Candidate 01", "c0.l1", 2),
        agree(session, "Candidate 30", "c5.l7", 5),  # a random cell: usually stays put
        session.undo_stack.undo,  # the random cell's consensus cleared
        session.undo_stack.undo,  # the consensus cleared: back among the open items
        agree(session, "Candidate 02", "c0.l2", 3),
    ]


def reweigh(session: EvaluationSession) -> list[Callable[[], object]]:
    """Weight edits: every line's priority changes, the grid's rows are re-read."""
    return [
        lambda: session.execute(EditCriterion(session, "c0.l1", weight=9)),  # a leaf
        lambda: session.execute(EditCriterion(session, "c5", weight=0.5)),  # a category
    ]


def weigh_back(session: EvaluationSession) -> list[Callable[[], object]]:
    """A cell edit under the new weights, then the weights undone (back to the first order)."""
    return [
        agree(session, "Candidate 00", "c0.l1", 4),
        session.undo_stack.undo,  # that consensus cleared
        session.undo_stack.undo,  # the category's weight back
        session.undo_stack.undo,  # the leaf's weight back
    ]


def edits(session: EvaluationSession) -> list[Callable[[], object]]:
    return cell_edits(session) + reweigh(session) + weigh_back(session)


def look_deep_into_the_agenda(view: ConsensusView, row: int = 2000) -> tuple[int, str]:
    """The chair clicks an item far down the agenda; returns its cell."""
    chosen = view.agenda_model.index(row)
    view.agenda.selectionModel().setCurrentIndex(
        chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    view.go_to_agenda_item(chosen)
    return chosen.data(CANDIDATE_ROLE), chosen.data(KEY_ROLE)


def agenda_line(view: ConsensusView) -> tuple[int, str]:
    current = view.agenda.currentIndex()
    return current.data(CANDIDATE_ROLE), current.data(KEY_ROLE)


def test_agenda_follows_edits_in_place_keeping_selection_and_scroll(tabs, qtbot):
    view: ConsensusView = tabs.view
    session = view.session
    print(f"\n{len(view.agenda_model.items)} flagged cells on the agenda")
    assert len(view.agenda_model.items) > 8000
    assert shown_agenda(view) == expected_agenda(session) and weights_match(view)
    picked = look_deep_into_the_agenda(view)
    scroll = view.agenda.verticalScrollBar().value()
    assert scroll > 0

    timings = [timed_edit(session, edit) for edit in cell_edits(session)]
    report("edit with the Consensus tab shown", timings)
    assert_kept(view, picked, scroll)

    height = view.agenda.currentIndex().row() - scroll  # the line's place on screen
    timings = [timed_edit(session, edit) for edit in reweigh(session)]
    report("weight edit with the Consensus tab shown", timings)
    assert shown_agenda(view) == expected_agenda(session) and weights_match(view)
    assert agenda_line(view) == picked  # the same line, at the same height on screen
    assert view.model.cell(view.grid.currentIndex()) == picked
    assert view.agenda.currentIndex().row() != scroll + height  # the list moved under it ...
    assert view.agenda.currentIndex().row() - view.agenda.verticalScrollBar().value() == height

    for edit in weigh_back(session):
        timed_edit(session, edit)
    assert_kept(view, picked, scroll)  # ... and back


def assert_kept(view: ConsensusView, picked: tuple[int, str], scroll: int) -> None:
    """The agenda is right, the chair's line and cell are kept, the list has not scrolled."""
    assert shown_agenda(view) == expected_agenda(view.session) and weights_match(view)
    assert agenda_line(view) == picked
    assert view.model.cell(view.grid.currentIndex()) == picked
    assert view.agenda.verticalScrollBar().value() == scroll
    open_items = sum(1 for item in view.agenda_model.items if not item.settled)
    assert f"<b>{open_items}</b> open disagreements" in view.summary.text()


def test_agenda_is_right_after_edits_while_hidden_and_after_showing(tabs, qtbot):
    view: ConsensusView = tabs.view
    session = view.session
    picked = look_deep_into_the_agenda(view)
    scroll = view.agenda.verticalScrollBar().value()
    tabs.setCurrentIndex(1)
    assert not view.isVisible()

    timings = [timed_edit(session, edit) for edit in cell_edits(session)]
    report("edit with the Consensus tab hidden", timings)
    assert shown_agenda(view) == expected_agenda(session)  # cell edits are followed at once
    tabs.setCurrentIndex(0)
    QCoreApplication.processEvents()
    assert_kept(view, picked, scroll)  # where the chair left it

    # a weight change reorders everything: that rebuild waits until the tab is shown
    tabs.setCurrentIndex(1)
    timings = [timed_edit(session, edit) for edit in reweigh(session)]
    report("weight edit with the Consensus tab hidden", timings)
    assert view.agenda_model.stale

    start = time.perf_counter()
    tabs.setCurrentIndex(0)
    QCoreApplication.processEvents()
    took = 1000 * (time.perf_counter() - start)
    print(f"{'showing the tab after a weight change':<46} {took:6.0f} ms")
    assert not view.agenda_model.stale
    assert shown_agenda(view) == expected_agenda(session) and weights_match(view)
    assert agenda_line(view) == picked  # still marked
    assert view.model.cell(view.grid.currentIndex()) == picked
    open_items = sum(1 for item in view.agenda_model.items if not item.settled)
    assert f"<b>{open_items}</b> open disagreements" in view.summary.text()

    tabs.setCurrentIndex(1)
    for edit in weigh_back(session):
        timed_edit(session, edit)
    tabs.setCurrentIndex(0)
    QCoreApplication.processEvents()
    assert_kept(view, picked, scroll)


def test_agenda_model_signals_stay_consistent(tabs, qtmodeltester):
    """Qt's model tester watches every insert, remove and move the edits cause."""
    view: ConsensusView = tabs.view
    qtmodeltester.check(view.agenda_model, force_py=True)
    for edit in edits(view.session):
        edit()
        settle(view.session)
    assert shown_agenda(view) == expected_agenda(view.session)
