"""The tamper-evident audit: a hash chain per evaluation, the database guarding each entry's
time, `verify` naming the first broken link (or a stored value the record does not show), and
the chain travelling through dump and load. Tampering is done as an intruder would: through
sqlite3 on the file, with the append-only triggers dropped first."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, insert, text
from sqlalchemy.exc import DBAPIError

from evaluator import services
from evaluator.audit_chain import check_entries, seal, seal_run
from evaluator.audit_verify import read_chain, verify, warning
from evaluator.changes import ScoreCell, SetScore
from evaluator.changes.write import apply_changes
from evaluator.db import open_database
from evaluator.jsonio import dump_evaluation, load_file
from evaluator.models import AuditRow
from evaluator.progress import Cancelled
from evaluator.services import process
from tests.core_fixtures import populated, start_consensus
from tests.test_cli import cli, fail, ok
from tests.test_services import table_counts

FIELDS = ("actor", "context", "action", "target", "old", "new", "why", "ref")


def scored(tmp_path, *more: tuple[str, str, str, int, str]):
    """The fixture evaluation with two scores, a changed one (and `more` scores: member,
    candidate, criterion, value, justification), then in consensus with a gate decision."""
    db, ev = populated(tmp_path)  # in scoring, every member declared
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Named engineers")
    services.set_score(db, ev, "Ben Sample", "Orbis Support Co", "tiers.l1", 2, "Slow desk")
    services.set_score(db, ev, "Ben Sample", "Orbis Support Co", "tiers.l1", 3, "Second look")
    for member, candidate, key, value, why in more:
        services.set_score(db, ev, member, candidate, key, value, why, actor=member)
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Orbis Support Co", "gates.baa", "fail", "Declined the BAA")
    return db, ev


def rows(path) -> list[sqlite3.Row]:
    with sqlite3.connect(path) as con:
        con.row_factory = sqlite3.Row
        return con.execute("SELECT * FROM audit_log ORDER BY id").fetchall()


def tamper(path, *statements: str) -> None:
    """Run SQL on the file as someone with the file and a SQLite shell would."""
    con = sqlite3.connect(path)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


def reseal(path, row_id: int, prev_hash: str | None = None) -> str:
    """Recompute one row's hash over its (edited) content, as a careful intruder would."""
    row = next(r for r in rows(path) if r["id"] == row_id)
    prev = row["prev_hash"] if prev_hash is None else prev_hash
    at = datetime.fromisoformat(row["at"])
    digest = seal(prev, at, {name: row[name] for name in FIELDS}, bool(row["imported"]))
    tamper(
        path,
        "DROP TRIGGER IF EXISTS audit_log_no_update",
        f"UPDATE audit_log SET prev_hash = '{prev}', hash = '{digest}' WHERE id = {row_id}",
    )
    return digest


# ---- the chain as written ----------------------------------------------------------------------


def test_every_entry_is_sealed_with_the_one_before(tmp_path):
    db, ev = scored(tmp_path)
    other = services.create_evaluation(db, "Harbor RFP", [], actor="chair")
    services.add_candidate(db, other, "Zephyr Care IT", actor="chair")
    services.add_candidate(db, ev, "Lumen Desk Ltd", actor="chair")  # interleaved chains
    chains: dict[int, list[sqlite3.Row]] = {}
    for row in rows(db.path):
        chains.setdefault(row["evaluation_id"], []).append(row)
    for chain in chains.values():
        previous = ""
        for row in chain:
            assert row["prev_hash"] == previous and re.fullmatch("[0-9a-f]{64}", row["hash"])
            fields = {name: row[name] for name in FIELDS}
            at = datetime.fromisoformat(row["at"])
            assert row["hash"] == seal(previous, at, fields, False) and not row["imported"]
            previous = row["hash"]
    verdict = verify(db, ev)
    # create, 2 candidates, 2 members, 2 declarations, scoring, 3 scores, 2 submissions,
    # consensus, the gate decision and the interleaved candidate
    assert verdict.intact and verdict.count == len(chains[ev]) == 16
    assert verdict.head == chains[ev][-1]["hash"]
    assert verify(db, other).count == 2


@settings(max_examples=60, deadline=None)
@given(
    runs=st.lists(
        st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.none(), st.text(max_size=30))),
        min_size=1,
        max_size=4,
    ),
    micro=st.integers(0, 999_999),
)
def test_a_run_sealed_at_once_links_exactly_as_one_by_one(runs, micro):
    """An import seals its entries in one pass: the same hashes as `seal`, entry by entry
    (quotes, backslashes, control characters, non-ASCII text and missing fields included)."""
    at = datetime(2024, 3, 31, 9, 30, 5, micro)
    prev, expected = "ab" * 32, []
    for fields in runs:
        prev = seal(prev, at, fields, False)
        expected.append(prev)
    assert seal_run("ab" * 32, at, runs) == expected


