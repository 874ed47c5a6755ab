"""The headless commands, driven as a consultant's script would: exit codes, output, errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli import run
from criteria.demo import DEMO_NAME
from evaluator.domain import CandidateKind, CriterionKind
from evaluator.kinds import candidate_kind_label, kind_label
from tests.core_fixtures import target

# Each test runs on a SQLite file and on the test PostgreSQL server (tests/conftest.py): `db`
# stands for a file, or for a fresh server database per file name.
pytestmark = pytest.mark.usefixtures("backend")

ROOT = Path(__file__).resolve().parents[1]


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = [args[0], "--db", target(db), *args[1:]]
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def ok(db: Path, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 0, err
    assert err == ""
    return out


def fail(db: Path, *args: str) -> str:
    code, out, err = cli(db, *args)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    return err


def score(db: Path, member: str, candidate: str, leaf: str, value: str, why: str) -> list[str]:
    return ["score", "Harbor RFP", "--as", member, "--evaluator", member, "--candidate",
            candidate, "--criterion", leaf, value, "--why", why]  # fmt: skip


def test_full_workflow(tmp_path):
    """Set-up, declarations, blind scoring, submission, consensus and a finalise with the
    checklist, as a chair and two members would run it from their shells."""
    db = tmp_path / "p.db"
    assert "ehr-direct" in ok(db, "catalogs")
    ok(db, "new", "Harbor RFP", "--catalog", "ehr-direct", "--client", "Harbor Health")
    ok(db, "candidate", "add", "Harbor RFP", "Zephyr Care IT")
    ok(db, "candidate", "add", "Harbor RFP", "Orbis Support", "--kind", "outsourcer")
    ok(db, "evaluator", "add", "Harbor RFP", "Ann Example", "--role", "CMO")
    ok(db, "evaluator", "add", "Harbor RFP", "Ben Sample", "--role", "CIO")
    ok(db, "chair", "Harbor RFP", "Cora Chair")
    assert "say who you are" in fail(db, "candidate", "add", "Harbor RFP", "Late Entrant")
    show = ok(db, "show", "Harbor RFP")
    assert f"Zephyr Care IT  [{candidate_kind_label(CandidateKind.VENDOR)}]" in show
    assert f"Orbis Support  [{candidate_kind_label(CandidateKind.OUTSOURCER)}]" in show
    assert "Ann Example, CMO; not declared yet" in show and "chair: Cora Chair" in show
    rated = f"[{kind_label(CriterionKind.RATED)},"
    leaf = next(line.split()[0] for line in show.splitlines() if rated in line)
    assert "scoring phase" in fail(db, *score(db, "Ann Example", "Zephyr Care IT", leaf, "5", "x"))
    ok(db, "status", "Harbor RFP", "scoring", "--as", "Cora Chair")
    assert "not declared" in fail(db, *score(db, "Ann Example", "Zephyr Care IT", leaf, "5", "x"))
    ok(db, "declare", "Harbor RFP", "--as", "Ann Example", "--none")
    ok(db, "declare", "Harbor RFP", "--as", "Ben Sample", "--conflict", "Orbis Support",
       "--note", "Consulted for Orbis in 2023")  # fmt: skip
    ok(db, *score(db, "Ann Example", "Zephyr Care IT", leaf, "5", "Named engineers on call"))
    ok(db, *score(db, "Ann Example", "Orbis Support", leaf, "abstain", "Never saw their demo"))
    ok(db, *score(db, "Ben Sample", "Zephyr Care IT", leaf, "1", "Weak references"))
    assert "declared a conflict" in fail(
        db, *score(db, "Ben Sample", "Orbis Support", leaf, "4", "x")
    )
    as_ben_for_ann = score(db, "Ann Example", "Zephyr Care IT", leaf, "2", "x")
    as_ben_for_ann[3] = "Ben Sample"  # --as Ben Sample, --evaluator Ann Example
    assert "own scores only" in fail(db, *as_ben_for_ann)
    # blind: Ann sees her own scores only, nobody sees the ranking before all submitted
    assert "1 scores" not in ok(db, "show", "Harbor RFP", "--as", "Ann Example")
    assert "2 scores" in ok(db, "show", "Harbor RFP", "--as", "Ann Example")
    assert "opens when every committee member has submitted" in fail(
        db, "rank", "Harbor RFP", "--as", "Ann Example"
    )
    assert "waiting for Ann Example, Ben Sample" in fail(
        db, "status", "Harbor RFP", "consensus", "--as", "Cora Chair"
    )
    ok(db, "submit", "Harbor RFP", "--as", "Ann Example")
    assert "submitted their scores" in fail(
        db, *score(db, "Ann Example", "Zephyr Care IT", leaf, "4", "changed my mind")
    )
    ok(db, "submit", "Harbor RFP", "--as", "Ben Sample")
    ok(db, "status", "Harbor RFP", "consensus", "--as", "Cora Chair")
    ok(db, "consensus", "Harbor RFP", "--as", "Cora Chair", "--candidate", "Orbis Support",
       "--criterion", leaf, "2", "--why", "Agreed at meeting")  # fmt: skip
    ranking = json.loads(ok(db, "rank", "Harbor RFP", "--json", "--as", "Ann Example"))
    rows = {r["candidate"]: r for r in ranking["ranking"]}
    assert rows["Zephyr Care IT"]["total"] > rows["Orbis Support"]["total"] > 0
    assert ranking["status"] == "consensus"
    table = ok(db, "rank", "Harbor RFP")
    assert table.index("Zephyr Care IT") < table.index("Orbis Support")
    checklist = ok(db, "checklist", "Harbor RFP")
    assert "open: Zephyr Care IT is" in checklist and "complete" in checklist
    assert "items are still open" in fail(db, "finalise", "Harbor RFP", "--as", "Cora Chair")
    ok(db, "finalise", "Harbor RFP", "--as", "Cora Chair", "--why", "Board deadline")
    err = fail(db, *score(db, "Ann Example", "Zephyr Care IT", leaf, "3", "late change"))
    assert "final and read-only" in err
    listing = ok(db, "list")
    assert "Harbor RFP" in listing and "final" in listing
    assert "only the chair" in fail(db, "reopen", "Harbor RFP", "--as", "Ann Example",
                                    "--why", "x")  # fmt: skip
    ok(db, "reopen", "Harbor RFP", "--as", "Cora Chair", "--why", "Vendor protest upheld")
    assert "consensus" in ok(db, "list")


def test_bad_input_is_one_line_exit_2(tmp_path, backend):
    db = tmp_path / "p.db"
    ok(db, "new", "Harbor RFP", "--catalog", "ehr-direct")
    assert "no evaluation named 'Nope'" in fail(db, "rank", "Nope")
    assert "catalog" in fail(db, "new", "X", "--catalog", "no-such-catalog").lower()
    assert "no committee member named 'A'" in fail(
        db, "score", "Harbor RFP", "--evaluator", "A", "--candidate", "B", "--criterion", "c", "3"
    )
    ok(db, "evaluator", "add", "Harbor RFP", "Ann Example")
    ok(db, "candidate", "add", "Harbor RFP", "Zephyr Care IT")
    ok(db, "status", "Harbor RFP", "scoring")
    ok(db, "declare", "Harbor RFP", "--as", "Ann Example", "--none")
    assert "justification" in fail(
        db, "score", "Harbor RFP", "--evaluator", "Ann Example", "--candidate", "Zephyr Care IT",
        "--criterion", "tiers.l4-engineering", "3",
    )  # fmt: skip
    assert "invalid choice" in fail(db, "status", "Harbor RFP", "finished")
    assert "one step at a time" in fail(db, "status", "Harbor RFP", "final")
    code, _, err = cli(db, "frobnicate")
    assert code == 2 and err.count("\n") == 1
    assert "no such file" in fail(db, "load", str(tmp_path / "missing.json"))
    if not backend.is_postgresql:
        not_db = tmp_path / "notes.db"
        not_db.write_text("hello\n" * 100)
        assert "notes.db" in fail(not_db, "list")


def test_dump_load_and_catalog_save(tmp_path):
    db = tmp_path / "p.db"
    ok(db, "new", "Harbor RFP", "--catalog", "ehr-direct")
    ok(db, "criterion", "set", "Harbor RFP", "cost", "--weight", "3", "--why", "board asked")
    dumped = tmp_path / "h.json"
    ok(db, "dump", "Harbor RFP", "-o", str(dumped))
    ok(db, "load", str(dumped), "--name", "Harbor copy")
    again = tmp_path / "h2.json"
    ok(db, "dump", "Harbor copy", "-o", str(again))
    one, two = json.loads(dumped.read_text()), json.loads(again.read_text())
    one["evaluation"].pop("name"), two["evaluation"].pop("name")
    trail_one, trail_two = one.pop("audit"), two.pop("audit")
    assert one == two
    assert [e["hash"] for e in trail_two] == [e["hash"] for e in trail_one] + [
        trail_two[-1]["hash"]
    ]
    assert trail_two[-1]["action"] == "load evaluation"
    saved = tmp_path / "mine" / "harbor-criteria.toml"
    saved.parent.mkdir()
    ok(db, "catalog", "save", "Harbor RFP", "-o", str(saved), "--name", "Harbor criteria")
    listing = ok(db, "catalogs", "--dir", str(saved.parent))
    assert "harbor-criteria" in listing and "Harbor criteria" in listing
    ok(db, "new", "From saved", "--catalog", str(saved))
    assert "weight 3" in ok(db, "show", "From saved")


def recompute(document: dict) -> dict[str, float | None]:
    """An independent, by-the-book recomputation of DESIGN.md's math from a dump file."""
    scale_min = document["evaluation"]["scale"]["min"]
    span = document["evaluation"]["scale"]["max"] - scale_min
    consensus = {(c["candidate"], c["criterion"]): c["value"] for c in document["consensus"]}
    answers = {(r["candidate"], r["question"]): r["value"] for r in document["responses"]}
    scores: dict[tuple[str, str], list[float]] = {}
    for s in document["scores"]:
        scores.setdefault((s["candidate"], s["criterion"]), []).append(s["value"])
    weights: dict[str, float] = {}
    leaves: dict[str, dict] = {}

    def scorable(node: dict) -> bool:
        if node["kind"] == "category":
            return any(scorable(c) for c in node.get("children", []))
        return node["kind"] != "gate"

    def walk(nodes: list[dict], share: float) -> None:
        live = [n for n in nodes if scorable(n)]
        total = sum(n["weight"] for n in live)
        for node in nodes:
            if node["kind"] == "gate":
                leaves[node["key"]] = node
            elif node["kind"] == "category":
                if scorable(node):
                    walk(node["children"], share * node["weight"] / total)
            else:
                weights[node["key"]] = share * node["weight"] / total
                leaves[node["key"]] = node

    walk(document["criteria"], 1.0)

    def gates(nodes: list[dict]) -> None:
        for node in nodes:
            if node["kind"] == "gate":
                leaves[node["key"]] = node
            gates(node.get("children", []))

    gates(document["criteria"])
    names = [c["name"] for c in document["candidates"]]

    def rule(node: dict, answer):
        r = node.get("rule", {})
        if isinstance(answer, bool):
            return r.get("yes") if answer else r.get("no")
        if isinstance(answer, (int, float)):
            for band in r.get("bands", []):
                if band.get("low", -1e300) <= answer <= band.get("high", 1e300):
                    return band["score"]
        if isinstance(answer, str):
            return r.get("choices", {}).get(answer)
        return None

    disqualified = set()
    for name in names:
        for key, node in leaves.items():
            if node["kind"] != "gate":
                continue
            decision = consensus.get((name, key))
            if decision is None and (name, key) in answers:
                decision = rule(node, answers[(name, key)])
            if decision is not None and decision <= 0:
                disqualified.add(name)
    totals: dict[str, float | None] = {}
    prices = {}
    for key, node in leaves.items():
        if node["kind"] == "price":
            prices[key] = min(
                answers[(n, key)] for n in names if n not in disqualified and (n, key) in answers
            )
    for name in names:
        total = 0.0
        for key, weight in weights.items():
            node = leaves[key]
            value = consensus.get((name, key))
            if value is None and node["kind"] == "rated" and (name, key) in scores:
                values = scores[(name, key)]
                value = sum(values) / len(values)
            if value is None and node["kind"] == "auto" and (name, key) in answers:
                value = rule(node, answers[(name, key)])
            if value is None and node["kind"] == "price" and (name, key) in answers:
                value = scale_min + span * min(1.0, prices[key] / answers[(name, key)])
            if value is not None:
                total += weight * (value - scale_min) / span
        totals[name] = 100 * total
    return {"totals": totals, "disqualified": disqualified}


