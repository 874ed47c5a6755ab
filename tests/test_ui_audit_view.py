"""View ▸ Audit trail and the window's warning, driven in the real window: filters, a score's
history, CSV and Excel export (read back: no formula cells from user text), and the bar that
names the first broken link of a tampered record (fictitious people and vendors only)."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from evaluator import services
from evaluator.changes.context import score_ref
from tests.test_audit_chain import scored, tamper
from ui import audit_view
from ui.audit_model import local_time
from ui.audit_view import AuditView
from ui.main_window import MainWindow
from ui.settings import AppSettings

HOSTILE = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def database(tmp_path: Path) -> Path:
    db, _ev = scored(
        tmp_path,
        ("Ann Example", "Orbis Support Co", "tiers.l4", 1, HOSTILE),
        ("Ann Example", "Orbis Support Co", "tiers.l4", 2, "@SUM(A1)"),
    )
    db.close()
    return tmp_path / "t.db"


def open_window(qtbot, path: Path) -> MainWindow:
    window = MainWindow(settings=AppSettings())
    qtbot.addWidget(window)
    window.start_page.open_location(str(path))
    window.show()
    qtbot.waitExposed(window)
    return window


def open_viewer(qtbot, window: MainWindow) -> AuditView:
    assert window.menus.audit.isEnabled()
    window.menus.audit.trigger()
    view = window.findChild(AuditView, "auditView")
    assert view is not None
    qtbot.waitExposed(view)
    return view


def shown(view: AuditView) -> list:
    return view.proxy.visible_rows()


def test_the_viewer_filters_and_shows_a_history(qtbot, qtmodeltester, database: Path) -> None:
    window = open_window(qtbot, database)
    assert not window.audit_bar.isVisible()
    view = open_viewer(qtbot, window)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    trail = services.audit_trail(window.session.db, window.session.data.id)
    assert view.verdict.text().startswith(f"✓ audit chain intact: {len(trail)} entries")
    assert [r.hash for r in shown(view)] == [e.hash for e in trail]
    first = view.proxy.index(0, 0)
    assert first.data() == local_time(trail[0].at).strftime("%Y-%m-%d %H:%M:%S")

    view.choose("actor", "Ann Example")
    assert {r.actor for r in shown(view)} == {"Ann Example"} and len(shown(view)) == 2
    assert view.count.text() == f"2 of {len(trail)} entries"
    view.clear_filters()
    view.choose("candidate", "Orbis Support Co")
    view.choose("action", "set score")
    rows = shown(view)
    expected = [e for e in trail if e.action == "set score" and "Orbis Support Co" in e.target]
    assert [r.hash for r in rows] == [e.hash for e in expected] and len(rows) == 4
    view.choose("criterion", "tiers.l1")
    assert [r.new for r in shown(view)] == ["2", "3"]
    view.clear_filters()
    today = local_time(trail[-1].at).date()
    view.set_date_range(today - timedelta(days=2), today - timedelta(days=1))
    assert shown(view) == [] and not view.export_csv.isEnabled()
    view.set_date_range(today, today + timedelta(days=1))
    assert len(shown(view)) == len(trail)

    # a score's history: what the scoring grid will open
    data = window.session.data
    ben = next(e.id for e in data.evaluators if e.name == "Ben Sample")
    orbis = next(c.id for c in data.candidates if c.name == "Orbis Support Co")
    window.open_history(score_ref(ben, orbis, "tiers.l1"))
    history = shown(view)
    assert [(r.old, r.new, r.why) for r in history] == [
        ("", "2", "Slow desk"),
        ("2", "3", "Second look"),
    ]
    assert view.history.isVisible() and "Ben Sample: Orbis Support Co" in view.history.text()
    qtbot.mouseClick(view.show_all, Qt.MouseButton.LeftButton)
    assert len(shown(view)) == len(trail) and not view.history.isVisible()
    # double-clicking an entry shows the history of what it is about
    row = next(i for i, r in enumerate(shown(view)) if r.why == HOSTILE)
    view.table.doubleClicked.emit(view.proxy.index(row, 4))
    assert [r.new for r in shown(view)] == ["1", "2"]
    # an edit made while it is open appears
    view.clear_filters()
    services.set_consensus(window.session.db, data.id, "Zephyr Care IT", "tiers.l1", 4, "Fast desk")
    window.session.reload()
    qtbot.waitUntil(lambda: len(shown(view)) == len(trail) + 1)


def test_export_writes_the_filtered_rows_as_text(
    qtbot, database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, database)
    view = open_viewer(qtbot, window)
    view.choose("actor", "Ann Example")
    targets = iter([str(tmp_path / "ann.csv"), str(tmp_path / "ann.xlsx")])
    monkeypatch.setattr(audit_view, "choose_save_path", lambda *_: next(targets))
    qtbot.mouseClick(view.export_csv, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.export_xlsx, Qt.MouseButton.LeftButton)
    assert view.count.text() == "2 entries written to ann.xlsx"

    with open(tmp_path / "ann.csv", encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["Why"] for line in lines] == ["'" + HOSTILE, "'@SUM(A1)"]
    assert {line["Who"] for line in lines} == {"Ann Example"}

    book = openpyxl.load_workbook(tmp_path / "ann.xlsx")
    sheet = book["Audit trail"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in sheet[1]]
    why = [sheet.cell(r, header.index("Why") + 1) for r in (2, 3)]
    assert [c.value for c in why] == [HOSTILE, "@SUM(A1)"]
    assert all(c.quotePrefix for c in why)
    hashes = [sheet.cell(r, header.index("Entry hash") + 1).value for r in (2, 3)]
    assert hashes == [r.hash for r in shown(view)]
    assert sheet.max_row == 3


def test_at_committee_scale_the_check_runs_after_the_window_opens(
    qtbot, database: Path, monkeypatch
) -> None:
    """Checking 100,000 stored scores takes as long as loading them: it must not hold up the
    window; the red bar comes when the check has spoken."""
    import ui.audit_check

    monkeypatch.setattr(ui.audit_check, "INLINE_LIMIT", 0)  # this small file counts as large
    tamper(database, "UPDATE scores SET value = 0 WHERE justification = 'Second look'")
    window = open_window(qtbot, database)
    assert window.session.data is not None  # open, shown, the grid filled
    assert window.session.wait_for_audit(30_000)
    assert window.audit_bar.isVisible()
    assert "stored score is 0 but the record says 3" in window.audit_bar.text()


def test_the_window_names_the_first_broken_link(qtbot, database: Path) -> None:
    tamper(database, "UPDATE scores SET value = 0 WHERE justification = 'Second look'")
    window = open_window(qtbot, database)
    assert window.audit_bar.isVisible()
    text = window.audit_bar.text()
    assert "stored score is 0 but the record says 3" in text and "Ben Sample" in text
    window.audit_bar.linkActivated.emit("audit")
    view = window.findChild(AuditView, "auditView")
    assert view is not None and view.isVisible()
    assert view.verdict.text().startswith("⚠ stored values differ from the audit chain at entry")
    # the same file, put right: the warning goes when the evaluation is opened again
    tamper(database, "UPDATE scores SET value = 3 WHERE justification = 'Second look'")
    window.session.open_evaluation(window.session.data.id)
    assert not window.audit_bar.isVisible()


def test_a_large_check_waits_for_the_ranking_then_speaks(qtbot, database: Path, monkeypatch):
    """At committee scale the check shares one interpreter with the scoring thread: it is held
    until the evaluation's results are in, then runs; a check held when the database closes
    never runs."""
    import ui.audit_check
    from evaluator.db import open_database
    from ui.audit_check import AuditCheck
    from ui.live_results import LiveResults

    monkeypatch.setattr(ui.audit_check, "INLINE_LIMIT", 0)  # this small file counts as large
    tamper(database, "UPDATE scores SET value = 0 WHERE justification = 'Second look'")
    db = open_database(database)
    data = services.load_evaluation(db, "Riverbend RFP")
    results = LiveResults(lambda: data)
    check = AuditCheck(None, results)
    said: list[str] = []
    check.checked.connect(said.append)

    results.invalidate()  # a fresh evaluation: its ranking is owed
    check.start(db, data.id, len(data.scores))
    assert check.held and said == [""]  # the previous evaluation's warning goes at once
    assert results.wait(30_000) and results.results is not None
    assert not check.held  # released by the results coming in
    assert check.wait(30_000)
    assert len(said) == 2 and "stored score is 0 but the record says 3" in said[1]

    results.invalidate()
    check.start(db, data.id, len(data.scores))
    assert check.held
    check.stop()  # the window closes the database before the ranking came
    assert results.wait(30_000) and check.wait(1_000)
    assert not check.held and len(said) == 3  # only the at-once "" of the second start
    db.close()
