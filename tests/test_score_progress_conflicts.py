"""The status line's progress leaves out the cells of a declared conflict of interest: they are
not on the member's sheet, so they are neither expected nor counted (the Committee tab and the
member's own sheet already left them out; the status line said 247 of 272)."""

from __future__ import annotations

from pathlib import Path

from evaluator import services
from evaluator.services import process
from tests.core_fixtures import new_db, small_tree
from ui.scoring.progress import member_progress
from ui.session import EvaluationSession


def test_a_declared_conflict_is_neither_expected_nor_counted(qtbot, tmp_path: Path) -> None:
    db = new_db(tmp_path)
    ev = services.create_evaluation(db, "Riverbend RFP", small_tree(), actor="chair")
    for name in ("Zephyr Care IT", "Orbis Support Co", "Kestrel Desk Ltd"):
        services.add_candidate(db, ev, name, actor="chair")
    for name in ("Ann Example", "Ben Sample"):
        services.add_evaluator(db, ev, name, actor="chair")
    process.declare(db, ev, "Ann Example")
    process.declare(db, ev, "Ben Sample")
    services.change_status(db, ev, "scoring")
    services.set_score(db, ev, "Ben Sample", "Orbis Support Co", "tiers.l1", 2, "Before declaring")
    process.declare(db, ev, "Ben Sample", ["Orbis Support Co"], "Advised Orbis in 2022")
    services.set_score(db, ev, "Ben Sample", "Zephyr Care IT", "tiers.l1", 3, "Named engineer")
    services.set_score(db, ev, "Ann Example", "Orbis Support Co", "tiers.l1", 4, "On site")
    db.close()

    session = EvaluationSession()
    assert session.open_database(str(tmp_path / "t.db"))
    rated = len([leaf for leaf in session.leaves() if leaf.kind.value == "rated"])
    # Ann: 3 candidates; Ben: 2 (Orbis left out, and his earlier score for it not counted)
    assert session.score_progress() == (2, rated * 5)
    assert session.score_progress(session.data.evaluators[1].id) == (1, rated * 2)
    ben = member_progress(session, session.data.evaluators[1].id)
    assert (ben.done, ben.total) == (1, rated * 2)  # the sheet and the status line agree
    session.close_database()
