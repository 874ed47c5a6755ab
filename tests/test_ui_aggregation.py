"""Evaluation ▸ Combine members' scores by: mean or median in the window, one undoable and
audited change, closed when the evaluation is final.

One criterion, one candidate, members' scores 5, 0, 1 on 0..5: the mean 2 gives 40 points, the
median 1 gives 20."""

from __future__ import annotations

from pathlib import Path

from evaluator import services
from evaluator.domain import Aggregation
from tests.agreement_fixtures import committee
from tests.test_cli_sensitivity import loaded
from tests.test_ui_window import make_window
from ui import errors
from ui.main_window import MainWindow


def opened(qtbot, tmp_path: Path, data) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on a database holding `data` (in consensus, no chair named)."""
    db = loaded(tmp_path, data)
    window = make_window(qtbot, tmp_path)
    window.start_page.open_location(str(db))
    window.session.wait_for_results()
    return window


def total(window: MainWindow) -> float:
    window.session.wait_for_results()
    return window.session.results.candidates[0].total


def test_median_from_the_menu_is_one_undoable_audited_change(qtbot, tmp_path, monkeypatch) -> None:
    shown: list[str] = []  # messages, instead of a modal box
    monkeypatch.setattr(errors, "show_error", lambda _parent, text, _title="": shown.append(text))
    data = committee({(1, 1, "q"): 5, (2, 1, "q"): 0, (3, 1, "q"): 1}, keys=("q",), candidates=1)
    window = opened(qtbot, tmp_path, data)
    menu = window.menus.aggregation
    mean, median = menu.actions[Aggregation.MEAN], menu.actions[Aggregation.MEDIAN]
    assert mean.isChecked() and not median.isChecked() and median.isEnabled()
    assert total(window) == 40
    median.trigger()
    assert total(window) == 20 and median.isChecked()
    session = window.session
    assert session.undo_stack.undoText() == "Combine members' scores by their median"
    trail = [(e.action, e.old, e.new) for e in services.audit_trail(session.db, session.data.id)]
    assert ("set aggregation", "mean", "median") in trail
    session.undo_stack.undo()
    assert total(window) == 40 and session.data.aggregation is Aggregation.MEAN
    window.menus.update_actions()
    assert mean.isChecked()
    session.undo_stack.redo()
    assert total(window) == 20
    assert session.finalise("Awarded") and shown == []
    window.menus.update_actions()
    assert not mean.isEnabled() and not median.isEnabled() and median.isChecked()
