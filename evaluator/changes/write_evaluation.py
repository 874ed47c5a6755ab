"""Writing changes of the evaluation itself: its name, client and aggregation, and its status."""

from __future__ import annotations

from sqlalchemy import select

from evaluator.changes import normalise
from evaluator.changes.context import EVALUATION_REF, WriteContext
from evaluator.changes.model import EditEvaluation, EvaluationFields, SetStatus
from evaluator.domain import STATUS_ORDER, Aggregation, Status
from evaluator.errors import ServiceError
from evaluator.models import EvaluationRow


def _fields(ctx: WriteContext) -> EvaluationFields:
    ev = ctx.ev
    return EvaluationFields(ev.name, ev.client, Aggregation(ev.aggregation))


def write_edit_evaluation(ctx: WriteContext, change: EditEvaluation) -> tuple[EditEvaluation, bool]:
    stored = _fields(ctx)
    if stored != change.before:
        raise ctx.stale(f"the evaluation {stored.name!r}", EVALUATION_REF)
    try:
        aggregation = Aggregation(change.after.aggregation)
    except ValueError:
        raise ServiceError(
            f"unknown aggregation {change.after.aggregation!r}: use mean or median"
        ) from None
    after = EvaluationFields(
        normalise.clean_name(change.after.name, "evaluation name"),
        str(change.after.client or "").strip(),
        aggregation,
    )
    applied = EditEvaluation(stored, after)
    if after == stored:
        return applied, False
    if after.name != stored.name:
        clash = ctx.session.scalar(
            select(EvaluationRow.id).where(
                EvaluationRow.name == after.name, EvaluationRow.id != ctx.ev.id
            )
        )
        if clash:
            raise ServiceError(f"an evaluation named {after.name!r} already exists")
        ctx.audit("rename evaluation", stored.name, stored.name, after.name, ref=EVALUATION_REF)
    if after.client != stored.client:
        ctx.audit("set client", after.name, stored.client, after.client, ref=EVALUATION_REF)
    if after.aggregation != stored.aggregation:
        ctx.audit(
            "set aggregation",
            after.name,
            stored.aggregation.value,
            after.aggregation.value,
            ref=EVALUATION_REF,
        )
    ctx.ev.name, ctx.ev.client, ctx.ev.aggregation = (
        after.name,
        after.client,
        after.aggregation.value,
    )
    return applied, True


def write_status(ctx: WriteContext, change: SetStatus) -> tuple[SetStatus, bool]:
    try:
        target = Status(change.after)
    except ValueError:
        names = ", ".join(s.value for s in STATUS_ORDER)
        raise ServiceError(f"unknown status {change.after!r}: use one of {names}") from None
    current = Status(ctx.ev.status)
    if current != change.before:
        raise ctx.stale(f"the status of {ctx.ev.name!r}", EVALUATION_REF)
    applied = SetStatus(current, target, change.why)
    if target == current:
        return applied, False
    step = STATUS_ORDER.index(target) - STATUS_ORDER.index(current)
    if abs(step) != 1:
        nearby = STATUS_ORDER[max(0, STATUS_ORDER.index(current) - 1) :][:3]
        neighbours = " or ".join(s.value for s in nearby if s != current)
        raise ServiceError(
            f"evaluation {ctx.ev.name!r} is {current.value}: it can move one step at a time "
            f"(next: {neighbours})"
        )
    # applied with the revision at the very end, in one UPDATE: once the row says final, the
    # database refuses any further write to it (including this transaction's revision bump)
    ctx.new_status = target.value
    ctx.audit(
        "change status", ctx.ev.name, current.value, target.value, change.why, ref=EVALUATION_REF
    )
    return applied, True
