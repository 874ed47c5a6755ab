"""One evaluation as one JSON file (schema: evaluator/schema/evaluation.schema.json).

`dump` then `load` then `dump` gives identical bytes for the evaluation: the file carries no
database ids, lists are in the evaluation's own order, and keys are written sorted. The audit
trail travels with it (version 2): every entry with its time, who, from where and its hashes.
`load` checks that chain first and refuses a broken one, keeps the entries (marked imported,
with their own times and hashes) and appends its own live "load evaluation" entry after them,
so the loaded file's audit has one entry more. Files without an audit (version 1) still load.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from evaluator.atomic import write_text_atomic
from evaluator.audit_chain import (
    ChainEntry,
    check_entries,
    entry_from_dict,
    entry_to_dict,
    insert_imported,
)
from evaluator.audit_verify import read_chain, verify_in
from evaluator.codec import criterion_from_dict, criterion_to_dict
from evaluator.db import Database
from evaluator.domain import EvaluationData, Scale, leaves
from evaluator.jsonio_ahp import insert_judgments, judgments_document
from evaluator.kinds import is_pass_fail, members_score
from evaluator.models import (
    CandidateRow,
    ConsensusRow,
    CriterionRow,
    DeclarationRow,
    EvaluationRow,
    EvaluatorRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
    utcnow,
)
from evaluator.records import ServiceError, audit, clean_name, insert_criteria
from evaluator.services.evaluations import validate_tree
from evaluator.services.reading import read_evaluation

FORMAT = "supportscope-evaluation"
VERSION = 2  # 2: the audit trail travels in the file
SCHEMA_PATH = Path(__file__).with_name("schema") / "evaluation.schema.json"


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def to_document(
    data: EvaluationData,
    catalog_id: str = "",
    audit: list[ChainEntry] | None = None,
    declarations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON document of an evaluation snapshot (with its audit chain and declaration
    history, when given)."""
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
    if data.chair:
        evaluation["chair"] = data.chair
    extra: dict[str, Any] = {}
    if audit is not None:
        extra["audit"] = [entry_to_dict(entry) for entry in audit]
    if declarations:
        extra["declarations"] = declarations
    if data.judgments:
        extra["ahp_judgments"] = judgments_document(data)
    return {
        **extra,
        "format": FORMAT,
        "version": VERSION,
        "evaluation": evaluation,
        "criteria": [criterion_to_dict(node) for node in data.criteria],
        "candidates": [
            {"name": c.name, "kind": c.kind.value, "notes": c.notes} for c in data.candidates
        ],
        "evaluators": [
            {
                "name": e.name,
                "role": e.role,
                "conflict_of_interest": e.conflict_of_interest,
                "submitted": e.submitted,
                "excused": e.excused,
            }
            for e in data.evaluators
        ],
        "scores": [
            {
                "evaluator": people[s.evaluator_id].name,
                "candidate": cand[s.candidate_id].name,
                "criterion": s.criterion_key,
                "value": s.value,
                "justification": s.justification,
                "abstained": s.abstained,
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
    """Write the evaluation to a JSON file (atomically); returns the document.

    The values and the audit trail are read in one snapshot, so the file's values are exactly
    what its trail records."""
    with db.reading() as session:
        if db.engine.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        data = read_evaluation(session, evaluation)
        catalog_id = session.get(EvaluationRow, data.id).catalog_id  # type: ignore[union-attr]
        trail = list(read_chain(session, data.id))
        declarations = _declaration_history(session, data)
    document = to_document(data, catalog_id, trail, declarations)
    write_text_atomic(path, dumps(document))
    return document


def _declaration_history(session: Any, data: EvaluationData) -> list[dict[str, Any]]:
    """Every declaration of the evaluation, oldest first, naming candidates and members."""
    members = {e.id: e.name for e in data.evaluators}
    uids = dict(
        session.execute(
            select(CandidateRow.uid, CandidateRow.name).where(CandidateRow.evaluation_id == data.id)
        ).all()
    )
    rows = session.scalars(
        select(DeclarationRow)
        .where(DeclarationRow.evaluation_id == data.id)
        .order_by(DeclarationRow.id)
    )
    return [
        {
            "member": members[row.evaluator_id],
            "conflicted": [uids[u] for u in row.conflicted if u in uids],
            "covers": [uids[u] for u in row.covers if u in uids],
            "note": row.note,
            "at": row.declared_at.isoformat(),
        }
        for row in rows
        if row.evaluator_id in members
    ]


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_document(path: str | Path) -> dict[str, Any]:
    """Read and validate a JSON evaluation file; errors name the file and the bad place."""
    import jsonschema

    path = Path(path)
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
    """Create a new evaluation from a validated document in one transaction; returns its id.

    A document with an audit trail is refused when its chain is broken (naming the entry) or
    when its values differ from what its chain records."""
    where = source or "file"
    carried = _checked_audit(document, where)
    meta = document["evaluation"]
    name = clean_name(name or meta["name"], "evaluation name")
    scale = Scale(meta["scale"]["min"], meta["scale"]["max"])
    criteria = [criterion_from_dict(node) for node in document["criteria"]]
    validate_tree(criteria, scale)
    with db.transaction() as session:
        if session.query(EvaluationRow.id).filter(EvaluationRow.name == name).first():
            raise ServiceError(
                f"an evaluation named {name!r} already exists: load it under "
                "another name (--name NAME)"
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
            chair=meta.get("chair", ""),
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
        people = [
            {k: v for k, v in e.items() if k != "submitted"}
            | ({"submitted_at": utcnow()} if e.get("submitted") else {})
            for e in document["evaluators"]
        ]
        person_ids = _insert_named(session, EvaluatorRow, ev.id, people, "committee member")
        _insert_declarations(session, ev.id, document, cand_ids, person_ids, where)
        insert_judgments(session, ev.id, document, criteria, person_ids, where)

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
                "abstained": bool(s.get("abstained", False)),
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
        insert_imported(session, ev.id, carried)
        kept = f"; {len(carried)} audit entries kept, head {carried[-1].hash}" if carried else ""
        audit(
            session,
            ev.id,
            actor,
            "load evaluation",
            name,
            new=f"{len(scores)} scores, {len(consensus)} consensus, {len(responses)} answers",
            why=(f"from {source}" if source else "from a file") + kept,
        )
        verdict = verify_in(session, ev.id)
        if not verdict.intact:
            raise ServiceError(
                f"{where}: its values do not match its audit trail ({verdict.sentence()}); "
                "nothing was loaded"
            )
        ev.status = meta["status"]  # rows went in as a draft: a final one is locked last
        session.flush()
        return ev.id


def _checked_audit(document: dict[str, Any], where: str) -> list[ChainEntry]:
    """The document's audit entries, their chain verified; refused naming the first break."""
    entries = [
        entry_from_dict(item, f"audit[{i}]") for i, item in enumerate(document.get("audit", []))
    ]
    _, _, broken = check_entries(entries)
    if broken is not None:
        raise ServiceError(
            f"{where}: its audit trail is broken at {broken.sentence()}; nothing was loaded"
        )
    return entries


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


def _insert_declarations(
    session: Any,
    evaluation_id: int,
    document: dict[str, Any],
    cand_ids: dict[str, int],
    person_ids: dict[str, int],
    where: str,
) -> None:
    """The declaration history, candidates named by the file turned into this database's uids."""
    uids = dict(
        session.execute(
            select(CandidateRow.name, CandidateRow.uid).where(
                CandidateRow.evaluation_id == evaluation_id
            )
        ).all()
    )
    for i, item in enumerate(document.get("declarations", [])):
        unknown = [n for n in (item["member"], *item["conflicted"], *item["covers"])
                   if n not in person_ids and n not in cand_ids]  # fmt: skip
        if unknown:
            raise ServiceError(f"{where}: declarations[{i}] names unknown {unknown[0]!r}")
        session.add(
            DeclarationRow(
                evaluation_id=evaluation_id,
                evaluator_id=person_ids[item["member"]],
                declared_at=datetime.fromisoformat(item["at"]),
                conflicted=[uids[n] for n in item["conflicted"]],
                covers=[uids[n] for n in item["covers"]],
                note=item["note"],
            )
        )
    session.flush()


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
