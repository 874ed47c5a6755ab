"""The Agreement tab driven through the window: the hand-worked numbers of
tests/test_agreement.py, the normalised ranking shown on request beside the raw one, and the
blind rule (nothing shown to a member while the committee scores blind)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from ui_helpers import show

from evaluator import services
from evaluator.changes import SetChair
from tests.agreement_fixtures import committee, leniency_case
from tests.core_fixtures import populated
from tests.test_ui_aggregation import opened
from ui.agreement.view import AgreementView
from ui.main_window import MainWindow
from ui.session import EvaluationSession


def agreement_tab(window: MainWindow) -> AgreementView:
    window.show_tab("Agreement")
    view = window.tab("Agreement")
    assert isinstance(view, AgreementView)
    return view


def texts(model) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_members_and_criteria_by_hand(qtbot, tmp_path) -> None:
    view = agreement_tab(opened(qtbot, tmp_path, leniency_case()))
    qtbot.waitUntil(lambda: view.agreement is not None)
    assert texts(view.members) == [
        ["A", "+1.17", "3", "Leaf q2 (+2.0), Leaf q1 (+0.8)"],
        ["B", "-1.17", "3", "Leaf q2 (-2.0), Leaf q1 (-0.8)"],
        ["C", "+0.00", "2", "—"],
    ]
    assert texts(view.spreads) == [
        ["Leaf q1", "2", "0.41", "1.00", "2", "1"],
        ["Leaf q2", "1", "1.00", "2.00", "2", "1"],
    ]
    assert "Kendall's W" in view.summary.text() and not view.banner.isVisible()
    assert not view.normalised_table.isVisible()


def test_normalised_ranking_on_request_beside_the_raw_one(qtbot, tmp_path) -> None:
    data = committee(
        {(1, 1, "q"): 5, (1, 2, "q"): 3, (2, 1, "q"): 0, (2, 2, "q"): 1}, keys=("q",), members=2
    )
    window = opened(qtbot, tmp_path, data)
    view = agreement_tab(window)
    qtbot.waitUntil(lambda: view.agreement is not None)
    assert view.normalised.rowCount() == 0
    box = view.normalise  # clicked on its indicator (the widget is wider than its text)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: view.normalised.rowCount() == 2)
    assert view.normalised_table.isVisible()
    assert texts(view.normalised) == [
        ["Example Vendor 1", "1", "50.0", "1", "45.0"],
        ["Example Vendor 2", "2", "40.0", "1", "45.0"],
    ]
    assert view.normalised.index(1, 3).data(Qt.ItemDataRole.FontRole).bold()  # it moved
    assert [r.total for r in window.session.results.candidates] == [50.0, 40.0]  # not applied


def test_a_member_sees_nothing_while_the_committee_scores_blind(qtbot, tmp_path) -> None:
    database, ev = populated(tmp_path)  # scoring: Ann and Ben have declared, not submitted
    services.apply_change(database, ev, SetChair("", "Cora Chair"), actor="setup")
    database.close()
    session = EvaluationSession()
    assert session.open_database(str(tmp_path / "t.db")) and session.sign_in("Ann Example")
    view = show(qtbot, AgreementView(session))
    assert view.banner.isVisible() and "opens when every committee member" in view.banner.text()
    assert not view.body.isVisible() and view.agreement is None
    assert view.members.rowCount() == 0
    session.close_database()
