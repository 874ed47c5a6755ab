"""File ▸ Back up… and File ▸ Restore from backup… driven like a user: the menu actions are
triggered, the file dialogs and questions answered by replacing the module functions that show
them (ui/backup_actions.py), and the outcome read from the window and the files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ui_helpers import make_database, sample_criteria, write_catalog

from evaluator import services
from evaluator.backups import backup_database
from ui import backup_actions, errors
from ui.main_window import MainWindow
from ui.settings import AppSettings
from ui.undo import AddCandidate

NORTHWIND = "Northwind Regional RFP"
HARBOR = "Harbor Point RFP"


class Answers:
    """What the user answers (file names, choices) and what the window said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scope: str | None = backup_actions.WHOLE
        self.save_to = ""
        self.open_file = ""
        self.proceed = True
        self.asked: list[str] = []  # the questions
        self.suggested: list[str] = []
        self.told: list[str] = []  # information boxes
        self.errors: list[str] = []
        monkeypatch.setattr(backup_actions, "choose_scope", self._scope)
        monkeypatch.setattr(backup_actions, "choose_backup_target", self._save)
        monkeypatch.setattr(backup_actions, "choose_backup_file", lambda _p, _f: self.open_file)
        monkeypatch.setattr(backup_actions, "confirm", self._confirm)
        monkeypatch.setattr(backup_actions, "inform", lambda _p, _t, text: self.told.append(text))
        monkeypatch.setattr(errors, "show_error", lambda _p, text, _t="": self.errors.append(text))

    def _scope(self, _parent: object, evaluation: str) -> str | None:
        self.asked.append(f"scope of {evaluation}")
        return self.scope

    def _save(self, _parent: object, suggested: str) -> str:
        self.suggested.append(suggested)
        return self.save_to

    def _confirm(self, _parent: object, _title: str, text: str, _action: str) -> bool:
        self.asked.append(text)
        return self.proceed


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


