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
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from evaluator import models
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
from evaluator.domain import (
    ConsensusScore,
    EvaluationData,
    Scale,
    Score,
    ScoringError,
    leaves,
    walk_tree,
)
from evaluator.jsonio_ahp import insert_judgments, judgments_document
from evaluator.kinds import is_pass_fail, members_score
from evaluator.live_files import live_database_problem
from evaluator.models import utcnow
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

    def cell(item: Score | ConsensusScore) -> dict[str, Any]:
        """A score's or consensus value's cell: candidate, criterion, value."""
        return {
            "candidate": cand[item.candidate_id].name,
            "criterion": item.criterion_key,
            "value": item.value,
        }

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
    if data.weight_sets:  # a criterion removed since a set was made is left out
        known = {node.key for node in walk_tree(data.criteria)}
        extra["weight_sets"] = [
            {"name": s.name, "note": s.note, "weights": {k: w for k, w in s.weights if k in known}}
            for s in data.weight_sets
        ]
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
                **cell(s),
                "justification": s.justification,
                "abstained": s.abstained,
            }
            for s in scores
        ],
        "consensus": [{**cell(s), "note": s.note} for s in consensus],
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
        catalog_id = session.get(models.EvaluationRow, data.id).catalog_id  # type: ignore[union-attr]
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
            select(models.CandidateRow.uid, models.CandidateRow.name).where(
                models.CandidateRow.evaluation_id == data.id
            )
        ).all()
    )
    rows = session.scalars(
        select(models.DeclarationRow)
        .where(models.DeclarationRow.evaluation_id == data.id)
        .order_by(models.DeclarationRow.id)
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
    """Create a new evaluation from a validated document in one transaction; returns its id.

    A document with an audit trail is refused when its chain is broken (naming the entry) or
    when its values differ from what its chain records."""
    where = source or "file"
    carried = _checked_audit(document, where)
    meta = document["evaluation"]
    name = clean_name(name or meta["name"], "evaluation name")
    criteria, _scale = _criteria_of(document)
    with db.transaction() as session:
        if session.query(models.EvaluationRow.id).filter(models.EvaluationRow.name == name).first():
            raise ServiceError(
                f"an evaluation named {name!r} already exists: load it under "
                "another name (--name NAME)"
            )
        ev = new_evaluation_row(document, name)
        session.add(ev)
        session.flush()
        written = write_rows(
            session, ev, document, source=source, criteria=criteria, with_status=False
        )
        insert_imported(session, ev.id, carried)
        kept = f"; {len(carried)} audit entries kept, head {carried[-1].hash}" if carried else ""
        audit(
            session,
            ev.id,
            actor,
            "load evaluation",
            name,
            new=written.summary(),
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


@dataclass(frozen=True)
class Written:
    """What `write_rows` inserted: the people's row ids by name, and the cell counts."""

    candidates: dict[str, int]
    evaluators: dict[str, int]
    scores: int
    consensus: int
    responses: int

    def summary(self) -> str:
        return f"{self.scores} scores, {self.consensus} consensus, {self.responses} answers"


def _criteria_of(document: dict[str, Any]) -> tuple[list[Any], Scale]:
    meta = document["evaluation"]
    scale = Scale(meta["scale"]["min"], meta["scale"]["max"])
    criteria = [criterion_from_dict(node) for node in document["criteria"]]
    validate_tree(criteria, scale)
    return criteria, scale


def new_evaluation_row(document: dict[str, Any], name: str) -> models.EvaluationRow:
    """The evaluations row of a document, as a draft: the database refuses rows for a final
    evaluation, so `write_rows` gives it its status after its rows."""
    meta = document["evaluation"]
    return models.EvaluationRow(
        name=name,
        client=meta.get("client", ""),
        status="draft",
        scale_min=meta["scale"]["min"],
        scale_max=meta["scale"]["max"],
        aggregation=meta["aggregation"],
        catalog_id=meta.get("catalog_id", ""),
        chair=meta.get("chair", ""),
    )


def write_rows(
    session: Any,
    ev: models.EvaluationRow,
    document: dict[str, Any],
    *,
    source: str = "",
    criteria: list[Any] | None = None,
    people_ids: dict[str, dict[str, int]] | None = None,
    with_status: bool = True,
) -> Written:
    """Insert a document's criteria, people and cells under the flushed draft row `ev` (which
    has none), then give `ev` the document's status. Used by `load` and by backups/restores.

    `people_ids` asks for row ids by name ({"candidates": {name: id}, "evaluators": ...}),
    which the caller knows are free: a restore keeps the ids the audit trail refers to. A
    response's own "source" (a backup keeps it) wins over `source`; so do the columns a backup's
    copy adds to its people (uid, secret, submitted_at), which a file cannot (its schema)."""
    meta = document["evaluation"]
    scale = Scale(meta["scale"]["min"], meta["scale"]["max"])
    if criteria is None:
        criteria, scale = _criteria_of(document)
    wanted = people_ids or {}
    insert_criteria(session, ev.id, criteria)
    crit_ids = dict(
        session.query(models.CriterionRow.key, models.CriterionRow.id)
        .filter(models.CriterionRow.evaluation_id == ev.id)
        .all()
    )
    question_ids = dict(
        session.query(models.QuestionRow.key, models.QuestionRow.id)
        .filter(models.QuestionRow.evaluation_id == ev.id)
        .all()
    )
    cand_ids = _insert_named(
        session, models.CandidateRow, ev.id, document["candidates"], "candidate",
        wanted.get("candidates", {}),
    )  # fmt: skip
    people = [  # a backup's copy brings its own time of submission (evaluator.backup_copy)
        {k: v for k, v in e.items() if k != "submitted"}
        | ({"submitted_at": utcnow()} if e.get("submitted") and not e.get("submitted_at") else {})
        for e in document["evaluators"]
    ]
    person_ids = _insert_named(
        session,
        models.EvaluatorRow,
        ev.id,
        people,
        "committee member",
        wanted.get("evaluators", {}),
    )
    _insert_declarations(session, ev.id, document, cand_ids, person_ids, source or "file")
    insert_judgments(session, ev.id, document, criteria, person_ids, source or "file")

    def lookup(table: dict[str, int], key: str, what: str, i: int, section: str) -> int:
        if key not in table:
            raise ServiceError(f"{source or 'file'}: {section}[{i}] names unknown {what} {key!r}")
        return table[key]

    def cell_ids(item: dict[str, Any], i: int, section: str) -> dict[str, Any]:
        """A score's or consensus value's candidate, criterion and value, as row fields."""
        return {
            "candidate_id": lookup(cand_ids, item["candidate"], "candidate", i, section),
            "criterion_id": lookup(crit_ids, item["criterion"], "criterion", i, section),
            "value": item["value"],
        }

    scores = [
        {
            "evaluation_id": ev.id,
            "evaluator_id": lookup(person_ids, s["evaluator"], "committee member", i, "scores"),
            **cell_ids(s, i, "scores"),
            "justification": s["justification"],
            "abstained": bool(s.get("abstained", False)),
        }
        for i, s in enumerate(document["scores"])
    ]
    consensus = [
        {"evaluation_id": ev.id, **cell_ids(s, i, "consensus"), "note": s["note"]}
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
            "source": r.get("source", source),
        }
        for i, r in enumerate(document["responses"])
    ]
    _check_values(document, criteria, scale, source)
    _insert_weight_sets(session, ev.id, document, criteria, source or "file")
    for model, rows in (
        (models.ScoreRow, scores),
        (models.ConsensusRow, consensus),
        (models.ResponseRow, responses),
    ):
        if rows:
            session.execute(insert(model.__table__), rows)  # Core: a plain executemany
    if with_status:  # rows went in as a draft: a final one is locked last
        ev.status = meta["status"]
    session.flush()
    return Written(cand_ids, person_ids, len(scores), len(consensus), len(responses))


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


def _insert_weight_sets(
    session: Any, evaluation_id: int, document: dict[str, Any], criteria: list[Any], where: str
) -> None:
    """The weighting sets, each checked against the loaded criteria as a full set would be, and
    stored as given (a criterion the file's set does not name keeps taking the current weight),
    so that a dump of the loaded evaluation gives the file's sets back."""
    from evaluator.weight_sets import complete_weights

    seen: set[str] = set()
    for i, item in enumerate(document.get("weight_sets", [])):
        name = clean_name(item["name"], "weighting set name")
        if name.casefold() in seen:
            raise ServiceError(f"{where}: weight_sets[{i}]: the set {name!r} is listed twice")
        seen.add(name.casefold())
        try:
            weights = complete_weights(criteria, item["weights"])
        except ScoringError as error:
            raise ServiceError(f"{where}: weight_sets[{i}] ({name}): {error}") from None
        session.add(
            models.WeightSetRow(
                evaluation_id=evaluation_id,
                position=i,
                name=name,
                note=item.get("note", "").strip(),
                weights=[[key, weight] for key, weight in weights if key in item["weights"]],
            )
        )
    session.flush()


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
            select(models.CandidateRow.name, models.CandidateRow.uid).where(
                models.CandidateRow.evaluation_id == evaluation_id
            )
        ).all()
    )
    for i, item in enumerate(document.get("declarations", [])):
        unknown = [n for n in (item["member"], *item["conflicted"], *item["covers"])
                   if n not in person_ids and n not in cand_ids]  # fmt: skip
        if unknown:
            raise ServiceError(f"{where}: declarations[{i}] names unknown {unknown[0]!r}")
        session.add(
            models.DeclarationRow(
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
    session: Any,
    model: type,
    evaluation_id: int,
    items: list[dict[str, Any]],
    what: str,
    wanted: dict[str, int],
) -> dict[str, int]:
    """Insert named rows in the document's order; the ones with a `wanted` id go in first, so
    that an id the database picks (SQLite: the largest plus one) never takes a wanted one."""
    names = [clean_name(item["name"], f"{what} name") for item in items]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ServiceError(f"the {what} {name!r} is listed twice")
        seen.add(name)
    ids: dict[str, int] = {}
    order = sorted(range(len(items)), key=lambda i: names[i] not in wanted)
    for position in order:
        name = names[position]
        row = model(
            id=wanted.get(name),
            evaluation_id=evaluation_id,
            position=position,
            name=name,
            **{k: v for k, v in items[position].items() if k != "name"},
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
