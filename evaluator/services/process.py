"""The committee process by name, for the shell and scripts: name the chair, protect an identity
with a passphrase, declare conflicts, submit, excuse, reopen, look at live results, and reopen a
final evaluation. Each writes one change object through the one path (rules, audit, revision).
Two reads for the window's committee views: when members submitted, and candidates' names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from evaluator.changes import model as m
from evaluator.changes.model import Applied
from evaluator.changes.normalise import require_text
from evaluator.changes.rules import NotAllowed
from evaluator.changes.write import Actor, write_changes
from evaluator.changes.write_process import stored_declaration
from evaluator.db import Database
from evaluator.domain import Declaration, Status
from evaluator.identity import Identity, hash_passphrase
from evaluator.models import CandidateRow, EvaluatorRow
from evaluator.records import (
    EvalRef,
    ServiceError,
    audit,
    editable_evaluation,
    get_candidate,
    get_evaluation,
    get_evaluator,
)


def _one(db: Database, evaluation: EvalRef, actor: Actor, build) -> Applied:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        return write_changes(session, ev, [build(session, ev)], actor)[0]


def name_chair(db: Database, evaluation: EvalRef, name: str, *, actor: Actor = None) -> Applied:
    """Name the evaluation's chair (or hand the role over)."""
    return _one(db, evaluation, actor, lambda s, ev: m.SetChair(ev.chair, name))


def set_passphrase(
    db: Database, evaluation: EvalRef, who: str, passphrase: str | None, *, actor: Actor = None
) -> Applied:
    """Protect the chair's or a member's identity with a passphrase (None removes it)."""
    secret = None if passphrase is None else hash_passphrase(passphrase)

    def build(session, ev):  # type: ignore[no-untyped-def]
        if ev.chair and ev.chair.casefold() == " ".join(who.split()).casefold():
            return m.SetPassphrase(None, secret)
        return m.SetPassphrase(get_evaluator(session, ev, who).id, secret)

    return _one(db, evaluation, actor, build)


def declare(
    db: Database,
    evaluation: EvalRef,
    member: str,
    conflicts: list[str] | tuple[str, ...] = (),
    note: str = "",
    *,
    actor: Actor = None,
) -> Applied:
    """A member's declaration: no conflict (no names), or a conflict with named candidates."""

    def build(session, ev):  # type: ignore[no-untyped-def]
        person = get_evaluator(session, ev, member)
        from evaluator.changes.context import WriteContext

        before = stored_declaration(WriteContext(session, ev, None), person.id)
        ids = tuple(get_candidate(session, ev, name).id for name in conflicts)
        return m.Declare(person.id, before, Declaration(ids, (), note))

    return _one(db, evaluation, actor, build)


def submit(db: Database, evaluation: EvalRef, member: str, *, actor: Actor = None) -> Applied:
    """A member submits their scores: read-only to them until the chair reopens the sheet."""

    def build(session, ev):  # type: ignore[no-untyped-def]
        person = get_evaluator(session, ev, member)
        return m.SetSubmitted(person.id, person.submitted_at is not None, True)

    return _one(db, evaluation, actor, build)


def reopen_sheet(
    db: Database, evaluation: EvalRef, member: str, why: str, *, actor: Actor = None
) -> Applied:
    """The chair reopens a member's submitted scoresheet, with a reason."""

    def build(session, ev):  # type: ignore[no-untyped-def]
        person = get_evaluator(session, ev, member)
        return m.SetSubmitted(person.id, person.submitted_at is not None, False, why)

    return _one(db, evaluation, actor, build)


def excuse(
    db: Database, evaluation: EvalRef, member: str, why: str, *, actor: Actor = None
) -> Applied:
    """The chair records why the committee does not wait for a member's scores."""
    reason = require_text(why, "reason to excuse the member")

    def build(session, ev):  # type: ignore[no-untyped-def]
        person = get_evaluator(session, ev, member)
        return m.Excuse(person.id, person.excused, reason)

    return _one(db, evaluation, actor, build)


def view_live_results(
    db: Database, evaluation: EvalRef, why: str = "", *, actor: Actor = None
) -> Applied:
    """The chair looks at the committee's results during blind scoring (audited, reported)."""
    return _one(db, evaluation, actor, lambda s, ev: m.ViewLiveResults(why))


def reopen_evaluation(
    db: Database, evaluation: EvalRef, why: str, *, actor: Actor = None
) -> Status:
    """Reopen a final evaluation (back to consensus): the chair only, with a reason; the audit
    entry is written first, so the database's own guard sees it before the status changes."""
    reason = require_text(why, "reason to reopen the final evaluation")
    with db.transaction() as session:
        ev = get_evaluation(session, evaluation, lock=True)
        if ev.status != Status.FINAL.value:
            raise ServiceError(f"{ev.name!r} is {ev.status}, not final: nothing to reopen")
        identity = actor if isinstance(actor, Identity) else None
        if ev.chair and (identity is None or not identity.chair):
            raise NotAllowed(f"only the chair ({ev.chair}) can reopen a final evaluation")
        name = identity.name if identity else actor if isinstance(actor, str) else None
        context = identity.context if identity else ""
        audit(session, ev.id, name, "reopen evaluation", ev.name, "final", "consensus", reason,
              "evaluation", context)  # fmt: skip
        session.flush()
        ev.status = Status.CONSENSUS.value
        ev.revision = (ev.revision or 0) + 1
        return Status.CONSENSUS


def finalise(db: Database, evaluation: EvalRef, why: str = "", *, actor: Actor = None) -> Status:
    """Make the evaluation final (read-only). With items still open (evaluator.checklist) the
    core refuses unless a reason is given; the reason is kept in the audit and the report."""
    from evaluator.changes.model import SetStatus

    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        change = SetStatus(Status(ev.status), Status.FINAL, why)
        return write_changes(session, ev, [change], actor)[0].change.after  # type: ignore[union-attr]


def submission_times(db: Database, evaluation: EvalRef) -> dict[int, datetime]:
    """When (UTC) each member who has submitted did so, by member id: the snapshot says only
    whether they have, and the window shows the date."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        rows = session.execute(
            select(EvaluatorRow.id, EvaluatorRow.submitted_at).where(
                EvaluatorRow.evaluation_id == ev.id, EvaluatorRow.submitted_at.is_not(None)
            )
        )
        return {row.id: row.submitted_at for row in rows}


def candidate_names(db: Database, evaluation: EvalRef) -> dict[int, str]:
    """Every candidate's name by id, including those a member's blind view hides (a member
    re-declaring names the candidates they declared a conflict with before)."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        rows = session.execute(
            select(CandidateRow.id, CandidateRow.name).where(CandidateRow.evaluation_id == ev.id)
        )
        return {row.id: row.name for row in rows}
