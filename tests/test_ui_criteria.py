"""The Criteria tab: the tree model's values and signals, editing in place, the side panel,
structure buttons, the zero-weight warning and read-only mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit
from ui_helpers import make_database, session_on, show

from evaluator import services
from evaluator.domain import AutoRule, Band, Criterion, CriterionKind, Status
from tests.core_fixtures import start_scoring
from ui import errors
from ui.criteria.model import EFFECTIVE, KIND, NAME, SHARE, SHARE_ROLE, WEIGHT, CriteriaModel
from ui.criteria.rule_text import RuleSyntaxError, rule_from_text, rule_to_text
from ui.criteria.view import CriteriaView
from ui.session import EvaluationSession
from ui.undo import AddCriterion, ChangeStatus, EditCriterion, MoveCriterion, RemoveCriterion


@pytest.fixture
def session(qtbot, tmp_path: Path) -> EvaluationSession:
    make_database(tmp_path / "criteria.db")[0].close()
    with session_on(tmp_path / "criteria.db") as session:
        yield session


@pytest.fixture
def view(qtbot, session: EvaluationSession) -> CriteriaView:
    return show(qtbot, CriteriaView(session), 1100, 700)


def stored(session: EvaluationSession, key: str) -> Criterion:
    data = services.load_evaluation(session.db, session.ref)
    return next(n for r in data.criteria for n in r.walk() if n.key == key)


def editable(model: CriteriaModel, key: str, column: int) -> bool:
    return bool(model.flags(model.index_of(key, column)) & Qt.ItemFlag.ItemIsEditable)


def test_model_values(session: EvaluationSession) -> None:
    model = CriteriaModel(session)
    cell = lambda key, column: model.index_of(key, column).data()  # noqa: E731
    assert model.rowCount() == 3
    assert [cell(k, NAME) for k in ("tiers", "staff", "price")] == [
        "Support tiers",
        "Clinical know-how",
        "Annual support fee",
    ]
    # tiers.l4: weight 2 of 1 + 2 + 1 in its category; the category has 3 of 3 + 2 + 1
    assert cell("tiers.l4", WEIGHT) == "2"
    assert cell("tiers.l4", EFFECTIVE) == "25.0 %"
    assert cell("tiers.l4", SHARE) == "50 %"
    assert model.index_of("tiers.l4", SHARE).data(SHARE_ROLE) == pytest.approx(0.5)
    assert cell("tiers", EFFECTIVE) == "50.0 %"
    assert cell("staff", SHARE) == "33 %"
    # the gate has no weight; its clinical sibling takes all of the category's share
    assert cell("staff.onshore", WEIGHT) == "—"
    assert cell("staff.onshore", EFFECTIVE) == "no weight"
    assert model.index_of("staff.onshore", SHARE).data(SHARE_ROLE) is None
    assert cell("staff.clinical", EFFECTIVE) == "33.3 %"
    assert cell("tiers.coverage", KIND) == "Auto-scored"
    assert not editable(model, "staff.onshore", WEIGHT)  # gates have no weight
    assert editable(model, "tiers.l4", WEIGHT)
    assert not editable(model, "tiers", KIND)  # a category with children stays one


def test_model_passes_the_tester_through_every_kind_of_change(
    qtmodeltester, session: EvaluationSession
) -> None:
    model = CriteriaModel(session)
    qtmodeltester.check(model)  # stays attached and checks every signal that follows
    events: list[tuple[str, str | None, int]] = []
    model.rowsInserted.connect(lambda p, a, _b: events.append(("insert", model.key_of(p), a)))
    model.rowsRemoved.connect(lambda p, a, _b: events.append(("remove", model.key_of(p), a)))
    model.rowsMoved.connect(lambda p, a, _b, d, r: events.append(("move", model.key_of(d), r)))
    model.modelReset.connect(lambda: events.append(("reset", None, -1)))
    leaf = Criterion("tiers.l2", "Level 2 application support", CriterionKind.RATED, 1)
    assert session.execute(AddCriterion(session, leaf, "tiers", 1))
    assert session.execute(MoveCriterion(session, "tiers.l2", "staff", 0))
    assert session.execute(MoveCriterion(session, "price", None, 0))
    assert session.execute(RemoveCriterion(session, "tiers"))
    session.undo_stack.undo()  # restore: a reload, still reported as one insert
    assert events == [
        ("insert", "tiers", 1),
        ("move", "staff", 0),
        ("move", None, 0),
        ("remove", None, 1),
        ("insert", None, 1),
    ]
    qtmodeltester.check(model)


def test_weight_edit_is_fine_grained(session: EvaluationSession) -> None:
    model = CriteriaModel(session)
    changed: list[tuple[str | None, int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _r: changed.append(
            (model.key_of(a.parent()), a.row(), b.row(), a.column(), b.column())
        )
    )
    model.modelReset.connect(lambda: changed.append(("reset", 0, 0, 0, 0)))
    assert model.setData(model.index_of("tiers.l4", WEIGHT), 6)
    # one signal for the siblings under "tiers": rows l1..coverage, weight to share columns;
    # the category itself and the other branches are untouched
    assert changed == [("tiers", 0, 2, WEIGHT, SHARE)]
    assert model.index_of("tiers.l4", SHARE).data() == "75 %"
    assert stored(session, "tiers.l4").weight == 6.0


def test_typing_a_weight_into_the_tree(qtbot, view: CriteriaView) -> None:
    index = view.model.index_of("tiers.l1", WEIGHT)
    view.tree.setFocus()
    view.tree.setCurrentIndex(index)
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    editor = view.tree.findChild(QDoubleSpinBox)
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor, "3")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: stored(view.session, "tiers.l1").weight == 3.0)
    assert view.session.undo_stack.undoText() == "Set weight of Level 1 help desk to 3"
    assert view.model.index_of("tiers.l1", EFFECTIVE).data() == "25.0 %"  # 3 of 6, of 1/2


def test_renaming_in_place(qtbot, view: CriteriaView) -> None:
    view.tree.setCurrentIndex(view.model.index_of("price", NAME))
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    editor = view.tree.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Yearly support fee")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(view.session, "price").name == "Yearly support fee")


def test_zero_weights_warn_live(qtbot, view: CriteriaView) -> None:
    session = view.session
    for key in ("tiers.l1", "tiers.l4", "tiers.coverage"):
        assert session.execute(EditCriterion(session, key, weight=0))
    assert view.warning.isVisible()
    assert "All weights under category 'Support tiers' (tiers) are zero" in view.warning.text()
    assert view.model.index_of("tiers.l1", EFFECTIVE).data() == "—"
    session.undo_stack.undo()
    assert not view.warning.isVisible()


def test_add_move_remove_buttons(qtbot, view: CriteriaView, monkeypatch) -> None:
    session = view.session
    view.select("tiers.l4")
    view.add_action.trigger()  # a rated criterion after the selected one, name open for typing
    editor = view.tree.findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "Level 3 integration")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.undo_stack.count() == 2)
    tiers = stored(session, "tiers")
    assert [c.name for c in tiers.children] == [
        "Level 1 help desk",
        "Level 4 escalation",
        "Level 3 integration",
        "Round-the-clock coverage",
    ]
    assert tiers.children[2].key == "tiers.new" and tiers.children[2].kind is CriterionKind.RATED
    view.select("tiers.new")
    view.up_action.trigger()
    assert [c.key for c in stored(session, "tiers").children][:3] == [
        "tiers.l1",
        "tiers.new",
        "tiers.l4",
    ]
    assert view.current_key() == "tiers.new"
    asked: list[str] = []
    monkeypatch.setattr(errors, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    view.remove_action.trigger()
    assert "Remove the criterion “Level 3 integration”?" in asked[0]
    assert all(c.key != "tiers.new" for c in stored(session, "tiers").children)


def test_remove_says_what_goes(view: CriteriaView, monkeypatch) -> None:
    session = view.session
    services.add_candidate(session.db, session.ref, "Acme Health Support")
    services.add_evaluator(session.db, session.ref, "Ann Example")
    start_scoring(session.db, session.ref)
    services.set_score(session.db, session.ref, "Ann Example", "Acme Health Support",
                       "tiers.l4", 4, "Good")  # fmt: skip
    session.reload()
    asked: list[str] = []
    monkeypatch.setattr(errors, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    view.select("tiers")
    view.remove_action.trigger()
    assert "and its 3 sub-criteria" in asked[0]
    assert "1 scores, 0 consensus scores and 0 questionnaire answers go with it" in asked[0]
    assert stored(session, "tiers").children  # refused: nothing removed


def test_side_panel_edits_rubric_and_rule(qtbot, view: CriteriaView) -> None:
    session = view.session
    view.select("tiers.l4")
    panel = view.panel
    assert panel.title.text() == "Level 4 escalation"
    assert panel.rubric_edits[4].toPlainText() == "Strong"
    assert not panel.rule_box.isVisibleTo(panel)  # rated: no rule
    edit = panel.rubric_edits[5]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Named engineers on call")
    view.tree.setFocus()  # leaving the field commits it
    assert stored(session, "tiers.l4").rubric[5] == "Named engineers on call"
    assert session.undo_stack.undoText() == "Edit rubric of Level 4 escalation"

    view.select("tiers.coverage")
    assert panel.rule_box.isVisibleTo(panel)
    assert panel.rule.toPlainText() == "yes = 5\nno = 0"
    panel.rule.setFocus()
    panel.rule.setPlainText("yes = 4\nmaybe")
    view.tree.setFocus()
    assert panel.rule_error.isVisibleTo(panel) and "Line 2 ('maybe')" in panel.rule_error.text()
    assert stored(session, "tiers.coverage").rule == AutoRule(yes=5, no=0)
    panel.rule.setFocus()
    panel.rule.setPlainText("yes = 4\nno = 1")
    view.tree.setFocus()
    assert stored(session, "tiers.coverage").rule == AutoRule(yes=4, no=1)
    assert not panel.rule_error.isVisibleTo(panel)


def test_final_evaluation_is_read_only(qtbot, view: CriteriaView) -> None:
    session = view.session
    for status in (Status.SCORING, Status.CONSENSUS):
        assert session.execute(ChangeStatus(session, status))
    assert session.finalise()
    model = view.model
    for column in (NAME, KIND, WEIGHT):
        assert not editable(model, "tiers.l4", column)
    assert not view.add_action.isEnabled() and not view.remove_action.isEnabled()
    view.select("tiers.l4")
    assert view.panel.description.isReadOnly()
    assert not model.setData(model.index_of("tiers.l4", WEIGHT), 9)
    assert "is final and read-only" in session.errors[-1]
    assert stored(session, "tiers.l4").weight == 2.0


def test_rule_text_round_trip() -> None:
    rule = AutoRule(
        yes=5, no=0, choices={"Gold": 4}, bands=(Band(5, high=10), Band(3, 10, 24.5), Band(0))
    )
    text = rule_to_text(rule)
    assert text == "yes = 5\nno = 0\nGold = 4\n..10 = 5\n10..24.5 = 3\n.. = 0"
    assert rule_from_text(text) == rule
    assert rule_from_text("  \n") is None
    with pytest.raises(RuleSyntaxError, match="line 1: the score 'high' is not a number"):
        rule_from_text("yes = high")


def test_no_evaluation_shows_an_empty_tree(qtbot) -> None:
    session = EvaluationSession()
    view = CriteriaView(session)
    qtbot.addWidget(view)
    assert view.model.rowCount(QModelIndex()) == 0
    assert not view.add_action.isEnabled()
