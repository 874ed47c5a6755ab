"""Writing the committee-process changes: declarations, submissions, excuses, the chair, its
and the members' passphrases, and the chair's look at live results."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from evaluator.changes import model as m
from evaluator.changes import normalise
from evaluator.changes.context import EVALUATION_REF, WriteContext, evaluator_ref
from evaluator.domain import Declaration
from evaluator.errors import ServiceError
from evaluator.models import CandidateRow, DeclarationRow, ScoreRow, utcnow


def _candidates(ctx: WriteContext) -> dict[int, CandidateRow]:
    rows = ctx.session.scalars(
        select(CandidateRow)
        .where(CandidateRow.evaluation_id == ctx.ev.id)
        .order_by(CandidateRow.position, CandidateRow.id)
    )
    return {row.id: row for row in rows}


def declaration_row(ctx: WriteContext, evaluator_id: int) -> DeclarationRow | None:
    """A member's newest declaration as stored (candidates named by their stable uids)."""
    return ctx.session.scalars(
        select(DeclarationRow)
        .where(DeclarationRow.evaluator_id == evaluator_id)
        .order_by(DeclarationRow.id.desc())
        .limit(1)
    ).first()


def stored_declaration(ctx: WriteContext, evaluator_id: int) -> Declaration | None:
    row = declaration_row(ctx, evaluator_id)
    if row is None:
        return None
    by_uid = {c.uid: c.id for c in _candidates(ctx).values()}
    return Declaration(
        tuple(sorted(by_uid[u] for u in row.conflicted if u in by_uid)),
        tuple(sorted(by_uid[u] for u in row.covers if u in by_uid)),
        row.note,
        row.declared_at,
    )


def describe_declaration(declaration: Declaration | None, names: dict[int, str]) -> str:
    return "" if declaration is None else declaration.describe(names)


def write_declare(ctx: WriteContext, change: m.Declare) -> tuple[m.Declare, bool]:
    member = ctx.evaluator(change.evaluator_id)
    candidates = _candidates(ctx)
    stored = stored_declaration(ctx, member.id)
    if not _same(stored, change.before):
        raise ctx.stale(f"the declaration of {member.name}", evaluator_ref(member.id))
    unknown = [c for c in change.after.conflicted if c not in candidates]
    if unknown:
        raise ServiceError(f"candidate id {unknown[0]} is not in {ctx.ev.name!r}: reload")
    conflicted = tuple(sorted(set(change.after.conflicted)))
    after = Declaration(conflicted, tuple(sorted(candidates)), change.after.note.strip(), utcnow())
    ctx.session.add(
        DeclarationRow(
            evaluation_id=ctx.ev.id,
            evaluator_id=member.id,
            declared_at=after.at,
            conflicted=[candidates[c].uid for c in after.conflicted],
            covers=[candidates[c].uid for c in after.covers],
            note=after.note,
        )
    )
    names = {c: row.name for c, row in candidates.items()}
    shown = describe_declaration(after, names)
    ctx.audit(
        "declare conflict of interest",
        member.name,
        describe_declaration(stored, names),
        shown,
        ref=evaluator_ref(member.id),
    )
    member.conflict_of_interest = shown if after.conflicted else ""
    return m.Declare(member.id, stored, after), True


def _same(stored: Declaration | None, seen: Declaration | None) -> bool:
    """The stored declaration is the one the user saw (its time to the second)."""
    if stored is None or seen is None:
        return stored is seen
    return replace(stored, at=None) == replace(seen, at=None)


def write_submitted(ctx: WriteContext, change: m.SetSubmitted) -> tuple[m.SetSubmitted, bool]:
    member = ctx.evaluator(change.evaluator_id)
    stored = member.submitted_at is not None
    if stored != change.before:
        raise ctx.stale(f"the scoresheet of {member.name}", evaluator_ref(member.id))
    applied = m.SetSubmitted(member.id, stored, change.after, change.why)
    if stored == change.after:
        return applied, False
    if change.after:
        count = ctx.session.scalar(
            select(func.count()).select_from(ScoreRow).where(ScoreRow.evaluator_id == member.id)
        )
        member.submitted_at = utcnow()
        ctx.audit("submit scores", member.name, "", f"{count} scores", change.why,
                  ref=evaluator_ref(member.id))  # fmt: skip
    else:
        why = normalise.require_text(change.why, "reason to reopen the scoresheet")
        member.submitted_at = None
        ctx.audit("reopen scoresheet", member.name, "submitted", "open", why,
                  ref=evaluator_ref(member.id))  # fmt: skip
        applied = replace(applied, why=why)
    return applied, True


def write_excuse(ctx: WriteContext, change: m.Excuse) -> tuple[m.Excuse, bool]:
    member = ctx.evaluator(change.evaluator_id)
    if member.excused != change.before:
        raise ctx.stale(f"the excuse of {member.name}", evaluator_ref(member.id))
    after = change.after.strip()
    applied = m.Excuse(member.id, member.excused, after)
    if after == member.excused:
        return applied, False
    action = "excuse member" if after else "withdraw excuse"
    ctx.audit(action, member.name, member.excused, after, after, ref=evaluator_ref(member.id))
    member.excused = after
    return applied, True


def write_chair(ctx: WriteContext, change: m.SetChair) -> tuple[m.SetChair, bool]:
    if ctx.ev.chair != change.before:
        raise ctx.stale("the chair", EVALUATION_REF)
    # "" un-names the chair (the undo of naming one): back to one person setting up
    after = normalise.clean_name(change.after, "chair's name") if change.after.strip() else ""
    applied = m.SetChair(ctx.ev.chair, after)
    if after == ctx.ev.chair:
        return applied, False
    action = (
        "hand over chair" if ctx.ev.chair and after else "name chair" if after else "unname chair"
    )
    ctx.audit(action, ctx.ev.name, ctx.ev.chair, after, ref=EVALUATION_REF)
    ctx.ev.chair = after
    ctx.ev.chair_secret = None  # the new chair protects the role with their own passphrase
    return applied, True


def write_passphrase(ctx: WriteContext, change: m.SetPassphrase) -> tuple[m.SetPassphrase, bool]:
    if change.secret is not None and not change.secret.startswith("scrypt$"):
        raise ValueError("a passphrase change carries its hash, never the clear text")
    if change.evaluator_id is None:
        had = ctx.ev.chair_secret is not None
        ctx.ev.chair_secret = change.secret
        who, ref = f"the chair {ctx.ev.chair}", EVALUATION_REF
    else:
        member = ctx.evaluator(change.evaluator_id)
        had = member.secret is not None
        member.secret = change.secret
        who, ref = member.name, evaluator_ref(member.id)
    state = "protected" if change.secret else "not protected"
    ctx.audit("set passphrase", who, "protected" if had else "not protected", state, ref=ref)
    return change, True


def write_live_view(ctx: WriteContext, change: m.ViewLiveResults) -> tuple[m.ViewLiveResults, bool]:
    ctx.audit("view live results", ctx.ev.name, "", "", change.why, ref=EVALUATION_REF)
    return change, True
