"""Backups and restores through the command line (`backup EVAL|--all -o FILE`, `restore FILE`):
round trips into a fresh database, name clashes, --replace, final evaluations, all or nothing,
bad files, and the automatic backups before restores and imports.

The `backend` tests run on a SQLite file (the online backup API) and on the test PostgreSQL
server (dump/load into a fresh SQLite file); the backup is a SQLite file either way.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from cli.runner import run
from evaluator import backup_copy, backups, db_files, services
from evaluator.db import open_database
from evaluator.jsonio import to_document
from evaluator.models import AuditRow, Base, CandidateRow, EvaluationRow, EvaluatorRow
from evaluator.restore import restore_backup
from evaluator.services import process
from tests.core_fixtures import populated, small_tree, start_consensus, target
from tests.excel_fixtures import dump_tables

RIVERBEND = "Riverbend RFP"
HARBOR = "Harbor Point RFP"


def cli(db: str | Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([args[0], "--db", str(db), *args[1:]], out, err)
    return code, out.getvalue(), err.getvalue()


def ok(db: str | Path, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 0, err
    return out


def refused(db: str | Path, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: "), (code, out, err)
    assert "Traceback" not in err
    return err


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a server database's automatic backups go in this test (the default database's
    folder); a SQLite file's go beside it, here too."""
    monkeypatch.setenv("SUPPORTSCOPE_DB", str(tmp_path / "default.db"))
    return tmp_path / "backups"


def committee(tmp_path: Path) -> tuple[str, int, int]:
    """Two evaluations with scores, consensus, answers (one from a named file) and a
    removed member; Harbor Point is final. Returns (--db, riverbend id, harbor id)."""
    db, ev = populated(tmp_path)  # in scoring
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Named engineers")
    services.set_score(db, ev, "Ben Sample", "Zephyr Care IT", "tiers.l4", 2, "Thin cover")
    services.set_score(db, ev, "Ann Example", "Orbis Support Co", "tiers.l1", 5, "Nurses answer")
    services.add_evaluator(db, ev, "Cyd Gone", "IT manager", actor="chair")
    process.declare(db, ev, "Cyd Gone")
    services.set_score(db, ev, "Cyd Gone", "Orbis Support Co", "tiers.l1", 1, "Left soon after")
    services.remove_evaluator(db, ev, "Cyd Gone", why="left the committee")
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 3, "Agreed at the meeting")
    services.set_response(db, ev, "Zephyr Care IT", "offshore.share", 12.5, raw="12.5%")
    services.set_response(db, ev, "Orbis Support Co", "cost.fee", 990000.0, comment="3 years")
    harbor = services.create_evaluation(db, HARBOR, small_tree(), client="Harbor Point Health")
    services.add_candidate(db, harbor, "Kestrel Health Desk", actor="chair")
    services.add_evaluator(db, harbor, "Dee Placeholder", "CIO", actor="chair")
    start_consensus(db, harbor)
    process.finalise(db, harbor, "Set-up only: the board withdrew the tender")
    db.close()
    return target(tmp_path / "t.db"), ev, harbor


def documents(where: str) -> dict[str, dict]:
    db = open_database(where, create=False)
    try:
        return {
            s.name: to_document(services.load_evaluation(db, s.id))
            for s in services.list_evaluations(db)
        }
    finally:
        db.close()


def trail(where: str, name: str) -> list[tuple]:
    db = open_database(where, create=False)
    try:
        return [
            (e.at, e.actor, e.action, e.target, e.old, e.new, e.why)
            for e in services.audit_trail(db, name)
        ]
    finally:
        db.close()


def refs_by_name(where: str, name: str) -> list[str]:
    """The audit references of an evaluation with row ids turned into the names of its people
    ("(gone)" for someone no longer in it): what they mean, whatever the ids."""
    db = open_database(where, create=False)
    try:
        with db.reading() as session:
            ev = session.scalar(select(EvaluationRow.id).where(EvaluationRow.name == name))
            people = {
                kind: dict(
                    session.execute(
                        select(model.id, model.name).where(model.evaluation_id == ev)
                    ).all()
                )
                for kind, model in (("c", CandidateRow), ("e", EvaluatorRow))
            }
            refs = session.scalars(
                select(AuditRow.ref).where(AuditRow.evaluation_id == ev).order_by(AuditRow.id)
            ).all()
    finally:
        db.close()
    named = []
    for ref in refs:
        parts = ref.split(":")
        kinds = {"score": "ec", "consensus": "c", "answer": "c", "candidate": "c"}
        for i, kind in enumerate(kinds.get(parts[0], "e" if parts[0] == "evaluator" else "")):
            parts[i + 1] = people[kind].get(int(parts[i + 1]), "(gone)")
        named.append(":".join(parts))
    return named


def is_single_sqlite_file(path: Path) -> bool:
    header = path.read_bytes()[:16]
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    siblings = [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]
    return (
        header == b"SQLite format 3\x00"
        and mode == "delete"
        and check == "ok"
        and not any(p.exists() for p in siblings)
    )


