"""Copying whole evaluations, audit trail included, from one database to another: what a backup
file is made of (evaluator.backups) and what a restore writes (evaluator.restore).

An evaluation travels as the document `dump` writes (evaluator.jsonio), loaded by the same code
as `load`, plus what a JSON file leaves out and a backup must keep: each answer's source, the
evaluation's revision and times, the chair's and members' passphrase hashes, the members'
times of submission, the people's uids, the declarations as stored (candidate uids), and the
audit chain.

Audit entries are sealed into a hash chain (evaluator.audit_chain) whose hashes cover what each
entry says, its machine reference included (`score:3:7:tiers.l4`, row ids): an entry is copied
exactly as it was sealed, or not at all. The database lets only entries marked imported keep
their own time, and only at the start of a chain (migration 0005), so:

- into a fresh backup file (`write_verbatim`) every row id is kept and the chain goes in as
  imported entries, original times and hashes: the file's references stay right;
- a restore as a new evaluation (`write_restored`, `into` None) carries the chain the same way,
  as `load` does: its references speak of the backup's rows (the audit viewer resolves them by
  the trail's own names, evaluator.audit_trail), then its own live "restore evaluation" entry;
- a restore in place of an evaluation of the same name keeps that evaluation's id, its people's
  ids (by name) and its own chain, which can only be appended to: the backup's entries already in
  it (the same hash) are not copied twice; any others cannot join a live chain and stay in the
  backup (the restore entry counts them). Each score or consensus value the restore changes gets
  a "restore score" / "restore consensus" entry, so the record still shows every stored value
  and `verify` holds.

Every table a backup must carry is named in COPIED_TABLES; tests/test_backups.py fails when the
schema gains one that is not, so a new table cannot silently stay out of backups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from evaluator import models
from evaluator.audit_chain import ChainEntry, insert_imported
from evaluator.audit_verify import read_chain, stored_values
from evaluator.contracts import copy as contract_copy
from evaluator.jsonio import Written, new_evaluation_row, to_document, write_rows
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
        "declarations",
        "scores",
        "consensus_scores",
        "responses",
        "weight_sets",
        "ahp_judgments",
        "audit_log",
        *contract_copy.TABLES,  # a contract, its targets and tickets (evaluator.contracts.copy)
    }
)
# an evaluation's own rows, children before parents
CHILD_MODELS = (
    models.AhpJudgmentRow,
    models.ScoreRow,
    models.ConsensusRow,
    models.ResponseRow,
    models.QuestionRow,
    models.CriterionRow,
    models.DeclarationRow,
    models.WeightSetRow,
)
PEOPLE_MODELS = (models.CandidateRow, models.EvaluatorRow)


@dataclass
class EvaluationCopy:
    """One evaluation read from a database, ready to be written into another. Its document's
    people carry their uid (and members their secret and submitted_at) for `write_rows`."""

    id: int
    name: str
    document: dict[str, Any]
    revision: int
    created_at: datetime
    updated_at: datetime
    chair_secret: str | None
    candidates: dict[int, str]  # row id in the source -> name
    evaluators: dict[int, str]
    declarations: list[dict[str, Any]] = field(default_factory=list)  # rows, oldest first
    audit: list[ChainEntry] = field(default_factory=list)  # the chain, oldest first
    contract: dict[str, Any] | None = None  # the support contract and its rows, if any

    @property
    def is_final(self) -> bool:
        return bool(self.document["evaluation"]["status"] == "final")

    @property
    def status(self) -> str:
        return str(self.document["evaluation"]["status"])


def evaluation_ids(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every evaluation, oldest first."""
    rows = session.execute(
        select(models.EvaluationRow.id, models.EvaluationRow.name).order_by(models.EvaluationRow.id)
    )
    return [(r.id, r.name) for r in rows]


