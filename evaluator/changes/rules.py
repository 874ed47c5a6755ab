"""Who may make which change, and in which phase: the committee process, in one place.

- draft is for setting up; members' scores are accepted only in `scoring`, the chair's consensus
  values only in `consensus`; `final` is read-only (refused before these rules run).
- Once an evaluation has a chair, every change needs an identity: the chair sets up, moves the
  phases, decides consensus, excuses and reopens; a member scores their own sheet (after
  declaring, never a candidate they declared a conflict with, and not after submitting).
- Before a chair is named, one person sets the evaluation up alone and acts as the chair.
- AHP: a member gives their own pairwise comparisons (the chair may enter anyone's), in any
  phase before final; applying the result to the weights is the chair's, like any weight edit.
"""

from __future__ import annotations

from typing import Any

from evaluator.changes import model as m
from evaluator.changes.context import WriteContext
from evaluator.changes.model_sets import WEIGHT_SET_CHANGES
from evaluator.domain import Status
from evaluator.errors import ServiceError
from evaluator.identity import Identity
from evaluator.models import CandidateRow, EvaluatorRow

CHAIR_ONLY = (
    m.AddCandidate, m.EditCandidate, m.RemoveCandidate,
    m.AddEvaluator, m.EditEvaluator, m.RemoveEvaluator,
    m.AddCriterion, m.EditCriterion, m.RemoveCriterion, m.MoveCriterion,
    m.EditEvaluation, m.SetStatus, m.SetConsensus, m.SetAnswer, m.Excuse, m.ViewLiveResults,
    m.SetWeights, *WEIGHT_SET_CHANGES,
)  # fmt: skip


class NotAllowed(ServiceError):
    """The identity may not make this change now; the message says who may, or when."""


def check(ctx: WriteContext, change: Any) -> None:
    """Refuse a change this identity may not make in this phase (see the module docstring)."""
    who = ctx.identity
    chair_named = bool(ctx.ev.chair)
    if who is None and chair_named:
        raise NotAllowed(
            f"{ctx.ev.name!r} has a chair ({ctx.ev.chair}): say who you are (as a committee "
            "member or the chair) to make changes"
        )
    acts_as_chair = who is None or who.chair
    status = Status(ctx.ev.status)
    if isinstance(change, m.SetScore):
        _score(ctx, change, who, status)
    elif isinstance(change, m.SetConsensus) and status is not Status.CONSENSUS:
        raise NotAllowed(
            f"consensus values are set in the consensus phase; {ctx.ev.name!r} is "
            f"{status.value}: the chair moves it on when every member has submitted"
        )
    elif isinstance(change, m.SetStatus):
        _status(ctx, change, status)
    elif isinstance(change, m.Declare | m.SetSubmitted | m.SetPassphrase) and not acts_as_chair:
        assert who is not None
        own = getattr(change, "evaluator_id", None) == who.evaluator_id
        reopening = isinstance(change, m.SetSubmitted) and not change.after
        if not own or reopening:
            raise NotAllowed(f"only the chair may do that for another member ({who.name})")
    elif isinstance(change, m.SetSubmitted) and change.after and status is not Status.SCORING:
        raise NotAllowed(f"scores are submitted in the scoring phase; it is {status.value}")
    elif isinstance(change, m.SetJudgment) and not acts_as_chair:
        assert who is not None
        if change.evaluator_id != who.evaluator_id:
            raise NotAllowed(
                f"{who.name} can give their own comparisons only, not another member's"
            )
    elif isinstance(change, m.SetChair) and chair_named and not acts_as_chair:
        raise NotAllowed(f"only the chair ({ctx.ev.chair}) can hand the chair over")
    if isinstance(change, CHAIR_ONLY) and not acts_as_chair:
        assert who is not None
        raise NotAllowed(
            f"{who.name} is a committee member: setting up, moving phases and deciding "
            f"consensus are for the chair ({ctx.ev.chair})"
        )


def _score(ctx: WriteContext, change: m.SetScore, who: Identity | None, status: Status) -> None:
    if status is not Status.SCORING:
        hint = {
            Status.DRAFT: "the chair starts scoring when the set-up is done",
            Status.CONSENSUS: "the committee now agrees consensus values instead",
        }.get(status, "")
        raise NotAllowed(
            f"scores are entered in the scoring phase; {ctx.ev.name!r} is {status.value}"
            + (f": {hint}" if hint else "")
        )
    member: EvaluatorRow = ctx.evaluator(change.evaluator_id)
    if who is not None and not who.chair and who.evaluator_id != member.id:
        raise NotAllowed(f"{who.name} can change their own scores only, not {member.name}'s")
    if member.submitted_at is not None:
        raise NotAllowed(
            f"{member.name} submitted their scores: they are read-only until the chair "
            "reopens the scoresheet"
        )
    from evaluator.changes.write_process import declaration_row

    declaration = declaration_row(ctx, member.id)  # by uid: no need to map every candidate
    candidate: CandidateRow = ctx.candidate(change.candidate_id)
    if declaration is None:
        raise NotAllowed(
            f"{member.name} has not declared conflicts of interest yet: declare (no conflict, or "
            "a conflict with named candidates) before scoring"
        )
    if candidate.uid in declaration.conflicted:
        raise NotAllowed(
            f"{member.name} declared a conflict of interest with {candidate.name}: their scores "
            "for it are not taken"
        )
    if candidate.uid not in declaration.covers:
        raise NotAllowed(
            f"{candidate.name} was added after {member.name} declared: declare again, covering "
            "it, before scoring it"
        )


def _status(ctx: WriteContext, change: m.SetStatus, status: Status) -> None:
    try:
        target = Status(change.after)
    except ValueError:
        return  # the writer names the valid ones
    if target is Status.FINAL and status is Status.CONSENSUS and not change.why.strip():
        items = _open_items(ctx)
        if items:
            raise NotAllowed(
                f"{len(items)} items are still open (first: {items[0].text}); give a reason to "
                "finalise anyway (it is recorded), or settle them first"
            )
    if target is Status.CONSENSUS and status is Status.SCORING:
        waiting = [
            m.name
            for m in ctx.session.query(EvaluatorRow).filter(EvaluatorRow.evaluation_id == ctx.ev.id)
            if m.submitted_at is None and not m.excused
        ]
        if waiting:
            raise NotAllowed(
                f"the consensus phase opens when every member has submitted or been excused; "
                f"waiting for {', '.join(waiting)}"
            )


def _open_items(ctx: WriteContext) -> list:  # type: ignore[type-arg]
    """The finalise checklist, computed from the stored evaluation (rare: once per finalise)."""
    from evaluator.checklist import open_items
    from evaluator.scoring import score_evaluation
    from evaluator.services.reading import read_evaluation

    ctx.session.flush()
    data = read_evaluation(ctx.session, ctx.ev.id)
    return open_items(data, score_evaluation(data))