def test_the_chain_head_is_read_once_per_transaction(tmp_path):
    """A 40-cell import reads the head once and writes 40 chained entries, in call order."""
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    ann = data.evaluators[0].id
    cells = [(c.id, key) for c in data.candidates for key in ("tiers.l1", "tiers.l4")]
    stored: dict[tuple[int, str], ScoreCell] = {}
    changes = []
    for n in range(40):
        cell, after = cells[n % len(cells)], ScoreCell(n % 6, f"reason {n}")
        changes.append(SetScore(ann, *cell, stored.get(cell), after))
        stored[cell] = after
    heads = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().startswith("SELECT") and "FROM audit_log" in statement:
            heads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    apply_changes(db, ev, changes, actor="Ann Example")
    event.remove(db.engine, "before_cursor_execute", count)
    assert len(heads) == 1
    trail = services.audit_trail(db, ev)
    assert [e.why for e in trail[-40:]] == [f"reason {n}" for n in range(40)]
    assert verify(db, ev).intact


# ---- the database guards the time ----------------------------------------------------------------


def _entry(ev: int, at: datetime, imported: bool = False) -> dict:
    return {
        "evaluation_id": ev,
        "at": at,
        "actor": "Mallory Example",
        "action": "set score",
        "imported": imported,
        "prev_hash": "",
        "hash": "",
    }


def test_a_backdated_entry_is_refused_by_the_database(tmp_path):
    db, ev = scored(tmp_path)
    before = table_counts(db)
    now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as the column stores it
    for at, imported, refusal in (
        (now - timedelta(days=30), False, "database's clock"),
        (now + timedelta(minutes=5), False, "database's clock"),
        (now - timedelta(days=30), True, "may only begin an evaluation's record"),
    ):
        with pytest.raises(DBAPIError, match=refusal), db.transaction() as session:
            session.execute(insert(AuditRow).values(**_entry(ev, at, imported)))
    assert table_counts(db) == before
    # the same through a SQLite shell on the file
    with pytest.raises(sqlite3.DatabaseError, match="database's clock"):
        tamper(
            db.path,
            "INSERT INTO audit_log (evaluation_id, at, actor, action, target, old, new, why, "
            "ref, context, imported, prev_hash, hash) VALUES (1, '2020-01-01 09:00:00.000000', "
            "'Mallory Example', 'set score', '', '', '', '', '', '', 0, '', '')",
        )
    # an imported entry may begin a new chain (that is how load keeps a file's times)
    with db.transaction() as session:
        session.execute(insert(AuditRow).values(**_entry(999, now - timedelta(days=30), True)))


# ---- verify names the first broken link -----------------------------------------------------


def test_an_edited_entry_is_named(tmp_path):
    db, ev = scored(tmp_path)
    target = rows(db.path)[6]
    tamper(
        db.path,
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET new = '5' WHERE id = {target['id']}",
    )
    verdict = verify(db, ev)
    assert not verdict.intact
    assert verdict.broken.label == f"entry {target['id']}"
    assert "content changed" in verdict.broken.problem
    assert target["target"] in verdict.sentence() and target["action"] in verdict.sentence()
    error = fail(db.path, "verify", "Riverbend RFP")
    assert f"entry {target['id']}" in error and "content changed" in error


def test_an_edited_entry_resealed_breaks_the_next_link(tmp_path):
    db, ev = scored(tmp_path)
    entries = rows(db.path)
    edited, following = entries[7], entries[8]
    tamper(
        db.path,
        "DROP TRIGGER audit_log_no_update",
        f"UPDATE audit_log SET why = 'Nothing to see' WHERE id = {edited['id']}",
    )
    reseal(db.path, edited["id"])
    verdict = verify(db, ev)
    assert verdict.broken.label == f"entry {following['id']}"
    assert "link broken" in verdict.broken.problem


def test_a_deleted_middle_entry_is_detected(tmp_path):
    db, ev = scored(tmp_path)
    entries = rows(db.path)
    tamper(
        db.path,
        "DROP TRIGGER audit_log_no_delete",
        f"DELETE FROM audit_log WHERE id = {entries[5]['id']}",
    )
    verdict = verify(db, ev)
    assert verdict.broken.label == f"entry {entries[6]['id']}"
    assert "link broken" in verdict.broken.problem
    assert verdict.count == 6  # counted up to the break
    tamper(db.path, f"DELETE FROM audit_log WHERE id = {entries[0]['id']}")
    assert "the start was removed" in verify(db, ev).broken.problem


