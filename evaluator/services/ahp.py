"""AHP pairwise weighting by name, for the command line and scripts.

`set_judgment` records one member's comparison of two sibling criteria (the member acting, or,
for the chair, the one named); `apply_weights` sets the raw weights of a set of siblings to the
committee's AHP weights in one change. Like the other services, the stored value is taken as what
the caller saw, and the change goes through `evaluator.changes.write`.
"""

from __future__ import annotations

from sqlalchemy import select

from evaluator.ahp_committee import CommitteeResult, committee_result, weights_change
from evaluator.ahp_judgments import parse_value
from evaluator.changes.model import Applied, SetJudgment
from evaluator.changes.write import Actor, write_changes
from evaluator.db import Database
from evaluator.domain import EvaluationData, Judgment
from evaluator.errors import ServiceError
from evaluator.identity import Identity
from evaluator.models import AhpJudgmentRow
from evaluator.records import EvalRef, editable_evaluation, get_evaluator
from evaluator.services.reading import load_evaluation, read_evaluation


def committee(
    db: Database, evaluation: EvalRef, parent: str | None
) -> tuple[EvaluationData, CommitteeResult]:
    """The evaluation and the committee's AHP view of the criteria under `parent`."""
    data = load_evaluation(db, evaluation)
    return data, committee_result(data, parent)


def set_judgment(
    db: Database,
    evaluation: EvalRef,
    parent: str | None,
    first: str,
    second: str,
    value: float | str | None,
    *,
    member: str | None = None,
    actor: Actor = None,
) -> Applied:
    """Record (value None: clear) how many times `first` is as important as `second`, for
    `member` (default: the member acting). `value` is a number (3, 1/3) or a word of Saaty's
    scale (moderate, strong, very strong, extreme)."""
    after = None if value is None else parse_value(value)
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        if member:
            member_id = get_evaluator(session, ev, member).id
        elif isinstance(actor, Identity) and actor.evaluator_id is not None:
            member_id = actor.evaluator_id
        else:
            raise ServiceError(
                "say whose comparison it is: act as the member (--as NAME), or as the chair "
                "name them (--member NAME)"
            )
        ordered = Judgment.ordered(member_id, parent, first, second, 1.0)
        stored = session.scalar(
            select(AhpJudgmentRow.value).where(
                AhpJudgmentRow.evaluator_id == member_id,
                AhpJudgmentRow.parent_key == (parent or ""),
                AhpJudgmentRow.first_key == ordered.first,
                AhpJudgmentRow.second_key == ordered.second,
            )
        )
        before = None if stored is None else stored if first == ordered.first else 1 / stored
        change = SetJudgment(member_id, parent, first, second, before, after)
        return write_changes(session, ev, [change], actor)[0]


def apply_weights(
    db: Database, evaluation: EvalRef, parent: str | None, *, why: str = "", actor: Actor = None
) -> Applied:
    """Set the raw weights under `parent` to the committee's AHP weights (one change; refused
    while they are undetermined, or inconsistent without a reason)."""
    with db.transaction() as session:
        ev = editable_evaluation(session, evaluation)
        result = committee_result(read_evaluation(session, ev.id), parent)
        return write_changes(session, ev, [weights_change(result, why)], actor)[0]
