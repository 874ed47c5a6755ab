"""Independent (blind) scoring: what a member or the chair may see while the committee scores.

While an evaluation is in `scoring` and not every member has submitted (or been excused), a
member sees only their own scores and none of a candidate they declared a conflict with; the
chair sees no member's score unless they explicitly look at live results (audited). Before a
chair is named (one person setting up) and from `consensus` on, everyone sees everything.
"""

from __future__ import annotations

from dataclasses import replace

from evaluator.domain import EvaluationData, Status
from evaluator.identity import Identity


def waiting_for(data: EvaluationData) -> list[str]:
    """Members who have neither submitted nor been excused."""
    return [e.name for e in data.evaluators if not e.submitted and not e.excused]


def committee_open(data: EvaluationData) -> bool:
    """The committee's aggregate, consensus view and ranking may be seen by all."""
    if data.status in (Status.CONSENSUS, Status.FINAL):
        return True
    if data.status is Status.SCORING:
        return bool(data.evaluators) and not waiting_for(data)
    return True  # draft: there are no scores yet


def is_blind(data: EvaluationData, viewer: Identity | None, live_view: bool = False) -> bool:
    """True when `viewer` must not see colleagues' scores now."""
    if viewer is None or committee_open(data):
        return False
    return not (viewer.chair and live_view)


def visible_to(
    data: EvaluationData, viewer: Identity | None, live_view: bool = False
) -> EvaluationData:
    """The snapshot `viewer` may see (the whole of it when not blind)."""
    if not is_blind(data, viewer, live_view):
        return data
    assert viewer is not None
    if viewer.chair:
        return replace(data, scores=[], consensus=[])
    me = next((e for e in data.evaluators if e.id == viewer.evaluator_id), None)
    hidden = set(me.declaration.conflicted) if me and me.declaration else set()
    return replace(
        data,
        candidates=[c for c in data.candidates if c.id not in hidden],
        scores=[
            s
            for s in data.scores
            if s.evaluator_id == viewer.evaluator_id and s.candidate_id not in hidden
        ],
        consensus=[],
        responses=[r for r in data.responses if r.candidate_id not in hidden],
    )


def blind_refusal(data: EvaluationData, what: str) -> str:
    """Why `what` (the ranking, a report...) is not shown yet, and when it will be."""
    waiting = waiting_for(data)
    done = len(data.evaluators) - len(waiting)
    return (
        f"{what} opens when every committee member has submitted their scores "
        f"({done} of {len(data.evaluators)} have; waiting for {', '.join(waiting)}), or the chair "
        "excuses them; until then each member sees only their own scores"
    )
