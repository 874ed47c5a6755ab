"""The Candidates and Committee tabs: table models, adding by typing, editing, removing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from ui_helpers import finalise, make_database, start_scoring

from evaluator import services
from evaluator.domain import CandidateKind, EvaluationData
from ui import errors
from ui.people.model import CandidatesModel, CommitteeModel
from ui.people.view import CandidatesView, CommitteeView
from ui.session import EvaluationSession
from ui.undo import AddCandidate, AddEvaluator, RenameCandidate, SetScore


@pytest.fixture
def session(qtbot, tmp_path: Path) -> EvaluationSession:
    make_database(tmp_path / "people.db")[0].close()
    session = EvaluationSession()
    session.messages = []  # type: ignore[attr-defined]
    session.errorRaised.connect(session.messages.append)  # type: ignore[attr-defined]
    assert session.open_database(str(tmp_path / "people.db"))
    yield session
    session.close_database()


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
    view = CandidatesView(session)
    qtbot.addWidget(view)
    view.show()
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
    assert session.messages[-1] == (
        "A candidate named 'Acme Health Support' already exists in 'Northwind Regional RFP'."
    )
    assert model.index(1, 0).data() == "Bolt Support Partners"


def test_committee_roles_conflicts_and_score_counts(qtbot, session: EvaluationSession) -> None:
    view = CommitteeView(session)
    qtbot.addWidget(view)
    view.show()
    add_by_typing(qtbot, view, "Ann Example")
    add_by_typing(qtbot, view, "Ben Sample")
    model = view.model
    assert model.setData(model.index(0, 1), "Chief Nursing Officer")
    assert model.index(1, 2).data() == "None declared"  # placeholder for an empty declaration
    assert model.setData(model.index(1, 2), "Consulted for Acme in 2024")
    members = stored(session).evaluators
    assert (members[0].role, members[1].conflict_of_interest) == (
        "Chief Nursing Officer",
        "Consulted for Acme in 2024",
    )
    session.execute(AddCandidate(session, "Acme Health Support"))
    start_scoring(session)
    # three rated leaves x one candidate
    assert model.index(0, 3).data() == "0 of 3"
    changed: list[int] = []
    model.dataChanged.connect(lambda a, _b, _r: changed.append(a.row()))
    ann, acme = members[0].id, session.data.candidates[0].id
    session.execute(SetScore(session, ann, acme, "tiers.l4", 4, "Good"))
    assert changed == [0] and model.index(0, 3).data() == "1 of 3"


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
    assert "is final and read-only" in session.messages[-1]
