"""Support contracts through what a user touches (the CLI and the services), on SQLite and
PostgreSQL: the baseline from a final evaluation, audited target edits, ticket and call
imports (re-import, duplicates, hostile files), the scorecard, and backups that keep it all."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from cli import run
from evaluator import contracts
from evaluator.contracts import SetTarget, TargetValue
from evaluator.db import open_database
from evaluator.errors import StaleChange
from tests.contract_fixtures import AWARD, WINNER, awarded
from tests.core_fixtures import target
from tools.make_tickets import generate, write_exports, write_table

pytestmark = pytest.mark.usefixtures("backend")
TABLES = (
    "support_contracts",
    "contract_targets",
    "ticket_sources",
    "tickets",
    "call_stats",
    "audit_log",
)


def cli(db: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([*args, "--db", db], out, err)
    return code, out.getvalue(), err.getvalue()


def ok(db: str, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 0, err
    return out


def refused(db: str, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, (code, out, err)
    return err


def counts(db_target: str) -> dict[str, int]:
    db = open_database(db_target, create=False)
    try:
        with db.engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
    finally:
        db.close()


def contracted(tmp_path: Path) -> str:
    db, _ev = awarded(tmp_path)
    db.close()
    where = target(tmp_path / "t.db")
    ok(
        where,
        "contract",
        "create",
        AWARD,
        "--go-live",
        "2025-01-01",
        "--monthly-fee",
        "40000",
        "--tz",
        "America/New_York",
    )
    return where


def test_a_contract_is_refused_before_final_and_built_from_the_promises(tmp_path):
    db, ev = awarded(tmp_path, final=False)
    db.close()
    where = target(tmp_path / "t.db")
    before = counts(where)
    err = refused(
        where, "contract", "create", AWARD, "--go-live", "2025-01-01", "--monthly-fee", "40000"
    )
    assert "not final" in err and counts(where) == before
    db = open_database(where, create=False)
    with pytest.raises(Exception, match="final evaluation only"), db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO support_contracts (evaluation_id, candidate_id, go_live, "
                "monthly_fee, time_zone, revision, created_at) SELECT :e, id, "
                "'2025-01-01', 1, 'UTC', 0, '2025-01-01' FROM candidates "
                "WHERE evaluation_id = :e LIMIT 1"
            ),
            {"e": ev},
        )
    db.close()
    where = contracted(tmp_path / "final")
    shown = json.loads(ok(where, "contract", "show", AWARD, "--json"))
    assert shown["candidate"] == WINNER
    by_key = {(t["metric"], t["priority"]): t for t in shown["targets"]}
    assert by_key[("response", "P1")]["value"] == 30  # 0.5 h promised
    assert by_key[("resolution", "P1")]["source"] == "consensus"
    assert "Four hours confirmed" in by_key[("resolution", "P1")]["citation"]
    assert by_key[("offshore", "")]["value"] == pytest.approx(0.10)
    assert by_key[("named_team", "")]["text"] == "Account manager and a named lead analyst"
    assert by_key[("fcr", "")]["source"] == "standard" and "HDI" in by_key[("fcr", "")]["citation"]
    assert by_key[("resolution", "P4")]["value"] == 72 * 60
    assert "already has" in refused(
        where, "contract", "create", AWARD, "--go-live", "2025-01-01", "--monthly-fee", "1"
    )


def test_a_target_edit_needs_a_reason_is_audited_and_a_stale_one_is_refused(tmp_path):
    where = contracted(tmp_path)
    assert "reason" in refused(where, "contract", "target", AWARD, "fcr", "70%")
    assert "per priority" in refused(
        where, "contract", "target", AWARD, "response", "1h", "--reason", "x"
    )
    ok(
        where,
        "contract",
        "target",
        AWARD,
        "resolution",
        "--priority",
        "P2",
        "6h",
        "--reason",
        "Agreed at signing",
    )
    db = open_database(where, create=False)
    contract = contracts.read_contract(db, AWARD)
    assert contract.value("resolution", "P2") == 360 and contract.revision == 1
    assert contract.target("resolution", "P2").citation == "Agreed at signing"
    with db.engine.connect() as conn:
        entry = conn.execute(
            text("SELECT action, old, new, why FROM audit_log ORDER BY id DESC LIMIT 1")
        ).one()
    assert tuple(entry) == ("edit target", "480", "360", "Agreed at signing")
    seen_before = SetTarget("resolution", "P2", TargetValue(480.0), TargetValue(300.0), "Later")
    with pytest.raises(StaleChange, match="changed by"):
        contracts.apply_target(db, AWARD, seen_before)
    assert contracts.read_contract(db, AWARD).value("resolution", "P2") == 360
    db.close()


def test_tickets_import_by_id_across_files_and_again_without_doubling(tmp_path):
    where = contracted(tmp_path)
    tickets = generate(240, seed=3, start="2025-01", months=3)
    files = write_exports(tmp_path / "x", tickets, shapes=("jira",))
    preview = ok(
        where, "tickets", "import", AWARD, *map(str, files), "--preset", "jira", "--dry-run"
    )
    assert "preview only" in preview and counts(where)["tickets"] == 0
    out = ok(where, "tickets", "import", AWARD, *map(str, files), "--preset", "jira")
    assert "imported: 240 new, 0 changed" in out and "also in jira-1.csv" in out
    again = ok(where, "tickets", "import", AWARD, str(files[1]), "--source", "jira")
    assert "0 new, 0 changed" in again and counts(where)["tickets"] == 240
    edited = files[1].read_text(encoding="utf-8").replace(",Highest,", ",High,", 1)
    files[1].write_text(edited, encoding="utf-8")
    assert "0 new, 1 changed" in ok(
        where, "tickets", "import", AWARD, str(files[1]), "--source", "jira"
    )
    card = json.loads(ok(where, "scorecard", AWARD, "--quarter", "2025-Q1", "--json"))
    assert [m["tickets"] for m in card["months"]] and card["quarter"]["tickets"] == 240
    assert sum(m["tickets"] for m in card["months"]) == 240


def test_the_three_export_shapes_and_a_workbook_give_the_same_times(tmp_path):
    """ServiceNow-like local times (with DST folds), Jira-like offsets, generic UTC and an XLSX
    export of the same tickets: the same months, priorities and response times."""
    tickets = generate(150, seed=11, start="2025-03", months=9)  # both DST changes of New York
    cards = []
    for shape, fmt in (("servicenow", "csv"), ("jira", "csv"), ("generic", "xlsx")):
        where = contracted(tmp_path / f"{shape}{fmt}")
        files = write_exports(tmp_path / shape, tickets, shapes=(shape,), fmt=fmt)
        ok(where, "tickets", "import", AWARD, *map(str, files), "--preset", shape)
        cards.append(json.loads(ok(where, "scorecard", AWARD, "--json")))
    rows = [
        [
            (m["label"], p["priority"], p["tickets"], p["response_median"])
            for m in c["months"]
            for p in m["priorities"]
        ]
        for c in cards
    ]
    assert rows[1] == rows[2]
    assert [r[:3] for r in rows[0]] == [r[:3] for r in rows[1]]  # naive local times: counts


def test_hostile_and_malformed_files_are_refused_and_nothing_changes(tmp_path):
    where = contracted(tmp_path)
    before = counts(where)
    good = write_exports(tmp_path / "x", generate(20, seed=1), shapes=("generic",))[0]
    lines = good.read_text(encoding="utf-8").splitlines()
    bad_time = tmp_path / "bad_time.csv"
    bad_time.write_text(
        "\n".join([lines[0], lines[1], lines[2].replace(",2025-", ",soon 2025-", 1)]) + "\n"
    )
    err = refused(where, "tickets", "import", AWARD, str(good), str(bad_time))
    assert "bad_time.csv line 3" in err and "nothing was imported" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        ("\n".join(lines[:4]) + "\n").encode() + b"T9,2025-01-01T00:00:00Z,,,P1,Caf\xe9\n"
    )
    assert "latin.csv line 5" in refused(where, "tickets", "import", AWARD, str(latin))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"ticket_id,opened\n\x00\x01\x02")
    assert "binary.csv line 2" in refused(where, "tickets", "import", AWARD, str(binary))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("ticket_id,opened,priority\nT1,2025-01-01,P1\n")
    assert "fake.xlsx" in refused(where, "tickets", "import", AWARD, str(fake))
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("ticket_id,priority\nT1,P1\n")
    err = refused(where, "tickets", "import", AWARD, str(nocol))
    assert "no column for opened" in err and "--map" in err
    gap = tmp_path / "gap.csv"  # 02:30 on 2025-03-09 does not exist in New York
    gap.write_text("Number,Opened,Priority\nINC1,2025-03-09 02:30:00,1 - Critical\n")
    assert "does not exist" in refused(
        where, "tickets", "import", AWARD, str(gap), "--preset", "servicenow"
    )
    assert counts(where) == before


def test_calls_a_mapping_saved_per_source_and_a_backup_that_keeps_the_contract(tmp_path):
    where = contracted(tmp_path)
    calls = write_table(
        [["Month", "Offered", "Answered", "Abandoned", "ASA (s)"], ["2025-01", 1000, 950, 50, 24]],
        tmp_path / "calls.csv",
    )
    ok(where, "calls", "import", AWARD, str(calls))
    mine = tmp_path / "mine.csv"
    mine.write_text("Ref,When,Sev\nA-1,2025-01-05T10:00:00Z,Sev 2\n")
    ok(
        where,
        "tickets",
        "import",
        AWARD,
        str(mine),
        "--source",
        "desk",
        "--map",
        "Ref=ticket_id",
        "--map",
        "When=opened",
        "--map",
        "Sev=priority",
    )
    mine.write_text("Ref,When,Sev\nA-1,2025-01-05T10:00:00Z,Sev 2\nA-2,2025-01-06T10:00:00Z,P3\n")
    assert "1 new, 0 changed, 1 unchanged" in ok(
        where, "tickets", "import", AWARD, str(mine), "--source", "desk"
    )
    text_out = ok(where, "scorecard", AWARD, "--month", "2025-01")
    assert "2025-01: 2 tickets" in text_out and "Abandoned calls" in text_out
    assert "not available yet" in refused(where, "scorecard", AWARD, "export")
    backup = tmp_path / "backup.db"
    ok(where, "backup", AWARD, "-o", str(backup))
    fresh = target(tmp_path / "fresh.db")
    ok(fresh, "restore", str(backup))
    assert counts(fresh)["tickets"] == 2 and counts(fresh)["call_stats"] == 1
    assert json.loads(ok(fresh, "contract", "show", AWARD, "--json"))["candidate"] == WINNER
    assert ok(fresh, "scorecard", AWARD, "--month", "2025-01") == text_out
