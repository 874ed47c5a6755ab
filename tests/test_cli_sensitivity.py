"""`sensitivity` and `weights-sets` from the shell: the numbers worked out by hand, seeded and
reproducible simulations, weighting sets through the change path, and the blind rule."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from evaluator import services
from evaluator.changes import SetChair
from evaluator.db import open_database
from evaluator.domain import Aggregation, EvaluationData, Evaluator, Score, Status
from evaluator.jsonio import dumps, to_document
from tests.core_fixtures import populated, target
from tests.sensitivity_fixtures import one_cell, two_way
from tests.test_cli import fail, ok

pytestmark = pytest.mark.usefixtures("backend")


def loaded(tmp_path: Path, data: EvaluationData) -> Path:
    """A database holding `data` (loaded from its JSON file, as `load` does)."""
    data.status = Status.CONSENSUS
    (tmp_path / "in.json").write_text(dumps(to_document(data)))
    db = tmp_path / "p.db"
    ok(db, "load", str(tmp_path / "in.json"))
    return db


def test_flips_by_hand_in_json_and_text(tmp_path):
    db = loaded(tmp_path, two_way())  # X = 20 + 80 s, Y = 80 - 40 s, Cost's share s = 3/4
    document = json.loads(ok(db, "sensitivity", "Two-way RFP", "--json"))
    assert (document["leader"], document["leader_total"]) == ("Example Vendor X", 80.0)
    flips = {f["id"]: f for f in document["flips"]}
    assert list(flips) == ["cost", "fee", "quality", "q"]
    assert flips["cost"]["flip"] == {
        "change_points": -25.0, "effective_weight": 0.5, "raw_weight": 1.0,
        "new_leader": "Example Outsourcer Y",
    }  # fmt: skip
    assert flips["quality"]["flip"]["raw_weight"] == 3.0
    assert (flips["fee"]["flip"], flips["fee"]["alone"]) == (None, True)
    assert "simulation" not in document and "weight_sets" not in document
    text = ok(db, "sensitivity", "Two-way RFP")
    assert "Leader: Example Vendor X with 80.0 points" in text
    assert any(
        line.split()[:5] == ["Cost", "75.0%", "-25.0", "pts", "50.0%"] for line in text.splitlines()
    ), text


def test_simulation_matches_the_closed_form_and_repeats_per_seed(tmp_path):
    db = loaded(tmp_path, two_way())
    draws = 20_000
    args = ["sensitivity", "Two-way RFP", "--json", "--draws", str(draws), "--seed", "5",
            "--concentration", "8", "--fixed-scores"]  # fmt: skip
    simulation = json.loads(ok(db, *args))["simulation"]
    x = simulation["candidates"][0]
    # s ~ Beta(6, 2): X wins when s > 1/2, with probability 15/16
    assert x["candidate"] == "Example Vendor X"
    assert abs(x["chance"] - 15 / 16) <= 4.5 * math.sqrt(15 / 16 / 16 / draws)
    assert (x["rank_low"], x["rank_median"], x["rank_high"]) == (1, 1, 2)
    assert (simulation["seed"], simulation["draws"], simulation["resample_scores"]) == (
        5, draws, False,
    )  # fmt: skip
    assert json.loads(ok(db, *args))["simulation"] == simulation
    args[args.index("--seed") + 1] = "6"
    assert json.loads(ok(db, *args))["simulation"]["candidates"] != simulation["candidates"]


def test_a_close_call_is_said_in_words(tmp_path):
    db = loaded(tmp_path, one_cell([5, 5, 0], 4, Aggregation.MEAN))
    # B leads (4 against A's 3.33) but A's resampled mean reaches 5 in 8/27 of the draws
    text = ok(db, "sensitivity", "One-cell RFP", "--seed", "3", "--fixed-weights")
    assert "2,000 draws from seed 3: members' scores resampled in every cell" in text
    line = next(line for line in text.splitlines() if line.startswith("Close call"))
    share = float(line.split("only ")[1].split("%")[0]) / 100
    assert abs(share - 19 / 27) <= 4.5 * math.sqrt(19 / 27 * 8 / 27 / 2000)
    assert line.startswith("Close call: Example B leads") and "(under 75%)" in line
    assert "must be 1 to 1,000,000" in fail(db, "sensitivity", "One-cell RFP", "--draws", "0")
    assert "seed must be 0 or more" in fail(db, "sensitivity", "One-cell RFP", "--seed", "-2")


def test_weighting_sets_from_the_shell(tmp_path):
    db = loaded(tmp_path, two_way())
    assert "no weighting sets yet" in ok(db, "weights-sets", "list", "Two-way RFP")
    ok(db, "weights-sets", "add", "Two-way RFP", "Clinical", "--weight", "cost=2",
       "--note", "Nursing staff")  # fmt: skip
    ok(db, "weights-sets", "add", "Two-way RFP", "Fin", "--weight", "cost=1",
       "--weight", "quality=3")  # fmt: skip
    ok(db, "weights-sets", "set", "Two-way RFP", "fin", "--rename", "Finance")
    assert "nothing changed" in ok(db, "weights-sets", "set", "Two-way RFP", "Finance")
    listed = json.loads(ok(db, "weights-sets", "list", "Two-way RFP", "--json"))
    assert [(s["name"], s["weights"]["cost"], s["note"]) for s in listed] == [
        ("Clinical", 2.0, "Nursing staff"), ("Finance", 1.0, ""),
    ]  # fmt: skip
    sets = json.loads(ok(db, "sensitivity", "Two-way RFP", "--sets", "--json"))["weight_sets"]
    columns = {c["name"]: c for c in sets["columns"]}
    # Clinical: s = 2/3 -> X 73.3, Y 53.3; Finance: s = 1/4 -> X 40, Y 70
    assert columns["Clinical"]["ranking"][0] == {
        "candidate": "Example Vendor X", "rank": 1, "total": round(20 + 160 / 3, 6),
    }  # fmt: skip
    assert [(r["candidate"], r["total"]) for r in columns["Finance"]["ranking"]] == [
        ("Example Outsourcer Y", 70.0), ("Example Vendor X", 40.0),
    ]  # fmt: skip
    assert sets["holds"] is False and "under Finance Example Outsourcer Y leads" in sets["sentence"]
    text = ok(db, "sensitivity", "Two-way RFP", "--sets")
    assert "The winner does not hold" in text
    assert "ID=NUMBER" in fail(db, "weights-sets", "add", "Two-way RFP", "IT", "--weight", "cost")
    assert "gates carry no weight" in fail(
        db, "weights-sets", "add", "Two-way RFP", "IT", "--weight", "nope=2"
    )
    ok(db, "weights-sets", "remove", "Two-way RFP", "Clinical", "--why", "merged")
    assert [s["name"] for s in json.loads(ok(db, "weights-sets", "list", "Two-way RFP",
                                               "--json"))] == ["Finance"]  # fmt: skip


def test_blind_scoring_hides_the_analysis_as_it_hides_the_ranking(tmp_path):
    database, ev = populated(tmp_path)  # scoring: Ann and Ben have declared, not submitted
    services.apply_change(database, ev, SetChair("", "Cora Chair"), actor="setup")
    database.close()
    db = tmp_path / "t.db"
    ann = ["--as", "Ann Example"]
    for command in (["sensitivity", "Riverbend RFP"], ["sensitivity", "Riverbend RFP", "--sets"]):
        assert "opens when every committee member has submitted" in fail(db, *command, *ann)
        assert "opens when" in fail(db, *command, "--as", "Cora Chair")
    assert "Leader" in ok(db, "sensitivity", "Riverbend RFP", "--as", "Cora Chair", "--live")
    database = open_database(target(db))
    looks = [e.why for e in services.audit_trail(database, ev) if e.action == "view live results"]
    database.close()
    assert looks == ["sensitivity --live"]  # the chair's look is on the record
    # the weights are no secret, but only the chair changes them
    assert "no weighting sets yet" in ok(db, "weights-sets", "list", "Riverbend RFP", *ann)
    assert "committee member" in fail(db, "weights-sets", "add", "Riverbend RFP", "IT", *ann)
    ok(db, "weights-sets", "add", "Riverbend RFP", "IT", "--as", "Cora Chair")


def test_members_scores_are_in_the_simulation(tmp_path):
    data = one_cell([5, 0], 2, Aggregation.MEAN)
    data.evaluators.append(Evaluator(3, "Member 3"))
    data.scores.append(Score(3, 1, "q", 5, "why"))  # A: 5, 0, 5 -> resampled
    db = loaded(tmp_path, data)
    simulation = json.loads(
        ok(db, "sensitivity", "One-cell RFP", "--json", "--fixed-weights", "--draws", "500")
    )["simulation"]
    assert simulation["cells_resampled"] == 1 and simulation["concentration"] is None
