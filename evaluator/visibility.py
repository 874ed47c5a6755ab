"""Independent (blind) scoring: what a member or the chair may see while the committee scores.

While an evaluation is in `scoring` and not every member has submitted (or been excused), a
member sees only their own scores and none of a candidate they declared a conflict with; the
chair sees no member's score unless they explicitly look at live results (audited). Before a
chair is named (one person setting up) and from `consensus` on, everyone sees everything.
"""

from __future__ import annotations

from dataclasses import replace

from evaluator.domain import EvaluationData, Evaluator, Status
from evaluator.errors import ServiceError
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
        judgments=[j for j in data.judgments if j.evaluator_id == viewer.evaluator_id],
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


class NotVisible(ServiceError):
    """What was asked would show colleagues' scores to someone who may not see them now.

    `chair_may_look`: the chair could have it by looking at live results (audited)."""

    def __init__(self, message: str, *, chair_may_look: bool = False) -> None:
        super().__init__(message)
        self.chair_may_look = chair_may_look


def _unnamed(data: EvaluationData, what: str) -> NotVisible:
    return NotVisible(
        f"{data.name!r} has a chair ({data.chair}) and its members are scoring blind: say who "
        f"you are (as a committee member or the chair) to see {what}"
    )


def require_committee_view(
    data: EvaluationData, viewer: Identity | None, what: str, live_view: bool = False
) -> bool:
    """Refuse `what` (a report or anything else showing every member's scores) to whoever may
    not see them now: a member during blind scoring, the chair unless they look at live
    results, and, once a chair is named, anyone who has not said who they are.

    Returns True when it is allowed only as the chair's look at live results, which the caller
    must record (evaluator.services.process.view_live_results)."""
    if committee_open(data):
        return False
    if viewer is None:
        if data.chair:
            raise _unnamed(data, what)
        return False  # one person setting up, before a chair is named
    if viewer.chair:
        if live_view:
            return True
        raise NotVisible(
            blind_refusal(data, what) + "; the chair may look at live results now, which the "
            "audit records and the report shows",
            chair_may_look=True,
        )
    raise NotVisible(blind_refusal(data, what))


def require_scoresheet_view(
    data: EvaluationData, viewer: Identity | None, member: Evaluator, live_view: bool = False
) -> bool:
    """Refuse `member`'s scoresheet (which holds their scores) to whoever may not see it now:
    during blind scoring a member has only their own; the chair has a member's sheet while it
    holds no scores yet (a blank one to send), otherwise only as a look at live results.

    Returns True when it is allowed only as the chair's recorded look at live results."""
    if committee_open(data):
        return False
    what = f"the scoresheet of {member.name}"
    if viewer is None:
        if data.chair:
            raise _unnamed(data, what)
        return False
    if not viewer.chair:
        if viewer.evaluator_id == member.id:
            return False
        raise NotVisible(
            f"{viewer.name} can have their own scoresheet only while the committee scores "
            f"blind; {member.name}'s holds {member.name}'s scores"
        )
    held = sum(1 for s in data.scores if s.evaluator_id == member.id)
    if held == 0:
        return False
    if live_view:
        return True
    raise NotVisible(
        f"{member.name} already has {held} scores on record, which the chair does not see while "
        f"the committee scores blind: {member.name} can export their own scoresheet, or the "
        "chair may look at live results, which the audit records",
        chair_may_look=True,
    )


def require_sheet_import(data: EvaluationData, viewer: Identity | None, member: Evaluator) -> None:
    """Reading in `member`'s filled scoresheet shows the scores on record beside the sheet's:
    during blind scoring a member reads in only their own; the chair any member's (the member
    handed the sheet over); once a chair is named, only someone who says who they are."""
    if committee_open(data):
        return
    if viewer is None:
        if data.chair:
            raise _unnamed(data, f"the scoresheet of {member.name}")
        return
    if not viewer.chair and viewer.evaluator_id != member.id:
        raise NotVisible(
            f"{viewer.name} can import their own scoresheet only while the committee scores "
            f"blind; this one is {member.name}'s: give it to {member.name} or the chair"
        )


def judgments_blind(data: EvaluationData, viewer: Identity | None) -> bool:
    """True when `viewer` may see only their own AHP judgments now: a member while the committee
    scores blind (the chair, who may record anyone's, sees them all)."""
    return viewer is not None and not viewer.chair and not committee_open(data)


def require_judgments_view(
    data: EvaluationData, viewer: Identity | None, member: Evaluator | None
) -> None:
    """Refuse the members' pairwise (AHP) judgments, or the committee's combination of them
    (`member` None), to whoever may not see them now: during blind scoring a member sees only
    their own, so that nobody anchors on colleagues' views; once a chair is named, only
    someone who says who they are."""
    if committee_open(data):
        return
    if viewer is None:
        if data.chair:
            raise _unnamed(data, "the members' pairwise judgments")
        return
    if viewer.chair or (member is not None and member.id == viewer.evaluator_id):
        return
    raise NotVisible(
        blind_refusal(data, "The committee's pairwise judgments")
        + f"; {viewer.name} may see their own (--member {viewer.name!r})"
    )
