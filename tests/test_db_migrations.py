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
from sqlalchemy.exc import DBAPIError

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


# ---- older databases with a final evaluation; downgrades that keep the schema ------------------


def schema(path: Path) -> dict[str, object]:
    """A SQLite file's schema, table by table: columns (order, types, defaults, keys), foreign
    keys, and every index and trigger as its SQL (whitespace aside)."""
    con = sqlite3.connect(path)
    try:
        found: dict[str, object] = {}
        listed = con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
        for kind, name, table, sql in listed:
            if kind == "table":
                found[name] = (
                    [row[1:] for row in con.execute(f"PRAGMA table_xinfo('{name}')")],
                    sorted(row[2:] for row in con.execute(f"PRAGMA foreign_key_list('{name}')")),
                )
            else:
                found[f"{kind} {name}"] = (table, " ".join((sql or "").split()))
        return found
    finally:
        con.close()


def _upgrade_to(url: str, revision: str) -> None:
    from evaluator.db_migrate import upgrade

    engine = dbmod._make_engine(url)
    upgrade(engine, dbmod.MIGRATIONS, revision)
    engine.dispose()


def _downgrade_to(url: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(dbmod.MIGRATIONS))
    config.attributes["engine"] = engine = dbmod._make_engine(url)
    command.downgrade(config, revision)
    engine.dispose()


def a_final_evaluation(tmp_path: Path) -> Path:
    """A database file with an evaluation scored, agreed and made final (with its reason)."""
    from evaluator import services
    from evaluator.services import process
    from tests.core_fixtures import populated, start_consensus

    db, ev = populated(tmp_path)  # a SQLite file: these tests take no `backend`
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Named staff")
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 4, "Agreed")
    process.finalise(db, ev, "The board signed the award")
    db.close()
    return tmp_path / "t.db"


@pytest.mark.parametrize("revision", ["0004", "0003", "0002", "0001"])
def test_a_downgrade_leaves_the_schema_of_its_revision_and_loses_no_trigger(tmp_path, revision):
    """Down to an earlier schema from a database with a final evaluation, the file has exactly
    the schema a fresh database at that revision has (every trigger of 0001 and 0003 still
    there: no table rebuild), and upgrades back to exactly the newest schema."""
    fresh, newest = tmp_path / "fresh.db", tmp_path / "newest.db"
    _upgrade_to(f"sqlite:///{fresh}", revision)
    _upgrade_to(f"sqlite:///{newest}", "head")
    used = a_final_evaluation(tmp_path)
    _downgrade_to(f"sqlite:///{used}", revision)
    assert schema(used) == schema(fresh)
    open_database(used).close()
    assert schema(used) == schema(newest)


def test_a_database_from_before_the_committee_process_upgrades_with_its_final_evaluation(
    tmp_path, backend, request
):
    """Written by SupportScope at schema 0003 (before uids and the audit chain): the upgrade
    gives the final evaluation's people their uids (its rows refuse updates, so the guard is
    lifted for that one step and comes back), seals its record, and the record verifies."""
    from datetime import datetime

    from evaluator.audit_verify import verify

    if backend.is_postgresql:
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    _upgrade_to(url, "0003")
    engine = dbmod._make_engine(url)
    with engine.begin() as conn:  # as SupportScope wrote it then
        conn.execute(
            text(
                "INSERT INTO evaluations (id, name, client, status, scale_min, scale_max, "
                "aggregation, catalog_id, created_at, updated_at, revision) VALUES (1, "
                "'Old RFP', 'Old Mill Clinic', 'draft', 0, 5, 'mean', '', :at, :at, 3)"
            ),
            {"at": datetime(2025, 3, 1, 9, 0)},
        )
        conn.execute(
            text(
                "INSERT INTO candidates (id, evaluation_id, position, name, kind, notes) VALUES "
                "(1, 1, 0, 'Acme Helpdesk', 'vendor', ''), (2, 1, 1, 'Birch IT', 'outsourcer', '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO evaluators (id, evaluation_id, position, name, role, "
                "conflict_of_interest) VALUES (1, 1, 0, 'Eve Example', 'CIO', '')"
            )
        )
        for n, (action, new) in enumerate(
            (("create evaluation", "Old RFP"), ("add candidate", "Acme Helpdesk"),
             ("add candidate", "Birch IT"), ("change status", "final"))
        ):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO audit_log (evaluation_id, at, actor, action, target, old, new, "
                    "why, ref) VALUES (1, :at, 'chair', :action, 'Old RFP', '', :new, '', '')"
                ),
                {"at": datetime(2025, 3, 1, 9, n), "action": action, "new": new},
            )
        conn.execute(text("UPDATE evaluations SET status = 'final' WHERE id = 1"))
    engine.dispose()

    db = open_database(url)
    with db.engine.connect() as conn:
        uids = conn.execute(text("SELECT uid FROM candidates UNION ALL SELECT uid FROM evaluators"))
        uids = [row[0] for row in uids]
        imported = conn.execute(text("SELECT imported FROM audit_log")).scalars().all()
    assert len(uids) == 3 == len(set(uids)) and all(len(u) == 32 for u in uids)
    assert imported == [True] * 4
    verdict = verify(db, "Old RFP")
    assert verdict.intact and verdict.count == 4
    final = "the evaluation is final: its rows are read-only"
    with pytest.raises(DBAPIError, match=final), db.engine.begin() as conn:  # the guard is back
        conn.execute(text("UPDATE candidates SET notes = 'x' WHERE id = 1"))
    db.close()


def test_the_newest_file_names_alembics_head():
    """The cheap check of a current schema reads the head from the file names: they agree."""
    from alembic.script import ScriptDirectory

    from evaluator.db_migrate import newest_revision

    head = ScriptDirectory(str(dbmod.MIGRATIONS)).get_current_head()
    assert newest_revision(dbmod.MIGRATIONS) == head


def test_a_current_database_opens_without_importing_alembic(tmp_path):
    import subprocess

    open_database(tmp_path / "current.db").close()
    code = (
        "import sys; from evaluator.db import open_database; "
        f"open_database({str(tmp_path / 'current.db')!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
