"""The one path every edit takes to the database: validate, check staleness, write, audit.

    applied = apply_change(db, evaluation_id, SetScore(...), actor="Ann Example")
    applied.change      the change as applied (normalised, ids assigned, removed rows captured)
    applied.inverse     the change that undoes it (through this same path, with the same checks)
    applied.revision    the evaluation's change counter after the write

`apply_changes` writes a list of changes (an import) in one transaction: all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from evaluator.changes import model as m
from evaluator.changes.context import WriteContext
from evaluator.changes.model_sets import AddWeightSet, EditWeightSet, RemoveWeightSet
from evaluator.changes.rules import check
from evaluator.changes.write_ahp import write_judgment, write_weights
from evaluator.changes.write_answers import write_answer, write_answers
from evaluator.changes.write_cells import write_consensus, write_score
from evaluator.changes.write_criteria import (
    write_add_criterion,
    write_edit_criterion,
    write_move_criterion,
    write_remove_criterion,
)
from evaluator.changes.write_evaluation import write_edit_evaluation, write_status
from evaluator.changes.write_people import write_add, write_edit, write_remove
from evaluator.changes.write_process import (
    write_chair,
    write_declare,
    write_excuse,
    write_live_view,
    write_passphrase,
    write_submitted,
)
from evaluator.changes.write_sets import write_add_set, write_edit_set, write_remove_set
from evaluator.db import Database
from evaluator.identity import Identity
from evaluator.models import EvaluationRow
from evaluator.records import EvalRef, editable_evaluation

Writer = Callable[[WriteContext, Any], tuple[Any, bool]]

WRITERS: dict[type, Writer] = {
    m.SetScore: write_score,
    m.SetConsensus: write_consensus,
    m.SetAnswer: write_answer,
    m.AddCandidate: write_add,
    m.AddEvaluator: write_add,
    m.EditCandidate: write_edit,
    m.EditEvaluator: write_edit,
    m.RemoveCandidate: write_remove,
    m.RemoveEvaluator: write_remove,
    m.EditCriterion: write_edit_criterion,
    m.AddCriterion: write_add_criterion,
    m.RemoveCriterion: write_remove_criterion,
    m.MoveCriterion: write_move_criterion,
    m.EditEvaluation: write_edit_evaluation,
    m.SetStatus: write_status,
    m.Declare: write_declare,
    m.SetSubmitted: write_submitted,
    m.Excuse: write_excuse,
    m.SetChair: write_chair,
    m.SetPassphrase: write_passphrase,
    m.ViewLiveResults: write_live_view,
    AddWeightSet: write_add_set,
    EditWeightSet: write_edit_set,
    RemoveWeightSet: write_remove_set,
    m.SetJudgment: write_judgment,
    m.SetWeights: write_weights,
}

Actor = Identity | str | None  # an identity, or a script's name before a chair is named


def write_changes(
    session: Session,
    ev: EvaluationRow,
    changes: Sequence[m.Change],
    actor: Actor,
) -> list[m.Applied]:
    """Write changes inside the caller's transaction (the evaluation row already locked),
    each checked against the committee's rules (evaluator.changes.rules) first."""
    identity = actor if isinstance(actor, Identity) else None
    name = actor.name if isinstance(actor, Identity) else actor
    ctx = WriteContext(session, ev, name, identity, bulk=len(changes) > 1)
    results: list[tuple[m.Change, bool]] = []
    answers: list[m.SetAnswer] = []  # a run of answers (an import) is written at once
    for change in changes:
        writer = WRITERS.get(type(change))
        if writer is None:
            raise TypeError(f"not a change: {change!r}")
        check(ctx, change)
        if isinstance(change, m.SetAnswer):
            answers.append(change)
            continue
        if answers:
            results += write_answers(ctx, answers)
            answers = []
        results.append(writer(ctx, change))
    if answers:
        results += write_answers(ctx, answers)
    if any(changed for _, changed in results):
        ev.revision = (ev.revision or 0) + 1
        if ctx.new_status is not None:
            ev.status = ctx.new_status
        session.flush()
    return [
        m.Applied(applied, applied.inverse(), ev.revision, changed) for applied, changed in results
    ]


def apply_changes(
    db: Database, evaluation: EvalRef, changes: Sequence[m.Change], *, actor: Actor = None
) -> list[m.Applied]:
    """Write the changes in one transaction, all or nothing."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        return write_changes(session, ev, changes, actor)


def apply_change(
    db: Database, evaluation: EvalRef, change: m.Change, *, actor: Actor = None
) -> m.Applied:
    """Write one change in its own transaction."""
    return apply_changes(db, evaluation, [change], actor=actor)[0]