def read_copy(session: Session, evaluation_id: int) -> EvaluationCopy:
    """Everything about one evaluation, read in the caller's (read or write) transaction."""
    data = read_evaluation(session, evaluation_id)
    row = session.get(models.EvaluationRow, evaluation_id)
    assert row is not None  # read_evaluation found it
    document = to_document(data, row.catalog_id)
    names = {c.id: c.name for c in data.candidates}
    sources = {
        (names[r.candidate_id], r.key): r.source
        for r in session.execute(
            select(
                models.ResponseRow.candidate_id, models.QuestionRow.key, models.ResponseRow.source
            )
            .join(models.QuestionRow, models.QuestionRow.id == models.ResponseRow.question_id)
            .where(models.ResponseRow.evaluation_id == evaluation_id)
        )
    }
    for response in document["responses"]:
        response["source"] = sources.get((response["candidate"], response["question"]), "")
    uids = dict(
        session.execute(
            select(models.CandidateRow.name, models.CandidateRow.uid).where(
                models.CandidateRow.evaluation_id == evaluation_id
            )
        ).all()
    )
    for candidate in document["candidates"]:
        candidate["uid"] = uids[candidate["name"]]
    members = {
        r.name: r
        for r in session.execute(
            select(
                models.EvaluatorRow.id,
                models.EvaluatorRow.name,
                models.EvaluatorRow.uid,
                models.EvaluatorRow.secret,
                models.EvaluatorRow.submitted_at,
            ).where(models.EvaluatorRow.evaluation_id == evaluation_id)
        )
    }
    for member in document["evaluators"]:
        found = members[member["name"]]
        member.update(uid=found.uid, secret=found.secret, submitted_at=found.submitted_at)
    return EvaluationCopy(
        id=row.id,
        name=row.name,
        document=document,
        revision=row.revision or 0,
        created_at=row.created_at,
        updated_at=row.updated_at,
        chair_secret=row.chair_secret,
        candidates=names,
        evaluators={e.id: e.name for e in data.evaluators},
        declarations=_declarations(session, evaluation_id, {r.id: n for n, r in members.items()}),
        audit=list(read_chain(session, evaluation_id)),
        contract=contract_copy.read_contract_copy(session, evaluation_id),
    )


def _declarations(
    session: Session, evaluation_id: int, members: dict[int, str]
) -> list[dict[str, Any]]:
    """The declaration rows as stored, their member named (a removed member's went with them)."""
    rows = session.scalars(
        select(models.DeclarationRow)
        .where(models.DeclarationRow.evaluation_id == evaluation_id)
        .order_by(models.DeclarationRow.id)
    )
    return [
        {
            "id": r.id,
            "member": members[r.evaluator_id],
            "declared_at": r.declared_at,
            "conflicted": list(r.conflicted or []),
            "covers": list(r.covers or []),
            "note": r.note,
        }
        for r in rows
    ]


def loose_audit(session: Session, kept: set[int]) -> dict[int | None, list[ChainEntry]]:
    """The chains of no evaluation in `kept` (evaluations deleted earlier, or none), by their
    evaluation id: a backup of the whole database carries the whole record."""
    query = select(models.AuditRow.evaluation_id).distinct()
    if kept:
        query = query.where(
            or_(models.AuditRow.evaluation_id.is_(None), models.AuditRow.evaluation_id.not_in(kept))
        )
    chains = sorted(session.scalars(query), key=lambda i: (i is not None, i or 0))
    return {chain: list(read_chain(session, chain)) for chain in chains}


# ---- into a fresh backup file ---------------------------------------------------------------


def write_verbatim(session: Session, copy: EvaluationCopy) -> None:
    """Write the evaluation into a fresh database with the ids, times and audit chain it has."""
    ev = new_evaluation_row(copy.document, copy.name)
    ev.id, ev.created_at, ev.revision = copy.id, copy.created_at, copy.revision
    ev.chair_secret = copy.chair_secret
    session.add(ev)
    session.flush()
    written = write_rows(
        session,
        ev,
        copy.document,
        people_ids={
            "candidates": {name: i for i, name in copy.candidates.items()},
            "evaluators": {name: i for i, name in copy.evaluators.items()},
        },
        with_status=False,
    )
    _insert_declarations(session, ev.id, copy.declarations, written.evaluators, keep_ids=True)
    # one last update, the status with its time (a final row refuses any update after it)
    ev.status, ev.updated_at = copy.status, copy.updated_at
    session.flush()
    names = {name: i for i, name in copy.candidates.items()}
    contract_copy.write_contract_copy(session, copy.contract, ev.id, names, keep_ids=True)
    insert_imported(session, ev.id, copy.audit)


def insert_chains(session: Session, chains: dict[int | None, list[ChainEntry]]) -> None:
    """Chains of no evaluation here (see `loose_audit`), each as imported entries."""
    for evaluation_id, entries in chains.items():
        insert_imported(session, evaluation_id, entries)


# ---- into a live database (restore) ---------------------------------------------------------


