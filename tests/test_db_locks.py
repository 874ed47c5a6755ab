"""Defect 1 of issue 9: with the window open on a SQLite file, no file dialog (nor anything else
in the app's process) may open the live database file, because any close() of it drops the
process's POSIX locks; a second process then believes it is alone, checkpoints and deletes the
WAL, and what the window writes afterwards is lost.

Every file dialog the app has is really shown here (Qt's own dialog, offscreen), pointed at the
database's folder and left open until the folder is listed; the kernel's lock table
(/proc/locks) must still show the window's locks afterwards, and a score the window saves after
a `main.py rank` from another process must be seen by a new process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QPushButton,
    QWidget,
)
from test_ui_scoring import click_cell, type_score

from evaluator import services
from evaluator.db import open_database
from reports.branding import Branding
from tests.core_fixtures import populated
from ui import backup_actions, errors
from ui.audit_view import AuditView
from ui.export.branding_dialog import BrandingDialog
from ui.export.dialog import ExportDialog
from ui.imports import base as import_base
from ui.imports.questionnaire_dialog import QuestionnaireImportDialog
from ui.imports.scoresheet_dialog import ScoresheetImportDialog
from ui.main_window import MainWindow
from ui.new_evaluation_dialog import NewEvaluationDialog
from ui.scoring.view import ScoringView
from ui.settings import AppSettings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    not Path("/proc/locks").exists(),
    reason="reads the kernel's table of file locks, /proc/locks (Linux only)",
)
TIMEOUT_SECONDS = 10.0  # a dialog that never lists the folder is cancelled (and fails)
SETTLE_SECONDS = 0.4  # after the folder is listed: the file types and icons are looked up


def held_locks(*paths: Path) -> set[str]:
    """This process's POSIX locks on these files, from /proc/locks (matched by inode)."""
    inodes = {p.stat().st_ino: p.name for p in paths if p.exists()}
    found = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) < 8 or fields[1] != "POSIX":  # "->" lines are waiters, not holders
            continue
        mode, pid, where, start, end = fields[3:8]
        inode = int(where.rsplit(":", 1)[1])
        if int(pid) == os.getpid() and inode in inodes:
            found.add(f"{inodes[inode]} {mode} {start}-{end}")
    return found


