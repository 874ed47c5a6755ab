"""Numbers under a German locale: typed and shown with a decimal comma everywhere in the window
(grid cells, their editors and the spin boxes), stored as numbers; the default locale is put
back afterwards so that no other test sees it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDoubleSpinBox
from ui_helpers import make_database, open_session, session_on, show, type_in_cell

from evaluator import services
from evaluator.domain import ConsensusScore
from tests.core_fixtures import populated, start_consensus
from ui import numbers
from ui.consensus.view import ConsensusView
from ui.criteria.model import EFFECTIVE, WEIGHT
from ui.criteria.view import CriteriaView

GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


@pytest.fixture
def german():
    """QLocale's default set to German for the test, and the previous default put back."""
    before = QLocale()
    QLocale.setDefault(GERMAN)
    yield
    QLocale.setDefault(before)


def test_the_default_locale_is_restored_after_a_german_test(german) -> None:
    assert QLocale().language() == QLocale.Language.German
    # (the next test in this file runs with the previous default again: see the last test)


def test_numbers_are_written_and_read_in_the_users_notation(german) -> None:
    assert numbers.fmt(3.5) == "3,5"
    assert numbers.fmt(4.0) == "4"
    assert numbers.fmt(1234.0) == "1234"  # no thousands separator: the spin boxes show none
    assert numbers.fixed(72.44) == "72,4"
    assert numbers.percent(0.125) == "12,5%"
    assert numbers.percent(0.25, 0, spaced=True) == "25 %"
    assert numbers.signed(-0.25, 2) == "-0,25" and numbers.signed(1.5) == "+1,5"
    assert numbers.money(1200000.0) == "1.200.000"  # money keeps its separators
    assert numbers.money(99.5) == "99,50"
    assert numbers.parse("3,5") == 3.5
    assert numbers.parse("3.5") == 3.5  # C notation is still understood
    assert numbers.parse("drei") is None


def test_a_weight_typed_with_a_comma_in_the_criteria_tree(qtbot, german, tmp_path: Path) -> None:
    make_database(tmp_path / "criteria.db")[0].close()
    with session_on(tmp_path / "criteria.db") as session:
        view = show(qtbot, CriteriaView(session), 1100, 700)
        index = view.model.index_of("tiers.l1", WEIGHT)
        editor = type_in_cell(qtbot, view.tree, index, "3,5", QDoubleSpinBox)
        assert editor.locale().language() == QLocale.Language.German

        def weight() -> float:
            data = services.load_evaluation(session.db, session.ref)
            return next(n for r in data.criteria for n in r.walk() if n.key == "tiers.l1").weight

        qtbot.waitUntil(lambda: weight() == 3.5)
        assert index.data() == "3,5"
        assert re.fullmatch(r"\d+,\d %", view.model.index_of("tiers.l1", EFFECTIVE).data())
        assert session.undo_stack.undoText() == "Set weight of Level 1 help desk to 3,5"
        # typed as text (a paste), the model reads the comma too
        assert view.model.setData(index, "2,25")
        qtbot.waitUntil(lambda: weight() == 2.25)
        assert index.data() == "2,25"


def test_a_consensus_typed_with_a_comma_in_the_spin_box(qtbot, german, tmp_path: Path) -> None:
    db, evaluation = populated(tmp_path)
    for person, value in (("Ann Example", 5), ("Ben Sample", 2)):
        services.set_score(db, evaluation, person, "Zephyr Care IT", "tiers.l4", value, "Seen")
    services.set_response(db, evaluation, "Zephyr Care IT", "cost.fee", 1250000.5, raw="1250000.5")
    services.set_response(db, evaluation, "Zephyr Care IT", "offshore.share", 12.5, raw="12.5%")
    start_consensus(db, evaluation)
    db.close()
    session = open_session(tmp_path / "t.db", wait=True)
    try:
        view = show(qtbot, ConsensusView(session), 1300, 750, activate=True)
        zephyr = next(c.id for c in session.data.candidates if c.name == "Zephyr Care IT")
        # a price as the user writes money; other answers in the vendor's own words
        assert view.model.answer_text(zephyr, "cost.fee") == "1.250.000,50"
        assert view.model.answer_text(zephyr, "offshore.share") == "12.5%"
        cell = view.model.index_of(zephyr, "tiers.l4")
        view.grid.setCurrentIndex(cell)
        spin = view.panel.value
        assert view.panel.decision.currentWidget() is spin
        assert spin.locale().language() == QLocale.Language.German
        assert spin.text() == "4,0"  # proposed: the rounded aggregate, with a decimal comma
        spin.selectAll()
        qtbot.keyClicks(spin, "4,5")
        assert spin.text() == "4,5" and spin.value() == 4.5
        qtbot.keyClicks(view.panel.note, "Closer to the named engineer")
        qtbot.mouseClick(view.panel.set_button, Qt.MouseButton.LeftButton)
        stored = services.load_evaluation(session.db, session.ref).consensus
        assert stored == [ConsensusScore(zephyr, "tiers.l4", 4.5, "Closer to the named engineer")]
        assert cell.data() == "4,5  [3,5 (2–5)]"  # agreed, beside the members' mean
    finally:
        session.close_database()


def test_after_the_german_tests_numbers_read_as_before() -> None:
    assert QLocale().language() != QLocale.Language.German
    assert numbers.fmt(3.5) == "3.5" and numbers.percent(0.125) == "12.5%"
