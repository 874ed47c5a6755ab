"""Copying whole evaluations, audit trail included, from one database to another: what a backup
file is made of (evaluator.backups) and what a restore writes (evaluator.restore).

An evaluation travels as the document `dump` writes (evaluator.jsonio), loaded by the same code
as `load`, plus what a JSON file leaves out and a backup must keep: each answer's source, the
evaluation's revision and times, and its audit entries. Audit entries name candidates and
committee members by row id (`score:3:7:tiers.l4`, evaluator.changes.context):

- into a fresh backup file (`write_verbatim`) every id is kept, so the entries are copied as
  they are;
- a restore (`write_restored`) cannot always keep ids (another evaluation may hold them), so it
  keeps the ids of the evaluation it replaces where the names match (its own audit trail stays
  right), lets the database choose the others, and maps each copied entry's ids through the
  person's name; an entry about someone removed before the backup loses its machine reference
  (its text still names them). Entries already in the database (the same time, member, action
  and text) are not copied twice, so restoring into the database a backup came from adds only
  the restore's own entry.

Every table a backup must carry is named in COPIED_TABLES; tests/test_backups.py fails when the
schema gains one that is not, so a new table cannot silently stay out of backups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from evaluator.jsonio import Written, new_evaluation_row, to_document, write_rows
from evaluator.models import (
    AuditRow,
    CandidateRow,
    ConsensusRow,
    CriterionRow,
    EvaluationRow,
    EvaluatorRow,
    QuestionRow,
    ResponseRow,
    ScoreRow,
)
from evaluator.records import audit
from evaluator.services.reading import read_evaluation

# every table of the schema, as the copy carries it (alembic_version comes with the schema)
COPIED_TABLES = frozenset(
    {
        "evaluations",
        "criteria",
        "questions",
        "candidates",
        "evaluators",
        "scores",
        "consensus_scores",
        "responses",
        "audit_log",
    }
)
# an evaluation's own rows, children before parents
CHILD_MODELS = (ScoreRow, ConsensusRow, ResponseRow, QuestionRow, CriterionRow)
PEOPLE_MODELS = (CandidateRow, EvaluatorRow)
AUDIT_FIELDS = ("at", "actor", "action", "target", "old", "new", "why")


@dataclass
class EvaluationCopy:
    """One evaluation read from a database, ready to be written into another."""

    id: int
    name: str
    document: dict[str, Any]
    revision: int
    created_at: datetime
    updated_at: datetime
    candidates: dict[int, str]  # row id in the source -> name
    evaluators: dict[int, str]
    audit: list[dict[str, Any]] = field(default_factory=list)  # every column, oldest first

    @property
    def is_final(self) -> bool:
        return bool(self.document["evaluation"]["status"] == "final")


def evaluation_ids(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every evaluation, oldest first."""
    rows = session.execute(select(EvaluationRow.id, EvaluationRow.name).order_by(EvaluationRow.id))
    return [(r.id, r.name) for r in rows]


def read_copy(session: Session, evaluation_id: int) -> EvaluationCopy:
    """Everything about one evaluation, read in the caller's (read or write) transaction."""
    data = read_evaluation(session, evaluation_id)
    row = session.get(EvaluationRow, evaluation_id)
    assert row is not None  # read_evaluation found it
    document = to_document(data, row.catalog_id)
    names = {c.id: c.name for c in data.candidates}
    sources = {
        (names[r.candidate_id], r.key): r.source
        for r in session.execute(
            select(ResponseRow.candidate_id, QuestionRow.key, ResponseRow.source)
            .join(QuestionRow, QuestionRow.id == ResponseRow.question_id)
            .where(ResponseRow.evaluation_id == evaluation_id)
        )
    }
    for response in document["responses"]:
        response["source"] = sources.get((response["candidate"], response["question"]), "")
    table = AuditRow.__table__
    trail = session.execute(
        select(table).where(table.c.evaluation_id == evaluation_id).order_by(table.c.id)
    )
    return EvaluationCopy(
        id=row.id,
        name=row.name,
        document=document,
        revision=row.revision or 0,
        created_at=row.created_at,
        updated_at=row.updated_at,
        candidates=names,
        evaluators={e.id: e.name for e in data.evaluators},
        audit=[dict(r._mapping) for r in trail],
    )


def loose_audit(session: Session, kept: set[int]) -> list[dict[str, Any]]:
    """Audit entries of no evaluation in `kept` (evaluations deleted earlier, or none), oldest
    first: a backup of the whole database carries the whole trail."""
    query = select(AuditRow.__table__).order_by(AuditRow.id)
    if kept:
        query = query.where(
            or_(AuditRow.evaluation_id.is_(None), AuditRow.evaluation_id.not_in(kept))
        )
    return [dict(r._mapping) for r in session.execute(query)]


# ---- into a fresh backup file ---------------------------------------------------------------


