"""Services: validation, audit entries, refusal on final, rollback leaving the db unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from evaluator import services
from evaluator.changes import ScoreCell, canonical
from evaluator.domain import Criterion, CriterionKind, Question, Status, find_criterion
from evaluator.services import ServiceError
from tests.core_fixtures import RUBRIC, new_db, populated, small_tree, start_consensus

# Each test runs on a SQLite file and on the test PostgreSQL server (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("backend")


TABLES = (  # what an evaluation is stored in
    "evaluations", "criteria", "questions", "candidates", "evaluators", "scores",
    "consensus_scores", "responses", "audit_log",
)  # fmt: skip


def table_counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {n: conn.exec_driver_sql(f"SELECT count(*) FROM {n}").scalar() for n in TABLES}


def dump_all(db) -> dict[str, list]:
    out = {}
    with db.engine.connect() as conn:
        for name in TABLES:
            out[name] = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {name} ORDER BY id"))]
    return out


def test_create_evaluation_copies_tree_and_audits(tmp_path):
    db = new_db(tmp_path)
    ev = services.create_evaluation(
        db, "  Lakeview   RFP ", small_tree(), client="Lakeview", catalog_id="test", actor="chair"
    )
    data = services.load_evaluation(db, ev)
    assert data.name == "Lakeview RFP"
    assert data.status is Status.DRAFT
    assert [c.key for c in data.criteria] == ["tiers", "offshore", "cost", "gates"]
    l4 = find_criterion(data.criteria, "tiers.l4")
    assert l4.weight == 3 and l4.rubric[5] == "exemplary" and l4.question.text
    share = find_criterion(data.criteria, "offshore.share")
    assert share.rule.apply(8.0) == 5 and share.rule.apply(50.0) == 0
    trail = services.audit_trail(db, ev)
    assert trail[0].action == "create evaluation" and trail[0].actor == "chair"
    assert "from catalog test" in trail[0].new


def test_duplicate_names_refused(tmp_path):
    db, ev = populated(tmp_path)
    with pytest.raises(ServiceError, match="already exists"):
        services.create_evaluation(db, "Riverbend RFP", small_tree())
    with pytest.raises(ServiceError, match="already exists"):
        services.add_candidate(db, ev, "Zephyr Care IT")
    with pytest.raises(ServiceError, match="already exists"):
        services.update_evaluator(db, ev, "Ann Example", new_name="Ben Sample")
    with pytest.raises(ServiceError, match="cannot be empty"):
        services.add_candidate(db, ev, "   ")


def test_set_score_validates_and_audits(tmp_path):
    db, ev = populated(tmp_path)
    first = services.set_score(
        db,
        ev,
        "Ann Example",
        "Zephyr Care IT",
        "tiers.l4",
        4,
        "Strong escalation path",
        actor="Ann",
    )
    assert first.change.before is None
    assert first.inverse.after is None  # undoing the first score clears the cell
    applied = services.set_score(
        db,
        ev,
        "Ann Example",
        "Zephyr Care IT",
        "tiers.l4",
        "5",
        "Saw the on-call roster",
        actor="Ann",
    )
    assert applied.change.before == ScoreCell(4.0, "Strong escalation path")
    assert applied.change.after == ScoreCell(5.0, "Saw the on-call roster")  # "5" stored as 5.0
    entry = services.audit_trail(db, ev)[-1]
    assert (entry.action, entry.actor, entry.old, entry.new) == ("set score", "Ann", "4", "5")
    assert "Zephyr Care IT" in entry.target and "tiers.l4" in entry.target
    assert entry.why == "Saw the on-call roster"
    before = dump_all(db)
    for bad, message in [
        ((6, "x"), "outside the scale"),
        ((-1, "x"), "outside the scale"),
        ((2.5, "x"), "whole number"),
        (("high", "x"), "not a number"),
        ((3, "  "), "justification is required"),
    ]:
        with pytest.raises(ServiceError, match=message):
            services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", *bad)
    with pytest.raises(ServiceError, match="not rated"):
        services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "offshore.share", 3, "x")
    with pytest.raises(services.NotFound, match="no candidate named"):
        services.set_score(db, ev, "Ann Example", "Nobody", "tiers.l4", 3, "x")
    with pytest.raises(services.NotFound, match="no criterion"):
        services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l9", 3, "x")
    assert dump_all(db) == before


def test_consensus_and_gate_decisions(tmp_path):
    db, ev = populated(tmp_path)
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Orbis Support Co", "gates.baa", "fail", "Refused our BAA")
    services.set_consensus(db, ev, "Orbis Support Co", "tiers.l1", 3.5, "Agreed in meeting")
    data = services.load_evaluation(db, ev)
    assert {(c.criterion_key, c.value) for c in data.consensus} == {
        ("gates.baa", 0.0),
        ("tiers.l1", 3.5),
    }
    with pytest.raises(ServiceError, match="pass or fail"):
        services.set_consensus(db, ev, "Orbis Support Co", "gates.baa", "maybe", "x")
    with pytest.raises(ServiceError, match="category"):
        services.set_consensus(db, ev, "Orbis Support Co", "tiers", 3, "x")
    with pytest.raises(ServiceError, match="note is required"):
        services.set_consensus(db, ev, "Orbis Support Co", "tiers.l1", 3, "")
    cleared = services.clear_consensus(db, ev, "Orbis Support Co", "tiers.l1", why="reopened")
    assert cleared.change.before.value == 3.5 and cleared.change.after is None
    assert services.audit_trail(db, ev)[-1].action == "clear consensus"


def test_final_is_read_only(tmp_path):
    db, ev = populated(tmp_path)
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l1", 3, "ok")
    start_consensus(db, ev)
    services.change_status(db, ev, "final", why="moving on")
    before = dump_all(db)
    attempts = [
        lambda: services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l1", 4, "x"),
        lambda: services.clear_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l1"),
        lambda: services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l1", 4, "x"),
        lambda: services.add_candidate(db, ev, "New One"),
        lambda: services.remove_candidate(db, ev, "Zephyr Care IT"),
        lambda: services.update_evaluator(db, ev, "Ann Example", role="CEO"),
        lambda: services.update_criterion(db, ev, "tiers.l1", weight=9),
        lambda: services.change_status(db, ev, "consensus"),
        lambda: services.set_response(db, ev, "Zephyr Care IT", "offshore.share", 5.0),
        lambda: services.update_evaluation(db, ev, client="Other"),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError, match="final and read-only"):
            attempt()
    assert dump_all(db) == before


def test_status_moves_one_step(tmp_path):
    db, ev = populated(tmp_path, "draft")
    with pytest.raises(ServiceError, match="one step at a time"):
        services.change_status(db, ev, "final")
    with pytest.raises(ServiceError, match="unknown status"):
        services.change_status(db, ev, "done")
    assert services.change_status(db, ev, "scoring") is Status.SCORING
    assert services.change_status(db, ev, "draft") is Status.DRAFT
    actions = [e.action for e in services.audit_trail(db, ev)]
    assert actions.count("change status") == 2


def test_rollback_on_error_leaves_database_unchanged(tmp_path, monkeypatch):
    db, ev = populated(tmp_path)
    before = dump_all(db)
    import evaluator.changes.context as context_module

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full while writing the audit entry")

    monkeypatch.setattr(context_module, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l1", 3, "fine")
    assert dump_all(db) == before


def test_remove_and_restore_candidate(tmp_path):
    db, ev = populated(tmp_path)
    services.set_score(db, ev, "Ann Example", "Orbis Support Co", "tiers.l1", 2, "slow")
    services.set_response(db, ev, "Orbis Support Co", "offshore.share", 60.0, raw="60%")
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Orbis Support Co", "tiers.l4", 1, "agreed")
    before = services.load_evaluation(db, ev)
    removed = services.remove_candidate(db, ev, "Orbis Support Co", why="withdrew")
    counts = table_counts(db)
    assert counts["scores"] == 0 and counts["responses"] == 0 and counts["consensus_scores"] == 0
    services.restore(db, ev, removed)
    after = services.load_evaluation(db, ev)
    # the same candidate (same id, same place) with the same scores, consensus and answers
    assert replace(canonical(after), revision=0) == replace(canonical(before), revision=0)
    assert after.revision == before.revision + 2
    assert [e.action for e in services.audit_trail(db, ev)][-2:] == [
        "remove candidate",
        "restore candidate",
    ]


def test_remove_and_restore_evaluator(tmp_path):
    db, ev = populated(tmp_path)
    services.set_score(db, ev, "Ben Sample", "Orbis Support Co", "tiers.l1", 2, "slow")
    removed = services.remove_evaluator(db, ev, "Ben Sample")
    assert len(removed.dependents.scores) == 1
    services.restore(db, ev, removed)
    data = services.load_evaluation(db, ev)
    assert [e.name for e in data.evaluators] == ["Ann Example", "Ben Sample"]
    assert len(data.scores) == 1


def test_edit_criterion_weights_and_details(tmp_path):
    db, ev = populated(tmp_path)
    applied = services.update_criterion(
        db, ev, "tiers.l4", weight=2, name="L4 engineering", why="rebalanced"
    )
    assert applied.change.before == {"weight": 3, "name": "Level 4 engineering escalation"}
    assert applied.inverse.after == applied.change.before
    node = find_criterion(services.load_evaluation(db, ev).criteria, "tiers.l4")
    assert (node.weight, node.name) == (2, "L4 engineering")
    with pytest.raises(ServiceError, match="0 or more"):
        services.update_criterion(db, ev, "tiers.l4", weight=-1)
    with pytest.raises(ServiceError, match="must stay a category"):
        services.update_criterion(db, ev, "tiers", kind="rated")
    services.update_criterion(db, ev, "tiers.l1", question=Question("Who answers the phone?"))
    node = find_criterion(services.load_evaluation(db, ev).criteria, "tiers.l1")
    assert node.question.text == "Who answers the phone?"
    actions = [e.action for e in services.audit_trail(db, ev)]
    assert {"set weight", "rename criterion", "set question"} <= set(actions)


def test_add_move_remove_restore_criterion(tmp_path):
    db, ev = populated(tmp_path)
    leaf = Criterion(
        "tiers.l2",
        "Level 2 analysts",
        CriterionKind.RATED,
        2,
        rubric=RUBRIC,
        question=Question("Describe Level 2."),
    )
    services.add_criterion(db, ev, leaf, parent="tiers", position=1)
    keys = [c.key for c in services.load_evaluation(db, ev).criteria[0].children]
    assert keys == ["tiers.l1", "tiers.l2", "tiers.l4"]
    with pytest.raises(ServiceError, match="used twice"):
        services.add_criterion(db, ev, leaf, parent="tiers")
    old = services.move_criterion(db, ev, "tiers.l2", parent="offshore", position=0)
    assert old == ("tiers", 1)
    data = services.load_evaluation(db, ev)
    assert [c.key for c in data.criteria[1].children] == ["tiers.l2", "offshore.share"]
    with pytest.raises(ServiceError, match=r"inside itself|not a category"):
        services.move_criterion(db, ev, "tiers", parent="tiers.l1", position=0)
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l2", 4, "good")
    removed = services.remove_criterion(db, ev, "tiers.l2")
    assert len(removed.dependents.scores) == 1
    assert (removed.parent, removed.index) == ("offshore", 0)
    assert find_criterion(services.load_evaluation(db, ev).criteria, "tiers.l2") is None
    services.restore_criterion(db, ev, removed)
    data = services.load_evaluation(db, ev)
    assert find_criterion(data.criteria, "tiers.l2").question.text == "Describe Level 2."
    assert len(data.scores) == 1


def test_responses_set_and_clear(tmp_path):
    db, ev = populated(tmp_path)
    services.set_response(
        db, ev, "Zephyr Care IT", "gates.baa", True, raw="Yes", source="zephyr.xlsx"
    )
    services.set_response(
        db, ev, "Zephyr Care IT", "offshore.share", 35.0, raw="35%", comment="Manila centre"
    )
    data = services.load_evaluation(db, ev)
    assert {(r.criterion_key, r.value) for r in data.responses} == {
        ("gates.baa", True),
        ("offshore.share", 35.0),
    }
    services.set_response(db, ev, "Zephyr Care IT", "offshore.share", None)
    assert len(services.load_evaluation(db, ev).responses) == 1
    with pytest.raises(ServiceError, match="no question"):
        services.set_response(db, ev, "Zephyr Care IT", "nope", 1.0)


def test_all_digit_names_and_ids_are_not_confused(tmp_path):
    db = new_db(tmp_path)
    first = services.create_evaluation(db, "Alpha", small_tree())
    second = services.create_evaluation(db, str(first), small_tree())  # named "1"
    assert services.load_evaluation(db, first).name == "Alpha"  # an int is an id
    assert services.load_evaluation(db, str(first)).id == second  # a str is a name first
    assert services.load_evaluation(db, str(second)).id == second  # else an id
