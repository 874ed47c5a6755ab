"""A contract travels with its evaluation in backups and restores (evaluator.backup_copy):
the contract, its targets, ticket sources, tickets and call statistics, as stored.

The contract names its candidate by name (row ids differ in another database); a backup file
keeps every row id, a restore gives new ones. A contract is written after its evaluation is
final again (the database refuses a contract for an evaluation that is not).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from evaluator.models import (
    CallMonthRow,
    CandidateRow,
    ContractRow,
    TargetRow,
    TicketRow,
    TicketSourceRow,
)

CHILDREN = (TargetRow, TicketSourceRow, TicketRow, CallMonthRow)  # parents first
TABLES = frozenset({ContractRow.__tablename__, *(m.__tablename__ for m in CHILDREN)})


def _rows(session: Session, model: Any, contract_id: int) -> list[dict[str, Any]]:
    table = model.__table__
    result = session.execute(select(table).where(table.c.contract_id == contract_id))
    return [dict(row) for row in result.mappings()]


def read_contract_copy(session: Session, evaluation_id: int) -> dict[str, Any] | None:
    """The evaluation's contract and its rows, or None when it has none."""
    table = ContractRow.__table__
    row = (
        session.execute(
            select(table, CandidateRow.name.label("candidate"))
            .join(CandidateRow, CandidateRow.id == table.c.candidate_id)
            .where(table.c.evaluation_id == evaluation_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    contract = dict(row)
    return {
        "contract": contract,
        "rows": {m.__tablename__: _rows(session, m, contract["id"]) for m in CHILDREN},
    }


def delete_contract(session: Session, evaluation_id: int) -> None:
    """Remove an evaluation's contract and everything under it (before its rows are replaced)."""
    ids = select(ContractRow.id).where(ContractRow.evaluation_id == evaluation_id)
    for model in reversed(CHILDREN):
        session.execute(delete(model).where(model.contract_id.in_(ids)))
    session.execute(delete(ContractRow).where(ContractRow.evaluation_id == evaluation_id))


def write_contract_copy(
    session: Session,
    copy: dict[str, Any] | None,
    evaluation_id: int,
    candidates: dict[str, int],
    *,
    keep_ids: bool,
) -> None:
    """Write a copied contract under `evaluation_id`, its candidate found by name."""
    if copy is None:
        return
    contract = {k: v for k, v in copy["contract"].items() if k != "candidate"}
    contract.update(
        evaluation_id=evaluation_id, candidate_id=candidates[copy["contract"]["candidate"]]
    )
    if not keep_ids:
        contract.pop("id")
    new_id = session.execute(insert(ContractRow).values(**contract)).inserted_primary_key[0]
    sources: dict[int, int] = {}
    for row in copy["rows"][TicketSourceRow.__tablename__]:  # a few rows: ids mapped one by one
        values = {k: v for k, v in row.items() if keep_ids or k != "id"}
        values["contract_id"] = new_id
        inserted = session.execute(insert(TicketSourceRow).values(**values))
        sources[row["id"]] = inserted.inserted_primary_key[0]
    for model in (TargetRow, TicketRow, CallMonthRow):
        batch = [
            {k: v for k, v in row.items() if keep_ids or k != "id"}
            for row in copy["rows"][model.__tablename__]
        ]
        for row in batch:
            row["contract_id"] = new_id
            if model is TicketRow:
                row["source_id"] = sources[row["source_id"]]
        if batch:
            session.execute(insert(model), batch)