def test_time_going_back_and_late_imported_entries_are_detected(tmp_path):
    db, ev = scored(tmp_path)
    last = rows(db.path)[-1]
    tamper(db.path, "DROP TRIGGER audit_log_time_guard", "DROP TRIGGER audit_log_imported_first")
    for imported, problem in ((0, "time goes back"), (1, "imported entry after live entries")):
        fields = {name: last[name] for name in FIELDS} | {"why": "Backdated"}
        at = datetime.fromisoformat(last["at"]) - timedelta(hours=3)
        digest = seal(last["hash"], at, fields, bool(imported))
        tamper(
            db.path,
            "INSERT INTO audit_log (evaluation_id, at, actor, context, action, target, old, new, "
            "why, ref, imported, prev_hash, hash) VALUES "
            f"({ev}, '{at.isoformat(sep=' ')}', ?, ?, ?, ?, ?, ?, ?, ?, {imported}, "
            f"'{last['hash']}', '{digest}')".replace("?", "'{}'").format(
                *(fields[name] for name in FIELDS)
            ),
        )
        assert problem in verify(db, ev).broken.problem
        tamper(
            db.path,
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
            "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
        )
    assert verify(db, ev).intact


def test_a_raw_edit_of_a_stored_value_is_detected(tmp_path):
    db, ev = scored(tmp_path)
    assert verify(db, ev).intact
    entries = {r["ref"]: r for r in rows(db.path) if r["ref"]}  # the newest per ref
    cases = [
        ("UPDATE scores SET value = 1 WHERE value = 3", "stored score is 1 but the record says 3"),
        ("UPDATE scores SET abstained = 1 WHERE value = 4", "stored score is abstain but"),
        ("UPDATE consensus_scores SET value = 1", "consensus value is pass but the record says"),
    ]
    for statement, problem in cases:
        with sqlite3.connect(db.path) as con:
            saved = con.execute("SELECT * FROM scores").fetchall()
        tamper(db.path, statement)
        verdict = verify(db, ev)
        assert not verdict.intact and problem in verdict.broken.problem, verdict.sentence()
        assert verdict.broken.label in {f"entry {r['id']}" for r in entries.values()}
        assert "stored values differ from the audit chain at entry" in verdict.sentence()
        fail(db.path, "verify", "Riverbend RFP")
        tamper(db.path, "DELETE FROM scores")  # put things back as they were
        with sqlite3.connect(db.path) as con:
            con.executemany(f"INSERT INTO scores VALUES ({','.join('?' * 9)})", saved)
        tamper(db.path, "UPDATE consensus_scores SET value = 0")
        assert verify(db, ev).intact
    # a score written behind the app's back has no entry at all; a cleared one comes back
    services.change_status(db, ev, "scoring")
    process.reopen_sheet(db, ev, "Ann Example", "asked to withdraw a score")
    services.clear_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", why="Withdrawn")
    tamper(db.path, forged_score("Ann Example", "Orbis Support Co", "tiers.l1", 5))
    assert "has no audit entry" in verify(db, ev).broken.problem
    assert "Ann Example: Orbis Support Co / tiers.l1" in verify(db, ev).sentence()
    tamper(
        db.path,
        "DELETE FROM scores WHERE justification = 'forged'",
        forged_score("Ann Example", "Zephyr Care IT", "tiers.l4", 4),
    )
    assert "the record says it was cleared" in verify(db, ev).broken.problem


def test_a_check_nobody_waits_for_stops_when_asked(tmp_path):
    """A window closing its database asks the background check to stop: it raises Cancelled
    (never a 'could not be checked' warning); a check not asked to stop gives the same verdict."""
    db, ev = scored(tmp_path)
    asked: list[int] = []

    def cancel_after(n: int):
        def cancel() -> bool:
            asked.append(1)
            return len(asked) > n

        return cancel

    with pytest.raises(Cancelled):
        verify(db, ev, cancel_after(0))  # while reading the chain
    asked.clear()
    with pytest.raises(Cancelled):
        warning(db, ev, cancel_after(1))  # while reading the stored values
    assert len(asked) == 2
    assert verify(db, ev, lambda: False) == verify(db, ev)
    assert warning(db, ev, lambda: False) == ""


def forged_score(member: str, candidate: str, key: str, value: int) -> str:
    return (
        "INSERT INTO scores (evaluation_id, evaluator_id, candidate_id, criterion_id, value, "
        "justification, abstained, updated_at) SELECT k.evaluation_id, e.id, c.id, k.id, "
        f"{value}, 'forged', 0, '2026-01-01 00:00:00' FROM evaluators e, candidates c, "
        f"criteria k WHERE e.name = '{member}' AND c.name = '{candidate}' AND k.key = '{key}'"
    )


def test_verify_from_the_shell(tmp_path):
    db, _ = scored(tmp_path)
    out = ok(db.path, "verify", "Riverbend RFP")
    entries = rows(db.path)
    assert out == f"audit chain intact: {len(entries)} entries, head {entries[-1]['hash']}\n"
    assert "no evaluation named" in fail(db.path, "verify", "Nowhere RFP")


