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
from evaluator import backup_copy, services
from evaluator.audit_trail import read_trail
from evaluator.audit_verify import verify
from evaluator.db import open_database
from evaluator.errors import ServiceError
from evaluator.identity import Identity, identify
from evaluator.jsonio import to_document
from evaluator.models import CandidateRow, DeclarationRow, EvaluationRow, EvaluatorRow
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


CHAIR = "Dana Whitfield"
CHAIR_PASS = "harbor-chair-2026"
DEE_PASS = "placeholder-pass"


def committee(tmp_path: Path) -> tuple[str, int, int]:
    """Two evaluations. Riverbend (consensus): scores, an abstention, a conflict declared with a
    candidate, a declaration history, a submission and an excused member, consensus, answers
    (one from a named file) and a removed member. Harbor Point (final): a chair and a member
    behind passphrases, finalised with a reason. Returns (--db, riverbend id, harbor id)."""
    db, ev = populated(tmp_path)  # in scoring, both members declared no conflict
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Named engineers")
    services.set_score(db, ev, "Ann Example", "Orbis Support Co", "tiers.l1", 5, "Nurses answer")
    services.set_score(db, ev, "Ann Example", "Orbis Support Co", "tiers.l4", 0,
                       "Could not judge: no reference site", abstain=True)  # fmt: skip
    process.declare(db, ev, "Ben Sample", ["Orbis Support Co"], "Advised Orbis in 2022")
    services.set_score(db, ev, "Ben Sample", "Zephyr Care IT", "tiers.l4", 2, "Thin cover")
    services.add_evaluator(db, ev, "Cyd Gone", "IT manager", actor="chair")
    process.declare(db, ev, "Cyd Gone")
    services.set_score(db, ev, "Cyd Gone", "Orbis Support Co", "tiers.l1", 1, "Left soon after")
    services.remove_evaluator(db, ev, "Cyd Gone", why="left the committee")
    process.excuse(db, ev, "Ben Sample", "On leave until the award")
    start_consensus(db, ev)  # Ann submits
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 3, "Agreed at the meeting")
    services.set_response(db, ev, "Zephyr Care IT", "offshore.share", 12.5, raw="12.5%")
    services.set_response(db, ev, "Orbis Support Co", "cost.fee", 990000.0, comment="3 years")
    harbor = services.create_evaluation(db, HARBOR, small_tree(), client="Harbor Point Health")
    services.add_candidate(db, harbor, "Kestrel Health Desk", actor="chair")
    services.add_evaluator(db, harbor, "Dee Placeholder", "CIO", actor="chair")
    process.name_chair(db, harbor, CHAIR)
    chair = Identity(CHAIR, chair=True)
    process.set_passphrase(db, harbor, CHAIR, CHAIR_PASS, actor=chair)
    process.set_passphrase(db, harbor, "Dee Placeholder", DEE_PASS, actor=chair)
    process.declare(db, harbor, "Dee Placeholder", actor=chair)
    services.change_status(db, harbor, "scoring", actor=chair)
    process.submit(db, harbor, "Dee Placeholder", actor=chair)
    services.change_status(db, harbor, "consensus", actor=chair)
    process.finalise(db, harbor, "Set-up only: the board withdrew the tender", actor=chair)
    db.close()
    return target(tmp_path / "t.db"), ev, harbor


def committee_rows(where: str) -> dict[str, dict]:
    """What a document leaves out, by evaluation name: the chair's passphrase hash, the people's
    uids, the members' hashes and times of submission, the declarations as stored."""
    db = open_database(where, create=False)
    try:
        with db.reading() as session:
            found = {}
            for ev in session.scalars(select(EvaluationRow)):
                members = session.execute(
                    select(EvaluatorRow.id, EvaluatorRow.name, EvaluatorRow.uid,
                           EvaluatorRow.secret, EvaluatorRow.submitted_at, EvaluatorRow.excused)
                    .where(EvaluatorRow.evaluation_id == ev.id)
                    .order_by(EvaluatorRow.position)
                ).all()  # fmt: skip
                names = {m.id: m.name for m in members}
                found[ev.name] = {
                    "chair": (ev.chair, ev.chair_secret),
                    "candidates": session.execute(
                        select(CandidateRow.name, CandidateRow.uid)
                        .where(CandidateRow.evaluation_id == ev.id)
                        .order_by(CandidateRow.position)
                    ).all(),
                    "members": [tuple(m)[1:] for m in members],
                    "declarations": [
                        (names[d.evaluator_id], d.declared_at, d.conflicted, d.covers, d.note)
                        for d in session.scalars(
                            select(DeclarationRow)
                            .where(DeclarationRow.evaluation_id == ev.id)
                            .order_by(DeclarationRow.id)
                        )
                    ],
                }
            return found
    finally:
        db.close()


def record_fields(where: str, name: str, *fields: str) -> list[tuple]:
    """`fields` of every entry of the evaluation's record, oldest first."""
    db = open_database(where, create=False)
    try:
        return [tuple(getattr(r, f) for f in fields) for r in read_trail(db, name)]
    finally:
        db.close()


def chain(where: str, name: str) -> list[tuple]:
    """(hash, ref, imported) of every entry of the evaluation's record, oldest first."""
    return record_fields(where, name, "hash", "ref", "imported")


def resolved(where: str, name: str) -> list[tuple]:
    """What each entry is about as the audit viewer names it (member, candidate, criterion)."""
    return record_fields(where, name, "member", "candidate", "criterion")


