"""Readers never wait for writers (defect 13), and a busy SQLite file is waited for and retried,
never shown as "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import event, text

import evaluator.db as dbmod
from evaluator import services
from tests.core_fixtures import populated, target

pytestmark = pytest.mark.usefixtures("backend")


def hold_write_transaction(db, ev: int):  # type: ignore[no-untyped-def]
    """Another connection in the middle of a write: evaluation row locked, a change uncommitted."""
    conn = db.writer.connect()  # BEGIN IMMEDIATE on SQLite
    lock = "" if db.is_sqlite else " FOR UPDATE"
    conn.execute(text(f"SELECT id FROM evaluations WHERE id = :ev{lock}"), {"ev": ev})
    conn.execute(text("UPDATE evaluations SET client = 'Uncommitted' WHERE id = :ev"), {"ev": ev})
    return conn


def test_a_read_does_not_wait_for_a_writer(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 3000)  # a reader that waits would take 3 s
    monkeypatch.setattr(dbmod, "BUSY_RETRY_SECONDS", 0.0)
    db, ev = populated(tmp_path)
    db.close()
    db = dbmod.open_database(target(tmp_path / "t.db"))  # its connections wait at most 3 s
    writer = hold_write_transaction(db, ev)
    try:
        started = time.perf_counter()
        data = services.load_evaluation(db, ev)
        ranking = services.list_evaluations(db)
        elapsed = time.perf_counter() - started
    finally:
        writer.rollback()
        writer.close()
    print(f"load_evaluation + list_evaluations beside an open write: {elapsed * 1000:.0f} ms")
    assert data.client == "Riverbend Health"  # the committed state
    assert [e.name for e in ranking] == ["Riverbend RFP"]
    assert elapsed < 1.0
    db.close()


@pytest.mark.sqlite_only  # BEGIN modes are SQLite's
def test_reads_begin_deferred_and_writes_immediate(tmp_path):
    db, ev = populated(tmp_path)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    services.load_evaluation(db, ev)
    reads = [s for s in statements if s.startswith("BEGIN")]
    statements.clear()
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Good")
    writes = [s for s in statements if s.startswith("BEGIN")]
    db.close()
    assert reads and all(s == "BEGIN DEFERRED" for s in reads)
    assert writes == ["BEGIN IMMEDIATE"]


def _locker(path, seconds: float, holding: threading.Event) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    holding.set()
    time.sleep(seconds)
    con.execute("COMMIT")
    con.close()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("busy_ms, retry_s", [(5000, 0.0), (100, 30.0)], ids=["wait", "retry"])
def test_a_busy_file_is_waited_for_and_retried(tmp_path, monkeypatch, busy_ms, retry_s):
    """BEGIN IMMEDIATE waits the busy timeout; past it the transaction start is retried."""
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", busy_ms)
    monkeypatch.setattr(dbmod, "BUSY_RETRY_SECONDS", retry_s)
    db, ev = populated(tmp_path)
    db.close()
    db = dbmod.open_database(tmp_path / "t.db")
    holding = threading.Event()
    other = threading.Thread(target=_locker, args=(tmp_path / "t.db", 0.8, holding))
    other.start()
    holding.wait(5)
    started = time.perf_counter()
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Good roster")
    waited = time.perf_counter() - started
    other.join()
    print(f"score saved after waiting {waited:.2f} s for another writer")
    assert 0.5 < waited < 5
    assert services.load_evaluation(db, ev).scores[0].value == 4
    db.close()
