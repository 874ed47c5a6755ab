"""Editing a target: one `SetTarget` change per user action, written with its audit entry in
one transaction, refused when the stored target is no longer what the user saw (naming who
changed it last, as every stale edit is refused: evaluator.changes.context).

The evaluation is final, so the evaluation-wide change path (which bumps the evaluation's
revision) does not apply: the contract keeps its own revision.
"""

from __future__ import annotations

import math
import re

from sqlalchemy import insert, select, update

from evaluator.changes.context import WriteContext
from evaluator.changes.normalise import require_text
from evaluator.contracts.baseline import Actor, contract_row, require_chair
from evaluator.contracts.metrics import METRICS, PRIORITIES, Direction, Source
from evaluator.contracts.model import SetTarget, TargetApplied, TargetValue
from evaluator.db import Database
from evaluator.errors import ServiceError
from evaluator.identity import Identity
from evaluator.models import TargetRow
from evaluator.records import EvalRef, get_evaluation

_TIME = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(min|m|h|hours?|minutes?|d|days?)?\s*$", re.I)


def target_ref(contract_id: int, metric: str, priority: str) -> str:
    return f"target:{contract_id}:{metric}:{priority}"


def parse_target(metric: str, text: str) -> TargetValue:
    """A target as typed: times in minutes or with a unit (15min, 4h, 3d), shares as 7% or
    0.07, ASA in seconds, a text commitment as its words."""
    info = METRICS.get(metric)
    if info is None:
        raise ServiceError(f"no metric {metric!r}: one of {', '.join(METRICS)}")
    if info.direction is Direction.TEXT and info.unit != "%":
        return TargetValue(None, require_text(text, f"{info.label} commitment"))
    raw = str(text).strip()
    try:
        if info.unit == "min":
            found = _TIME.match(raw)
            if not found:
                raise ValueError
            unit = (found.group(2) or "min").lower()[0]
            value = float(found.group(1)) * {"m": 1, "h": 60, "d": 1440}[unit]
        elif info.unit == "share":
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        else:
            value = float(raw.rstrip("%s "))
    except ValueError:
        problem = f"{raw!r} is not a value for {info.label} ({_hint(info.unit)})"
        raise ServiceError(problem) from None
    if not math.isfinite(value) or value < 0 or (info.unit == "share" and value > 1):
        raise ServiceError(f"{raw!r} is out of range for {info.label} ({_hint(info.unit)})")
    return TargetValue(value)


def _hint(unit: str) -> str:
    return {
        "min": "minutes, or 15min, 4h, 3d",
        "share": "a percentage such as 7% (or 0.07)",
        "s": "seconds",
        "days": "days",
        "%": "a percentage of the monthly fee",
    }.get(unit, unit)


def set_target(
    db: Database,
    evaluation: EvalRef,
    metric: str,
    value: str,
    *,
    priority: str = "",
    why: str,
    actor: Actor = None,
) -> TargetApplied:
    """Set a target from its typed value (the service behind `contract target`)."""
    after = parse_target(metric, value)
    from evaluator.contracts.baseline import read_contract

    seen = read_contract(db, evaluation).target(metric, priority.upper())
    change = SetTarget(metric, priority.upper(), seen.seen if seen else None, after, why)
    return apply_target(db, evaluation, change, actor=actor)


def apply_target(
    db: Database, evaluation: EvalRef, change: SetTarget, *, actor: Actor = None
) -> TargetApplied:
    """Write one target change (validated, checked against what the user saw, audited)."""
    info = METRICS.get(change.metric)
    if info is None:
        raise ServiceError(f"no metric {change.metric!r}: one of {', '.join(METRICS)}")
    if info.per_priority != bool(change.priority) or (
        change.priority and change.priority not in PRIORITIES
    ):
        raise ServiceError(
            f"{info.label} is set per priority (P1-P4)"
            if info.per_priority
            else f"{info.label} is not set per priority"
        )
    why = require_text(change.why, "reason for the change")
    with db.transaction() as session:
        ev = get_evaluation(session, evaluation, lock=True)
        require_chair(ev, actor)
        row = contract_row(session, ev, lock=True)
        name = actor.name if isinstance(actor, Identity) else actor
        ctx = WriteContext(session, ev, name, actor if isinstance(actor, Identity) else None)
        stored = session.scalar(
            select(TargetRow).where(
                TargetRow.contract_id == row.id,
                TargetRow.metric == change.metric,
                TargetRow.priority == change.priority,
            )
        )
        ref = target_ref(row.id, change.metric, change.priority)
        label = f"{info.label} {change.priority}".strip()
        now = (
            None
            if stored is None
            else TargetValue(stored.value, stored.text, stored.source, stored.citation)
        )
        if now != change.before:
            raise ctx.stale(f"the target {label}", ref)
        if now == change.after:
            return TargetApplied(change, row.revision, changed=False)
        values = {
            "value": change.after.value,
            "text": change.after.text,
            # an undo restores the source the value had; an edit makes it agreed, with why
            "source": change.after.source or Source.AGREED.value,
            "citation": change.after.citation or why,
        }
        if stored is None:
            values.update(contract_id=row.id, metric=change.metric, priority=change.priority)
            session.execute(insert(TargetRow).values(**values))
        else:
            session.execute(update(TargetRow).where(TargetRow.id == stored.id).values(**values))
        ctx.audit("edit target", label, _shown(now), _shown(change.after), why, ref=ref)
        row.revision = (row.revision or 0) + 1
        session.flush()
        return TargetApplied(change, row.revision)


def _shown(value: TargetValue | None) -> str:
    if value is None:
        return ""
    return value.text if value.value is None else f"{value.value:g}"
