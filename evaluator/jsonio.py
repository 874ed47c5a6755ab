"""One evaluation as one JSON file (schema: evaluator/schema/evaluation.schema.json).

`dump` then `load` then `dump` gives identical bytes: the file carries no timestamps or database
ids, lists are in the evaluation's own order, and keys are written sorted.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from evaluator.atomic import write_text_atomic
from evaluator.codec import criterion_from_dict, criterion_to_dict
from evaluator.db import Database
from evaluator.domain import EvaluationData, Scale, leaves
from evaluator.kinds import is_pass_fail, members_score
from evaluator.live_files import live_database_problem
from evaluator.models import (
    CandidateRow,
    ConsensusRow,
    CriterionRow,
    EvaluationRow,
    EvaluatorRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
)
from evaluator.records import ServiceError, audit, clean_name, insert_criteria
from evaluator.services.evaluations import validate_tree
from evaluator.services.reading import load_evaluation

FORMAT = "supportscope-evaluation"
SCHEMA_PATH = Path(__file__).with_name("schema") / "evaluation.schema.json"


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def to_document(data: EvaluationData, catalog_id: str = "") -> dict[str, Any]:
    """The JSON document of an evaluation snapshot."""
    cand = {c.id: c for c in data.candidates}
    people = {e.id: e for e in data.evaluators}
    cand_order = {c.id: i for i, c in enumerate(data.candidates)}
    eval_order = {e.id: i for i, e in enumerate(data.evaluators)}
    leaf_order = {leaf.key: i for i, leaf in enumerate(leaves(data.criteria))}
    scores = sorted(
        data.scores,
        key=lambda s: (
            eval_order[s.evaluator_id],
            cand_order[s.candidate_id],
            leaf_order.get(s.criterion_key, -1),
        ),
    )
    consensus = sorted(
        data.consensus,
        key=lambda s: (cand_order[s.candidate_id], leaf_order.get(s.criterion_key, -1)),
    )
    responses = sorted(
        data.responses,
        key=lambda r: (cand_order[r.candidate_id], leaf_order.get(r.criterion_key, -1)),
    )
    evaluation: dict[str, Any] = {
        "name": data.name,
        "client": data.client,
        "status": data.status.value,
        "scale": {"min": data.scale.minimum, "max": data.scale.maximum},
        "aggregation": data.aggregation.value,
    }
    if catalog_id:
        evaluation["catalog_id"] = catalog_id
    return {
        "format": FORMAT,
        "version": 1,
        "evaluation": evaluation,
        "criteria": [criterion_to_dict(node) for node in data.criteria],
        "candidates": [
            {"name": c.name, "kind": c.kind.value, "notes": c.notes} for c in data.candidates
        ],
        "evaluators": [
            {"name": e.name, "role": e.role, "conflict_of_interest": e.conflict_of_interest}
            for e in data.evaluators
        ],
        "scores": [
            {
                "evaluator": people[s.evaluator_id].name,
                "candidate": cand[s.candidate_id].name,
                "criterion": s.criterion_key,
                "value": s.value,
                "justification": s.justification,
            }
            for s in scores
        ],
        "consensus": [
            {
                "candidate": cand[s.candidate_id].name,
                "criterion": s.criterion_key,
                "value": s.value,
                "note": s.note,
            }
            for s in consensus
        ],
        "responses": [
            {
                "candidate": cand[r.candidate_id].name,
                "question": r.criterion_key,
                "value": r.value,
                "raw": r.raw,
                "comment": r.comment,
            }
            for r in responses
        ],
    }


def dump_evaluation(db: Database, evaluation: int | str, path: str | Path) -> dict[str, Any]:
    """Write the evaluation to a JSON file (atomically); returns the document."""
    data = load_evaluation(db, evaluation)
    with db.reading() as session:
        catalog_id = session.get(EvaluationRow, data.id).catalog_id  # type: ignore[union-attr]
    document = to_document(data, catalog_id)
    write_text_atomic(path, dumps(document))
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_document(path: str | Path) -> dict[str, Any]:
    """Read and validate a JSON evaluation file; errors name the file and the bad place."""
    import jsonschema

    path = Path(path)
    problem = live_database_problem(path)  # reading it would drop SQLite's locks on it
    if problem:
        raise ServiceError(f"{problem}: give a JSON file written by 'dump'")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ServiceError(
            f"{path} is not a text file: give a JSON file written by 'dump'"
        ) from None
    except json.JSONDecodeError as exc:
        raise ServiceError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise ServiceError(f"{path}: at {where}: {error.message}")
    return document


def load_document(
    db: Database,
    document: dict[str, Any],
    *,
    name: str | None = None,
    source: str = "",
    actor: str | None = None,
) -> int:
    """Create a new evaluation from a validated document in one transaction; returns its id."""
    meta = document["evaluation"]
    name = clean_name(name or meta["name"], "evaluation name")
    scale = Scale(meta["scale"]["min"], meta["scale"]["max"])
    criteria = [criterion_from_dict(node) for node in document["criteria"]]
    validate_tree(criteria, scale)
    with db.transaction() as session:
        if session.query(EvaluationRow.id).filter(EvaluationRow.name == name).first():
            raise ServiceError(
                f"an evaluation named {name!r} already exists: load it under "
                "another name (--as NAME)"
            )
        ev = EvaluationRow(
            name=name,
            client=meta.get("client", ""),
            # written as a draft, made final (if it is) after its rows: the database refuses
            # rows for a final evaluation
            status="draft",
            scale_min=scale.minimum,
            scale_max=scale.maximum,
            aggregation=meta["aggregation"],
            catalog_id=meta.get("catalog_id", ""),
        )
        session.add(ev)
        session.flush()
        insert_criteria(session, ev.id, criteria)
        crit_ids = dict(
            session.query(CriterionRow.key, CriterionRow.id)
            .filter(CriterionRow.evaluation_id == ev.id)
            .all()
        )
        question_ids = dict(
            session.query(QuestionRow.key, QuestionRow.id)
            .filter(QuestionRow.evaluation_id == ev.id)
            .all()
        )
        cand_ids = _insert_named(session, CandidateRow, ev.id, document["candidates"], "candidate")
        person_ids = _insert_named(
            session, EvaluatorRow, ev.id, document["evaluators"], "committee member"
        )

        def lookup(table: dict[str, int], key: str, what: str, i: int, section: str) -> int:
            if key not in table:
                raise ServiceError(
                    f"{source or 'file'}: {section}[{i}] names unknown {what} {key!r}"
                )
            return table[key]

        scores = [
            {
                "evaluation_id": ev.id,
                "evaluator_id": lookup(person_ids, s["evaluator"], "committee member", i, "scores"),
                "candidate_id": lookup(cand_ids, s["candidate"], "candidate", i, "scores"),
                "criterion_id": lookup(crit_ids, s["criterion"], "criterion", i, "scores"),
                "value": s["value"],
                "justification": s["justification"],
            }
            for i, s in enumerate(document["scores"])
        ]
        consensus = [
            {
                "evaluation_id": ev.id,
                "candidate_id": lookup(cand_ids, s["candidate"], "candidate", i, "consensus"),
                "criterion_id": lookup(crit_ids, s["criterion"], "criterion", i, "consensus"),
                "value": s["value"],
                "note": s["note"],
            }
            for i, s in enumerate(document["consensus"])
        ]
        responses = [
            {
                "evaluation_id": ev.id,
                "candidate_id": lookup(cand_ids, r["candidate"], "candidate", i, "responses"),
                "question_id": lookup(question_ids, r["question"], "question", i, "responses"),
                "value": r["value"],
                "raw": r.get("raw", ""),
                "comment": r.get("comment", ""),
                "source": source,
            }
            for i, r in enumerate(document["responses"])
        ]
        _check_values(document, criteria, scale, source)
        for model, rows in (
            (ScoreRow, scores),
            (ConsensusRow, consensus),
            (ResponseRow, responses),
        ):
            if rows:
                session.execute(insert(model), rows)
        ev.status = meta["status"]
        session.flush()
        audit(
            session,
            ev.id,
            actor,
            "load evaluation",
            name,
            new=f"{len(scores)} scores, {len(consensus)} consensus, {len(responses)} answers",
            why=f"from {source}" if source else "",
        )
        return ev.id


def _check_values(document: dict[str, Any], criteria: list[Any], scale: Any, source: str) -> None:
    """Scores must be whole points on the scale for rated leaves; consensus on the scale."""
    kinds = {leaf.key: leaf.kind for leaf in leaves(criteria)}
    where = source or "file"
    for i, s in enumerate(document["scores"]):
        kind = kinds.get(s["criterion"])
        if kind is None or not members_score(kind):
            raise ServiceError(
                f"{where}: scores[{i}]: {s['criterion']!r} is not a criterion committee members "
                "score"
            )
        if not scale.contains(s["value"]) or not float(s["value"]).is_integer():
            raise ServiceError(
                f"{where}: scores[{i}]: {s['value']} is not a whole point on the "
                f"scale {scale.minimum}..{scale.maximum}"
            )
    for i, s in enumerate(document["consensus"]):
        if s["criterion"] not in kinds:
            raise ServiceError(f"{where}: consensus[{i}]: {s['criterion']!r} is not a criterion")
        if not scale.contains(s["value"]) and not is_pass_fail(kinds[s["criterion"]]):
            raise ServiceError(f"{where}: consensus[{i}]: {s['value']} is outside the scale")


def _insert_named(
    session: Any, model: type, evaluation_id: int, items: list[dict[str, Any]], what: str
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for position, item in enumerate(items):
        name = clean_name(item["name"], f"{what} name")
        if name in ids:
            raise ServiceError(f"the {what} {name!r} is listed twice")
        row = model(
            evaluation_id=evaluation_id,
            position=position,
            name=name,
            **{k: v for k, v in item.items() if k != "name"},
        )
        session.add(row)
        session.flush()
        ids[name] = row.id
    return ids


def load_file(
    db: Database, path: str | Path, *, name: str | None = None, actor: str | None = None
) -> int:
    document = read_document(path)
    return load_document(db, document, name=name, source=Path(path).name, actor=actor)