def write_verbatim(session: Session, copy: EvaluationCopy) -> None:
    """Write the evaluation into a fresh database with the ids, times and audit rows it has."""
    ev = new_evaluation_row(copy.document, copy.name)
    ev.id, ev.created_at, ev.revision = copy.id, copy.created_at, copy.revision
    session.add(ev)
    session.flush()
    meta = copy.document["evaluation"]
    write_rows(
        session,
        ev,
        {**copy.document, "evaluation": {**meta, "status": "draft"}},
        people_ids={
            "candidates": {name: i for i, name in copy.candidates.items()},
            "evaluators": {name: i for i, name in copy.evaluators.items()},
        },
    )
    # one last update, the status with its time (a final row refuses any update after it)
    ev.status, ev.updated_at = meta["status"], copy.updated_at
    session.flush()
    insert_audit(session, copy.audit)


def insert_audit(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(AuditRow), rows)


# ---- into a live database (restore) ---------------------------------------------------------


def write_restored(
    session: Session,
    copy: EvaluationCopy,
    *,
    into: EvaluationRow | None,
    actor: str | None,
    why: str,
) -> tuple[int, Written]:
    """Write the evaluation as a new one (`into` None) or in place of `into`: a locked,
    not final evaluation of the same name, whose rows are replaced and whose id and audit trail
    stay. Returns the evaluation's id and what was written."""
    known: set[tuple[Any, ...]] = set()
    keep_people: dict[str, dict[str, int]] = {"candidates": {}, "evaluators": {}}
    if into is None:
        ev = new_evaluation_row(copy.document, copy.name)
        ev.created_at, ev.revision = copy.created_at, copy.revision
        session.add(ev)
    else:
        ev = into
        keep_people = _people_ids(session, ev.id)
        known = {_fingerprint(r) for r in _trail(session, ev.id)}
        clear_rows(session, ev.id)
        meta = copy.document["evaluation"]
        ev.client = meta.get("client", "")
        ev.status = "draft"  # its status comes back after its rows (see write_rows)
        ev.scale_min, ev.scale_max = meta["scale"]["min"], meta["scale"]["max"]
        ev.aggregation = meta["aggregation"]
        ev.catalog_id = meta.get("catalog_id", "")
        # a window that has the evaluation open notices the new revision and reloads
        ev.revision = max(ev.revision or 0, copy.revision) + 1
    session.flush()
    written = write_rows(session, ev, copy.document, people_ids=keep_people)
    candidates = _through_names(copy.candidates, written.candidates)
    evaluators = _through_names(copy.evaluators, written.evaluators)
    rows = []
    for entry in copy.audit:
        if _fingerprint(entry) in known:
            continue
        row = {k: v for k, v in entry.items() if k != "id"}
        row["evaluation_id"] = ev.id
        row["ref"] = remap_ref(str(row.get("ref") or ""), candidates, evaluators)
        rows.append(row)
    insert_audit(session, rows)
    audit(session, ev.id, actor, "restore evaluation", copy.name, new=written.summary(), why=why)
    return ev.id, written


def clear_rows(session: Session, evaluation_id: int) -> None:
    """Delete an evaluation's criteria, questions, people and cells (not its audit trail)."""
    for model in (*CHILD_MODELS, *PEOPLE_MODELS):
        session.execute(delete(model).where(model.evaluation_id == evaluation_id))


def _people_ids(session: Session, evaluation_id: int) -> dict[str, dict[str, int]]:
    return {
        key: dict(
            session.execute(
                select(model.name, model.id).where(model.evaluation_id == evaluation_id)
            ).all()
        )
        for key, model in (("candidates", CandidateRow), ("evaluators", EvaluatorRow))
    }


def _trail(session: Session, evaluation_id: int) -> Iterator[dict[str, Any]]:
    query = select(*(AuditRow.__table__.c[f] for f in AUDIT_FIELDS)).where(
        AuditRow.evaluation_id == evaluation_id
    )
    for row in session.execute(query):
        yield dict(row._mapping)


def _fingerprint(entry: dict[str, Any]) -> tuple[Any, ...]:
    """An audit entry as the same entry in another database would read (its id differs)."""
    return tuple(entry.get(f) for f in AUDIT_FIELDS)


def _through_names(old: dict[int, str], new: dict[str, int]) -> dict[int, int]:
    return {old_id: new[name] for old_id, name in old.items() if name in new}


def remap_ref(ref: str, candidates: dict[int, int], evaluators: dict[int, int]) -> str:
    """An audit reference with its row ids mapped; "" when an id has no counterpart."""
    kind, _, rest = ref.partition(":")
    try:
        if kind == "score":
            member, candidate, key = rest.split(":", 2)
            return f"score:{evaluators[int(member)]}:{candidates[int(candidate)]}:{key}"
        if kind in ("consensus", "answer"):
            candidate, key = rest.split(":", 1)
            return f"{kind}:{candidates[int(candidate)]}:{key}"
        if kind == "candidate":
            return f"candidate:{candidates[int(rest)]}"
        if kind == "evaluator":
            return f"evaluator:{evaluators[int(rest)]}"
    except (KeyError, ValueError):
        return ""
    return ref  # criterion:KEY, evaluation, "": no row ids in them
