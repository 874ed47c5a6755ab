"""Schema upgrades that lose nothing: a table rebuild keeps every row (defect 11), a broken one is
rolled back, the automatic backup goes through SQLite (never a file copy that drops the process's
locks), and two laptops migrating an empty PostgreSQL database at once both succeed (defect 6)."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import evaluator.db as dbmod
from cli import run
from evaluator import db_files
from evaluator.db import DatabaseError, open_database

COUNTED = ("candidates", "scores", "consensus_scores", "responses", "audit_log")

REBUILD_CANDIDATES = """
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"


def upgrade():
    # recreate="always": copy to a new table, DROP the old one, rename (SQLite's table rebuild)
    with op.batch_alter_table("candidates", recreate="always") as batch:
        batch.add_column(sa.Column("website", sa.String(200), nullable=True))


def downgrade():
    pass
"""

ORPHANING = """
from alembic import op

revision = "9999"
down_revision = "{head}"


def upgrade():
    op.execute("DELETE FROM candidates WHERE id = (SELECT min(id) FROM candidates)")


def downgrade():
    pass
"""


def _head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(dbmod.MIGRATIONS)).get_current_head()


def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert run(["demo", "--db", str(path)], io.StringIO(), io.StringIO()) == 0
    return path


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def with_revision(tmp_path: Path, monkeypatch, source: str) -> None:
    newer = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_test.py").write_text(source.replace("{head}", _head()))
    monkeypatch.setattr(dbmod, "MIGRATIONS", newer)


def test_a_table_rebuild_keeps_every_row(tmp_path, monkeypatch):
    path = demo_file(tmp_path)
    before = counts(path)
    assert before["scores"] > 100 and before["consensus_scores"] and before["responses"]
    with_revision(tmp_path, monkeypatch, REBUILD_CANDIDATES)
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for the app
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(candidates)")}
    db.close()
    after = counts(path)
    print(f"rows before {before}, after the rebuild of candidates {after}")
    assert "website" in columns
    assert after == before


def test_a_migration_that_would_orphan_rows_is_rolled_back(tmp_path, monkeypatch):
    path = demo_file(tmp_path)
    before = counts(path)
    head = _head()
    with_revision(tmp_path, monkeypatch, ORPHANING)
    with pytest.raises(DatabaseError, match="rows pointing at nothing"):
        open_database(path)
    assert counts(path) == before
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    con.close()


def _my_locks(path: Path) -> list[str]:
    inode = os.stat(path).st_ino
    with open("/proc/locks") as table:
        return [
            line.split(":", 1)[1].strip()  # without the table's running number
            for line in table
            if f":{inode} " in line and f" {os.getpid()} " in line
        ]


def test_backups_go_through_sqlite_and_keep_the_last_five(tmp_path, monkeypatch):
    path = demo_file(tmp_path)
    db = open_database(path)
    with db.reading() as session:
        session.execute(text("SELECT count(*) FROM scores"))
    locks = _my_locks(path) if sys.platform.startswith("linux") else []

    def no_copies(*args, **kwargs):
        raise AssertionError(f"the live database must not be copied as a file: {args}")

    for name in ("copy", "copy2", "copyfile", "copyfileobj"):
        monkeypatch.setattr(shutil, name, no_copies)
    made = [db_files.backup(db.engine, path) for _ in range(7)]
    monkeypatch.undo()
    if sys.platform.startswith("linux"):
        assert locks and _my_locks(path) == locks  # the process still holds its SQLite lock
    kept = sorted(tmp_path.glob("demo.db.*.bak"))
    assert kept == sorted(made[-5:])
    assert counts(kept[-1]) == counts(path)
    db.close()


def test_upgrade_backup_is_a_consistent_copy_of_the_old_schema(tmp_path, monkeypatch):
    path = demo_file(tmp_path)
    before = counts(path)
    head = _head()
    with_revision(tmp_path, monkeypatch, REBUILD_CANDIDATES)
    open_database(path).close()
    (backup,) = tmp_path.glob("demo.db.*.bak")
    assert counts(backup) == before
    con = sqlite3.connect(backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    con.close()


def test_two_laptops_opening_an_empty_postgresql_database_at_once():
    import multiprocessing

    from tests import pg
    from tests.concurrency_worker import open_when_told

    server = pg.server()
    urls = [server.url(server.database()) for _ in range(3)]
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(2), spawn.Queue()
    laptops = [spawn.Process(target=open_when_told, args=(urls, start, results)) for _ in range(2)]
    for laptop in laptops:
        laptop.start()
    outcomes = [results.get(timeout=180) for _ in range(2 * len(urls))]
    for laptop in laptops:
        laptop.join(60)
    print(f"two processes opening 3 empty PostgreSQL databases at once: {outcomes}")
    assert outcomes == ["ok"] * 6
    for url in urls:
        db = open_database(url)
        with db.engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        db.close()
        assert version == _head()
