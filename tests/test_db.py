"""Opening databases: pragmas, migrations, backups, URLs, bad files, append-only audit."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from evaluator.db import DatabaseError, database_url, open_database
from tests.core_fixtures import new_db, populated


def test_new_file_gets_schema_and_pragmas(tmp_path):
    db = new_db(tmp_path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        tables = {
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        }
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert {"evaluations", "criteria", "scores", "audit_log", "responses"} <= tables
    assert version == _head()
    db.close()


def test_writes_begin_immediate(tmp_path):
    db = new_db(tmp_path)
    statements: list[str] = []
    from sqlalchemy import event

    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with db.transaction() as session:
        session.execute(text("SELECT 1"))
    db.close()
    assert not any(s.startswith("BEGIN") and "IMMEDIATE" not in s for s in statements)


NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidates") as batch:
        batch.add_column(sa.Column("website", sa.String(200), nullable=True))


def downgrade():
    with op.batch_alter_table("candidates") as batch:
        batch.drop_column("website")
"""


def _head() -> str:
    from alembic.script import ScriptDirectory

    import evaluator.db as dbmod

    return ScriptDirectory(str(dbmod.MIGRATIONS)).get_current_head()


def test_upgrade_of_existing_file_makes_backup_first(tmp_path, monkeypatch):
    import shutil

    import evaluator.db as dbmod

    db, _ = populated(tmp_path)
    db.close()
    newer = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, newer, ignore=shutil.ignore_patterns("__pycache__"))
    head = _head()
    (newer / "versions" / "9999_website.py").write_text(NEXT_REVISION.replace("{head}", head))
    monkeypatch.setattr(dbmod, "MIGRATIONS", newer)
    db = open_database(tmp_path / "t.db")
    db.close()
    backups = list(tmp_path.glob("t.db.*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(tmp_path / "t.db") as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
        columns = {r[1] for r in con.execute("PRAGMA table_info(candidates)")}
        assert "website" in columns
        assert con.execute("SELECT count(*) FROM candidates").fetchone() == (2,)
    with sqlite3.connect(backups[0]) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)


def test_reopen_keeps_data_without_backup(tmp_path):
    db, _ = populated(tmp_path)
    db.close()
    from evaluator import services

    db = open_database(tmp_path / "t.db")
    assert [e.name for e in services.list_evaluations(db)] == ["Riverbend RFP"]
    db.close()
    assert not list(tmp_path.glob("*.bak"))


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my meeting notes, not a database\n" * 50)
    with pytest.raises(DatabaseError, match=r"notes\.db"):
        open_database(bogus)
    assert bogus.read_text().startswith("these are my meeting notes")


def test_folder_and_bad_url_are_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        database_url(tmp_path)
    with pytest.raises(DatabaseError, match="not a valid database URL"):
        database_url("nosuchdriver://host/db")


def test_url_passes_through(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert database_url(url) == url
    db = open_database(url)
    db.close()
    assert (tmp_path / "u.db").exists()


def test_default_path_honours_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPPORTSCOPE_DB", str(tmp_path / "env.db"))
    assert database_url(None).endswith("env.db")


def test_audit_log_is_append_only(tmp_path):
    db, _ = populated(tmp_path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() >= 5
    for statement in ("UPDATE audit_log SET actor='x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), db.transaction() as session:
            session.execute(text(statement))
    db.close()


def test_file_from_a_newer_version_is_refused_untouched(tmp_path):
    db = new_db(tmp_path)
    db.close()
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match=r"newer SupportScope \(schema 0099\)"):
        open_database(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))
