"""ui/file_dialogs.py: the one way the app shows a file dialog. Qt's own dialog, shown for real
(offscreen): it lists a folder by name only, leaves out a database's working files, refuses a
database in use where a file is read or written (but opens it in the database dialogs), and
no other module of ui/ calls QFileDialog."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QLineEdit,
    QListView,
)
from test_db_locks import held_locks
from ui_helpers import make_database

from ui import errors, file_dialogs

ROOT = Path(__file__).resolve().parents[1]


def locks(db_path: Path) -> set[str]:
    """The window's locks on the database, where the kernel shows them (/proc/locks)."""
    if not Path("/proc/locks").exists():
        return set()  # elsewhere only what the dialog lists and refuses is checked
    return held_locks(db_path, db_path.with_name(db_path.name + "-shm"))


@pytest.fixture
def folder(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A folder with a database in use and a workbook beside it."""
    db, _evaluation = make_database(tmp_path / "t.db")
    (tmp_path / "answers.xlsx").write_bytes(b"PK\x03\x04")
    yield tmp_path
    db.close()


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(errors, "show_error", lambda _p, text, *_: messages.append(text))
    return messages


def answer(qtbot, act: Callable[[QFileDialog], None]) -> None:
    """When the next file dialog has listed its folder, `act` on it (accept or reject it)."""

    def listed(dialog: QFileDialog) -> bool:
        view = dialog.findChild(QListView, "listView")
        return view is not None and view.model().rowCount(view.rootIndex()) > 0

    def poll() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
        dialog = next((d for d in dialogs if d.isVisible()), None)
        if dialog is None or not listed(dialog):
            QTimer.singleShot(20, poll)
            return
        qtbot.wait(200)  # the types and icons of the listed files are looked up
        act(dialog)

    QTimer.singleShot(0, poll)


def test_the_dialog_lists_by_name_and_offers_no_working_files(qtbot, folder: Path):
    before = locks(folder / "t.db")
    seen: dict[str, object] = {}

    def look(dialog: QFileDialog) -> None:
        view = dialog.findChild(QListView, "listView")
        rows = range(view.model().rowCount(view.rootIndex()))
        seen["shown"] = sorted(view.model().index(r, 0, view.rootIndex()).data() for r in rows)
        model = dialog.findChild(QFileSystemModel)
        seen["types"] = {
            name: model.index(str(folder / name)).siblingAtColumn(2).data()
            for name in ("t.db", "answers.xlsx")
        }
        seen["native"] = not dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        seen["watching"] = not model.testOption(QFileSystemModel.Option.DontWatchForChanges)
        dialog.reject()

    answer(qtbot, look)
    assert file_dialogs.choose_open_file(None, "Open", str(folder), "All files (*)") == ""
    assert seen["shown"] == ["answers.xlsx", "t.db"]  # not t.db-wal, t.db-shm
    assert (folder / "t.db-wal").exists() and (folder / "t.db-shm").exists()
    assert seen["types"]["t.db"] == "DB file"  # from the name; Qt's own would read the file
    assert seen["native"] is False and seen["watching"] is False
    assert before <= locks(folder / "t.db")


def _pick(qtbot, path: Path) -> Callable[[QFileDialog], None]:
    """Type the file's name in the dialog's name box and press Open/Save (then Cancel, when
    the dialog stays open)."""

    def act(dialog: QFileDialog) -> None:
        dialog.findChild(QLineEdit, "fileNameEdit").setText(path.name)
        box = dialog.findChild(QDialogButtonBox)
        button = box.button(QDialogButtonBox.StandardButton.Open) or box.button(
            QDialogButtonBox.StandardButton.Save
        )
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            dialog.reject()

    return act


def test_a_database_in_use_is_refused_as_a_file_to_read_or_write(
    qtbot, folder: Path, shown: list[str]
):
    answer(qtbot, _pick(qtbot, folder / "t.db"))
    assert file_dialogs.choose_open_files(None, "Import", str(folder), "All files (*)") == []
    assert "database in use" in shown[-1]
    answer(qtbot, _pick(qtbot, folder / "t.db"))
    assert file_dialogs.choose_save_file(None, "Save", str(folder), "All files (*)") == ""
    assert "database in use" in shown[-1] and len(shown) == 2
    answer(qtbot, _pick(qtbot, folder / "answers.xlsx"))
    chosen = file_dialogs.choose_open_files(None, "Import", str(folder), "All files (*)")
    assert chosen == [str(folder / "answers.xlsx")] and len(shown) == 2


def test_the_database_dialogs_open_it_but_never_its_working_files(
    qtbot, folder: Path, shown: list[str]
):
    answer(qtbot, _pick(qtbot, folder / "t.db"))
    chosen = file_dialogs.choose_open_file(None, "Open database", str(folder), database=True)
    assert chosen == str(folder / "t.db") and not shown
    answer(qtbot, _pick(qtbot, folder / "t.db-wal"))  # typed: the list does not offer it
    assert file_dialogs.choose_open_file(None, "Open database", str(folder), database=True) == ""
    assert "working file" in shown[-1]


def test_no_module_of_ui_shows_a_file_dialog_but_the_helper():
    calls = re.compile(r"QFileDialog|\.get(Open|Save)File(Name|Names|Url|Urls)\b|getExisting")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if path.name != "file_dialogs.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if calls.search(line)
    ]
    assert offenders == [], "use ui/file_dialogs.py instead:\n" + "\n".join(offenders)
    helper = (ROOT / "ui" / "file_dialogs.py").read_text(encoding="utf-8")
    assert not re.search(r"\.get(Open|Save|Existing)\w*\(", helper)  # no static dialogs


def test_a_dialog_starts_in_the_last_folder_of_its_kind_else_documents(
    qtbot, folder: Path, monkeypatch
):
    from ui.settings import AppSettings

    documents = folder / "Documents"
    documents.mkdir()
    (documents / "notes.txt").write_text("listed", encoding="utf-8")  # a folder that lists
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: str(documents))
    settings = AppSettings()
    opened: list[str] = []

    def pick_answers(dialog: QFileDialog) -> None:
        opened.append(dialog.directory().absolutePath())
        _pick(qtbot, folder / "answers.xlsx")(dialog)

    def cancel(dialog: QFileDialog) -> None:
        opened.append(dialog.directory().absolutePath())
        dialog.reject()

    # nothing remembered yet: Documents, not the program's folder
    answer(qtbot, cancel)
    assert (
        file_dialogs.choose_open_files(None, "Import", "", kind="workbook", settings=settings) == []
    )
    assert opened[-1] == str(documents)
    # a workbook chosen in the data folder: the next workbook dialog starts there
    answer(qtbot, lambda d: (d.setDirectory(str(folder)), pick_answers(d)))
    chosen = file_dialogs.choose_open_files(None, "Import", "", kind="workbook", settings=settings)
    assert chosen == [str(folder / "answers.xlsx")]
    assert settings.last_folder("workbook") == str(folder)
    answer(qtbot, cancel)
    file_dialogs.choose_save_file(None, "Save", "sheet.xlsx", kind="workbook", settings=settings)
    assert opened[-1] == str(folder)
    # another kind keeps its own folder; a caller's own folder wins
    answer(qtbot, cancel)
    file_dialogs.choose_open_file(None, "Restore", "", kind="backup", settings=settings)
    assert opened[-1] == str(documents)
    answer(qtbot, cancel)
    file_dialogs.choose_open_file(None, "Open", str(documents), kind="workbook", settings=settings)
    assert opened[-1] == str(documents)


def test_the_start_keeps_a_suggested_name_in_the_remembered_folder(tmp_path: Path):
    from ui.settings import AppSettings

    settings = AppSettings()
    settings.set_last_folder("backup", str(tmp_path))
    assert file_dialogs.start_path("all.ssbackup", "backup", settings) == str(
        tmp_path / "all.ssbackup"
    )
    gone = tmp_path / "gone"
    settings.set_last_folder("backup", str(gone))  # removed since: Documents again
    assert file_dialogs.start_path("", "backup", settings) == file_dialogs.documents_folder()
    assert file_dialogs.start_path(str(gone / "x.db"), "backup", settings) == str(gone / "x.db")