def window_on(qtbot, tmp_path: Path, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    catalogs = tmp_path / "catalogs"
    write_catalog(catalogs)
    window = MainWindow(settings=AppSettings(), catalog_dirs=[catalogs])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.menus.back_up.isEnabled() and not window.menus.restore.isEnabled()
    assert window.start_page.open_location(str(path))
    assert window.menus.back_up.isEnabled() and window.menus.restore.isEnabled()
    return window


def finish(qtbot, window: MainWindow, answers: Answers) -> None:  # type: ignore[no-untyped-def]
    """Wait for the background work and its message."""
    qtbot.waitUntil(lambda: not window.menus.backups.busy, timeout=20_000)
    qtbot.waitUntil(lambda: bool(answers.told or answers.errors), timeout=5_000)


def names_in(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT name FROM evaluations ORDER BY name")]
    finally:
        con.close()


def two_evaluations(tmp_path: Path) -> Path:
    db, _ = make_database(tmp_path / "committee.db", NORTHWIND)
    harbor = services.create_evaluation(db, HARBOR, sample_criteria(), client="Harbor Health")
    services.add_candidate(db, harbor, "Zephyr Care IT")
    db.close()
    return tmp_path / "committee.db"


def test_back_up_the_whole_database(qtbot, tmp_path, answers):
    window = window_on(qtbot, tmp_path, two_evaluations(tmp_path))
    answers.save_to = str(tmp_path / "copy.db")
    window.menus.back_up.trigger()
    finish(qtbot, window, answers)
    assert answers.errors == []
    assert answers.asked == [f"scope of {window.session.data.name}"]
    (suggested,) = answers.suggested
    assert Path(suggested).parent == tmp_path and suggested.endswith(".db")
    assert "all-evaluations" in Path(suggested).name
    assert names_in(tmp_path / "copy.db") == [HARBOR, NORTHWIND]
    (told,) = answers.told
    assert f"Backed up 2 evaluations with their audit trail to {tmp_path / 'copy.db'}" in told


def test_back_up_only_the_open_evaluation(qtbot, tmp_path, answers):
    window = window_on(qtbot, tmp_path, two_evaluations(tmp_path))
    shown = window.session.data.name
    answers.scope, answers.save_to = backup_actions.ONE, str(tmp_path / "one.db")
    window.menus.back_up.trigger()
    finish(qtbot, window, answers)
    assert names_in(tmp_path / "one.db") == [shown]
    assert "Backed up 1 evaluation with its audit trail" in answers.told[0]


def test_cancelling_a_dialog_writes_nothing(qtbot, tmp_path, answers):
    window = window_on(qtbot, tmp_path, two_evaluations(tmp_path))
    answers.scope = None
    window.menus.back_up.trigger()
    answers.scope, answers.save_to = backup_actions.WHOLE, ""
    window.menus.back_up.trigger()
    window.menus.restore.trigger()  # no file chosen
    assert not window.menus.backups.busy
    assert answers.told == answers.errors == [] and len(answers.suggested) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["committee.db"]


def test_restore_replaces_the_open_evaluation_after_asking(qtbot, tmp_path, answers):
    db, _ = make_database(tmp_path / "committee.db", NORTHWIND)
    db.close()
    window = window_on(qtbot, tmp_path, tmp_path / "committee.db")
    session = window.session
    saved = tmp_path / "saved.db"
    backup_database(session.db, saved)
    assert session.execute(AddCandidate(session, "Late Entrant Ltd"))
    assert [c.name for c in session.data.candidates] == ["Late Entrant Ltd"]
    answers.open_file = str(saved)
    window.menus.restore.trigger()
    finish(qtbot, window, answers)
    assert answers.errors == []
    (question,) = answers.asked
    assert f"\u201c{NORTHWIND}\u201d replaces the one in this database" in question
    assert "backed up first" in question
    assert session.data.candidates == []  # the window shows the restored evaluation
    assert session.undo_stack.count() == 0  # the undo step described what the restore replaced
    assert window.candidates_view.model.rowCount() == 0
    (told,) = answers.told
    assert told.startswith(f"Restored '{NORTHWIND}' (replaced) from {saved}")
    (before,) = (tmp_path / "backups").glob("committee.*.before-restore.db")
    assert str(before) in told


def test_restore_adds_new_evaluations_to_the_list(qtbot, tmp_path, answers):
    (tmp_path / "other").mkdir()
    other = two_evaluations(tmp_path / "other")
    db, _ = make_database(tmp_path / "mine.db", "Lakeside Support RFP")
    db.close()
    window = window_on(qtbot, tmp_path, tmp_path / "mine.db")
    answers.open_file = str(other)
    answers.proceed = False  # first: no
    window.menus.restore.trigger()
    qtbot.waitUntil(lambda: len(answers.asked) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not window.menus.backups.busy, timeout=10_000)
    assert window.picker.count() == 1 and answers.told == []
    assert "(new here)" in answers.asked[0]
    answers.proceed = True
    window.menus.restore.trigger()
    finish(qtbot, window, answers)
    assert window.session.data.name == "Lakeside Support RFP"  # the open one stays open
    listed = [window.picker.itemText(i) for i in range(window.picker.count())]
    assert listed == [f"{HARBOR} (draft)", "Lakeside Support RFP (draft)", f"{NORTHWIND} (draft)"]


def test_restore_refuses_to_replace_a_final_evaluation(qtbot, tmp_path, answers):
    db, ev = make_database(tmp_path / "committee.db", NORTHWIND)
    saved = tmp_path / "saved.db"
    backup_database(db, saved)
    for status in ("scoring", "consensus", "final"):
        services.change_status(db, ev, status)
    db.close()
    window = window_on(qtbot, tmp_path, tmp_path / "committee.db")
    answers.open_file = str(saved)
    window.menus.restore.trigger()
    finish(qtbot, window, answers)
    assert answers.asked == [] and answers.told == []
    (error,) = answers.errors
    assert f"\u201c{NORTHWIND}\u201d is final in this database" in error
    assert "never replaced" in error and "nothing was restored" in error
    assert not (tmp_path / "backups").exists()


def test_restore_from_a_file_that_is_no_backup_says_so(qtbot, tmp_path, answers):
    window = window_on(qtbot, tmp_path, two_evaluations(tmp_path))
    notes = tmp_path / "notes.db"
    notes.write_text("agenda for Thursday\n" * 100)
    answers.open_file = str(notes)
    window.menus.restore.trigger()
    finish(qtbot, window, answers)
    (error,) = answers.errors
    assert str(notes) in error and "not a SupportScope backup" in error
    assert answers.asked == []