# ---- round trips ----------------------------------------------------------------------------


def test_backup_all_then_restore_into_a_fresh_database_gives_everything_back(
    tmp_path, backend, data_folder
):
    where, _ev, _harbor = committee(tmp_path)
    backup = tmp_path / "out" / "committee.db"
    backup.parent.mkdir()
    out = ok(where, "backup", "--all", "-o", str(backup))
    assert out == f"backed up 2 evaluations with their audit trail to {backup}\n"
    assert is_single_sqlite_file(backup)

    fresh = tmp_path / "laptop" / "fresh.db"  # restore may create the database, as load does
    out = ok(fresh, "restore", str(backup))
    assert f"'{RIVERBEND}' (new), '{HARBOR}' (new) from {backup}" in out

    assert documents(str(fresh)) == documents(where)
    for name in (RIVERBEND, HARBOR):
        restored = trail(str(fresh), name)
        assert restored[:-1] == trail(where, name)  # the whole trail, times and all
        assert restored[-1][2:4] == ("restore evaluation", name)
        # row ids differ in the new database; the references still name the same people,
        # and a removed member's entries come along with their machine reference cleared
        original = ["" if "(gone)" in r else r for r in refs_by_name(where, name)]
        assert refs_by_name(str(fresh), name)[:-1] == original
    assert refs_by_name(where, RIVERBEND).count("evaluator:(gone)") == 2  # Cyd: added, removed


def test_backup_of_one_evaluation_holds_it_alone_with_its_trail(tmp_path, backend, data_folder):
    where, _ev, _harbor = committee(tmp_path)
    backup = tmp_path / "riverbend.db"
    out = ok(where, "backup", RIVERBEND, "-o", str(backup))
    assert out == f"backed up 1 evaluation with its audit trail to {backup}\n"
    assert is_single_sqlite_file(backup)
    assert set(documents(str(backup))) == {RIVERBEND}
    assert trail(str(backup), RIVERBEND) == trail(where, RIVERBEND)
    con = sqlite3.connect(backup)
    (evaluations,) = con.execute("SELECT DISTINCT evaluation_id FROM audit_log").fetchall()
    con.close()
    assert evaluations == (_ev,)  # nothing of Harbor Point's trail

    fresh = tmp_path / "fresh.db"
    ok(fresh, "restore", str(backup))
    assert documents(str(fresh)) == {RIVERBEND: documents(where)[RIVERBEND]}


def test_backup_asks_for_one_evaluation_or_all_and_refuses_the_live_file(tmp_path, backend):
    where, _ev, _harbor = committee(tmp_path)
    assert "give one evaluation's name, or --all" in refused(where, "backup", "-o", "x.db")
    assert "give one evaluation's name, or --all" in refused(
        where, "backup", RIVERBEND, "--all", "-o", "x.db"
    )
    assert "no evaluation named 'Nope'" in refused(where, "backup", "Nope", "-o", "x.db")
    assert "is a folder" in refused(where, "backup", "--all", "-o", str(tmp_path))
    assert "does not exist" in refused(where, "backup", "--all", "-o", str(tmp_path / "no/x.db"))
    if not backend.is_postgresql:
        live = tmp_path / "t.db"
        before = hashlib.sha256(live.read_bytes()).hexdigest()
        assert "is the open database itself" in refused(where, "backup", "--all", "-o", str(live))
        assert hashlib.sha256(live.read_bytes()).hexdigest() == before


# ---- restoring into a database that has them ------------------------------------------------


def test_restore_refuses_a_name_clash_and_changes_nothing(tmp_path, backend, data_folder):
    where, _ev, _harbor = committee(tmp_path)
    backup = tmp_path / "b.db"
    ok(where, "backup", RIVERBEND, "-o", str(backup))
    db = open_database(where, create=False)
    before = dump_tables(db)
    err = refused(where, "restore", str(backup))
    assert f"'{RIVERBEND}' already exists in this database, so nothing was restored" in err
    assert "--replace" in err
    assert dump_tables(db) == before
    assert not data_folder.exists() and not (tmp_path / "backups").exists()  # no backup taken
    db.close()


