"""What a screen reader and a keyboard user meet: every focusable widget of the main window has
an accessible name (each tab and sub-tab shown, the demo open), and no menu, menu bar, window
or dialog of ui/ uses the same mnemonic (Alt+letter) twice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QTabBar,
    QTabWidget,
    QWidget,
)
from ui_helpers import write_catalog

from criteria.demo import DEMO_NAME
from evaluator.checklist import open_items
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from ui.main_window import MainWindow
from ui.settings import AppSettings


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" (Alt+letter), lower-cased; None without one."""
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def repeats(texts: list[str]) -> dict[str, list[str]]:
    letters: dict[str, list[str]] = {}
    for text in texts:
        letter = mnemonic(text)
        if letter:
            letters.setdefault(letter, []).append(text)
    return {letter: used for letter, used in letters.items() if len(used) > 1}


def visible_texts(root: QWidget) -> list[str]:
    """The texts of `root` that carry a mnemonic while shown: buttons, labels with a buddy,
    group boxes, tabs."""
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not root:
            continue
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if isinstance(widget, QAbstractButton) or labelled:
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
    return texts


def unnamed(root: QWidget) -> list[str]:
    """Focusable widgets shown in `root` that a screen reader could not name."""
    return [
        f"{type(widget).__name__} {widget.objectName()!r} in {type(widget.parent()).__name__}"
        for widget in root.findChildren(QWidget)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and widget.isVisible()
        and not widget.accessibleName()
    ]


def each_page(window: MainWindow) -> Iterator[str]:
    """Show each tab, and within it each page of a tab widget, naming where we are."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        title = window.tab_title(index)
        inner = window.tabs.widget(index).findChildren(QTabWidget)
        yield title
        for tabs in inner:
            for page in range(tabs.count()):
                tabs.setCurrentIndex(page)
                yield f"{title} ▸ {tabs.tabText(page)}"


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> MainWindow:
    """The demo evaluation open in the window, its chair signed in."""
    write_catalog(tmp_path / "catalogs")
    window = MainWindow(settings=AppSettings(), catalog_dirs=[tmp_path / "catalogs"])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.start_page.open_location(str(tmp_path / "demo.db"), create=True)
    window.start_page.open_demo()
    assert window.session.data is not None and window.session.data.name == DEMO_NAME
    if window.identity_dialog is not None:
        window.identity_dialog.choose(window.session.data.chair)
        window.identity_dialog.accept()
    window.show()
    qtbot.waitExposed(window)
    window.session.wait_for_results()
    yield window
    window.session.close_database()


def test_every_focusable_widget_of_the_window_has_a_name(qtbot, demo_window) -> None:
    missing: dict[str, list[str]] = {}
    for where in each_page(demo_window):
        qtbot.wait(1)
        found = unnamed(demo_window)
        if found:
            missing[where] = found
    assert missing == {}


def test_the_grids_trees_and_charts_say_what_they_hold(demo_window) -> None:
    scoring, criteria = demo_window.tab("Scoring"), demo_window.tab("Criteria")
    assert "Tab moves right" in scoring.grid.accessibleDescription()
    assert criteria.tree.accessibleName() == "Criteria tree"
    assert demo_window.tab("Results").chart.accessibleName() == "Results chart"
    assert scoring.evaluator_combo.accessibleName() == "Member"  # from its label


def test_a_button_name_follows_its_text(demo_window) -> None:
    start = demo_window.tab("Start")
    start.demo_button.setText("Open the &sample")
    demo_window.tabs.setCurrentIndex(1)
    demo_window.tabs.setCurrentIndex(0)
    assert start.demo_button.accessibleName() == "Open the sample"


def test_no_menu_repeats_a_mnemonic(demo_window) -> None:
    bar = demo_window.menuBar()
    assert repeats([action.text() for action in bar.actions()]) == {}
    menus = [action.menu() for action in bar.actions()]
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        menu.aboutToShow.emit()  # menus filled when opened (Open recent)
        actions = menu.actions()
        assert repeats([action.text() for action in actions]) == {}, menu.title()
        menus += [action.menu() for action in actions if action.menu() is not None]


def test_no_tab_of_the_window_repeats_a_mnemonic(qtbot, demo_window) -> None:
    menu_titles = [action.text() for action in demo_window.menuBar().actions()]
    clashes = {}
    for where in each_page(demo_window):
        qtbot.wait(1)
        found = repeats(menu_titles + visible_texts(demo_window))
        if found:
            clashes[where] = found
    assert clashes == {}


def dialogs(window: MainWindow) -> Iterator[QDialog]:
    """Every dialog class of ui/ that can be built for the open demo."""
    from ui.audit_view import AuditView
    from ui.committee_dialogs import NameChairDialog, PassphraseDialog
    from ui.criteria.ahp_dialog import AhpDialog
    from ui.export.branding_dialog import BrandingDialog
    from ui.export.dialog import ExportDialog
    from ui.finalise_dialog import FinaliseDialog
    from ui.help_dialogs import AboutDialog, GuideDialog
    from ui.identity_dialog import IdentityDialog
    from ui.imports.questionnaire_dialog import QuestionnaireImportDialog
    from ui.imports.scoresheet_dialog import ScoresheetImportDialog
    from ui.new_evaluation_dialog import NewEvaluationDialog
    from ui.reason_dialog import ReasonDialog
    from ui.sensitivity.set_dialog import WeightSetDialog

    session, data = window.session, window.session.data
    assert session.db is not None and data is not None
    yield NewEvaluationDialog(window.start_page.catalog_dirs, set(), window)
    yield ExportDialog(session, window.settings, window)
    yield BrandingDialog(Branding(), window)
    yield AhpDialog(session, None, window)
    yield WeightSetDialog(session, None, window)
    yield FinaliseDialog(data.name, open_items(data, score_evaluation(data)), window)
    yield IdentityDialog(session, window.settings, window)
    yield AuditView(session, window)
    yield QuestionnaireImportDialog(session.db, data.id, window)
    yield ScoresheetImportDialog(session.db, data.id, window)
    yield NameChairDialog(data, window)
    yield PassphraseDialog(data.chair, window)
    yield AboutDialog(session.location, window)
    yield GuideDialog(window)
    yield ReasonDialog("Abstain", "Why do you abstain?", "&Abstain", parent=window)


def test_no_dialog_repeats_a_mnemonic_and_every_input_is_named(qtbot, demo_window) -> None:
    clashes, missing, seen = {}, {}, 0
    for dialog in dialogs(demo_window):
        dialog.show()
        qtbot.waitExposed(dialog)
        name = type(dialog).__name__
        found = repeats(visible_texts(dialog))
        if found:
            clashes[name] = found
        if unnamed(dialog):
            missing[name] = unnamed(dialog)
        dialog.close()
        dialog.deleteLater()
        seen += 1
    QApplication.processEvents()
    assert seen == 15
    assert clashes == {}
    assert missing == {}
