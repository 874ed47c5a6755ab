"""Backup files: bad ones refused by name, the backup file only read, every table of the schema
carried, older backups upgraded in a private copy, WAL-mode copies read without leaving files.
"""

from __future__ import annotations

import copy
import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete

from evaluator import backup_copy, backups, db_files, services
from evaluator.audit_chain import check_entries
from evaluator.audit_verify import read_chain
from evaluator.db import open_database
from evaluator.models import Base, EvaluationRow
from evaluator.records import audit
from tests.core_fixtures import small_tree
from tests.test_backups import (
    HARBOR,
    RIVERBEND,
    chain,
    committee,
    documents,
    intact,
    ok,
    refused,
    trail,
)

# ---- bad files ------------------------------------------------------------------------------


def _tampered(backup: Path, tmp_path: Path, name: str, sql: str) -> Path:
    bad = tmp_path / name
    bad.write_bytes(backup.read_bytes())
    con = sqlite3.connect(bad)
    con.executescript(sql)
    con.close()
    return bad


def test_restore_refuses_bad_files_by_name_and_creates_nothing(tmp_path):
    where, _ev, _harbor = committee(tmp_path)
    backup = tmp_path / "b.db"
    ok(where, "backup", "--all", "-o", str(backup))
    text = tmp_path / "notes.db"
    text.write_text("minutes of the committee meeting\n" * 200)
    other = tmp_path / "other.db"
    sqlite3.connect(other).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    newer = _tampered(backup, tmp_path, "newer.db", "UPDATE alembic_version SET version_num='9z'")
    damaged = tmp_path / "damaged.db"
    data = bytearray(backup.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    fresh = tmp_path / "nowhere" / "fresh.db"
    for bad, words in (
        (tmp_path / "missing.db", "no such file"),
        (text, "is not a SupportScope backup: it is not a SQLite database"),
        (other, "is not a SupportScope backup: it is a SQLite database without"),
        (newer, "was written by a newer SupportScope (schema 9z)"),
        (damaged, "is damaged"),
    ):
        err = refused(fresh, "restore", str(bad))
        assert str(bad) in err and words in err, err
        assert not fresh.parent.exists()  # checked before any database was created


def test_the_backup_file_is_only_read(tmp_path):
    where, _ev, _harbor = committee(tmp_path)
    backup = tmp_path / "b.db"
    ok(where, "backup", "--all", "-o", str(backup))
    backup.chmod(0o444)
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    ok(tmp_path / "fresh.db", "restore", str(backup))
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.glob("b.db*")) == ["b.db"]


# ---- what is carried ------------------------------------------------------------------------


def test_backups_carry_every_table_of_the_schema():
    """A table added to the schema must be added to the backups (evaluator/backup_copy.py)."""
    assert set(Base.metadata.tables) == set(backup_copy.COPIED_TABLES)


def test_a_whole_backup_carries_the_records_of_removed_evaluations_too(tmp_path, backend):
    """The record outlives what it records: entries of an evaluation removed from the database
    (by a database tool) and entries of no evaluation are in a backup of the whole database,
    each chain as it was sealed."""
    where, _ev, _harbor = committee(tmp_path)
    db = open_database(where, create=False)
    gone = services.create_evaluation(db, "Withdrawn RFP", small_tree(), actor="chair")
    services.add_candidate(db, gone, "Nobody Ltd", actor="chair")
    with db.transaction() as session:
        audit(session, None, "chair", "note", "the committee", new="Kick-off held")
        session.execute(delete(EvaluationRow).where(EvaluationRow.id == gone))
    with db.reading() as session:
        expected = {chain: list(read_chain(session, chain)) for chain in (None, gone)}
    db.close()
    backup = tmp_path / "all.db"
    ok(where, "backup", "--all", "-o", str(backup))
    copy = open_database(backup, create=False)
    with copy.reading() as session:
        for chain, entries in expected.items():
            carried = list(read_chain(session, chain))
            assert [e.hash for e in carried] == [e.hash for e in entries] and len(entries) >= 1
            assert check_entries(carried)[2] is None
    copy.close()


