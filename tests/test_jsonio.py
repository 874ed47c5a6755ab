"""One evaluation as one JSON file: schema-valid, round trip identical, bad files refused."""

from __future__ import annotations

import json

import jsonschema
import pytest

from evaluator import services
from evaluator.jsonio import SCHEMA_PATH, dump_evaluation, dumps, load_file, read_document
from evaluator.services import ServiceError
from tests.core_fixtures import populated, start_consensus, target
from tests.test_services import table_counts

# Each test runs on a SQLite file and on the test PostgreSQL server (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("backend")


def filled(tmp_path):
    db, ev = populated(tmp_path)
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 4, "Good roster")
    services.set_score(db, ev, "Ben Sample", "Zephyr Care IT", "tiers.l4", 2, "Thin cover — €")
    services.set_score(db, ev, "Ben Sample", "Orbis Support Co", "tiers.l1", 5, "Excellent")
    services.set_score(db, ev, "Ann Example", "Orbis Support Co", "tiers.l1", 0, "Not shown",
                       abstain=True)  # fmt: skip
    start_consensus(db, ev)
    services.set_consensus(db, ev, "Zephyr Care IT", "tiers.l4", 3, "Agreed")
    services.set_consensus(db, ev, "Orbis Support Co", "gates.baa", "fail", "Declined BAA")
    services.set_response(db, ev, "Zephyr Care IT", "offshore.share", 12.5, raw="12.5%")
    services.set_response(db, ev, "Zephyr Care IT", "gates.baa", True, raw="Yes")
    services.set_response(db, ev, "Orbis Support Co", "cost.fee", 990000.0, comment="3 years")
    return db, ev


def test_dump_is_schema_valid_and_complete(tmp_path):
    db, ev = filled(tmp_path)
    out = tmp_path / "e.json"
    document = dump_evaluation(db, ev, out)
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(out.read_text()), schema)
    assert document["evaluation"]["status"] == "consensus"
    assert len(document["scores"]) == 4 and len(document["consensus"]) == 2
    assert [s["abstained"] for s in document["scores"]].count(True) == 1
    assert all(e["submitted"] for e in document["evaluators"])
    assert [d["member"] for d in document["declarations"]] == ["Ann Example", "Ben Sample"]
    assert document["declarations"][0]["covers"] == ["Zephyr Care IT", "Orbis Support Co"]
    assert document["evaluators"][1]["conflict_of_interest"] == ""  # declared: no conflict
    tiers = document["criteria"][0]
    assert tiers["children"][1]["rubric"]["5"] == "exemplary"
    assert "Thin cover — €" in out.read_text(encoding="utf-8")


def test_round_trip_is_identical(tmp_path):
    db, ev = filled(tmp_path)
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    dump_evaluation(db, ev, first)
    new_id = load_file(db, first, name="Riverbend RFP (copy)")
    dump_evaluation(db, new_id, second)
    one = json.loads(first.read_text())
    two = json.loads(second.read_text())
    assert two["evaluation"].pop("name") == "Riverbend RFP (copy)"
    one["evaluation"].pop("name")
    trail_one, trail_two = one.pop("audit"), two.pop("audit")
    assert one == two
    # the audit travels: every entry kept (now marked imported), then the load's own entry
    assert len(trail_two) == len(trail_one) + 1
    assert trail_two[:-1] == [entry | {"imported": True} for entry in trail_one]
    assert trail_two[-1]["action"] == "load evaluation"
    assert trail_two[-1]["prev_hash"] == trail_one[-1]["hash"]
    assert not trail_two[-1]["imported"]
    # and through a second database, byte for byte apart from that one entry
    from evaluator.db import open_database

    other = open_database(target(tmp_path / "other.db"))
    third = tmp_path / "third.json"
    load_file(other, first)
    dump_evaluation(other, "Riverbend RFP", third)
    three = json.loads(third.read_text())
    trail_three = three.pop("audit")
    first_doc = json.loads(first.read_text())
    first_doc.pop("audit")
    assert dumps(three) == dumps(first_doc)
    assert trail_three[:-1] == [entry | {"imported": True} for entry in trail_one]


def test_load_refuses_existing_name_and_bad_files(tmp_path):
    db, ev = filled(tmp_path)
    path = tmp_path / "e.json"
    dump_evaluation(db, ev, path)
    before = table_counts(db)
    with pytest.raises(ServiceError, match="already exists"):
        load_file(db, path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "supportscope-evaluation", ')
    with pytest.raises(ServiceError, match=r"broken.json is not valid JSON \(line 1"):
        load_file(db, broken)
    document = json.loads(path.read_text())
    document["scores"][0]["value"] = "high"
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match=r"wrong.json: at scores/0/value"):
        load_file(db, wrong, name="x")
    document["scores"][0]["value"] = 9
    wrong.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match="not a whole point on the scale"):
        load_file(db, wrong, name="x")
    document["scores"][0]["value"] = 3
    document["scores"][0]["candidate"] = "Ghost Ltd"
    wrong.write_text(json.dumps(document))
    with pytest.raises(ServiceError, match="unknown candidate 'Ghost Ltd'"):
        load_file(db, wrong, name="x")
    with pytest.raises(ServiceError, match="no such file"):
        read_document(tmp_path / "missing.json")
    assert table_counts(db) == before