def test_restore_replace_brings_the_backup_back_and_keeps_the_trail(tmp_path, backend, data_folder):
    where, ev, _harbor = committee(tmp_path)
    backup = tmp_path / "b.db"
    ok(where, "backup", RIVERBEND, "-o", str(backup))
    saved = documents(where)[RIVERBEND]
    db = open_database(where, create=False)
    zephyr_id = services.load_evaluation(db, ev).candidates[0].id
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 1, "Changed mind")
    services.add_candidate(db, ev, "Late Entrant Ltd", actor="chair")
    changed = trail(where, RIVERBEND)
    revision = services.current_revision(db, ev)

    out = ok(where, "restore", str(backup), "--replace")
    assert f"'{RIVERBEND}' (replaced)" in out
    assert documents(where)[RIVERBEND] == saved
    data = services.load_evaluation(db, ev)  # the same id: open windows keep it
    assert data.candidates[0].id == zephyr_id  # people keep their ids: references stay right
    after = trail(where, RIVERBEND)
    assert after[:-1] == changed  # nothing of the trail lost, nothing copied twice
    assert after[-1][2:] == ("restore evaluation", RIVERBEND, "", after[-1][5], "from backup b.db")
    assert services.current_revision(db, ev) > revision
    db.close()
    # the automatic backup holds the database as it was just before the restore (a file's go
    # beside it, a server's to the data folder: the same folder in this test)
    (before_restore,) = data_folder.glob("*.before-restore.db")
    assert before_restore.name in out
    old = documents(str(before_restore))[RIVERBEND]
    assert [c["name"] for c in old["candidates"]][-1] == "Late Entrant Ltd"
    assert set(documents(str(before_restore))) == {RIVERBEND, HARBOR}


def test_restore_never_replaces_a_final_evaluation(tmp_path, backend, data_folder):
    where, _ev, _harbor = committee(tmp_path)
    backup = tmp_path / "b.db"
    ok(where, "backup", "--all", "-o", str(backup))
    db = open_database(where, create=False)
    before = dump_tables(db)
    err = refused(where, "restore", str(backup), "--replace")
    assert f"'{HARBOR}' is final in this database" in err and "never replaced" in err
    assert dump_tables(db) == before
    # the evaluations that are not final may be restored on their own
    out = ok(where, "restore", str(backup), "--replace", "--only", RIVERBEND)
    assert f"'{RIVERBEND}' (replaced)" in out and HARBOR not in out.split(";")[0]
    assert "holds no evaluation named 'Nope'" in refused(
        where, "restore", str(backup), "--only", "Nope"
    )
    db.close()


def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(
    tmp_path, backend, data_folder, monkeypatch
):
    where, ev, _harbor = committee(tmp_path)
    db = open_database(where, create=False)
    kestrel = services.create_evaluation(db, "Kestrel Review", small_tree(), actor="chair")
    backup = tmp_path / "b.db"
    ok(where, "backup", "--all", "-o", str(backup))
    with db.transaction() as session:  # so that Kestrel Review comes back as a new one
        session.get(EvaluationRow, kestrel).name = "Kestrel Review (renamed)"
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 1, "Changed mind")
    before = dump_tables(db)
    real = backup_copy.write_restored
    calls: list[str] = []

    def second_fails(session, copy, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(copy.name)
        if len(calls) == 2:
            raise OSError("the disk filled up")
        return real(session, copy, **kwargs)

    monkeypatch.setattr("evaluator.restore.write_restored", second_fails)
    with pytest.raises(OSError, match="disk filled up"):
        restore_backup(db, backup, replace=True, only=[RIVERBEND, "Kestrel Review"])
    assert calls == [RIVERBEND, "Kestrel Review"]  # the first one was written, then undone
    assert dump_tables(db) == before
    monkeypatch.undo()
    outcome = restore_backup(db, backup, replace=True, only=[RIVERBEND, "Kestrel Review"])
    assert list(outcome.replaced) == [RIVERBEND] and list(outcome.added) == ["Kestrel Review"]
    db.close()


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


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("score:3:7:tiers.l4", "score:30:70:tiers.l4"),
        ("consensus:7:gates.baa", "consensus:70:gates.baa"),
        ("answer:7:cost.fee", "answer:70:cost.fee"),
        ("candidate:7", "candidate:70"),
        ("evaluator:3", "evaluator:30"),
        ("evaluator:4", ""),  # removed before the backup: no counterpart
        ("score:4:7:tiers.l4", ""),
        ("criterion:tiers.l4", "criterion:tiers.l4"),
        ("evaluation", "evaluation"),
        ("", ""),
    ],
)
def test_audit_references_follow_the_people_to_their_new_ids(ref, expected):
    assert backup_copy.remap_ref(ref, {7: 70}, {3: 30}) == expected


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


def test_an_older_backup_is_upgraded_in_a_private_copy(tmp_path):
    """A backup written by an earlier SupportScope (schema 0001) restores; the file is left as
    it was (the upgrade runs on a temporary copy)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from evaluator.db import MIGRATIONS

    where, _ev, _harbor = committee(tmp_path)
    old = tmp_path / "old.db"
    ok(where, "backup", "--all", "-o", str(old))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine = create_engine(f"sqlite:///{old}")
    command.downgrade(config, "0001")
    engine.dispose()
    digest = hashlib.sha256(old.read_bytes()).hexdigest()
    ok(tmp_path / "fresh.db", "restore", str(old))
    assert documents(str(tmp_path / "fresh.db")) == documents(where)
    assert hashlib.sha256(old.read_bytes()).hexdigest() == digest
    con = sqlite3.connect(old)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
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
