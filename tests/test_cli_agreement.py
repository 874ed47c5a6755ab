"""`agreement` and `aggregation` from the shell: the hand-worked numbers of tests/test_agreement.py
through the CLI, normalisation shown beside the ranking, the blind rule, and the aggregation
change audited and refused on a final evaluation."""

from __future__ import annotations

import json

import pytest

from evaluator import services
from evaluator.changes import SetChair
from evaluator.db import open_database
from tests.agreement_fixtures import committee, leniency_case
from tests.core_fixtures import populated, target
from tests.test_cli import fail, ok
from tests.test_cli_sensitivity import loaded

pytestmark = pytest.mark.usefixtures("backend")


def test_agreement_by_hand_in_json_and_text(tmp_path):
    db = loaded(tmp_path, leniency_case())
    document = json.loads(ok(db, "agreement", "Agreement RFP", "--json"))
    a, b, c = document["members"]
    assert (a["member"], a["cells"], a["leniency"]) == ("A", 3, round(3.5 / 3, 6))
    assert [x["id"] for x in a["apart"]] == ["q2", "q1"] and b["leniency"] == round(-3.5 / 3, 6)
    assert (c["leniency"], c["apart"]) == (0, [])
    q1, q2 = document["spread"]
    assert (q1["cells"], q1["mean_range"], q1["max_range"], q1["flagged"]) == (2, 1, 2, 1)
    assert (q2["cells"], q2["mean_sd"]) == (1, 1)
    assert document["ranked_by"] == ["A", "B", "C"] and "normalised" not in document
    text = ok(db, "agreement", "Agreement RFP")
    assert "Kendall's W" in text and "+1.17" in text and "-1.17" in text
    assert "Leaf q2 (+2.0)" in text


def test_normalised_ranking_is_shown_beside_the_raw_one(tmp_path):
    data = committee(
        {(1, 1, "q"): 5, (1, 2, "q"): 3, (2, 1, "q"): 0, (2, 2, "q"): 1}, keys=("q",), members=2
    )
    db = loaded(tmp_path, data)
    document = json.loads(ok(db, "agreement", "Agreement RFP", "--normalise", "--json"))
    assert [(r["rank"], r["total"], r["normalised_rank"], r["normalised_total"])
            for r in document["normalised"]] == [(1, 50, 1, 45), (2, 40, 1, 45)]  # fmt: skip
    assert "Normalised rank" in ok(db, "agreement", "Agreement RFP", "--normalise")
    # shown only: the ranking itself is unchanged
    assert [r["total"] for r in json.loads(ok(db, "rank", "Agreement RFP", "--json"))[
        "ranking"]] == [50, 40]  # fmt: skip


def test_blind_scoring_hides_the_agreement_as_it_hides_the_ranking(tmp_path):
    database, ev = populated(tmp_path)  # scoring: Ann and Ben have declared, not submitted
    services.apply_change(database, ev, SetChair("", "Cora Chair"), actor="setup")
    database.close()
    db = tmp_path / "t.db"
    assert "opens when every committee member has submitted" in fail(
        db, "agreement", "Riverbend RFP", "--as", "Ann Example"
    )
    assert "opens when" in fail(db, "agreement", "Riverbend RFP", "--as", "Cora Chair")
    assert "Leniency" in ok(db, "agreement", "Riverbend RFP", "--as", "Cora Chair", "--live")
    database = open_database(target(db))
    looks = [e.why for e in services.audit_trail(database, ev) if e.action == "view live results"]
    database.close()
    assert looks == ["agreement --live"]


def test_aggregation_from_the_shell_is_audited_and_refused_when_final(tmp_path):
    data = committee({(1, 1, "q"): 5, (2, 1, "q"): 0, (3, 1, "q"): 1}, keys=("q",), candidates=1)
    db = loaded(tmp_path, data)  # mean 2 (40 points), median 1 (20 points)
    assert json.loads(ok(db, "rank", "Agreement RFP", "--json"))["ranking"][0]["total"] == 40
    assert "median" in ok(db, "aggregation", "Agreement RFP", "median")
    assert json.loads(ok(db, "rank", "Agreement RFP", "--json"))["ranking"][0]["total"] == 20
    assert "aggregation: median" in ok(db, "show", "Agreement RFP")
    database = open_database(target(db))
    trail = [(e.action, e.old, e.new) for e in services.audit_trail(database, 1)]
    database.close()
    assert ("set aggregation", "mean", "median") in trail
    assert "invalid choice" in fail(db, "aggregation", "Agreement RFP", "mode")
    ok(db, "status", "Agreement RFP", "final", "--why", "awarded")
    assert "final and read-only" in fail(db, "aggregation", "Agreement RFP", "mean")


def test_blind_members_see_only_their_own_ahp_judgments(tmp_path):
    database, ev = populated(tmp_path)  # scoring: Ann and Ben have declared, not submitted
    services.apply_change(database, ev, SetChair("", "Cora Chair"), actor="setup")
    database.close()
    db = tmp_path / "t.db"
    ann, ben = ["--as", "Ann Example"], ["--as", "Ben Sample"]
    ok(db, "ahp", "set", "Riverbend RFP", "tiers", "cost", "3", *ann)
    assert json.loads(ok(db, "ahp", "set", "Riverbend RFP", "tiers", "cost", "1/5", *ben,
                         "--json")) == {"changed": True}  # fmt: skip
    # the committee's combination and a colleague's judgments stay hidden from a member
    assert "opens when every committee member" in fail(db, "ahp", "Riverbend RFP", *ann)
    assert "opens when" in fail(db, "ahp", "Riverbend RFP", "--member", "Ben Sample", *ann)
    assert "say who you are" in fail(db, "ahp", "Riverbend RFP")  # nobody named, a chair exists
    own = json.loads(ok(db, "ahp", "Riverbend RFP", "--member", "Ann Example", *ann, "--json"))
    assert own["view"] == "Ann Example"
    assert [m["given"] for m in own["members"]] == [1, 0]  # not Ben's
    chair = json.loads(ok(db, "ahp", "Riverbend RFP", "--as", "Cora Chair", "--json"))
    assert [m["given"] for m in chair["members"]] == [1, 1]
