"""Writing the AHP changes: a member's pairwise judgment of two sibling criteria, and the chair's
weights for a set of siblings (the AHP result applied) as one change.

A judgment is stored with its two keys in order (the value inverted when they swap), so a pair
has one row per member whichever way round it was asked. The criteria compared under a parent
are those of `evaluator.ahp_committee.sibling_set` (no gates, no empty categories).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

from sqlalchemy import select

from evaluator.ahp import APP_TABLE
from evaluator.ahp_committee import sibling_set
from evaluator.ahp_judgments import as_fraction, check_value, sentence
from evaluator.changes.context import WriteContext
from evaluator.changes.model import SetJudgment, SetWeights
from evaluator.changes.write_criteria import write_edit_criterion
from evaluator.domain import ScoringError
from evaluator.errors import ServiceError
from evaluator.models import AhpJudgmentRow, CriterionRow
from evaluator.records import read_criteria

REF_LIMIT = 300  # audit_log.ref's length


def judgment_ref(evaluator_id: int, parent: str | None, first: str, second: str) -> str:
    """What a judgment's audit entries are about; its pair hashed when the keys are long."""
    ref = f"judgment:{evaluator_id}:{parent or ''}:{first}:{second}"
    if len(ref) <= REF_LIMIT:
        return ref
    digest = hashlib.sha256(f"{parent}\0{first}\0{second}".encode()).hexdigest()[:32]
    return f"judgment:{evaluator_id}:#{digest}"


def siblings(ctx: WriteContext, parent: str | None) -> dict[str, CriterionRow]:
    """The criteria compared under `parent` (None: the top level) as stored, by key, in order
    (the set `evaluator.ahp_committee.sibling_set` defines)."""
    if parent is not None:
        ctx.criterion(parent)  # NotFound names it
    try:
        sset = sibling_set(read_criteria(ctx.session, ctx.ev.id)[0], parent)
    except ScoringError as exc:
        raise ServiceError(str(exc)) from None
    if len(sset.criteria) > APP_TABLE.largest:
        raise ServiceError(
            f"{sset.label} has {len(sset.criteria)} criteria: pairwise weighting takes at most "
            f"{APP_TABLE.largest} at a time; group them into categories first"
        )
    rows = ctx.criteria()
    return {key: rows[key] for key in sset.keys}


def where(ctx: WriteContext, parent: str | None) -> str:
    return "the top level" if parent is None else f"{ctx.criterion(parent).name} [{parent}]"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def write_judgment(ctx: WriteContext, change: SetJudgment) -> tuple[SetJudgment, bool]:
    member = ctx.evaluator(change.evaluator_id)
    compared = siblings(ctx, change.parent)
    for key in (change.first, change.second):
        if key not in compared:
            raise ServiceError(
                f"{key!r} is not one of the weighted criteria compared under "
                f"{where(ctx, change.parent)}"
            )
    if change.first == change.second:
        raise ServiceError("compare two different criteria")
    swap = change.first > change.second
    first, second = sorted((change.first, change.second))

    def oriented(value: float | None) -> float | None:
        return None if value is None else (1 / value if swap else float(value))

    before, after = oriented(change.before), oriented(change.after)
    if after is not None:
        try:
            check_value(after)
        except ScoringError as exc:
            raise ServiceError(str(exc)) from None
    parent_key = change.parent or ""
    row = ctx.session.scalars(
        select(AhpJudgmentRow).where(
            AhpJudgmentRow.evaluator_id == member.id,
            AhpJudgmentRow.parent_key == parent_key,
            AhpJudgmentRow.first_key == first,
            AhpJudgmentRow.second_key == second,
        )
    ).first()
    stored = None if row is None else row.value
    ref = judgment_ref(member.id, change.parent, first, second)
    a, b = compared[change.first].name, compared[change.second].name  # as the user asked
    if not _same(stored, before):
        raise ctx.stale(f"{member.name}'s comparison of {a} and {b}", ref)
    applied = SetJudgment(member.id, change.parent, first, second, stored, after)
    if _same(stored, after):
        return applied, False
    if after is None:
        assert row is not None
        ctx.session.delete(row)
    elif row is None:
        ctx.session.add(
            AhpJudgmentRow(evaluation_id=ctx.ev.id, evaluator_id=member.id,
                           parent_key=parent_key, first_key=first, second_key=second, value=after)
        )  # fmt: skip
    else:
        row.value = after
    ctx.session.flush()

    def shown(value: float | None) -> str:  # stored order -> the order asked
        asked = oriented(value)
        return "" if asked is None else f"{as_fraction(asked)} ({sentence(asked, a, b)})"

    action = "clear comparison" if after is None else "set comparison"
    ctx.audit(action, f"{member.name}: {a} vs {b}", shown(stored), shown(after), ref=ref)
    return applied, True


def write_weights(ctx: WriteContext, change: SetWeights) -> tuple[SetWeights, bool]:
    compared = siblings(ctx, change.parent)
    keys = [edit.key for edit in change.edits]
    stray = next((k for k in keys if k not in compared), None)
    if stray is not None or len(set(keys)) != len(keys):
        raise ServiceError(
            f"the weights to set must be those of the criteria under {where(ctx, change.parent)}"
            f", each once ({stray or 'a criterion'} is not)"
        )
    results = [write_edit_criterion(ctx, replace(edit, why=change.why)) for edit in change.edits]
    applied = SetWeights(change.parent, tuple(edit for edit, _ in results), change.why)
    return applied, any(changed for _, changed in results)
