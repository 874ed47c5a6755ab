"""Nothing in the app's process but SQLite opens the live database file (issue 9, defect 1):
every reader of a user-chosen file and every writer of a report refuses a database in use, or
one of its working files, and the process keeps its SQLite locks (seen in /proc/locks)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from test_db_locks import held_locks
from ui_helpers import make_database

from cli import run
from criteria import CatalogError
from criteria.loader import read_catalog_file
from evaluator.atomic import write_text_atomic
from evaluator.jsonio import read_document
from evaluator.live_files import LiveDatabaseFileError, is_working_file, live_database_of
from evaluator.services import ServiceError
from evaluator.workbook_guard import inspect_workbook
from evaluator.workbook_rejection import WorkbookRejected
from reports.branding import Branding

NAME = "Northwind Regional RFP"


@pytest.fixture
def live(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database in use (WAL mode, a connection open) and an ordinary file beside it."""
    db, _evaluation = make_database(tmp_path / "t.db")
    (tmp_path / "answers.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    yield tmp_path / "t.db"
    db.close()


def locks(db_path: Path) -> set[str]:
    if not Path("/proc/locks").exists():
        return set()  # elsewhere only the refusals are checked
    return held_locks(db_path, db_path.with_name(db_path.name + "-shm"))


def test_a_database_in_use_and_its_working_files_are_recognised(live: Path, tmp_path: Path):
    link = tmp_path / "shortcut.db"
    os.symlink(live, link)
    for path in (live, tmp_path / "t.db-wal", tmp_path / "t.db-shm", link):
        assert live_database_of(path) == live.resolve(), path
    assert not is_working_file(live) and is_working_file(tmp_path / "t.db-wal")
    assert live_database_of(tmp_path / "answers.xlsx") is None
    assert live_database_of(tmp_path / "missing.db") is None
    assert live_database_of("") is None


def test_a_closed_database_is_an_ordinary_file(tmp_path: Path):
    db, _ = make_database(tmp_path / "closed.db")
    db.close()  # the last connection: SQLite checkpoints and removes the -wal and -shm
    assert live_database_of(tmp_path / "closed.db") is None


def test_readers_and_writers_refuse_it_and_the_locks_stay(live: Path, tmp_path: Path):
    before = locks(live)
    size = live.stat().st_size
    with pytest.raises(WorkbookRejected, match="database in use"):
        inspect_workbook(live)
    with pytest.raises(WorkbookRejected, match="database in use"):
        inspect_workbook(tmp_path / "t.db-wal")
    with pytest.raises(CatalogError, match="database in use"):
        read_catalog_file(live)
    with pytest.raises(ServiceError, match="database in use"):
        read_document(tmp_path / "t.db-shm")
    with pytest.raises(LiveDatabaseFileError, match="database in use"):
        write_text_atomic(live, "a report")
    assert any("database in use" in p for p in Branding(logo_path=str(live)).problems())
    assert live.stat().st_size == size and live_database_of(live) is not None
    assert before <= locks(live)
    assert not list(tmp_path.glob(".*.part"))  # no temporary file left behind


def test_the_cli_refuses_the_database_as_a_questionnaire(live: Path):
    before = locks(live)
    out, err = io.StringIO(), io.StringIO()
    code = run(["questionnaire", "import", NAME, str(live), "--db", str(live)], out, err)
    assert code == 2
    assert "database in use" in err.getvalue() and err.getvalue().count("\n") == 1
    assert before <= locks(live)
