"""The Candidates and Committee tabs: table models, adding by typing, editing, removing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from ui_helpers import finalise, make_database, session_on, show, start_scoring

from evaluator import services
from evaluator.domain import CandidateKind, EvaluationData
from evaluator.identity import Identity
from evaluator.services import process
from tests.core_fixtures import CHAIR, chaired
from ui import errors
from ui.people.model import CandidatesModel, CommitteeModel
from ui.people.view import CandidatesView, CommitteeView
from ui.reason_dialog import ReasonDialog
from ui.session import EvaluationSession
from ui.undo import AddCandidate, AddEvaluator, RenameCandidate, SetScore


@pytest.fixture
def session(qtbot, tmp_path: Path) -> EvaluationSession:
    make_database(tmp_path / "people.db")[0].close()
    with session_on(tmp_path / "people.db") as session:
        yield session


def stored(session: EvaluationSession) -> EvaluationData:
    return services.load_evaluation(session.db, session.ref)


def add_by_typing(qtbot, view, name: str) -> None:
    """What a user does: Add, type the name into the opened editor, Enter."""
    before = view.model.rowCount()
    view.add_action.trigger()
    editors = [e for e in view.table.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1  # the new row's name is open for typing
    editor = editors[0]
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    row = before
    qtbot.waitUntil(lambda: view.model.index(row, 0).data() == name)


def test_models_pass_the_tester(qtmodeltester, session: EvaluationSession) -> None:
    candidates, committee = CandidatesModel(session), CommitteeModel(session)
    qtmodeltester.check(candidates)
    qtmodeltester.check(committee)
    session.execute(AddCandidate(session, "Acme Health Support"))
    session.execute(AddEvaluator(session, "Ann Example", "CNO"))
    acme = session.data.candidates[0].id
    session.execute(RenameCandidate(session, acme, "Acme Direct"))
    session.undo_stack.undo()
    session.undo_stack.undo()
    session.undo_stack.undo()
    qtmodeltester.check(candidates)
    qtmodeltester.check(committee)


def test_add_two_candidates_and_edit_them(qtbot, session: EvaluationSession) -> None:
    view = show(qtbot, CandidatesView(session))
    add_by_typing(qtbot, view, "Acme Health Support")
    add_by_typing(qtbot, view, "Bolt Support Partners")
    assert [c.name for c in stored(session).candidates] == [
        "Acme Health Support",
        "Bolt Support Partners",
    ]
    # the kind column offers the two kinds of candidate
    index = view.model.index(1, 1)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    combo = view.table.findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Vendor (direct support)",
        "Third-party outsourcer",
    ]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: stored(session).candidates[1].kind is CandidateKind.OUTSOURCER)
    assert view.model.index(1, 1).data() == "Third-party outsourcer"
    assert session.undo_stack.undoText() == "Make Bolt Support Partners a third-party outsourcer"
    assert view.model.setData(view.model.index(0, 2), "Incumbent vendor")
    assert stored(session).candidates[0].notes == "Incumbent vendor"


def test_rename_is_fine_grained(session: EvaluationSession) -> None:
    session.execute(AddCandidate(session, "Acme Health Support"))
    session.execute(AddCandidate(session, "Bolt Support Partners"))
    model = CandidatesModel(session)
    events: list[object] = []
    model.dataChanged.connect(lambda a, b, _r: events.append((a.row(), b.row())))
    model.modelReset.connect(lambda: events.append("reset"))
    model.rowsInserted.connect(lambda _p, a, _b: events.append(("insert", a)))
    model.rowsRemoved.connect(lambda _p, a, _b: events.append(("remove", a)))
    assert model.setData(model.index(1, 0), "Bolt Partners")
    assert events == [(1, 1)]
    session.execute(AddCandidate(session, "Cedar Support"))
    session.undo_stack.undo()
    assert events[1:3] == [("insert", 2), ("remove", 2)]
    assert "reset" not in events


def test_duplicate_name_is_refused_with_a_message(qtbot, session: EvaluationSession) -> None:
    session.execute(AddCandidate(session, "Acme Health Support"))
    session.execute(AddCandidate(session, "Bolt Support Partners"))
    model = CandidatesModel(session)
    assert not model.setData(model.index(1, 0), "Acme Health Support")
    assert session.errors[-1] == (
        "A candidate named 'Acme Health Support' already exists in 'Northwind Regional RFP'."
    )
    assert model.index(1, 0).data() == "Bolt Support Partners"


def test_committee_roles_declarations_and_score_counts(qtbot, session: EvaluationSession) -> None:
    view = show(qtbot, CommitteeView(session))
    add_by_typing(qtbot, view, "Ann Example")
    add_by_typing(qtbot, view, "Ben Sample")
    model = view.model
    assert model.setData(model.index(0, 1), "Chief Nursing Officer")
    assert stored(session).evaluators[0].role == "Chief Nursing Officer"
    # members declare for themselves (Scoring tab): the column is not typed into here
    assert model.index(1, 2).data() == "Not declared yet"
    assert not model.flags(model.index(1, 2)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(1, 2), "Consulted for Acme in 2024")
    session.execute(AddCandidate(session, "Acme Health Support"))
    start_scoring(session)  # each member declares no conflict
    assert model.index(0, 2).data() == f"{today()} · No conflict"
    assert (model.index(0, 3).data(), model.index(0, 4).data()) == ("Not yet", "—")
    # three rated leaves x one candidate
    assert model.index(0, 5).data() == "0 of 3"
    changed: list[int] = []
    model.dataChanged.connect(lambda a, _b, _r: changed.append(a.row()))
    members = stored(session).evaluators
    ann, acme = members[0].id, session.data.candidates[0].id
    session.execute(SetScore(session, ann, acme, "tiers.l4", 4, "Good"))
    assert changed == [0] and model.index(0, 5).data() == "1 of 3"


def today() -> str:
    """The local date now (what a declaration or submission made in the test shows)."""
    return datetime.now().astimezone().strftime("%Y-%m-%d")


def test_remove_asks_and_says_how_many_scores_go(
    qtbot, session: EvaluationSession, monkeypatch
) -> None:
    session.execute(AddCandidate(session, "Acme Health Support"))
    session.execute(AddEvaluator(session, "Ann Example"))
    ann, acme = session.data.evaluators[0].id, session.data.candidates[0].id
    start_scoring(session)
    for key, value in (("tiers.l1", 3), ("tiers.l4", 4)):
        session.execute(SetScore(session, ann, acme, key, value, "Seen in demo"))
    view = CandidatesView(session)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    answers = iter([False, True])
    asked: list[str] = []
    monkeypatch.setattr(
        errors, "confirm", lambda _p, _t, text, _a: asked.append(text) or next(answers)
    )
    view.remove_action.trigger()
    assert "2 scores, 0 consensus scores and 0 questionnaire answers go with it" in asked[0]
    assert len(stored(session).candidates) == 1  # declined
    view.remove_action.trigger()
    assert stored(session).candidates == [] and stored(session).scores == []
    session.undo_stack.undo()
    assert [s.value for s in stored(session).scores] == [3.0, 4.0]
    assert view.model.rowCount() == 1


def test_final_evaluation_tables_are_read_only(qtbot, session: EvaluationSession) -> None:
    session.execute(AddCandidate(session, "Acme Health Support"))
    view = CandidatesView(session)
    qtbot.addWidget(view)
    finalise(session)
    model = view.model
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not view.add_action.isEnabled() and not view.remove_action.isEnabled()
    assert not model.setData(model.index(0, 0), "Renamed")
    assert "is final and read-only" in session.errors[-1]


# ---- the committee process: declarations, submissions, excuses, the chair's actions ----------


@pytest.fixture
def chaired_session(qtbot, tmp_path: Path) -> EvaluationSession:
    """`tests.core_fixtures.chaired`: Ann Example and Ben Sample score Zephyr Care IT and
    Orbis Support Co; the chair Cora Chair started scoring; nobody declared yet."""
    chaired(tmp_path)[0].close()
    with session_on(tmp_path / "t.db") as session:
        yield session


def as_member(session: EvaluationSession, name: str) -> Identity:
    return Identity(name, next(e.id for e in session.data.evaluators if e.name == name))


def committee_view(qtbot, session: EvaluationSession) -> CommitteeView:
    return show(qtbot, CommitteeView(session), 1200, 400)


def row_texts(view: CommitteeView, row: int) -> list[str]:
    return [view.model.index(row, c).data() for c in range(view.model.columnCount())]


def answer_reason(qtbot, reason: str) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog) and not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.editor, reason)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_the_committee_shows_declarations_submissions_and_excuses(qtbot, chaired_session):
    session = chaired_session
    db, ev = session.db, session.ref
    assert session.sign_in(CHAIR)
    view = committee_view(qtbot, session)
    assert [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Name", "Role", "Declaration", "Submitted", "Excused", "Scores given"
    ]  # fmt: skip
    assert row_texts(view, 0)[2:5] == ["Not declared yet", "Not yet", "—"]
    # while the members score blind, the chair does not learn how far each one got
    assert row_texts(view, 0)[5] == row_texts(view, 1)[5] == "hidden until all submit"
    # the members declare and submit on their laptops, the chair excuses Ben on hers
    ann, ben = as_member(session, "Ann Example"), as_member(session, "Ben Sample")
    process.declare(db, ev, "Ann Example", actor=ann)
    process.declare(db, ev, "Ben Sample", ["Orbis Support Co"], "Advised Orbis in 2022", actor=ben)
    process.submit(db, ev, "Ann Example", actor=ann)
    process.excuse(
        db, ev, "Ben Sample", "On leave until the award", actor=Identity(CHAIR, chair=True)
    )
    assert session.check_for_changes()
    assert row_texts(view, 0)[2:5] == [f"{today()} · No conflict", today(), "—"]
    assert row_texts(view, 1)[2:5] == [
        f"{today()} · Conflict with Orbis Support Co: Advised Orbis in 2022",
        "Not yet",
        "On leave until the award",
    ]
    # everyone submitted or been excused: open to all; Orbis is not Ben's to score
    assert (row_texts(view, 0)[5], row_texts(view, 1)[5]) == ("0 of 4", "0 of 2")


def test_the_chair_reopens_a_sheet_and_excuses_a_member_with_reasons(
    qtbot, chaired_session, monkeypatch
):
    session = chaired_session
    db, ev = session.db, session.ref
    ann = as_member(session, "Ann Example")
    process.declare(db, ev, "Ann Example", actor=ann)
    process.submit(db, ev, "Ann Example", actor=ann)
    assert session.sign_in(CHAIR)
    view = committee_view(qtbot, session)

    view.table.selectRow(0)  # Ann: submitted
    assert view.reopen_action.isEnabled() and not view.excuse_action.isEnabled()
    answer_reason(qtbot, "Scored Orbis in Zephyr's column")
    view.reopen_action.trigger()
    assert not member(session, "Ann Example").submitted
    entry = services.audit_trail(db, ev)[-1]
    assert (entry.action, entry.why, entry.actor) == (
        "reopen scoresheet",
        "Scored Orbis in Zephyr's column",
        CHAIR,
    )
    assert row_texts(view, 0)[3] == "Not yet" and not view.reopen_action.isEnabled()

    view.table.selectRow(1)  # Ben
    assert view.excuse_action.isEnabled() and view.excuse_action.text() == "Excuse…"
    answer_reason(qtbot, "On leave until the award")
    view.excuse_action.trigger()
    assert member(session, "Ben Sample").excused == "On leave until the award"
    assert row_texts(view, 1)[4] == "On leave until the award"
    assert view.excuse_action.text() == "Withdraw excuse…"
    monkeypatch.setattr(errors, "confirm", lambda *_args: True)
    view.excuse_action.trigger()
    assert member(session, "Ben Sample").excused == ""
    assert session.errors == []


def test_refused_actions_show_the_cores_message(qtbot, chaired_session):
    session = chaired_session
    db, ev = session.db, session.ref
    assert session.sign_in(CHAIR)
    view = committee_view(qtbot, session)
    # another laptop of the chair's excused Ben meanwhile: this window has not looked yet
    process.excuse(db, ev, "Ben Sample", "Travelling", actor=Identity(CHAIR, chair=True))
    view.table.selectRow(1)
    answer_reason(qtbot, "On leave")
    assert not view.excuse()
    assert session.errors[-1].startswith(f"The excuse of Ben Sample was changed by {CHAIR} at ")
    assert member(session, "Ben Sample").excused == "Travelling"  # not overwritten
    assert row_texts(view, 1)[4] == "Travelling"  # re-read: the user sees why

    # a member sees the chair's actions, greyed, saying who may
    assert session.sign_in("Ann Example")
    view.table.selectRow(1)
    for action in (view.excuse_action, view.reopen_action):
        assert not action.isEnabled()
        assert action.toolTip() == f"Only the chair ({CHAIR}) can do this"


def member(session: EvaluationSession, name: str):  # type: ignore[no-untyped-def]
    return next(e for e in stored(session).evaluators if e.name == name)


def test_a_hidden_candidates_tab_fits_its_columns_when_shown(qtbot, session) -> None:
    """Behind another tab the table is not measured on every change (an evaluation opening
    resets it); shown, its columns fit a long name as a front tab's do."""
    from PySide6.QtWidgets import QLabel, QTabWidget

    tabs = QTabWidget()
    tabs.addTab(QLabel("Scoring goes here"), "Scoring")
    view = CandidatesView(session)
    tabs.addTab(view, "Candidates")
    show(qtbot, tabs, 1300, 750, activate=True)
    session.execute(AddCandidate(session, "Fictitious Regional Support Partners of the Valley"))
    before = view.table.columnWidth(0)
    assert before < view.table.sizeHintForColumn(0)  # not fitted while hidden
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.isVisible)
    assert view.table.columnWidth(0) >= view.table.sizeHintForColumn(0) > before


def test_the_kind_editor_shows_its_longest_label_whole(qtbot, session) -> None:
    """The Kind column is fitted to its text; the combo box that edits it also needs room
    for its arrow: it is made as wide as it needs, over the cell ("Vendor (direct suppor")."""
    view = show(qtbot, CandidatesView(session))
    if not view.model.rowCount():
        session.execute(AddCandidate(session, "Fictitious Vendor Ltd"))
    index = view.model.index(0, 1)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editors = [c for c in view.table.findChildren(QComboBox) if c.isVisible()]
    assert len(editors) == 1
    combo = editors[0]
    longest = max((combo.itemText(i) for i in range(combo.count())), key=len)
    assert combo.width() >= combo.sizeHint().width()
    assert combo.fontMetrics().horizontalAdvance(longest) < combo.width()