class FileDialogDriver:
    """Answers every file dialog the app shows, as a user browsing would: goes to `folder`,
    waits until the dialog has listed it, then cancels the dialog."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.listings: list[tuple[str, list[str] | None]] = []  # (title, names listed)
        self._dialog: QFileDialog | None = None
        self._loaded: set[str] = set()
        self._since = self._shown_at = 0.0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        visible = (w for w in QApplication.topLevelWidgets() if w.isVisible())
        dialog = next((w for w in visible if isinstance(w, QFileDialog)), None)
        if dialog is None:
            return
        model = dialog.findChild(QFileSystemModel)
        assert model is not None, "a file dialog of Qt's own (never the platform's)"
        if dialog is not self._dialog:
            # step out and back in, so that the folder is listed afresh while we watch
            self._dialog, self._loaded, self._since = dialog, set(), 0.0
            self._shown_at = time.monotonic()
            model.directoryLoaded.connect(self._loaded.add)
            dialog.setDirectory(str(self.folder.parent))
            QTimer.singleShot(100, lambda: dialog.setDirectory(str(self.folder)))
            return
        if str(self.folder) in self._loaded and not self._since:
            self._since = time.monotonic()
        listed = self._since and time.monotonic() - self._since > SETTLE_SECONDS
        if listed or time.monotonic() - self._shown_at > TIMEOUT_SECONDS:
            parent = model.index(str(self.folder))
            names = [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]
            self.listings.append((dialog.windowTitle(), sorted(names) if listed else None))
            dialog.reject()


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch) -> Iterator[MainWindow]:
    db, _evaluation = populated(tmp_path)
    db.close()
    shown: list[str] = []
    monkeypatch.setattr(errors, "show_error", lambda _parent, text, *_: shown.append(text))
    # the member picked in "Export the scoresheet of:" and "Make the questionnaire for:"
    monkeypatch.setattr(import_base, "choose_item", lambda *args: args[3][0])
    monkeypatch.setattr(backup_actions, "choose_scope", lambda *_: backup_actions.WHOLE)
    window = MainWindow(settings=AppSettings(), catalog_dirs=[])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.start_page.open_location(str(tmp_path / "t.db")), shown
    window.shown = shown  # type: ignore[attr-defined]
    yield window
    window.session.close_database()


def _click(qtbot, dialog: QWidget, text: str) -> None:
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _in_dialog(qtbot, make: Callable[[], QDialog], button: str) -> Callable[[], None]:
    """Open a dialog, click its button that shows a file dialog, then close it."""

    def run() -> None:
        dialog = make()
        dialog.show()
        qtbot.waitExposed(dialog)
        _click(qtbot, dialog, button)
        dialog.reject()

    return run


def _latest(window: MainWindow, kind: type[QDialog], action: QAction) -> Callable[[], QDialog]:
    def make() -> QDialog:
        action.trigger()
        return window.findChildren(kind)[-1]

    return make


def file_dialogs(qtbot, window: MainWindow) -> dict[str, Callable[[], None]]:
    """What the user does to see each file dialog the app has, and doing it."""
    menus = window.menus
    exchange = {action.text().replace("&", ""): action for action, _ in menus.exchange}
    return {
        "File ▸ Open database…": menus.open_db.trigger,
        "File ▸ New database…": menus.new_db.trigger,
        "New evaluation ▸ Browse for a catalog file…": _in_dialog(
            qtbot, lambda: NewEvaluationDialog([], set(), window), "&Browse for a catalog file…"
        ),
        "File ▸ Export questionnaire template…": exchange["Export questionnaire template…"].trigger,
        "File ▸ Import filled questionnaires… ▸ Add files…": _in_dialog(
            qtbot,
            _latest(window, QuestionnaireImportDialog, exchange["Import filled questionnaires…"]),
            "Add files…",
        ),
        "File ▸ Export scoresheet for a committee member…": exchange[
            "Export scoresheet for a committee member…"
        ].trigger,
        "File ▸ Import scoresheets… ▸ Choose…": _in_dialog(
            qtbot,
            _latest(window, ScoresheetImportDialog, exchange["Import scoresheets…"]),
            "Choose…",
        ),
        "File ▸ Export reports… ▸ Browse…": _in_dialog(
            qtbot, _latest(window, ExportDialog, menus.export), "Browse…"
        ),
        "Edit ▸ Report branding… ▸ Choose… (logo)": _in_dialog(
            qtbot, lambda: BrandingDialog(Branding(), window), "C&hoose…"
        ),
        "File ▸ Back up…": menus.back_up.trigger,
        "File ▸ Restore from backup…": menus.restore.trigger,
        "View ▸ Audit trail… ▸ Export CSV…": lambda: _audit_export(window),
    }


def _audit_export(window: MainWindow) -> None:
    window.menus.audit.trigger()
    view = window.findChild(AuditView, "auditView")
    assert view is not None and view.export_csv.isEnabled()
    view.export_csv.click()


def show_and_list(qtbot, driver: FileDialogDriver, do: Callable[[], None]) -> tuple[str, list[str]]:
    count = len(driver.listings)
    do()
    qtbot.waitUntil(lambda: len(driver.listings) > count, timeout=20_000)
    title, names = driver.listings[-1]
    assert names is not None, f"the dialog {title!r} never listed {driver.folder}"
    return title, names


def window_locks(tmp_path: Path) -> set[str]:
    return held_locks(tmp_path / "t.db", tmp_path / "t.db-shm")


def _rows_in_new_process(db_path: Path) -> list[tuple]:
    """What another process reads from the database (through SQLite, as any reader would)."""
    code = (
        "import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(json.dumps(c.execute('SELECT value, justification FROM scores').fetchall()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return [tuple(row) for row in json.loads(out.stdout)]


def test_file_dialogs_keep_the_database_locked_and_later_writes_survive(
    qtbot, window: MainWindow, tmp_path: Path
):
    db_path = tmp_path / "t.db"
    before = window_locks(tmp_path)
    # SQLite in WAL mode: a shared lock on the database file, and on the -shm's DMS byte
    assert any(lock.startswith("t.db READ") for lock in before), before
    assert any(lock.startswith("t.db-shm READ") for lock in before), before
    driver = FileDialogDriver(tmp_path)
    listed = []
    for what, do in file_dialogs(qtbot, window).items():
        listed.append(show_and_list(qtbot, driver, do))
        after = window_locks(tmp_path)
        print(f"{what}: {listed[-1][0]!r} listed {listed[-1][1]}; locks {sorted(after)}")
        assert before <= after, f"{what}: the window lost its database locks"
    driver.timer.stop()
    assert listed[0][0] == "Open database" and "t.db" in listed[0][1]

    # a consultant ranks from a shell meanwhile: its SQLite must see the window's locks
    rank = subprocess.run(
        [sys.executable, "main.py", "rank", "Riverbend RFP", "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rank.returncode == 0, rank.stderr
    print(f"after the dialogs and a rank: locks {sorted(window_locks(tmp_path))}")

    # then a member saves a score in the window
    window.show_tab("Scoring")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.findChild(ScoringView)
    zephyr = next(c.id for c in window.session.data.candidates if c.name == "Zephyr Care IT")
    click_cell(qtbot, view, view.model.index_of(zephyr, "tiers.l1"))
    type_score(qtbot, view, "4")
    qtbot.keyClicks(view.justification.editor, "Nurse triage on every call")
    qtbot.keyClick(view.justification.editor, Qt.Key.Key_Return)
    assert not window.shown, window.shown  # type: ignore[attr-defined]

    assert before <= window_locks(tmp_path)
    expected = [(4.0, "Nurse triage on every call")]
    assert _rows_in_new_process(db_path) == expected  # another process sees it now
    window.session.close_database()
    reopened = open_database(db_path, create=False)  # and after a restart
    try:
        (summary,) = services.list_evaluations(reopened)
        scores = services.load_evaluation(reopened, summary.id).scores
        assert [(s.value, s.justification) for s in scores] == expected
    finally:
        reopened.close()