def test_demo_ranking_matches_hand_recomputation(tmp_path):
    db = tmp_path / "demo.db"
    ok(db, "demo")
    ranking = json.loads(ok(db, "rank", DEMO_NAME, "--json"))
    dumped = tmp_path / "demo.json"
    ok(db, "dump", DEMO_NAME, "-o", str(dumped))
    document = json.loads(dumped.read_text())
    expected = recompute(document)
    assert len(document["evaluators"]) == 4 and len(document["candidates"]) == 4
    assert len(expected["disqualified"]) == 1
    got = {r["candidate"]: r for r in ranking["ranking"]}
    for name, total in expected["totals"].items():
        assert got[name]["total"] == pytest.approx(total, abs=1e-6)
        assert got[name]["disqualified"] == (name in expected["disqualified"])
    ranked = [r for r in ranking["ranking"] if not r["disqualified"]]
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert [r["total"] for r in ranked] == sorted((r["total"] for r in ranked), reverse=True)
    assert ranking["ranking"][-1]["disqualified"] and ranking["ranking"][-1]["rank"] is None


def test_main_py_subprocess_help_and_error(tmp_path):
    env_db = target(tmp_path / "s.db")
    result = subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for name in (
        "catalogs",
        "new",
        "demo",
        "list",
        "show",
        "candidate",
        "evaluator",
        "score",
        "consensus",
        "status",
        "rank",
        "dump",
        "load",
    ):
        assert name in result.stdout
    result = subprocess.run(
        [sys.executable, "main.py", "rank", "Nope", "--db", env_db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_saved_catalogs_folder_is_listed_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPPORTSCOPE_CATALOGS", str(tmp_path / "saved"))
    db = tmp_path / "p.db"
    ok(db, "new", "Harbor RFP", "--catalog", "ehr-direct")
    (tmp_path / "saved").mkdir()
    ok(db, "catalog", "save", "Harbor RFP", "-o", str(tmp_path / "saved" / "Harbor 2027.toml"))
    assert "harbor-2027" in ok(db, "catalogs")
    ok(db, "new", "Second", "--catalog", "harbor-2027")


@pytest.mark.sqlite_only
def test_a_locked_database_is_one_line_and_changes_nothing(tmp_path, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from cli import commands

    db = tmp_path / "p.db"
    ok(db, "new", "Harbor RFP", "--catalog", "ehr-direct")

    def locked(*_args):
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    monkeypatch.setitem(commands.HANDLERS, "candidate", locked)
    err = fail(db, "candidate", "add", "Harbor RFP", "Zephyr Care IT")
    assert "busy" in err and "nothing was changed" in err and "locked" not in err
