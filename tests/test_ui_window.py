"""The main window driven like a user: a new evaluation from a catalog through the dialog,
people added in the tables, a weight typed in the tree, undo and redo from the keyboard,
finalising, and what the window remembers between runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QDoubleSpinBox, QSplitter
from test_ui_people import add_by_typing
from ui_helpers import make_database, write_catalog

from evaluator import services
from evaluator.domain import Status
from ui import errors, main_window
from ui.app import create_main_window
from ui.criteria_model import WEIGHT
from ui.main_window import MainWindow
from ui.new_evaluation_dialog import NewEvaluationDialog
from ui.settings import AppSettings
from ui.undo import EditCriterion


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """Messages the window shows (instead of blocking on a modal box)."""
    messages: list[str] = []
    monkeypatch.setattr(
        errors, "show_error", lambda _parent, text, _title="": messages.append(text)
    )
    return messages


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


def test_committee_workflow_end_to_end(qtbot, tmp_path: Path, shown, monkeypatch) -> None:
    window = make_window(qtbot, tmp_path)
    db_path = tmp_path / "portfolio.db"
    assert window.start_page.open_location(str(db_path))
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
    window.menus.advance.trigger()
    window.menus.advance.trigger()
    assert window.menus.advance.text() == "&Finalise…"
    assert not window.banner.isVisibleTo(window)
    window.menus.advance.trigger()
    assert "cannot be undone" in asked[-1]
    assert services.load_evaluation(session.db, session.ref).status is Status.FINAL
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


def test_window_remembers_tab_splitter_and_last_database(qtbot, tmp_path: Path) -> None:
    make_database(tmp_path / "kept.db")[0].close()
    settings = AppSettings()
    first = make_window(qtbot, tmp_path, settings)
    assert first.start_page.open_location(str(tmp_path / "kept.db"))
    first.resize(760, 560)  # fits the smallest (offscreen) screen, so nothing clamps it
    first.show_tab("Committee")
    splitter = first.criteria_view.findChild(QSplitter, "criteria")
    splitter.setSizes([500, 300])
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
    window.start_page.open_location(str(tmp_path / "demo.db"))
    window.start_page.open_demo()
    data = window.session.data
    assert data is not None and len(data.candidates) >= 2 and len(data.evaluators) >= 2
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
