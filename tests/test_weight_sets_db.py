"""Weighting sets in the database (issue 11): one change path, chair only, read-only when final
(in the database itself), stale edits refused, carried by dump and load, migration 0006."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from evaluator import changes as c
from evaluator import services
from evaluator.changes.write import apply_change
from evaluator.domain import Criterion, CriterionKind, WeightSet
from evaluator.errors import ServiceError, StaleChange
from evaluator.identity import Identity
from evaluator.jsonio import dump_evaluation, load_file
from evaluator.services.weight_sets import (
    add_weight_set,
    edit_weight_set,
    find_set,
    remove_weight_set,
)
from tests.core_fixtures import fresh, new_db, populated, start_consensus

pytestmark = pytest.mark.usefixtures("backend")

TREE_ORDER = ("tiers", "tiers.l1", "tiers.l4", "offshore", "offshore.share", "cost", "cost.fee")


def test_each_change_and_its_inverse_keep_snapshot_equal_to_database(tmp_path):
    db, ev = populated(tmp_path, "draft")
    data = services.load_evaluation(db, ev)
    script = [
        lambda d: c.AddWeightSet(WeightSet(0, "  Clinical   staff ", (("tiers", 5),), " nurses ")),
        lambda d: c.AddWeightSet(WeightSet(0, "Finance", (("cost", "4"),)), index=0),
        lambda d: c.EditWeightSet(
            d.weight_sets[1], WeightSet(d.weight_sets[1].id, "Clinical", (("cost", 0.5),))
        ),
        lambda d: c.RemoveWeightSet(d.weight_sets[0], why="merged into IT"),
    ]
    history = []
    for make in script:
        before = data
        applied = apply_change(db, ev, make(data), actor="chair")
        data = c.apply_applied(data, applied)
        assert applied.changed and c.canonical(data) == fresh(db, ev)
        history.append((before, applied))
    finance_id = history[1][1].change.weight_set.id
    clinical = data.weight_sets[0]
    # stored full, in tree order, with a clean name and note
    assert [k for k, _ in clinical.weights] == list(TREE_ORDER)
    assert (clinical.name, clinical.note) == ("Clinical", "")
    assert clinical.weight_map() == {
        "tiers": 3.0, "tiers.l1": 1.0, "tiers.l4": 3.0, "offshore": 1.0,
        "offshore.share": 1.0, "cost": 0.5, "cost.fee": 1.0,
    }  # fmt: skip
    for before, applied in reversed(history):  # undo, newest first
        undone = apply_change(db, ev, applied.inverse, actor="chair")
        data = c.apply_applied(data, undone)
        assert c.canonical(data) == fresh(db, ev)
        assert [(s.id, s.name) for s in data.weight_sets] == [
            (s.id, s.name) for s in before.weight_sets
        ]
    assert data.weight_sets == []
    # the removed Finance set came back under its own id before the add itself was undone
    assert finance_id == history[1][1].change.weight_set.id
    actions = [e.action for e in services.audit_trail(db, ev)[-8:]]
    assert actions.count("add weight set") == 3 and actions.count("remove weight set") == 3
    db.close()


def test_the_audit_says_what_moved(tmp_path):
    db, ev = populated(tmp_path, "draft")
    add_weight_set(db, ev, "IT", {"tiers.l4": 6}, "Engineering on call matters", actor="chair")
    edit_weight_set(db, ev, "it", weights={"cost": 2, "tiers.l4": 6}, new_name="IT team",
                    actor="chair")  # fmt: skip
    added, edited = services.audit_trail(db, ev)[-2:]
    assert (added.action, added.target, added.new, added.why) == (
        "add weight set", "IT", "7 weights", "Engineering on call matters",
    )  # fmt: skip
    assert (edited.action, edited.old, edited.new) == (
        "edit weight set", "name IT", "name IT team; cost 1 → 2",
    )  # fmt: skip
    db.close()


def test_bad_sets_are_refused_in_a_sentence(tmp_path):
    db, ev = populated(tmp_path, "draft")
    add_weight_set(db, ev, "Clinical", actor="chair")
    for name, weights, message in (
        ("clinical", {}, "already exists"),
        ("IT", {"gates.baa": 2}, "gates carry no weight"),
        ("IT", {"cost": -1}, "0 or more"),
        ("IT", {"tiers": 0, "offshore": 0, "cost": 0}, "All weights at the top level are zero"),
        ("   ", {}, "cannot be empty"),
    ):
        with pytest.raises(ServiceError, match=message):
            add_weight_set(db, ev, name, weights, actor="chair")
    with pytest.raises(ServiceError, match=r"no weighting set named 'Finance'.*'Clinical'"):
        remove_weight_set(db, ev, "Finance", actor="chair")
    assert [s.name for s in services.load_evaluation(db, ev).weight_sets] == ["Clinical"]
    db.close()


def test_a_stale_edit_is_refused_naming_who_changed_it(tmp_path):
    db, ev = populated(tmp_path, "draft")
    seen = add_weight_set(db, ev, "Finance", {"cost": 3}, actor="Cora Chair")
    edit_weight_set(db, ev, "Finance", weights={"cost": 4}, actor="Cora Chair")
    with pytest.raises(StaleChange, match="changed by Cora Chair at"):
        apply_change(db, ev, c.EditWeightSet(seen, WeightSet(seen.id, "Money", ())))
    with pytest.raises(StaleChange):
        apply_change(db, ev, c.RemoveWeightSet(seen))
    assert (
        find_set(services.load_evaluation(db, ev).weight_sets, "finance").weight_map()["cost"]
        == 4.0
    )
    db.close()


def test_only_the_chair_edits_sets_once_one_is_named(tmp_path):
    db, ev = populated(tmp_path)
    services.apply_change(db, ev, c.SetChair("", "Cora Chair"), actor="setup")
    member = Identity("Ann Example", evaluator_id=services.load_evaluation(db, ev).evaluators[0].id)
    with pytest.raises(ServiceError, match="Ann Example is a committee member"):
        add_weight_set(db, ev, "Clinical", actor=member)
    with pytest.raises(ServiceError, match="say who you are"):
        add_weight_set(db, ev, "Clinical")
    add_weight_set(db, ev, "Clinical", actor=Identity("Cora Chair", chair=True))
    assert len(services.load_evaluation(db, ev).weight_sets) == 1
    db.close()


def test_a_final_evaluations_sets_are_read_only_even_to_raw_sql(tmp_path):
    db, ev = populated(tmp_path)
    add_weight_set(db, ev, "Clinical", {"tiers": 6}, actor="chair")
    start_consensus(db, ev)
    services.change_status(db, ev, "final", why="Board decision, open items accepted")
    with pytest.raises(ServiceError, match="final"):
        add_weight_set(db, ev, "IT", actor="chair")
    with pytest.raises(ServiceError, match="final"):
        remove_weight_set(db, ev, "Clinical", actor="chair")
    for statement in (
        "UPDATE weight_sets SET name = 'Changed'",
        "DELETE FROM weight_sets",
        "INSERT INTO weight_sets (evaluation_id, position, name, note, weights) "
        "VALUES (:ev, 1, 'Late', '', '[]')",
    ):
        with pytest.raises(DBAPIError, match="final"), db.engine.begin() as conn:
            conn.execute(text(statement), {"ev": ev})
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="final"), db.engine.begin() as conn:
            conn.execute(text("TRUNCATE weight_sets"))
    assert [s.name for s in services.load_evaluation(db, ev).weight_sets] == ["Clinical"]
    db.close()


def test_sets_travel_with_dump_and_load(tmp_path):
    db, ev = populated(tmp_path, "draft")
    add_weight_set(db, ev, "Clinical", {"tiers": 6}, "Nursing and medical staff", actor="chair")
    add_weight_set(db, ev, "Finance", {"cost": 5}, actor="chair")
    first = dump_evaluation(db, ev, tmp_path / "a.json")
    assert first["weight_sets"][0] == {
        "name": "Clinical",
        "note": "Nursing and medical staff",
        "weights": dict.fromkeys(TREE_ORDER, 1.0) | {"tiers": 6.0, "tiers.l4": 3.0},
    }
    copy = load_file(db, tmp_path / "a.json", name="Copy RFP")
    second = dump_evaluation(db, copy, tmp_path / "b.json")
    assert second["weight_sets"] == first["weight_sets"]
    loaded = services.load_evaluation(db, copy).weight_sets
    original = services.load_evaluation(db, ev).weight_sets
    assert [(s.name, s.weights, s.note) for s in loaded] == [
        (s.name, s.weights, s.note) for s in original
    ]
    db.close()


def test_a_file_with_a_bad_set_is_refused_and_nothing_loads(tmp_path):
    db, ev = populated(tmp_path, "draft")
    document = dump_evaluation(db, ev, tmp_path / "a.json")
    for sets, message in (
        ([{"name": "IT", "weights": {"cost": -2}}], "weight_sets/0/weights/cost"),
        ([{"name": "IT", "weights": {"nope": 2}}], r"weight_sets\[0\] \(IT\): no weighted"),
        ([{"name": "IT", "weights": {}}, {"name": "it", "weights": {}}], "listed twice"),
    ):
        (tmp_path / "bad.json").write_text(json.dumps(document | {"weight_sets": sets}))
        with pytest.raises(ServiceError, match=message):
            load_file(db, tmp_path / "bad.json", name="Bad copy")
        assert "Bad copy" not in {s.name for s in services.list_evaluations(db)}
    db.close()


def test_editing_a_set_that_is_not_there_says_so(tmp_path):
    db = new_db(tmp_path)
    ev = services.create_evaluation(db, "Empty RFP", [], actor="chair")
    with pytest.raises(ServiceError, match=r"no weighting set named 'Clinical' .*none yet"):
        edit_weight_set(db, ev, "Clinical", weights={}, actor="chair")
    db.close()


@pytest.mark.sqlite_only
def test_migration_0006_goes_down_and_up(tmp_path):
    from alembic import command
    from alembic.config import Config

    import evaluator.db as dbmod
    from evaluator.db import open_database

    db, ev = populated(tmp_path, "draft")  # in tmp_path / "t.db"
    db.close()
    path = tmp_path / "t.db"
    config = Config()
    config.set_main_option("script_location", str(dbmod.MIGRATIONS))
    db = open_database(path)
    config.attributes["engine"] = db.writer
    command.downgrade(config, "0005")
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert "weight_sets" not in names and "weight_sets_final_no_insert" not in names
    db.close()
    db = open_database(path)  # upgrades again
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert {"weight_sets", "weight_sets_final_no_insert", "weight_sets_final_no_update",
            "weight_sets_final_no_delete"} <= names  # fmt: skip
    add_weight_set(db, ev, "Clinical", actor="chair")
    db.close()


def test_sets_outlive_a_removed_criterion_and_miss_an_added_one(tmp_path):
    db, ev = populated(tmp_path, "draft")
    add_weight_set(db, ev, "Clinical", {"offshore": 4}, actor="chair")
    services.remove_criterion(db, ev, "offshore", actor="chair")
    services.add_criterion(
        db, ev, Criterion("support", "Support desk", children=[
            Criterion("support.hours", "Opening hours", CriterionKind.RATED, 2)]),
        actor="chair",
    )  # fmt: skip
    stored = services.load_evaluation(db, ev).weight_sets[0]
    assert "offshore" in stored.weight_map() and "support" not in stored.weight_map()
    edit_weight_set(db, ev, "Clinical", weights={"cost": 2}, actor="chair")  # still editable
    edited = services.load_evaluation(db, ev).weight_sets[0].weight_map()
    assert "offshore" not in edited and edited["support"] == 1.0 and edited["cost"] == 2.0
    add_weight_set(db, ev, "IT", actor="chair")
    services.remove_criterion(db, ev, "support", actor="chair")
    first = dump_evaluation(db, ev, tmp_path / "a.json")
    assert "support" not in first["weight_sets"][0]["weights"]  # gone: not written
    copy = load_file(db, tmp_path / "a.json", name="Copy RFP")
    assert dump_evaluation(db, copy, tmp_path / "b.json")["weight_sets"] == first["weight_sets"]
    db.close()