def intact(where: str, name: str) -> bool:
    db = open_database(where, create=False)
    try:
        return verify(db, name).intact
    finally:
        db.close()


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

    assert documents(str(fresh)) == documents(where)  # chair, submissions, excuses, abstentions
    assert committee_rows(str(fresh)) == committee_rows(where)  # hashes, uids, declarations
    for name in (RIVERBEND, HARBOR):
        restored = trail(str(fresh), name)
        assert restored[:-1] == trail(where, name)  # the whole trail, times and all
        assert restored[-1][2:4] == ("restore evaluation", name)
        # every entry as it was sealed (its references name the backup's rows), carried as an
        # imported entry; the audit viewer still says whom each one is about
        original = chain(where, name)
        here = chain(str(fresh), name)
        assert [(h, ref) for h, ref, _imported in here[:-1]] == [(h, r) for h, r, _ in original]
        assert [imported for *_, imported in here] == [True] * len(original) + [False]
        assert resolved(str(fresh), name)[:-1] == resolved(where, name)
        assert intact(str(fresh), name)
        assert "audit chain intact" in ok(fresh, "verify", name)
    assert ("Cyd Gone", "Orbis Support Co", "tiers.l1") in resolved(str(fresh), RIVERBEND)
    db = open_database(str(fresh), create=False)  # the passphrases still guard Harbor Point
    assert identify(db, HARBOR, CHAIR, CHAIR_PASS).chair
    with pytest.raises(ServiceError, match="not right"):
        identify(db, HARBOR, "Dee Placeholder", "not-the-passphrase")
    db.close()
    secrets = [m[2] for m in committee_rows(str(fresh))[HARBOR]["members"]]
    assert all(s.startswith("scrypt$") for s in secrets) and DEE_PASS not in str(secrets)


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

    assert intact(str(backup), RIVERBEND)  # the backup file verifies as it is

    fresh = tmp_path / "fresh.db"
    ok(fresh, "restore", str(backup))
    assert documents(str(fresh)) == {RIVERBEND: documents(where)[RIVERBEND]}
    assert intact(str(fresh), RIVERBEND)


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
    saved, saved_rows = documents(where)[RIVERBEND], committee_rows(where)[RIVERBEND]
    db = open_database(where, create=False)
    zephyr_id = services.load_evaluation(db, ev).candidates[0].id
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 2, "Second thoughts")
    services.set_consensus(db, ev, "Orbis Support Co", "tiers.l1", 4, "Agreed later")
    services.add_candidate(db, ev, "Late Entrant Ltd", actor="chair")
    process.declare(db, ev, "Ann Example", note="No conflict with the late entrant either")
    changed = trail(where, RIVERBEND)
    revision = services.current_revision(db, ev)

    out = ok(where, "restore", str(backup), "--replace")
    assert f"'{RIVERBEND}' (replaced)" in out
    assert documents(where)[RIVERBEND] == saved
    assert committee_rows(where)[RIVERBEND] == saved_rows  # the declarations as they were
    data = services.load_evaluation(db, ev)  # the same id: open windows keep it
    assert data.candidates[0].id == zephyr_id  # people keep their ids: references stay right
    after = trail(where, RIVERBEND)
    assert after[: len(changed)] == changed  # nothing of the record lost, nothing copied twice
    # each value the restore changed is recorded, so the record shows every stored value
    why = "from backup b.db"
    assert [entry[2:] for entry in after[len(changed) :]] == [
        ("restore consensus", "Orbis Support Co / Level 1 help desk [tiers.l1]", "4", "", why),
        ("restore consensus", "Zephyr Care IT / Level 4 engineering escalation [tiers.l4]",
         "2", "3", why),
        ("restore evaluation", RIVERBEND, "", "4 scores, 1 consensus, 2 answers", why),
    ]  # fmt: skip
    assert intact(where, RIVERBEND)
    assert services.current_revision(db, ev) > revision
    db.close()
    # the automatic backup holds the database as it was just before the restore (a file's go
    # beside it, a server's to the data folder: the same folder in this test)
    (before_restore,) = data_folder.glob("*.before-restore.db")
    assert before_restore.name in out
    old = documents(str(before_restore))[RIVERBEND]
    assert [c["name"] for c in old["candidates"]][-1] == "Late Entrant Ltd"
    assert set(documents(str(before_restore))) == {RIVERBEND, HARBOR}


def test_a_backup_from_another_database_replaces_the_values_and_the_record_says_so(tmp_path):
    """Taken home, changed on a laptop, brought back: the values are the laptop's, and the
    laptop's own entries, which cannot join this evaluation's record, are counted and named by
    the hash the backup's record ends at."""
    where, _ev, _harbor = committee(tmp_path)
    home = tmp_path / "home.db"
    ok(where, "backup", RIVERBEND, "-o", str(home))
    laptop = tmp_path / "laptop.db"
    ok(laptop, "restore", str(home))
    db = open_database(str(laptop), create=False)
    services.set_consensus(db, RIVERBEND, "Orbis Support Co", "tiers.l1", 4, "Agreed on the train")
    db.close()
    back = tmp_path / "back.db"
    ok(laptop, "backup", RIVERBEND, "-o", str(back))
    before = trail(where, RIVERBEND)

    ok(where, "restore", str(back), "--replace")
    assert documents(where)[RIVERBEND] == documents(str(laptop))[RIVERBEND]
    after = trail(where, RIVERBEND)
    assert after[: len(before)] == before
    assert [entry[2] for entry in after[len(before) :]] == [
        "restore consensus",
        "restore evaluation",
    ]
    laptop_head = chain(str(laptop), RIVERBEND)[-1][0]
    assert f"2 of the backup's {len(before) + 2} audit entries are not in" in after[-1][6]
    assert laptop_head in after[-1][6]
    assert intact(where, RIVERBEND)


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
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 1, "Changed mind")
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
