"""Writing cell changes: a member's score, the committee's consensus value (a candidate's answer:
evaluator.changes.write_answers).

Each writer validates `after` once, compares the stored value with `before` (what the user saw)
and refuses a stale edit, writes the row and its audit entry, and returns the change as applied
(normalised `after`, the stored `before`) and whether anything changed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import delete, insert, select, update

from evaluator.changes import normalise
from evaluator.changes.context import WriteContext, consensus_ref, score_ref
from evaluator.changes.model import (
    ConsensusCell,
    ScoreCell,
    SetConsensus,
    SetScore,
)
from evaluator.domain import CriterionKind
from evaluator.errors import ServiceError
from evaluator.kinds import is_category, is_pass_fail, kind_label, members_score
from evaluator.models import ConsensusRow, CriterionRow, ScoreRow


def _cell(candidate: str, criterion: CriterionRow) -> str:
    return f"{candidate} / {criterion.name} [{criterion.key}]"


def write_score(ctx: WriteContext, change: SetScore) -> tuple[SetScore, bool]:
    person = ctx.evaluator(change.evaluator_id)
    cand = ctx.candidate(change.candidate_id)
    crit = ctx.criterion(change.key)
    after = None
    if change.after is not None:
        if not members_score(CriterionKind(crit.kind)):
            raise ServiceError(
                f"criterion {crit.key!r} is {kind_label(CriterionKind(crit.kind))}, not rated: "
                "committee members score rated criteria only (use consensus to override it)"
            )
        if change.after.abstained:
            reason = normalise.require_text(change.after.justification, "reason to abstain")
            after = ScoreCell(float(ctx.scale.minimum), reason, True)
        else:
            after = ScoreCell(
                normalise.on_scale(change.after.value, ctx.scale, "score", whole=True),
                normalise.require_text(change.after.justification, "justification"),
            )
    if ctx.bulk:
        rows = ctx.cached_rows(("score", person.id), lambda: _score_rows(ctx, person.id))
    else:
        rows = _score_rows(ctx, person.id, cand.id, crit.id)
    row = rows.get((cand.id, crit.id))
    stored = (
        None if row is None else ScoreCell(row["value"], row["justification"], row["abstained"])
    )
    ref = score_ref(person.id, cand.id, crit.key)
    if stored != change.before:
        raise ctx.stale(f"{person.name}'s score for {cand.name} / {crit.name}", ref)
    applied = replace(change, before=stored, after=after)
    if stored == after:
        return applied, False
    target = f"{person.name}: {_cell(cand.name, crit)}"
    old = "" if stored is None else score_text(stored)
    if after is None:
        ctx.session.execute(delete(ScoreRow).where(ScoreRow.id == row["id"]))
        del rows[cand.id, crit.id]
        ctx.audit("clear score", target, old, "", change.why, ref=ref)
        return applied, True
    values = {
        "value": after.value,
        "justification": after.justification,
        "abstained": after.abstained,
    }
    owner = {"evaluator_id": person.id, "candidate_id": cand.id, "criterion_id": crit.id}
    row_id = save_row(ctx, ScoreRow, None if row is None else row["id"], values, owner)
    rows.setdefault((cand.id, crit.id), {}).update(id=row_id, **values)
    ctx.audit("set score", target, old, score_text(after), after.justification, ref=ref)
    return applied, True


def save_row(
    ctx: WriteContext,
    table: type[ScoreRow] | type[ConsensusRow],
    row_id: int | None,
    values: dict[str, Any],
    owner: dict[str, int],
) -> int:
    """Insert a cell's row (`owner`: the ids it belongs to) or update row `row_id` with
    `values`; returns the row's id."""
    if row_id is None:
        insert_row = insert(table).values(evaluation_id=ctx.ev.id, **owner, **values)
        return int(ctx.session.execute(insert_row).inserted_primary_key[0])
    ctx.session.execute(update(table).where(table.id == row_id).values(**values))
    return row_id


def score_text(cell: ScoreCell) -> str:
    """A score as the audit records it: 4, or "abstain"."""
    return "abstain" if cell.abstained else normalise.fmt(cell.value)


def _score_rows(
    ctx: WriteContext,
    evaluator_id: int,
    candidate_id: int | None = None,
    criterion_id: int | None = None,
) -> dict[tuple[int, int], dict[str, Any]]:
    """A member's score rows by (candidate id, criterion row id): all, or the one cell."""
    query = select(
        ScoreRow.id,
        ScoreRow.candidate_id,
        ScoreRow.criterion_id,
        ScoreRow.value,
        ScoreRow.justification,
        ScoreRow.abstained,
    ).where(ScoreRow.evaluator_id == evaluator_id)
    if candidate_id is not None:
        query = query.where(
            ScoreRow.candidate_id == candidate_id, ScoreRow.criterion_id == criterion_id
        )
    return {
        (r.candidate_id, r.criterion_id): {
            "id": r.id,
            "value": r.value,
            "justification": r.justification,
            "abstained": bool(r.abstained),
        }
        for r in ctx.session.execute(query)
    }


def consensus_value(crit: CriterionRow, value: object, ctx: WriteContext) -> float:
    """A consensus value as stored: a gate's pass (1) or fail (0), else a value on the scale."""
    kind = CriterionKind(crit.kind)
    if is_category(kind):
        raise ServiceError(f"{crit.key!r} is a category: consensus is set on its criteria")
    if is_pass_fail(kind):
        return normalise.gate_decision(value)
    return normalise.on_scale(value, ctx.scale, "consensus score", whole=False)


def write_consensus(ctx: WriteContext, change: SetConsensus) -> tuple[SetConsensus, bool]:
    cand = ctx.candidate(change.candidate_id)
    crit = ctx.criterion(change.key)
    after = None
    if change.after is not None:
        after = ConsensusCell(
            consensus_value(crit, change.after.value, ctx),
            normalise.require_text(change.after.note, "consensus note"),
        )
    row = ctx.session.execute(
        select(ConsensusRow.id, ConsensusRow.value, ConsensusRow.note).where(
            ConsensusRow.candidate_id == cand.id, ConsensusRow.criterion_id == crit.id
        )
    ).first()
    stored = None if row is None else ConsensusCell(row.value, row.note)
    ref = consensus_ref(cand.id, crit.key)
    if stored != change.before:
        raise ctx.stale(f"the consensus for {cand.name} / {crit.name}", ref)
    applied = replace(change, before=stored, after=after)
    if stored == after:
        return applied, False
    old = "" if stored is None else normalise.fmt(stored.value)
    if after is None:
        ctx.session.execute(delete(ConsensusRow).where(ConsensusRow.id == row.id))
        ctx.audit("clear consensus", _cell(cand.name, crit), old, "", change.why, ref=ref)
        return applied, True
    values = {"value": after.value, "note": after.note}
    owner = {"candidate_id": cand.id, "criterion_id": crit.id}
    save_row(ctx, ConsensusRow, None if row is None else row.id, values, owner)
    if is_pass_fail(CriterionKind(crit.kind)):
        shown = "pass" if after.value > 0 else "fail"
    else:
        shown = normalise.fmt(after.value)
    ctx.audit("set consensus", _cell(cand.name, crit), old, shown, after.note, ref=ref)
    return applied, True
