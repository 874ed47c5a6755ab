"""Defect 5: the lock and the audit are as strong as the database, not only as Python.

Raw SQL through the engine (as a script or a database tool would send it) must not change a
final evaluation, must not take it out of `final` without a 'reopen evaluation' audit entry
written in the same transaction, and must not edit, delete or truncate the audit log.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from evaluator import services
from tests.core_fixtures import populated, start_consensus

pytestmark = pytest.mark.usefixtures("backend")

TABLES = (
    "scores",
    "consensus_scores",
    "responses",
    "candidates",
    "evaluators",
    "criteria",
    "questions",
    "evaluations",
    "audit_log",
)


def finished(tmp_path):
    """A final evaluation with a score, a consensus value and an answer, and a draft one."""
    db, ev = populated(tmp_path)  # in scoring
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Good roster")
    services.set_response(db, ev, "Zephyr Care IT", "offshore.share", 12.5, raw="12.5%")
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 3, "Agreed")
    services.change_status(db, ev, "final", why="Board decision, open items accepted")
    draft = services.create_evaluation(db, "Draft RFP", [], actor="chair")
    return db, ev, draft


def counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def ids(db, ev: int) -> dict[str, int]:
    with db.engine.connect() as conn:

        def one(sql: str) -> int:
            return conn.execute(text(sql), {"ev": ev}).scalar_one()

        return {
            "cand": one("SELECT min(id) FROM candidates WHERE evaluation_id = :ev"),
            "person": one("SELECT max(id) FROM evaluators WHERE evaluation_id = :ev"),
            "leaf": one("SELECT id FROM criteria WHERE evaluation_id = :ev AND key = 'tiers.l1'"),
            "question": one(
                "SELECT id FROM questions WHERE evaluation_id = :ev AND key = 'tiers.l1'"
            ),
        }


def refused(db, statement: str, params: dict | None = None, match: str = "final") -> str:
    with pytest.raises(DBAPIError, match=match) as caught, db.engine.begin() as conn:
        conn.execute(text(statement), params or {})
    return str(caught.value)


def test_raw_writes_to_a_final_evaluation_are_refused(tmp_path):
    db, ev, _ = finished(tmp_path)
    before = counts(db)
    p = {"ev": ev, **ids(db, ev)}
    statements = [
        "UPDATE scores SET value = 1",
        "DELETE FROM scores",
        "INSERT INTO scores (evaluation_id, evaluator_id, candidate_id, criterion_id, value, "
        "justification, updated_at) VALUES (:ev, :person, :cand, :leaf, 2, 'x', '2026-01-01')",
        "UPDATE consensus_scores SET value = 5",
        "DELETE FROM consensus_scores",
        "UPDATE responses SET raw = 'changed'",
        "DELETE FROM responses",
        "INSERT INTO responses (evaluation_id, candidate_id, question_id, value, raw, comment, "
        "source, updated_at) VALUES (:ev, :cand, :question, NULL, 'x', '', '', '2026-01-01')",
        "UPDATE candidates SET name = 'Renamed Vendor' WHERE evaluation_id = :ev",
        "DELETE FROM candidates WHERE evaluation_id = :ev",
        "INSERT INTO candidates (evaluation_id, position, name, kind, notes) "
        "VALUES (:ev, 9, 'Late Vendor', 'vendor', '')",
        "UPDATE evaluators SET role = 'CEO' WHERE evaluation_id = :ev",
        "DELETE FROM evaluators WHERE evaluation_id = :ev",
        "UPDATE criteria SET weight = 9 WHERE evaluation_id = :ev",
        "DELETE FROM criteria WHERE evaluation_id = :ev",
        "UPDATE questions SET text = 'changed' WHERE evaluation_id = :ev",
        "DELETE FROM questions WHERE evaluation_id = :ev",
        "UPDATE evaluations SET client = 'Someone Else' WHERE id = :ev",
        "UPDATE evaluations SET revision = revision + 1 WHERE id = :ev",
        "DELETE FROM evaluations WHERE id = :ev",
    ]
    for statement in statements:
        refused(db, statement, p)
    assert counts(db) == before
    assert services.load_evaluation(db, ev).status.value == "final"
    print(f"{len(statements)} raw writes to a final evaluation refused")
    db.close()


def test_rows_of_other_evaluations_stay_writable(tmp_path):
    db, _, draft = finished(tmp_path)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO candidates (evaluation_id, position, name, kind, notes) "
                "VALUES (:ev, 0, 'Alder Health IT', 'vendor', '')"
            ),
            {"ev": draft},
        )
        conn.execute(text("UPDATE evaluations SET client = 'Harbor' WHERE id = :ev"), {"ev": draft})
        conn.execute(text("DELETE FROM candidates WHERE evaluation_id = :ev"), {"ev": draft})
    db.close()


def _now(conn) -> str:
    """The database's clock, in SQL."""
    if conn.dialect.name == "sqlite":
        return "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    return "(now() at time zone 'utc')"


def _reopen_entry(conn, ev: int) -> None:
    """A reopen entry at the database's own clock (the audit refuses any other live time)."""
    now = _now(conn)
    conn.execute(
        text(
            "INSERT INTO audit_log (evaluation_id, at, actor, action, target, old, new, why, ref) "
            f"VALUES (:ev, {now}, 'chair', 'reopen evaluation', '', 'final', 'consensus', "
            "'board asked', 'evaluation')"
        ),
        {"ev": ev},
    )


def test_leaving_final_needs_a_reopen_entry_written_just_before(tmp_path, backend):
    db, ev, _ = finished(tmp_path)
    back = "UPDATE evaluations SET status = 'consensus' WHERE id = :ev"
    refused(db, back, {"ev": ev}, match="reopen evaluation")
    # a reopen entry written by another connection (an earlier session) opens nothing
    other = create_engine(db.engine.url)
    with other.begin() as conn:
        _reopen_entry(conn, ev)
    other.dispose()
    refused(db, back, {"ev": ev}, match="reopen evaluation")
    if backend.is_postgresql:  # there the entry must be of the very same transaction
        with db.engine.begin() as conn:
            _reopen_entry(conn, ev)
        refused(db, back, {"ev": ev}, match="reopen evaluation")
    # nor does one followed by another audit entry
    with pytest.raises(DBAPIError, match="reopen evaluation"), db.engine.begin() as conn:
        _reopen_entry(conn, ev)
        conn.execute(
            text(
                "INSERT INTO audit_log (evaluation_id, at, actor, action, target, old, new, why, "
                f"ref) VALUES (:ev, {_now(conn)}, 'chair', 'set client', '', '', '', '', '')"
            ),
            {"ev": ev},
        )
        conn.execute(text(back), {"ev": ev})
    assert services.load_evaluation(db, ev).status.value == "final"
    # written first, in the same transaction: the way the app reopens
    with db.engine.begin() as conn:
        _reopen_entry(conn, ev)
        conn.execute(text(back), {"ev": ev})
    assert services.load_evaluation(db, ev).status.value == "consensus"
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 4, "Revisited")
    db.close()


def test_audit_log_refuses_update_delete_and_truncate(tmp_path, backend):
    db, _, _ = finished(tmp_path)
    before = counts(db)
    for statement in ("UPDATE audit_log SET actor = 'someone'", "DELETE FROM audit_log"):
        refused(db, statement, match="append-only")
    if backend.is_postgresql:
        refused(db, "TRUNCATE audit_log", match="append-only")
        refused(db, "TRUNCATE scores", match="final")
        refused(db, "TRUNCATE evaluations CASCADE", match="final")
    assert counts(db) == before
    db.close()