def test_only_whole_database_copies_are_offered_for_a_damaged_file(tmp_path):
    live = tmp_path / "committee.db"
    live.write_bytes(b"")
    folder = tmp_path / "backups"
    folder.mkdir()
    whole = folder / db_files.automatic_name("committee", db_files.WHOLE_DATABASE)
    one = folder / db_files.automatic_name("committee", backups.BEFORE_IMPORT, "harbor-rfp")
    other = folder / db_files.automatic_name("committee-old", db_files.WHOLE_DATABASE)
    for path in (whole, one, other):
        path.write_bytes(b"x")
    assert db_files.backups_of(live) == [whole]
    assert str(whole) in db_files.damaged_message(live, "database disk image is malformed")


def downgrade(path: Path, revision: str) -> None:
    """Take a SQLite file back to an earlier schema, as an earlier SupportScope wrote it."""
    from alembic import command
    from alembic.config import Config

    from evaluator.db import MIGRATIONS, _make_engine

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine = _make_engine(f"sqlite:///{path}")
    command.downgrade(config, revision)
    engine.dispose()


def before_the_committee_process(document: dict) -> dict:
    """A document as a schema before 0004 keeps it: no chair, submissions, excuses or
    abstentions (an abstention was then a score)."""
    document = copy.deepcopy(document)
    document["evaluation"].pop("chair", None)
    for member in document["evaluators"]:
        member.update(submitted=False, excused="")
    for score in document["scores"]:
        score["abstained"] = False
    return document


@pytest.mark.parametrize("revision", ["0001", "0003"])
def test_an_older_backup_is_upgraded_in_a_private_copy(tmp_path, revision):
    """A backup written by an earlier SupportScope (0001: the first schema; 0003: before the
    committee process and the audit chain, with a final evaluation) restores: the upgrade runs
    on a temporary copy, so the file is left as it was, and the restored record verifies (its
    entries, sealed by the upgrade, come as imported ones)."""
    where, _ev, _harbor = committee(tmp_path)
    old = tmp_path / "old.db"
    ok(where, "backup", "--all", "-o", str(old))
    downgrade(old, revision)
    digest = hashlib.sha256(old.read_bytes()).hexdigest()
    fresh = tmp_path / "fresh.db"
    ok(fresh, "restore", str(old))
    assert documents(str(fresh)) == {
        name: before_the_committee_process(document) for name, document in documents(where).items()
    }
    for name in (RIVERBEND, HARBOR):
        assert trail(str(fresh), name)[:-1] == trail(where, name)
        assert [imported for *_, imported in chain(str(fresh), name)][-2:] == [True, False]
        assert intact(str(fresh), name)
    assert hashlib.sha256(old.read_bytes()).hexdigest() == digest
    con = sqlite3.connect(old)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
    con.close()


def test_a_wal_mode_copy_is_read_without_leaving_files_beside_it(tmp_path):
    """The `.bak` taken before a schema upgrade is a raw copy in WAL mode: reading it read-only
    must not leave `-wal`/`-shm` files beside it. The open database itself is refused."""
    where, _ev, _harbor = committee(tmp_path)
    db = open_database(where, create=False)
    bak = db_files.backup(db.engine, tmp_path / "t.db")
    assert bak.read_bytes()[18:20] == b"\x02\x02"  # WAL mode
    err = refused(where, "restore", str(tmp_path / "t.db"))
    assert "is the open database itself" in err
    db.close()
    ok(tmp_path / "fresh.db", "restore", str(bak))
    assert documents(str(tmp_path / "fresh.db")) == documents(where)
    assert sorted(p.name for p in tmp_path.glob(f"{bak.name}*")) == [bak.name]
