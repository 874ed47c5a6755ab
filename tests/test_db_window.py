"""The window's side of defects 7 and 10: the recent-files list never holds a password, and only
New database (and the first-start default) creates a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from evaluator.db import open_database
from ui import errors
from ui.main_window import MainWindow
from ui.settings import AppSettings

SECRET = "hunter2-Secret"


def test_recent_files_never_store_a_password(tmp_path):
    ini = tmp_path / "settings.ini"
    settings = AppSettings(QSettings(str(ini), QSettings.Format.IniFormat))
    url = f"postgresql+psycopg://ann:{SECRET}@db.example.invalid:5432/committee"
    settings.add_recent_file(url)
    settings.set_last_database(url)
    settings.add_recent_file(str(tmp_path / "local.db"))
    assert settings.recent_files() == [
        str(tmp_path / "local.db"),
        "postgresql+psycopg://ann@db.example.invalid:5432/committee",
    ]
    assert settings.last_database() == "postgresql+psycopg://ann@db.example.invalid:5432/committee"
    settings.sync()
    assert SECRET not in ini.read_text()
    # a list written by an older version is read back without the password
    settings.store.setValue("files/recent", [url])
    assert settings.recent_files() == ["postgresql+psycopg://ann@db.example.invalid:5432/committee"]


def _window(qtbot, monkeypatch) -> tuple[MainWindow, list[str]]:
    shown: list[str] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, message, *a: shown.append(message))
    window = MainWindow(settings=AppSettings(), catalog_dirs=[])
    qtbot.addWidget(window)
    return window, shown


def test_the_window_opens_no_missing_file_but_new_database_creates_one(
    qtbot, tmp_path: Path, monkeypatch
):
    window, shown = _window(qtbot, monkeypatch)
    missing = tmp_path / "no" / "such" / "x.db"
    assert not window.start_page.open_location(str(missing))  # Open recent, a typed path
    assert shown and "no database at" in shown[-1].lower()
    assert not (tmp_path / "no").exists()

    from ui import file_dialogs

    made = tmp_path / "made" / "committee.db"
    monkeypatch.setattr(file_dialogs, "choose_save_file", lambda *a, **k: str(made))
    window.start_page.new_database_dialog()
    assert made.exists() and window.session.location == str(made)


def test_the_first_start_default_database_is_created(qtbot, tmp_path: Path, monkeypatch):
    default = tmp_path / "data" / "supportscope.db"
    monkeypatch.setenv("SUPPORTSCOPE_DB", str(default))
    from ui.app import create_main_window

    monkeypatch.setattr(errors, "show_error", lambda *a: None)
    window = create_main_window(settings=AppSettings())
    qtbot.addWidget(window)
    assert default.exists() and window.session.location == str(default)
    window.session.close_database()


def test_the_window_shows_a_server_database_without_its_password(qtbot, pg_url: str, monkeypatch):
    from sqlalchemy.engine import make_url

    window, shown = _window(qtbot, monkeypatch)
    url = make_url(pg_url).set(password=SECRET).render_as_string(hide_password=False)
    open_database(url).close()  # the schema, as a first laptop would have made it
    assert window.start_page.open_location(url), shown
    assert SECRET not in window.session.location
    assert all(SECRET not in item for item in window.settings.recent_files())
    assert SECRET not in window.settings.last_database()
    window.session.close_database()