def write_restored(
    session: Session,
    copy: EvaluationCopy,
    *,
    into: models.EvaluationRow | None,
    actor: str | None,
    why: str,
) -> tuple[int, Written]:
    """Write the evaluation as a new one (`into` None) or in place of `into`: a locked,
    not final evaluation of the same name, whose rows are replaced and whose id and audit trail
    stay. Returns the evaluation's id and what was written."""
    keep_people: dict[str, dict[str, int]] = {"candidates": {}, "evaluators": {}}
    before: dict[str, tuple[str, str, str]] = {}
    if into is None:
        ev = new_evaluation_row(copy.document, copy.name)
        ev.created_at, ev.revision = copy.created_at, copy.revision
        ev.chair_secret = copy.chair_secret
        session.add(ev)
    else:
        ev = into
        keep_people = _people_ids(session, ev.id)
        before = stored_values(session, ev.id)
        clear_rows(session, ev.id)
        meta = copy.document["evaluation"]
        ev.client = meta.get("client", "")
        ev.status = "draft"  # its status comes back after its rows
        ev.scale_min, ev.scale_max = meta["scale"]["min"], meta["scale"]["max"]
        ev.aggregation = meta["aggregation"]
        ev.catalog_id = meta.get("catalog_id", "")
        ev.chair, ev.chair_secret = meta.get("chair", ""), copy.chair_secret
        # a window that has the evaluation open notices the new revision and reloads
        ev.revision = max(ev.revision or 0, copy.revision) + 1
    session.flush()
    written = write_rows(session, ev, copy.document, people_ids=keep_people, with_status=False)
    _insert_declarations(session, ev.id, copy.declarations, written.evaluators, keep_ids=False)
    note = ""
    if into is None:
        insert_imported(session, ev.id, copy.audit)
    else:
        known = {entry.hash for entry in read_chain(session, ev.id)}
        left = sum(1 for entry in copy.audit if entry.hash not in known)
        if left:
            note = (
                f"; {left} of the backup's {len(copy.audit)} audit entries are not in this "
                "evaluation's record (a record is only appended to): they stay in the backup, "
                f"whose record ends at {copy.audit[-1].hash}"
            )
        _record_cells(session, ev.id, before, actor, why)
    audit(session, ev.id, actor, "restore evaluation", copy.name, new=written.summary(),
          why=why + note)  # fmt: skip
    ev.status = copy.status  # rows went in as a draft: a final one is locked last
    session.flush()
    contract_copy.write_contract_copy(session, copy.contract, ev.id, written.candidates,
                                      keep_ids=False)  # fmt: skip
    return ev.id, written


def clear_rows(session: Session, evaluation_id: int) -> None:
    """Delete an evaluation's criteria, questions, declarations, people and cells (not its
    audit trail); a contract first, which holds on to its candidate."""
    contract_copy.delete_contract(session, evaluation_id)
    for model in (*CHILD_MODELS, *PEOPLE_MODELS):
        session.execute(delete(model).where(model.evaluation_id == evaluation_id))


def _record_cells(
    session: Session,
    evaluation_id: int,
    before: dict[str, tuple[str, str, str]],
    actor: str | None,
    why: str,
) -> None:
    """An entry for each score or consensus value the restore set, changed or cleared, so that
    the record shows every stored value (evaluator.audit_verify)."""
    after = stored_values(session, evaluation_id)
    changes = [
        (kind, cell, before[ref][2] if ref in before else "", shown, ref)
        for ref, (kind, cell, shown) in after.items()
        if ref not in before or before[ref][2] != shown
    ] + [(kind, cell, shown, "", ref) for ref, (kind, cell, shown) in before.items()
         if ref not in after]  # fmt: skip
    for kind, cell, old, new, ref in sorted(changes, key=lambda c: (c[0] != "score", c[1])):
        audit(session, evaluation_id, actor, f"restore {kind}", cell, old, new, why, ref)


def _insert_declarations(
    session: Session,
    evaluation_id: int,
    rows: list[dict[str, Any]],
    members: dict[str, int],
    *,
    keep_ids: bool,
) -> None:
    """The declaration rows as stored (candidate uids: the copy keeps the candidates' uids), in
    their order (the newest counts), under the members' row ids here."""
    if rows:
        session.execute(
            insert(models.DeclarationRow.__table__),
            [
                {
                    **({"id": row["id"]} if keep_ids else {}),
                    "evaluation_id": evaluation_id,
                    "evaluator_id": members[row["member"]],
                    "declared_at": row["declared_at"],
                    "conflicted": row["conflicted"],
                    "covers": row["covers"],
                    "note": row["note"],
                }
                for row in rows
            ],
        )


def _people_ids(session: Session, evaluation_id: int) -> dict[str, dict[str, int]]:
    return {
        key: dict(
            session.execute(
                select(model.name, model.id).where(model.evaluation_id == evaluation_id)
            ).all()
        )
        for key, model in (("candidates", models.CandidateRow), ("evaluators", models.EvaluatorRow))
    }
