"""The pairwise weighting dialog, driven as a committee uses it: opened from the Criteria tab,
each answer one undo step with the matrix and consistency following, the warning naming the
judgment to revisit, a member's own judgments beside the committee's, the chair's Apply as one
undo step, and a final evaluation read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_helpers import finalise, make_database, session_on, start_scoring
from ui_helpers import show as show_widget

from evaluator import services
from evaluator.services import process
from ui.criteria.ahp_dialog import AhpDialog
from ui.criteria.ahp_model import COMMITTEE, NOT_COMPARED, choice_index
from ui.criteria.view import CriteriaView
from ui.session import EvaluationSession

TIERS = ("tiers.l1", "tiers.l4", "tiers.coverage")  # the criteria compared under "tiers"


@pytest.fixture
def session(qtbot, tmp_path: Path) -> EvaluationSession:
    db, ev = make_database(tmp_path / "ahp.db")
    for name in ("Ann Example", "Ben Sample"):
        services.add_evaluator(db, ev, name)
    db.close()
    with session_on(tmp_path / "ahp.db") as session:
        yield session


@pytest.fixture
def view(qtbot, session: EvaluationSession) -> CriteriaView:
    return show_widget(qtbot, CriteriaView(session), 1100, 700)


def chair(session: EvaluationSession) -> None:
    process.name_chair(session.db, session.ref, "Cleo Chair")
    session.reload()
    assert session.sign_in("Cleo Chair")


def member_id(session: EvaluationSession, name: str) -> int:
    return next(e.id for e in session.data.evaluators if e.name == name)


def open_for(qtbot, view: CriteriaView, key: str) -> AhpDialog:
    """Select a criterion in the tree and press Pairwise weights…."""
    view.select(key)
    view.ahp_action.trigger()
    dialog = view.ahp_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def pick(dialog: AhpDialog, pair: tuple[int, int], value: float | None) -> None:
    """Choose a point of the scale in the pair's box, as the user does."""
    box = dialog.findChild(type(dialog.pair_boxes[0]), f"ahpPair{pair[0]}_{pair[1]}")
    assert box is not None and box.isEnabled()
    box.setCurrentIndex(choice_index(value))


def show(dialog: AhpDialog, whose: int | None) -> None:
    dialog.whose_box.setCurrentIndex(dialog.whose_box.findData(whose))


def cell(dialog: AhpDialog, i: int, j: int) -> str:
    return dialog.matrix.item(i, j).text()


def stored_weights(session: EvaluationSession) -> list[float]:
    data = services.load_evaluation(session.db, session.ref)
    tiers = next(n for n in data.criteria if n.key == "tiers")
    return [c.weight for c in tiers.children if c.key in TIERS]


def test_answers_fill_the_matrix_live_and_each_is_an_undo_step(qtbot, view, session):
    ann = member_id(session, "Ann Example")
    assert session.sign_in("Ann Example")
    dialog = open_for(qtbot, view, "tiers")
    assert dialog.set_box.currentData() == "tiers" and len(dialog.pair_boxes) == 3
    assert dialog.whose_box.currentData() == ann  # a member starts on their own comparisons
    assert "0 of 3 pairs compared" in dialog.intro.text()
    assert "not determined" in dialog.stats.text()
    pick(dialog, (0, 1), 1 / 2)  # Level 4 equally-to-moderately more important than Level 1
    assert cell(dialog, 0, 1) == "1/2" and cell(dialog, 1, 0) == "2"
    assert cell(dialog, 0, 2) == "·"
    assert "at least 1 more" in dialog.stats.text()
    pick(dialog, (1, 2), 2)  # two answers link all three: weights from Harker's method
    assert cell(dialog, 0, 2) == "(1)"  # implied by the others, shown apart
    assert "1 of 3 pairs not compared yet" in dialog.stats.text()
    assert "CR 0.000" in dialog.stats.text() and "Saaty (1980)" in dialog.stats.text()
    assert dialog.weights.item(1, 1).text() == "50.0 %"  # 1 : 2 : 1
    assert session.undo_stack.count() == 2
    assert session.undo_stack.undoText() == (
        "Compare Level 4 escalation with Round-the-clock coverage: 2"
    )
    session.undo_stack.undo()
    assert dialog.pair_boxes[2].currentText() == NOT_COMPARED and cell(dialog, 1, 2) == "·"
    stored = services.load_evaluation(session.db, session.ref).judgments
    assert [(j.first, j.second, j.value) for j in stored] == [("tiers.l1", "tiers.l4", 0.5)]