# ---- dump and load carry the chain ---------------------------------------------------------------


def test_dump_and_load_keep_every_entry_and_verify(tmp_path):
    db, ev = scored(tmp_path)
    original = rows(db.path)
    path = tmp_path / "riverbend.json"
    dump_evaluation(db, ev, path)
    document = json.loads(path.read_text())
    assert [e["hash"] for e in document["audit"]] == [r["hash"] for r in original]
    assert document["audit"][3]["at"] == original[3]["at"].replace(" ", "T") + "Z"
    other = open_database(tmp_path / "other.db")
    copy = load_file(other, path)
    loaded = rows(other.path)
    assert len(loaded) == len(original) + 1
    for before, after in zip(original, loaded, strict=False):
        assert after["imported"] == 1
        for name in (*FIELDS, "at", "prev_hash", "hash"):
            assert after[name] == before[name]
    assert loaded[-1]["action"] == "load evaluation" and not loaded[-1]["imported"]
    assert loaded[-1]["prev_hash"] == original[-1]["hash"]
    verdict = verify(other, copy)
    assert verdict.intact and verdict.count == len(original) + 1
    assert ok(other.path, "verify", "Riverbend RFP").startswith(
        f"audit chain intact: {len(original) + 1} entries, head {loaded[-1]['hash']}"
    )
    # and again: a loaded evaluation dumps and loads like any other
    again = tmp_path / "again.json"
    dump_evaluation(other, copy, again)
    third = open_database(tmp_path / "third.db")
    assert verify(third, load_file(third, again)).count == len(original) + 2


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda audit: audit[4].update(new="5"), r"audit\[4\] .*content changed"),
        (lambda audit: audit.pop(4), r"audit\[4\] .*link broken"),
        (lambda audit: audit.insert(0, dict(audit[0])), r"audit\[1\] .*link broken"),
    ],
)
def test_a_tampered_dump_is_refused_by_load(tmp_path, edit, problem):
    db, ev = scored(tmp_path)
    path = tmp_path / "riverbend.json"
    dump_evaluation(db, ev, path)
    document = json.loads(path.read_text())
    edit(document["audit"])
    path.write_text(json.dumps(document))
    other = open_database(tmp_path / "other.db")
    before = table_counts(other)
    code, _, err = cli(other.path, "load", str(path))
    assert code == 2 and re.search(problem, err) and "nothing was loaded" in err
    assert table_counts(other) == before


def test_an_older_dump_without_an_audit_still_loads(tmp_path):
    db, ev = scored(tmp_path)
    path = tmp_path / "old.json"
    dump_evaluation(db, ev, path)
    document = json.loads(path.read_text())
    del document["audit"]
    document["version"] = 1
    path.write_text(json.dumps(document))
    other = open_database(tmp_path / "other.db")
    verdict = verify(other, load_file(other, path))
    assert verdict.intact and verdict.count == 1
    assert verdict.unrecorded == 3  # two scores and a consensus value came with the file
    assert "3 stored values came with a loaded file" in ok(other.path, "verify", "Riverbend RFP")


# ---- the record before the chain ------------------------------------------------------------


def test_the_upgrade_seals_entries_written_before_the_chain(tmp_path):
    from evaluator.db import MIGRATIONS, _make_engine
    from evaluator.db_migrate import upgrade

    path = tmp_path / "old.db"
    engine = _make_engine(f"sqlite:///{path}")
    upgrade(engine, MIGRATIONS, "0004")
    with engine.begin() as conn:  # as the app wrote them before the chain: no hashes
        for n, action in enumerate(("create evaluation", "add candidate", "set score")):
            conn.execute(
                text(
                    "INSERT INTO audit_log (evaluation_id, at, actor, action, target, old, new, "
                    "why, ref, context, imported, prev_hash, hash) VALUES (7, :at, 'chair', "
                    ":action, 'Old RFP', '', :new, '', '', '', 0, '', '')"
                ),
                {"at": datetime(2025, 1, 1, 9, n), "action": action, "new": str(n)},
            )
    engine.dispose()
    db = open_database(path)
    sealed = rows(path)
    assert all(r["imported"] and len(r["hash"]) == 64 for r in sealed)
    assert [r["prev_hash"] for r in sealed] == ["", sealed[0]["hash"], sealed[1]["hash"]]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        tamper(path, "UPDATE audit_log SET actor = 'x'")
    with db.reading() as session:
        assert check_entries(read_chain(session, 7)) == (3, sealed[-1]["hash"], None)
    ev = services.create_evaluation(db, "New RFP", [], actor="chair")
    assert verify(db, ev).intact
