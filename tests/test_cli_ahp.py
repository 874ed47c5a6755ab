"""`ahp` from the shell: members' judgments, the matrix and its consistency, the chair applying
the committee's weights; and AHPy's three-level hierarchy end to end, through the commands a
consultant would type and the app's own effective weights."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from evaluator import services
from evaluator.db import open_database
from evaluator.domain import Criterion, CriterionKind
from tests.core_fixtures import small_tree, target
from tests.test_cli import fail, ok

pytestmark = pytest.mark.usefixtures("backend")

EV = "Riverbend RFP"


def setup(tmp_path: Path, tree: list[Criterion] | None = None) -> Path:
    path = tmp_path / "ahp.db"
    db = open_database(target(path))
    ev = services.create_evaluation(db, EV, tree or small_tree(), actor="setup")
    for name in ("Ann Example", "Ben Sample"):
        services.add_evaluator(db, ev, name, actor="setup")
    db.close()
    return path


def test_members_judgments_the_matrix_and_the_chairs_apply(tmp_path):
    db = setup(tmp_path)
    ok(db, "chair", EV, "Cleo Chair")
    said = ok(db, "ahp", "set", EV, "tiers", "cost", "moderate", "--as", "Ann Example")
    assert said == "Ann Example: Support tiers is moderately more important than Cost (3)\n"
    ok(db, "ahp", "set", EV, "offshore", "tiers", "1/5", "--as", "Ann Example")
    ok(db, "ahp", "set", EV, "tiers", "offshore", "7", "--as", "Ben Sample")
    shown = json.loads(ok(db, "ahp", EV, "--json"))
    assert shown["label"] == "the top level" and shown["pairs"] == 3
    assert [c["id"] for c in shown["criteria"]] == ["tiers", "offshore", "cost"]
    assert shown["random_index"]["table"] == "Saaty (1980)"
    # the committee: tiers/offshore = sqrt(5 x 7), tiers/cost 3 (Ann alone), offshore/cost not
    assert shown["matrix"][0][1] == pytest.approx(35**0.5)
    assert shown["matrix"][0][2] == pytest.approx(3) and shown["matrix"][1][2] is None
    assert (shown["given"], shown["missing"], shown["needed"]) == (2, 1, 0)
    assert sum(shown["weights"].values()) == pytest.approx(1.0)
    members = {m["member"]: m for m in shown["members"]}
    assert members["Ann Example"]["given"] == 2 and members["Ben Sample"]["given"] == 1
    assert members["Ben Sample"]["consistency_ratio"] is None  # cost not linked: undetermined
    own = json.loads(ok(db, "ahp", "show", EV, "--member", "ben sample", "--json"))
    assert own["view"] == "Ben Sample" and own["needed"] == 1 and own["weights"] is None
    assert "for the chair" in fail(db, "ahp", "apply", EV, "--as", "Ann Example")
    assert "own comparisons only" in fail(db, "ahp", "set", EV, "tiers", "cost", "2", "--as",
                                          "Ann Example", "--member", "Ben Sample")  # fmt: skip
    applied = ok(db, "ahp", "apply", EV, "--as", "Cleo Chair")
    expected = [round(100 * shown["weights"][k], 2) for k in ("tiers", "offshore", "cost")]
    assert applied.startswith("applied the committee's AHP weights under the top level: ")
    weights = {n.key: n.weight for n in _load(db).criteria}
    assert [weights[k] for k in ("tiers", "offshore", "cost")] == expected
    text = ok(db, "ahp", EV)
    assert "(the committee's AHP weights)" in text and "missing: 1 of 3 pairs" in text


def test_inconsistent_judgments_name_the_worst_and_the_value_that_fits(tmp_path):
    service = [_rated("svc", x) for x in "abcd"]
    db = setup(tmp_path, [_category("svc", service)])
    # consistent with a : b : c : d = 8 : 4 : 2 : 1, except a/d given as 1/8 instead of 8
    given = [("a", "b", "2"), ("a", "c", "4"), ("b", "c", "2"), ("b", "d", "4"), ("c", "d", "2"),
             ("a", "d", "1/8")]  # fmt: skip
    for a, b, v in given:
        ok(db, "ahp", "set", EV, f"svc.{a}", f"svc.{b}", v, "--parent", "svc", "--member",
           "Ann Example")  # fmt: skip
    text = ok(db, "ahp", EV, "--parent", "svc")
    assert "inconsistent: revisit" in text and "Saaty (1980) random index 0.9" in text
    first = next(line for line in text.splitlines() if line.startswith("  a under svc vs"))
    assert first.startswith("  a under svc vs d under svc: 1/8 given")
    assert first.endswith("the other judgments imply 8.00: 8 would make the CR 0.000")
    culprits = json.loads(ok(db, "ahp", EV, "--parent", "svc", "--json"))["culprits"]
    assert (culprits[0]["first"], culprits[0]["second"]) == ("svc.a", "svc.d")
    assert culprits[0]["suggested"] == 8
    assert "give a reason" in fail(db, "ahp", "apply", EV, "--parent", "svc")
    ok(db, "ahp", "set", EV, "svc.d", "svc.a", "1/8", "--parent", "svc", "--member",
       "Ann Example")  # as suggested, typed the other way round  # fmt: skip
    after = json.loads(ok(db, "ahp", EV, "--parent", "svc", "--json"))
    assert after["consistency_ratio"] == pytest.approx(0.0, abs=1e-9)
    assert list(after["weights"].values()) == pytest.approx([8 / 15, 4 / 15, 2 / 15, 1 / 15])
    ok(db, "ahp", "apply", EV, "--parent", "svc")
    assert [n.weight for n in _load(db).criteria[0].children] == [53.33, 26.67, 13.33, 6.67]


def test_bad_words_are_refused_on_one_line(tmp_path):
    db = setup(tmp_path)
    assert "1/9" in fail(db, "ahp", "set", EV, "tiers", "cost", "12", "--member", "Ann Example")
    assert "not a judgment" in fail(db, "ahp", "set", EV, "tiers", "cost", "lots", "--member",
                                    "Ann Example")  # fmt: skip
    assert "say whose comparison" in fail(db, "ahp", "set", EV, "tiers", "cost", "3")
    assert "no criterion with id 'nowhere'" in fail(db, "ahp", EV, "--parent", "nowhere")
    assert "not a category" in fail(db, "ahp", EV, "--parent", "tiers.l1")
    assert "no committee member named" in fail(db, "ahp", EV, "--member", "Nobody")
    assert "required" in fail(db, "ahp")
    ok(db, "ahp", "set", EV, "--parent", "tiers", "tiers.l1", "tiers.l4", "equal", "--member",
       "Ann Example")  # fmt: skip
    cleared = ok(db, "ahp", "set", EV, "tiers.l4", "tiers.l1", "clear", "--parent", "tiers",
                 "--member", "Ann Example")  # fmt: skip
    assert cleared.startswith("Ann Example: cleared the comparison")
    assert _load(db).judgments == []


def _load(db: Path):  # type: ignore[no-untyped-def]
    database = open_database(target(db))
    try:
        return services.load_evaluation(database, EV)
    finally:
        database.close()


# AHPy's three-level hierarchy (https://github.com/PhilipGriffith/AHPy, tests/test_ahp.py: `a` ->
# (`b`, `c`), `b` -> (`d`, `e`), `d` -> (`f`, `g`), each of `c`, `e`, `f`, `g` rating x, y, z by
# direct measurement). Its target weights are z 0.4233, y 0.3844, x 0.1922. Here the hierarchy is
# a criteria tree whose leaves are the x, y, z under each rating node; the measurements are
# entered as their ratios, each set's weights applied with `ahp apply`, and the app's effective
# weights (`rank --json`) summed per letter.


def _rated(parent: str, letter: str) -> Criterion:
    return Criterion(f"{parent}.{letter}", f"{letter} under {parent}", CriterionKind.RATED, 1)


def _category(key: str, children: list[Criterion]) -> Criterion:
    return Criterion(key, f"Node {key}", weight=1, children=children)


def test_ahpys_three_level_hierarchy_through_the_commands(tmp_path):
    leaves = {k: [_rated(k, x) for x in "xyz"] for k in "cefg"}
    tree = [
        _category("b", [_category("d", [_category("f", leaves["f"]),
                                        _category("g", leaves["g"])]),
                        _category("e", leaves["e"])]),
        _category("c", leaves["c"]),
    ]  # fmt: skip
    db = setup(tmp_path, tree)
    judgments: dict[str | None, list[tuple[str, str, float]]] = {
        None: [("b", "c", 1)], "b": [("d", "e", 4)], "d": [("f", "g", 2)],
    }  # fmt: skip
    measured = {"c": (2, 4, 4), "e": (1, 2, 3), "f": (2, 4, 4), "g": (1, 2, 3)}
    for node, values in measured.items():
        judgments[node] = [
            (f"{node}.{a}", f"{node}.{b}", values["xyz".index(a)] / values["xyz".index(b)])
            for a, b in itertools.combinations("xyz", 2)
        ]
    for parent, items in judgments.items():
        where = [] if parent is None else ["--parent", parent]
        for a, b, value in items:
            ok(db, "ahp", "set", EV, a, b, repr(value), *where, "--member", "Ann Example")
        ok(db, "ahp", "apply", EV, *where)
    effective = json.loads(ok(db, "rank", EV, "--json"))["effective_weights"]
    target_weights = {x: sum(w for k, w in effective.items() if k.endswith(f".{x}")) for x in "xyz"}
    assert {x: round(w, 4) for x, w in target_weights.items()} == {
        "z": 0.4233, "y": 0.3844, "x": 0.1922,
    }  # fmt: skip
    assert round(sum(w for k, w in effective.items() if k.startswith("f.")), 4) == 0.2667
    assert round(sum(w for k, w in effective.items() if k.startswith("g.")), 4) == 0.1333