def test_inconsistency_warning_names_the_judgment_and_the_value_that_fits(qtbot, view, session):
    assert session.sign_in("Ann Example")
    dialog = open_for(qtbot, view, "tiers.l4")  # a criterion: it and its siblings
    assert dialog.set_box.currentData() == "tiers"
    pick(dialog, (0, 1), 1 / 3)
    pick(dialog, (1, 2), 1 / 3)
    assert not dialog.warning.isVisible()
    pick(dialog, (0, 2), 5)  # the others imply 1/3 x 1/3 = 1/9: a contradiction
    assert dialog.warning.isVisible()
    text = dialog.warning.text()
    assert "CR" in text and "above 0.10" in text
    assert "Level 1 help desk vs Round-the-clock coverage: 5 given" in text
    assert "so 1/9 would fit (CR 0.00)" in text
    pick(dialog, (0, 2), 1 / 9)  # as suggested
    assert not dialog.warning.isVisible()
    assert "CR 0.000" in dialog.stats.text()


def test_own_judgments_beside_the_committee_and_the_chair_applies(qtbot, view, session):
    chair(session)
    ann, ben = member_id(session, "Ann Example"), member_id(session, "Ben Sample")
    dialog = open_for(qtbot, view, "tiers")
    assert dialog.whose_box.currentData() is COMMITTEE
    assert not dialog.apply_button.isEnabled()  # nothing compared yet
    show(dialog, ann)  # the chair enters a member's paper form
    assert dialog.view.editable
    for pair, value in (((0, 1), 1 / 2), ((1, 2), 2), ((0, 2), 1)):
        pick(dialog, pair, value)
    show(dialog, ben)
    for pair, value in (((0, 1), 1 / 8), ((1, 2), 2), ((0, 2), 1 / 4)):
        pick(dialog, pair, value)
    show(dialog, COMMITTEE)
    assert not dialog.pair_boxes[0].isEnabled()  # the geometric mean is not typed in
    assert cell(dialog, 0, 1) == "1/4"  # sqrt(1/2 x 1/8)
    assert cell(dialog, 0, 2) == "1/2"  # sqrt(1 x 1/4)
    assert "Ann Example: 3 of 3, CR 0.000" in dialog.members.text()
    assert "Ben Sample: 3 of 3, CR 0.000" in dialog.members.text()
    assert dialog.apply_button.isEnabled()
    before = stored_weights(session)
    depth = session.undo_stack.count()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    after = stored_weights(session)
    assert after == [14.29, 57.14, 28.57]  # 1 : 4 : 2
    assert session.undo_stack.count() == depth + 1
    assert session.undo_stack.undoText() == "Apply AHP weights to Support tiers"
    assert "They are applied now." in dialog.members.text()
    assert view.model.index_of("tiers.l4", 2).data() is not None
    session.undo_stack.undo()
    assert stored_weights(session) == before
    entries = [e for e in services.audit_trail(session.db, session.ref) if e.action == "set weight"]
    assert len(entries) == 6 and all("geometric mean" in e.why for e in entries)


def test_a_member_sees_colleagues_judgments_read_only_and_cannot_apply(qtbot, view, session):
    chair(session)
    ben = member_id(session, "Ben Sample")
    dialog = open_for(qtbot, view, "tiers")
    show(dialog, ben)
    pick(dialog, (0, 1), 3)
    assert session.sign_in("Ann Example")
    assert dialog.whose_box.currentData() == member_id(session, "Ann Example")
    assert not dialog.apply_button.isVisible()
    show(dialog, ben)
    assert not dialog.view.editable and not dialog.pair_boxes[0].isEnabled()
    assert dialog.pair_boxes[0].currentIndex() == choice_index(3)
    assert "read-only here" in dialog.intro.text()


