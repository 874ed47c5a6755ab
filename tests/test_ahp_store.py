"""AHP judgments and applied weights through the one edit path: stored per member, audited,
refused when stale or not the actor's to make, applied to the raw weights as one change (and
undone as one), kept with a removed member's undo, locked with a final evaluation, carried by
dump and load."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from evaluator import changes as c
from evaluator import services
from evaluator.ahp_committee import committee_result, judgment_value
from evaluator.changes.rules import NotAllowed
from evaluator.changes.write import apply_change
from evaluator.db import Database
from evaluator.domain import ScoringError
from evaluator.errors import ServiceError, StaleChange
from evaluator.identity import identify
from evaluator.jsonio import dump_evaluation, load_file, read_document
from evaluator.services import ahp, process
from tests.core_fixtures import populated, start_consensus, step

pytestmark = pytest.mark.usefixtures("backend")

TOP = ("tiers", "offshore", "cost")  # the top-level criteria of small_tree that take a share


def weights(db: Database, ev: int) -> dict[str, float]:
    return {n.key: n.weight for n in services.load_evaluation(db, ev).criteria}


def test_judgments_and_weights_keep_snapshot_equal_to_database(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    ann, ben = (e.id for e in data.evaluators)
    applied = []
    for change in (
        c.SetJudgment(ann, None, "tiers", "offshore", None, 3),
        c.SetJudgment(ann, None, "tiers", "cost", None, 5),  # stored as cost/tiers = 1/5
        c.SetJudgment(ann, None, "offshore", "cost", None, 2),
        c.SetJudgment(ben, "tiers", "tiers.l4", "tiers.l1", None, 4),
        c.SetJudgment(ann, None, "cost", "tiers", 1 / 5, 1 / 7),  # the same pair, turned round
        c.SetJudgment(ann, None, "offshore", "cost", 2, None),  # cleared
    ):
        data, done = step(db, ev, data, change, actor="Chair")
        applied.append(done)
    assert applied[1].change.first == "cost" and applied[1].change.after == pytest.approx(0.2)
    assert judgment_value(data, None, ann, "tiers", "cost") == pytest.approx(7)
    assert judgment_value(data, None, ann, "offshore", "cost") is None
    edits = (
        c.EditCriterion("tiers", {"weight": 3.0}, {"weight": 70}),
        c.EditCriterion("cost", {"weight": 1.0}, {"weight": 10}),
    )
    change = c.SetWeights(None, edits)
    data, done = step(db, ev, data, change, actor="Chair")
    assert weights(db, ev) == {"tiers": 70, "offshore": 1, "cost": 10, "gates": 0}
    for undo in [done.inverse, *(a.inverse for a in reversed(applied))]:
        data, _ = step(db, ev, data, undo, actor="Chair")
    assert weights(db, ev) == {"tiers": 3, "offshore": 1, "cost": 1, "gates": 0}
    assert data.judgments == []


def test_judgments_are_audited_and_stale_ones_refused(tmp_path):
    db, ev = populated(tmp_path)
    ann = services.load_evaluation(db, ev).evaluators[0].id
    ahp.set_judgment(db, ev, None, "tiers", "cost", "strong", member="Ann Example", actor="Chair")
    entry = services.audit_trail(db, ev)[-1]
    assert (entry.action, entry.target) == ("set comparison", "Ann Example: Support tiers vs Cost")
    assert entry.new == "5 (Support tiers is strongly more important than Cost)"
    stale = c.SetJudgment(ann, None, "tiers", "cost", None, 3)  # the window saw no judgment
    with pytest.raises(StaleChange) as refused:
        apply_change(db, ev, stale, actor="Ann")
    assert re.search(r"Ann Example's comparison of Support tiers and Cost was changed by Chair "
                     r"at .* UTC: reload", str(refused.value)), str(refused.value)  # fmt: skip
    ahp.set_judgment(db, ev, None, "cost", "tiers", None, member="Ann Example", actor="Chair")
    assert services.audit_trail(db, ev)[-1].action == "clear comparison"
    assert services.load_evaluation(db, ev).judgments == []


@pytest.mark.parametrize(
    ("parent", "first", "second", "value", "message"),
    [
        (None, "tiers", "cost", "10", "between 1/9 and 9"),
        (None, "tiers", "gates", "3", "not one of the weighted criteria"),  # only a gate inside
        (None, "tiers", "tiers.l1", "3", "not one of the weighted criteria compared under the top"),
        ("tiers.l1", "tiers", "cost", "3", "not a category"),
        ("nowhere", "tiers", "cost", "3", "no criterion with id 'nowhere'"),
        (None, "tiers", "tiers", "3", "not one of|two different"),
    ],
)  # fmt: skip
def test_judgments_off_the_scale_or_the_set_are_refused(tmp_path, parent, first, second, value,
                                                        message):  # fmt: skip
    db, ev = populated(tmp_path)
    with pytest.raises((ServiceError, ScoringError), match=message):
        ahp.set_judgment(db, ev, parent, first, second, value, member="Ann Example")
    assert services.load_evaluation(db, ev).judgments == []


def test_members_give_their_own_comparisons_and_the_chair_applies(tmp_path):
    db, ev = populated(tmp_path)
    process.name_chair(db, ev, "Cleo Chair")
    chair = identify(db, ev, "Cleo Chair")
    ann, ben = identify(db, ev, "Ann Example"), identify(db, ev, "Ben Sample")
    ahp.set_judgment(db, ev, None, "tiers", "offshore", 3, actor=ann)  # her own, by default
    with pytest.raises(NotAllowed, match="their own comparisons only"):
        ahp.set_judgment(db, ev, None, "tiers", "offshore", 5, member="Ben Sample", actor=ann)
    with pytest.raises(ServiceError, match="say whose comparison"):
        ahp.set_judgment(db, ev, None, "tiers", "offshore", 5, actor=chair)
    ahp.set_judgment(db, ev, None, "tiers", "offshore", 5, member="Ben Sample", actor=chair)
    for actor in (ann, ben):
        ahp.set_judgment(db, ev, None, "tiers", "cost", 3, actor=actor)
        ahp.set_judgment(db, ev, None, "offshore", "cost", 1, actor=actor)
    with pytest.raises(NotAllowed, match="for the chair"):
        ahp.apply_weights(db, ev, None, actor=ann)
    applied = ahp.apply_weights(db, ev, None, actor=chair)
    assert isinstance(applied.change, c.SetWeights)
    # geometric mean: tiers/offshore sqrt(3 x 5), tiers/cost 3, offshore/cost 1
    result = committee_result(services.load_evaluation(db, ev), None)
    expected = [round(100 * w, 2) for w in result.combined.weights]
    assert [weights(db, ev)[k] for k in TOP] == expected
    assert expected[0] > 55 and expected[1] == pytest.approx(expected[2], abs=3)
    entries = [e for e in services.audit_trail(db, ev) if e.action == "set weight"]
    assert len(entries) == 3 and all(e.actor == "Cleo Chair" for e in entries)
    assert "geometric mean" in entries[0].why and "Saaty (1980)" in entries[0].why
    assert "Ann Example, Ben Sample" in entries[0].why


def test_applying_is_one_change_and_its_undo_restores_every_weight(tmp_path):
    db, ev = populated(tmp_path)
    for first, second, value in (("tiers", "offshore", 2), ("tiers", "cost", 4),
                                 ("offshore", "cost", 2)):  # fmt: skip
        ahp.set_judgment(db, ev, None, first, second, value, member="Ann Example")
    revision = services.load_evaluation(db, ev).revision
    applied = ahp.apply_weights(db, ev, None)
    assert applied.revision == revision + 1  # one change, one revision
    assert [weights(db, ev)[k] for k in TOP] == [57.14, 28.57, 14.29]  # 4 : 2 : 1, consistent
    result = committee_result(services.load_evaluation(db, ev), None)
    assert result.combined.consistency_ratio < 1e-9
    undone = apply_change(db, ev, applied.inverse)
    assert undone.revision == revision + 2
    assert weights(db, ev) == {"tiers": 3, "offshore": 1, "cost": 1, "gates": 0}


def test_applying_undetermined_or_inconsistent_weights_is_refused_until_answered(tmp_path):
    db, ev = populated(tmp_path)
    with pytest.raises(ScoringError, match="no member has compared"):
        ahp.apply_weights(db, ev, None)
    ahp.set_judgment(db, ev, None, "tiers", "offshore", 3, member="Ann Example")
    with pytest.raises(ScoringError, match="1 more needed"):
        ahp.apply_weights(db, ev, None)
    ahp.set_judgment(db, ev, None, "offshore", "cost", 5, member="Ann Example")
    ahp.set_judgment(db, ev, None, "cost", "tiers", 9, member="Ann Example")  # a cycle
    with pytest.raises(ScoringError, match=r"inconsistent \(CR \d+\.\d\d > 0.10.*give a reason"):
        ahp.apply_weights(db, ev, None)
    assert weights(db, ev)["tiers"] == 3
    ahp.apply_weights(db, ev, None, why="Agreed in the meeting of 3 March")
    entry = services.audit_trail(db, ev)[-1]
    assert entry.why.endswith("Agreed in the meeting of 3 March")


def test_a_removed_members_judgments_come_back_with_the_undo(tmp_path):
    db, ev = populated(tmp_path)
    ahp.set_judgment(db, ev, None, "tiers", "cost", 3, member="Ben Sample")
    ahp.set_judgment(db, ev, "tiers", "tiers.l1", "tiers.l4", 1 / 3, member="Ben Sample")
    data = services.load_evaluation(db, ev)
    ben = data.evaluators[1]
    data, removed = step(db, ev, data, c.RemoveEvaluator(ben), actor="Chair")
    assert data.judgments == []
    data, _ = step(db, ev, data, removed.inverse, actor="Chair")
    assert sorted((j.parent or "", j.first, j.value) for j in data.judgments) == [
        ("", "cost", pytest.approx(1 / 3)), ("tiers", "tiers.l1", pytest.approx(1 / 3)),
    ]  # fmt: skip


def test_a_final_evaluations_judgments_are_read_only_even_to_raw_sql(tmp_path):
    db, ev = populated(tmp_path)
    ahp.set_judgment(db, ev, None, "tiers", "cost", 3, member="Ann Example")
    start_consensus(db, ev)
    services.change_status(db, ev, "final", why="Board decision")
    with pytest.raises(ServiceError, match="final"):
        ahp.set_judgment(db, ev, None, "tiers", "cost", 5, member="Ann Example")
    member = services.load_evaluation(db, ev).evaluators[0].id
    for statement in (
        "UPDATE ahp_judgments SET value = 9",
        "DELETE FROM ahp_judgments",
        "INSERT INTO ahp_judgments (evaluation_id, evaluator_id, parent_key, first_key, "
        "second_key, value, updated_at) VALUES (:ev, :m, '', 'cost', 'offshore', 2, "
        "'2026-01-01')",
    ):
        with pytest.raises(DBAPIError, match="final"), db.engine.begin() as conn:
            conn.execute(text(statement), {"ev": ev, "m": member})
    assert [j.value for j in services.load_evaluation(db, ev).judgments] == [pytest.approx(1 / 3)]


def test_judgments_survive_dump_and_load(tmp_path):
    db, ev = populated(tmp_path)
    ahp.set_judgment(db, ev, None, "tiers", "cost", 3, member="Ann Example")
    ahp.set_judgment(db, ev, None, "offshore", "tiers", 1 / 2, member="Ben Sample")
    ahp.set_judgment(db, ev, "tiers", "tiers.l1", "tiers.l4", "1/3", member="Ben Sample")
    first = tmp_path / "first.json"
    document = dump_evaluation(db, ev, first)
    assert document["ahp_judgments"] == [
        {"member": "Ann Example", "parent": None, "first": "cost", "second": "tiers",
         "value": pytest.approx(1 / 3)},
        {"member": "Ben Sample", "parent": None, "first": "offshore", "second": "tiers",
         "value": 0.5},
        {"member": "Ben Sample", "parent": "tiers", "first": "tiers.l1", "second": "tiers.l4",
         "value": pytest.approx(1 / 3)},
    ]  # fmt: skip
    copy = load_file(db, first, name="Riverbend copy")
    again = tmp_path / "again.json"
    dump_evaluation(db, copy, again)
    strip = {"audit", "evaluation"}  # the copy has its own name and one more audit entry
    one, two = (
        {k: v for k, v in json.loads(p.read_text()).items() if k not in strip}
        for p in (first, again)
    )
    assert one == two
    copied = committee_result(services.load_evaluation(db, copy), None)
    original = committee_result(services.load_evaluation(db, ev), None)
    assert copied.combined.weights == pytest.approx(original.combined.weights)


def test_a_file_with_judgments_about_unknown_criteria_is_refused(tmp_path):
    db, ev = populated(tmp_path)
    ahp.set_judgment(db, ev, None, "tiers", "cost", 3, member="Ann Example")
    path = tmp_path / "dump.json"
    dump_evaluation(db, ev, path)
    document = json.loads(path.read_text())
    del document["audit"]  # hand-edited: its chain would no longer match
    document["ahp_judgments"][0]["second"] = "tiers.l1"
    path.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=r"ahp_judgments\[0\].*not two criteria compared"):
        load_file(db, path, name="Edited copy")
    document["ahp_judgments"][0].update(second="tiers", value=12)
    path.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=r"ahp_judgments\[0\].*between 1/9 and 9"):
        load_file(db, path, name="Edited copy")
    assert read_document(path)["ahp_judgments"][0]["value"] == 12  # the schema lets it through


def test_a_set_too_large_to_compare_pairwise_is_refused_and_not_offered(tmp_path):
    from evaluator.ahp_committee import sibling_sets
    from evaluator.domain import Criterion, CriterionKind

    db, ev = populated(tmp_path)
    wide = Criterion("wide", "Eleven criteria", weight=1, children=[
        Criterion(f"wide.{k}", f"Criterion {k}", CriterionKind.RATED, 1) for k in range(11)
    ])  # fmt: skip
    services.add_criterion(db, ev, wide)
    data = services.load_evaluation(db, ev)
    assert [s.parent for s in sibling_sets(data.criteria)] == [None, "tiers"]  # 4 top, 2 tiers
    with pytest.raises(ServiceError, match="at most 10 at a time"):
        ahp.set_judgment(db, ev, "wide", "wide.0", "wide.1", 3, member="Ann Example")


@pytest.mark.sqlite_only
def test_a_database_of_revision_0006_is_upgraded_with_the_judgments_table(tmp_path, backend):
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    import evaluator.db as dbmod
    from evaluator import db_migrate
    from evaluator.db import open_database
    from tests.core_fixtures import small_tree

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    db_migrate.upgrade(engine, dbmod.MIGRATIONS, target="0006")
    engine.dispose()
    db = open_database(str(path))  # upgraded to the newest revision as it opens
    with db.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        triggers = {
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'ahp_judgments'"
            )
        }
    assert version == ScriptDirectory(str(dbmod.MIGRATIONS)).get_current_head() >= "0007"
    assert triggers == {f"ahp_judgments_final_no_{verb}" for verb in ("insert", "update", "delete")}
    ev = services.create_evaluation(db, "Upgraded RFP", small_tree())
    services.add_evaluator(db, ev, "Ann Example")
    ahp.set_judgment(db, ev, None, "tiers", "cost", 3, member="Ann Example")
    assert len(services.load_evaluation(db, ev).judgments) == 1
    db.close()
