"""The main window driven like a user: a new evaluation from a catalog through the dialog,
people added in the tables, a weight typed in the tree, scores and justifications typed in the
grid, a consensus set on the agenda's flagged cell and the ranking following it, undo and redo
from the keyboard, finalising, and what the window remembers between runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QDoubleSpinBox, QSpinBox, QSplitter
from test_ui_people import add_by_typing
from test_ui_scoring import click_cell, type_score
from ui_helpers import answer_identity_prompt, make_database, write_catalog

from criteria.demo import DEMO_CHAIR
from evaluator import services
from evaluator.domain import ConsensusScore, Score, Status
from ui import errors, main_window
from ui.app import create_main_window
from ui.consensus.view import ConsensusView
from ui.criteria.model import WEIGHT
from ui.finalise_dialog import FinaliseDialog
from ui.main_window import MainWindow
from ui.new_evaluation_dialog import NewEvaluationDialog
from ui.results.model import CANDIDATE, RANK, TOTAL
from ui.scoring.view import ScoringView
from ui.settings import AppSettings
from ui.undo import EditCriterion


def make_window(qtbot, tmp_path: Path, settings: AppSettings | None = None) -> MainWindow:
    catalogs = tmp_path / "catalogs"
    write_catalog(catalogs)
    window = MainWindow(settings=settings or AppSettings(), catalog_dirs=[catalogs])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def activate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def fill_new_evaluation_dialog(qtbot, name: str, client: str) -> None:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, NewEvaluationDialog)
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.client_edit, client)
    items = [dialog.catalogs.item(i) for i in range(dialog.catalogs.count())]
    ours = next(item for item in items if item.text().startswith("Test support catalog"))
    dialog.catalogs.setCurrentItem(ours)
    assert "small catalog of support criteria" in dialog.description.text()
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert create.isEnabled()
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)


def finalise_in_dialog(qtbot, window: MainWindow, reason: str) -> list[str]:
    """Finalise from the menu; in the checklist dialog, type `reason` (when asked) and press
    Finalise. Returns the open items the dialog listed."""
    listed: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FinaliseDialog)
        listed.extend(dialog.checklist.item(i).text() for i in range(dialog.checklist.count()))
        if listed:
            assert not dialog.finalise_button.isEnabled()  # a reason first
            qtbot.keyClicks(dialog.reason, reason)
        assert dialog.finalise_button.isEnabled()
        qtbot.mouseClick(dialog.finalise_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    window.menus.advance.trigger()
    return listed


def type_weight(qtbot, window: MainWindow, key: str, text: str) -> None:
    view = window.criteria_view
    view.tree.setFocus()
    view.tree.setCurrentIndex(view.model.index_of(key, WEIGHT))
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    editor = next(e for e in view.tree.findChildren(QDoubleSpinBox) if e.isVisible())
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def stored_weight(window: MainWindow, key: str) -> float:
    data = services.load_evaluation(window.session.db, window.session.ref)
    return next(n.weight for r in data.criteria for n in r.walk() if n.key == key)


def new_evaluation_with_people(qtbot, tmp_path: Path) -> MainWindow:
    """A window on a new database: an evaluation created from the catalog through the dialog,
    two candidates and two committee members added by typing in the tables."""
    window = make_window(qtbot, tmp_path)
    db_path = tmp_path / "portfolio.db"
    assert window.start_page.open_location(str(db_path), create=True)
    assert window.session.data is None

    QTimer.singleShot(0, lambda: fill_new_evaluation_dialog(qtbot, "Riverside RFP", "Riverside"))
    window.menus.new_evaluation.trigger()
    session = window.session
    assert session.data is not None and session.data.name == "Riverside RFP"
    assert [s.name for s in services.list_evaluations(session.db)] == ["Riverside RFP"]
    assert window.windowTitle() == "Riverside RFP — SupportScope"
    assert window.status_label.text() == "Status: draft"

    window.show_tab("Candidates")
    add_by_typing(qtbot, window.candidates_view, "Acme Health Support")
    add_by_typing(qtbot, window.candidates_view, "Bolt Support Partners")
    window.show_tab("Committee")
    add_by_typing(qtbot, window.committee_view, "Ann Example")
    add_by_typing(qtbot, window.committee_view, "Ben Sample")
    return window


def test_committee_workflow_end_to_end(qtbot, tmp_path: Path, shown, monkeypatch) -> None:
    window = new_evaluation_with_people(qtbot, tmp_path)
    session = window.session
    data = services.load_evaluation(session.db, session.ref)
    assert [c.name for c in data.candidates] == ["Acme Health Support", "Bolt Support Partners"]
    assert [e.name for e in data.evaluators] == ["Ann Example", "Ben Sample"]
    assert window.progress_label.text() == "Scores entered: 0 of 12 (0 %)"  # 3 rated x 2 x 2

    window.show_tab("Criteria")
    type_weight(qtbot, window, "tiers.l4", "4")
    qtbot.waitUntil(lambda: stored_weight(window, "tiers.l4") == 4.0)
    assert window.menus.undo.text() == "&Undo Set weight of Level 4 escalation to 4"

    activate(qtbot, window)  # shortcuts need an active window (the dialog had it last)
    window.criteria_view.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_weight(window, "tiers.l4") == 2.0
    assert window.criteria_view.model.index_of("tiers.l4", WEIGHT).data() == "2"
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored_weight(window, "tiers.l4") == 4.0

    asked: list[str] = []
    monkeypatch.setattr(errors, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    assert window.menus.advance.text() == "Start &scoring"
    for member in session.data.evaluators:  # each member declares before scoring
        assert session.declare(member.id)
    window.menus.advance.trigger()
    assert window.menus.advance.text() == "Start &consensus"
    window.menus.advance.trigger()  # nobody has submitted yet: refused, saying who is missing
    assert "waiting for Ann Example, Ben Sample" in shown[-1]
    for member in session.data.evaluators:
        assert session.submit(member.id)
    window.menus.advance.trigger()
    assert window.menus.advance.text() == "&Finalise…"
    assert window.banner.text().startswith("Consensus: no chair is named yet")
    listed = finalise_in_dialog(qtbot, window, "Set-up review only")
    assert "• Acme Health Support is 0% complete" in listed
    assert services.load_evaluation(session.db, session.ref).status is Status.FINAL
    trail = services.audit_trail(session.db, session.ref)
    assert "Set-up review only" in trail[-1].why
    assert window.banner.isVisibleTo(window)
    assert "final and read-only" in window.banner.text()
    assert not window.menus.advance.isEnabled() and not window.menus.undo.isEnabled()

    tree_model = window.criteria_view.model
    flags = tree_model.flags(tree_model.index_of("tiers.l4", WEIGHT))
    assert not flags & Qt.ItemFlag.ItemIsEditable
    table = window.candidates_view.model
    assert not table.flags(table.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not window.candidates_view.add_action.isEnabled()
    # even a direct attempt is refused by the core and shown as a clear message
    assert not session.execute(EditCriterion(session, "tiers.l4", weight=1))
    assert shown[-1].startswith("Evaluation 'Riverside RFP' is final and read-only")
    assert stored_weight(window, "tiers.l4") == 4.0


# Hand computation for the scoring test (tests/ui_helpers.sample_criteria): on the 0-5 scale,
# Level 1 weighs 3/6 x 1/4 = 1/8 and Level 4 3/6 x 2/4 = 1/4 of the total; nothing else gets a
# value (no questionnaire answers, the clinical leaf is not scored), the gate stays pending.
#   Acme  l1: Ann 4, Ben 4 (mean 4 -> 0.8)  l4: Ann 1, Ben 4 (mean 2.5 -> 0.5, spread 3: flagged)
#   Bolt  l1: Ann 3, Ben 3 (mean 3 -> 0.6)  l4: Ann 4, Ben 3 (mean 3.5 -> 0.7, spread 1)
# Acme 100 x (0.8/8 + 0.5/4) = 22.5, Bolt 100 x (0.6/8 + 0.7/4) = 25.0: Bolt ranks first.
# A consensus of 5 on Acme / Level 4 gives Acme 100 x (0.8/8 + 1.0/4) = 35.0: Acme first.
ACME, BOLT = "Acme Health Support", "Bolt Support Partners"
KEYBOARD_SCORES = {
    "Ann Example": (
        (ACME, "tiers.l1", "4", "Nurse triage on every call"),
        (ACME, "tiers.l4", "1", "No route to the engineers"),
        (BOLT, "tiers.l1", "3", "Adequate help desk"),
        (BOLT, "tiers.l4", "4", "Named escalation engineer"),
    ),
    "Ben Sample": (
        (ACME, "tiers.l1", "4", "Clinicians answer first"),
        (ACME, "tiers.l4", "4", "Engineers joined the demo call"),
        (BOLT, "tiers.l1", "3", "Queue times acceptable"),
        (BOLT, "tiers.l4", "3", "Escalation by ticket only"),
    ),
}
BOLT_FIRST = [("1", BOLT, "25.0"), ("2", ACME, "22.5")]
ACME_FIRST = [("1", ACME, "35.0"), ("2", BOLT, "25.0")]


def score_by_keyboard(
    qtbot, view: ScoringView, candidate: int, key: str, digit: str, why: str
) -> None:
    """Click the cell, type the digit, Enter, type the justification, Enter."""
    cell = view.model.index_of(candidate, key)
    click_cell(qtbot, view, cell)
    type_score(qtbot, view, digit)
    assert view.justification.editor.hasFocus()  # asked for the justification
    qtbot.keyClicks(view.justification.editor, why)
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert cell.data() == digit  # saved: no longer marked as an unsaved edit
    assert view.grid.hasFocus()


def ranking(window: MainWindow) -> list[tuple[str, ...]]:
    """(rank, candidate, total) as the Results table shows them."""
    model = window.tab("Results").model  # type: ignore[union-attr]
    rows = range(model.rowCount())
    return [tuple(model.index(r, c).data() for c in (RANK, CANDIDATE, TOTAL)) for r in rows]


def test_scores_consensus_undo_and_final_through_the_window(
    qtbot, tmp_path: Path, shown, monkeypatch
) -> None:
    window = new_evaluation_with_people(qtbot, tmp_path)
    session = window.session
    monkeypatch.setattr(errors, "confirm", lambda *_args: True)
    for member in session.data.evaluators:  # each member declares before scoring
        assert session.declare(member.id)
    window.menus.advance.trigger()
    assert window.status_label.text() == "Status: scoring"
    data = session.data
    firms = {c.name: c.id for c in data.candidates}
    people = {e.name: e.id for e in data.evaluators}

    activate(qtbot, window)  # keyboard focus needs the active window (the dialog had it last)
    window.show_tab("Scoring")
    scoring = window.tab("Scoring")
    assert isinstance(scoring, ScoringView)
    combo = scoring.evaluator_combo
    for person, scores in KEYBOARD_SCORES.items():
        combo.setFocus()
        while combo.currentData() != people[person]:
            qtbot.keyClick(combo, Qt.Key.Key_Down)  # picked from the keyboard, no popup
        for name, key, digit, why in scores:
            score_by_keyboard(qtbot, scoring, firms[name], key, digit, why)
    assert scoring.model.pending_count() == 0
    expected = {
        Score(people[person], firms[name], key, float(digit), why)
        for person, scores in KEYBOARD_SCORES.items()
        for name, key, digit, why in scores
    }
    assert set(services.load_evaluation(session.db, session.ref).scores) == expected
    qtbot.waitUntil(lambda: window.progress_label.text() == "Scores entered: 8 of 12 (67 %)")

    window.show_tab("Results")
    qtbot.waitUntil(lambda: ranking(window) == BOLT_FIRST)

    for member in data.evaluators:
        assert session.submit(member.id)
    window.menus.advance.trigger()
    assert window.status_label.text() == "Status: consensus"
    window.show_tab("Consensus")
    consensus = window.tab("Consensus")
    assert isinstance(consensus, ConsensusView)
    agenda = consensus.agenda_model
    qtbot.waitUntil(lambda: [(i.candidate_id, i.key) for i in agenda.items] == [
        (firms[ACME], "tiers.l4")
    ])  # fmt: skip
    line = consensus.agenda.visualRect(agenda.index(0))
    qtbot.mouseClick(consensus.agenda.viewport(), Qt.MouseButton.LeftButton, pos=line.center())
    flagged = consensus.model.index_of(firms[ACME], "tiers.l4")
    assert consensus.grid.currentIndex() == flagged
    assert "No route to the engineers" in consensus.panel.details.text()
    consensus.grid.setFocus()
    qtbot.keyClick(consensus.grid, Qt.Key.Key_Return)  # Enter goes to the decision
    assert consensus.panel.value.hasFocus()
    qtbot.keyClicks(consensus.panel.value, "5")
    qtbot.keyClick(consensus.panel.value, Qt.Key.Key_Tab)
    qtbot.keyClicks(consensus.panel.note, "Engineer access written into the contract")
    qtbot.keyClick(consensus.panel.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = services.load_evaluation(session.db, session.ref).consensus
    assert stored == [
        ConsensusScore(firms[ACME], "tiers.l4", 5.0, "Engineer access written into the contract")
    ]
    window.show_tab("Results")
    qtbot.waitUntil(lambda: ranking(window) == ACME_FIRST)
    assert window.menus.undo.text() == (
        "&Undo Set consensus Acme Health Support / Level 4 escalation to 5"
    )

    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ranking(window) == BOLT_FIRST)
    assert services.load_evaluation(session.db, session.ref).consensus == []
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: ranking(window) == ACME_FIRST)
    assert services.load_evaluation(session.db, session.ref).consensus == stored

    listed = finalise_in_dialog(qtbot, window, "The BAA gate is decided at contract")
    assert listed == [
        f"• {ACME} is 38% complete",
        f"• {BOLT} is 38% complete",
        f"• {ACME}: gate “Onshore support staff” has no decision",
        f"• {BOLT}: gate “Onshore support staff” has no decision",
    ]
    assert services.load_evaluation(session.db, session.ref).status is Status.FINAL
    window.show_tab("Scoring")
    combo.setCurrentIndex(combo.findData(people["Ann Example"]))
    cell = scoring.model.index_of(firms[BOLT], "tiers.l1")
    assert not scoring.model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    click_cell(qtbot, scoring, cell)
    qtbot.keyClicks(scoring.grid, "5")
    assert not isinstance(QApplication.focusWidget(), QSpinBox)  # no editor opened
    assert cell.data() == "3" and scoring.model.pending_count() == 0
    assert scoring.justification.editor.isReadOnly()
    assert set(services.load_evaluation(session.db, session.ref).scores) == expected
    window.show_tab("Consensus")
    consensus.grid.setCurrentIndex(flagged)
    panel = consensus.panel
    assert not any(w.isEnabled() for w in (panel.value, panel.note, panel.set_button))
    assert not panel.clear_button.isEnabled()
    assert "read-only" in consensus.banner.text()
    assert ranking(window) == ACME_FIRST
    assert shown == []


def test_window_remembers_tab_splitter_and_last_database(qtbot, tmp_path: Path) -> None:
    make_database(tmp_path / "kept.db")[0].close()
    settings = AppSettings()
    first = make_window(qtbot, tmp_path, settings)
    assert first.start_page.open_location(str(tmp_path / "kept.db"))
    first.resize(760, 560)  # fits the smallest (offscreen) screen, so nothing clamps it
    first.show_tab("Committee")
    splitter = first.criteria_view.findChild(QSplitter, "criteria")
    splitter.setSizes([500, 300])
    splitter.splitterMoved.emit(500, 1)  # as a drag of its handle does
    wanted = splitter.sizes()
    first.close()

    second = create_main_window(None, settings)
    qtbot.addWidget(second)
    assert second.session.location == str((tmp_path / "kept.db").resolve())
    assert second.session.data is not None and second.session.data.name == "Northwind Regional RFP"
    assert second.tabs.tabText(second.tabs.currentIndex()) == "Committee"
    assert second.criteria_view.findChild(QSplitter, "criteria").sizes() == wanted
    assert (second.size().width(), second.size().height()) == (760, 560)
    assert settings.recent_files()[0] == second.session.location


def test_first_start_fits_the_screen_and_the_criteria_tree_keeps_its_weights(
    qtbot, tmp_path: Path
) -> None:
    settings = AppSettings()
    first = make_window(qtbot, tmp_path, settings)
    room = first.screen().availableGeometry()
    assert first.width() <= room.width() and first.height() <= room.height()
    assert room.contains(first.geometry())
    hint = first.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 - 60  # a laptop, minus the taskbar
    first.resize(1300, 740)
    first.show_tab("Committee")  # the criteria splitter is never shown: its sizes are not real
    first.close()
    assert settings.splitter_sizes("criteria") is None
    settings.set_splitter_sizes("criteria", [250, 1000])  # what an older version saved

    second = make_window(qtbot, tmp_path, settings)
    second.resize(1300, 740)  # a 1366×768 laptop's room (the offscreen screen is smaller)
    second.show_tab("Criteria")
    view = second.criteria_view
    qtbot.waitUntil(lambda: view.tree.width() >= view.usable_width)
    header = view.tree.header()
    right_edge = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in range(5))
    assert right_edge <= view.tree.viewport().width()  # the weight columns are in sight


def test_picker_switches_between_evaluations(qtbot, tmp_path: Path) -> None:
    db, _ = make_database(tmp_path / "two.db")
    from ui_helpers import sample_criteria

    services.create_evaluation(db, "Second RFP", sample_criteria())
    db.close()
    window = make_window(qtbot, tmp_path)
    window.start_page.open_location(str(tmp_path / "two.db"))
    assert window.menus.picker_action.isVisible()
    assert window.picker.count() == 2
    other = next(i for i in range(2) if window.picker.itemData(i) != window.session.data.id)
    window.session.execute(EditCriterion(window.session, "tiers.l4", weight=5))
    window.picker.setCurrentIndex(other)
    window.picker.activated.emit(other)
    assert window.session.data.id == window.picker.itemData(other)
    assert window.session.undo_stack.count() == 0  # edits of another evaluation are not undone here


def test_missing_or_broken_optional_views_do_not_stop_the_window(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(
        main_window,
        "OPTIONAL_VIEWS",
        (("ui.no_such_view", "NoSuchView", "Nowhere"), ("ui.session", "NotAView", "Broken")),
    )
    window = make_window(qtbot, tmp_path)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Start", "Criteria", "Candidates", "Committee"]


def test_unexpected_errors_become_a_message(qtbot, shown, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    errors.install_excepthook()
    try:
        raise RuntimeError("the flux capacitor is empty")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown[0].startswith("Something went wrong: the flux capacitor is empty.")
    assert "Your saved work is safe" in shown[0]


def test_messages_read_as_sentences() -> None:
    assert errors.sentence("the weight must be a number") == "The weight must be a number."
    assert errors.user_message(OSError(13, "Permission denied", "/x.db")) == (
        "Permission denied: /x.db."
    )


def test_open_the_demo(qtbot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.start_page.open_location(str(tmp_path / "demo.db"), create=True)
    window.start_page.open_demo()
    data = window.session.data
    assert data is not None and len(data.candidates) >= 2 and len(data.evaluators) >= 2
    prompt = window.identity_dialog  # the demo has a chair: the window asks who is working
    assert prompt is not None and prompt.isVisible() and prompt.name() == DEMO_CHAIR
    answer_identity_prompt(window, DEMO_CHAIR)
    assert window.banner.text().startswith(f"Consensus: you are {DEMO_CHAIR} (chair)")
    window.start_page.open_demo()  # a second time opens the same evaluation, no copy
    assert len(window.session.evaluations()) == 1


@pytest.mark.slow
def test_screenshot_script_captures_every_tab(qtbot, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import screenshots

    assert screenshots.main(["--out", str(tmp_path), "--width", "1200", "--height", "800"]) == 0
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert shots[:4] == ["01-start.png", "02-criteria.png", "03-candidates.png", "04-committee.png"]
    assert all((tmp_path / name).stat().st_size > 10_000 for name in shots)


def test_the_window_paints_before_the_database_is_read(qtbot, tmp_path: Path) -> None:
    """At start the window is on screen first; the evaluation is opened from the event loop."""
    make_database(tmp_path / "big.db")[0].close()
    window = create_main_window(str(tmp_path / "big.db"), AppSettings(), paint_first=True)
    qtbot.addWidget(window)
    assert window.isVisible() and window.session.data is None  # painted, nothing read yet
    qtbot.waitUntil(lambda: window.session.data is not None)
    assert window.session.data.name == "Northwind Regional RFP"


def test_the_database_is_read_in_the_background_while_the_window_says_opening(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The evaluation is read on the thread pool: meanwhile the window says "Opening…" and
    its event loop runs (a timer fires, a tab can be chosen); then the snapshot is shown."""
    import threading

    from ui import session_opening

    make_database(tmp_path / "big.db")[0].close()
    release, reading = threading.Event(), threading.Event()
    real_read = session_opening.read_database

    def held_read(*args):  # the worker waits until the test has looked at the window
        reading.set()
        assert release.wait(10)
        return real_read(*args)

    monkeypatch.setattr(session_opening, "read_database", held_read)
    window = create_main_window(str(tmp_path / "big.db"), AppSettings(), paint_first=True)
    qtbot.addWidget(window)
    assert reading.wait(10)
    assert window.session.opening == str(tmp_path / "big.db")
    assert window.db_label.text().startswith("Opening ")
    assert window.statusBar().currentMessage().startswith("Opening ")
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks))  # the GUI thread is free while the worker reads
    window.show_tab("Criteria")
    assert window.tab_title(window.tabs.currentIndex()) == "Criteria"
    release.set()
    assert window.session.wait_for_open()
    assert window.session.data is not None and window.session.opening == ""
    assert window.session.data.name == "Northwind Regional RFP"
    assert window.db_label.text() == f"Database: {tmp_path / 'big.db'}"
    assert window.statusBar().currentMessage() == ""
    assert window.settings.last_database() == str(tmp_path / "big.db")


def test_a_background_open_that_fails_says_why_and_leaves_nothing_open(
    qtbot, tmp_path: Path, shown: list[str]
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are notes, not a database " * 64)
    window = create_main_window(str(bad), AppSettings(), paint_first=True)
    qtbot.addWidget(window)
    assert window.session.wait_for_open()
    qtbot.waitUntil(lambda: bool(shown))
    assert "notes.db" in shown[0]
    assert window.session.db is None and window.session.data is None
    assert window.session.opening == "" and window.db_label.text() == "No database open"