def test_inconsistent_weights_need_a_reason_before_the_chair_applies(qtbot, view, session):
    dialog = open_for(qtbot, view, "tiers")  # no chair named: one person sets up, as the chair
    show(dialog, member_id(session, "Ann Example"))
    for pair, value in (((0, 1), 3), ((1, 2), 3), ((0, 2), 1 / 5)):
        pick(dialog, pair, value)
    show(dialog, COMMITTEE)
    assert dialog.warning.isVisible() and dialog.reason.isVisible()
    assert not dialog.apply_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "Agreed by the committee on 3 March")
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    entry = services.audit_trail(session.db, session.ref)[-1]
    assert entry.why.endswith("Agreed by the committee on 3 March")
    assert dialog.reason.text() == ""


def test_the_top_level_and_a_final_evaluation_is_read_only(qtbot, view, session):
    dialog = open_for(qtbot, view, "price")  # a top-level leaf: the top level
    assert dialog.set_box.currentData() is None
    assert [dialog.set_box.itemData(k) for k in range(dialog.set_box.count())] == [None, "tiers"]
    show(dialog, member_id(session, "Ann Example"))
    pick(dialog, (0, 1), 2)
    finalise(session)
    assert not dialog.view.editable and not any(b.isEnabled() for b in dialog.pair_boxes)
    assert not dialog.apply_button.isVisible()
    assert dialog.pair_boxes[0].currentIndex() == choice_index(2)


def blind_scoring(qtbot, view, session) -> tuple[AhpDialog, int, int]:
    """A chair named, the committee scoring with nobody submitted; the chair has entered Ann's
    and Ben's paper forms (Ann: Level 4 twice as important as Level 1; Ben: eight times)."""
    chair(session)
    start_scoring(session)
    ann, ben = member_id(session, "Ann Example"), member_id(session, "Ben Sample")
    dialog = open_for(qtbot, view, "tiers")
    for who, value in ((ann, 1 / 2), (ben, 1 / 8)):
        show(dialog, who)
        pick(dialog, (0, 1), value)
    return dialog, ann, ben


def test_a_member_scoring_blind_sees_only_their_own_and_why_the_committee_is_hidden(
    qtbot, view, session
):
    dialog, ann, ben = blind_scoring(qtbot, view, session)
    assert session.sign_in("Ann Example")
    choices = [dialog.whose_box.itemData(k) for k in range(dialog.whose_box.count())]
    assert choices == [ann]  # no colleague, no committee to choose
    assert dialog.pair_boxes[0].currentIndex() == choice_index(1 / 2)  # her own, not Ben's
    assert cell(dialog, 0, 1) == "1/2"
    assert dialog.hidden_note.isVisible()
    note = dialog.hidden_note.text()
    assert note.startswith("The committee's result (the geometric mean")
    assert "opens when every committee member has submitted" in note
    assert "waiting for Ann Example, Ben Sample" in note and "only your own" in note
    assert dialog.members.text() == "You: Ann Example: 1 of 3."
    assert "Ben" not in dialog.members.text() and "applied" not in dialog.members.text()
    pick(dialog, (1, 2), 2)  # she goes on answering: still only hers
    assert dialog.whose_box.count() == 1 and dialog.hidden_note.isVisible()
    assert dialog.members.text() == "You: Ann Example: 2 of 3, CR 0.000."
    assert not dialog.apply_button.isVisible()
    stored = services.load_evaluation(session.db, session.ref).judgments
    assert sorted(j.evaluator_id for j in stored) == [ann, ann, ben]


def test_the_chair_sees_everything_during_blind_scoring_and_members_once_it_opens(
    qtbot, view, session
):
    dialog, ann, ben = blind_scoring(qtbot, view, session)
    assert session.is_chair and session.blind  # the chair sees no scores, but all judgments
    assert [dialog.whose_box.itemData(k) for k in range(dialog.whose_box.count())] == [
        ann, ben, COMMITTEE,
    ]  # fmt: skip
    assert not dialog.hidden_note.isVisible()
    show(dialog, COMMITTEE)
    assert cell(dialog, 0, 1) == "1/4"  # sqrt(1/2 x 1/8): both members' judgments
    assert "Ann Example: 1 of 3" in dialog.members.text()
    assert "Ben Sample: 1 of 3" in dialog.members.text()
    for member in (ann, ben):
        assert session.submit(member)  # the committee opens: a member sees it all again
    assert session.sign_in("Ann Example")
    assert dialog.whose_box.count() == 3 and not dialog.hidden_note.isVisible()
    show(dialog, COMMITTEE)
    assert cell(dialog, 0, 1) == "1/4"
