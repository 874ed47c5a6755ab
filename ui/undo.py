"""Undoable user actions: each builds one change object (evaluator.changes) from what the window
shows now, with the words the Edit menu uses, and wraps it in a `ChangeCommand`.

Use them through the session, never by pushing them yourself:

    session.execute(SetScore(session, evaluator_id, candidate_id, "tiers.l4", 4, "Named engineer"))

`execute` applies the change before the push, so an action the core refuses never lands on the
stack (the message goes out on `session.errorRaised`). When a later undo or redo is refused (a
colleague finalised the evaluation, or changed the same score meanwhile) the command marks
itself obsolete, so Qt drops it, and the session re-reads the database: the stack never lies.
Candidates and members are named by id, criteria by key: a removal's undo puts them back under
the same identifiers, so commands further down the stack stay valid.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evaluator import changes as c
from evaluator.changes.model import place_of
from evaluator.changes.normalise import clean_name as _clean
from evaluator.domain import Aggregation, Candidate, CandidateKind, Criterion, Evaluator, Status
from evaluator.errors import ServiceError
from evaluator.kinds import is_pass_fail
from ui.numbers import fmt
from ui.session import EvaluationSession
from ui.undo_base import KIND_LABELS, ChangeCommand


def _name(text: str) -> str:
    """A name for an undo text (as the core will store it, or as typed when it is invalid)."""
    try:
        return _clean(text, "name")
    except ServiceError:
        return str(text)


def _cell_label(session: EvaluationSession, candidate_id: int, key: str) -> str:
    return f"{session.candidate(candidate_id).name} / {session.criterion(key).name}"


# ---- scores and consensus --------------------------------------------------------------------


_NOW: Any = object()


def SetScore(session: EvaluationSession, evaluator_id: int, candidate_id: int, key: str,
             value: float | str, justification: str, before: c.ScoreCell | None = _NOW,
             ) -> ChangeCommand:  # fmt: skip
    """One committee member's score (with its justification) for one cell; `before` is the
    score the user saw when they started typing (default: the one on screen now)."""
    if before is _NOW:
        before = session.score_cell(evaluator_id, candidate_id, key)
    after = c.ScoreCell(value, justification)  # type: ignore[arg-type]  # the core validates
    change = c.SetScore(evaluator_id, candidate_id, key, before, after)
    text = f"Set score {_cell_label(session, candidate_id, key)} to {fmt(value)}"
    return ChangeCommand(session, change, text)


def Abstain(session: EvaluationSession, evaluator_id: int, candidate_id: int, key: str,
            reason: str, before: c.ScoreCell | None = _NOW) -> ChangeCommand:  # fmt: skip
    """A member abstains on a cell instead of scoring it (counted in no aggregate); the reason
    is kept as the justification. `before` as for SetScore."""
    if before is _NOW:
        before = session.score_cell(evaluator_id, candidate_id, key)
    minimum = session.data.scale.minimum if session.data else 0
    after = c.ScoreCell(minimum, reason, abstained=True)
    change = c.SetScore(evaluator_id, candidate_id, key, before, after)
    return ChangeCommand(session, change, f"Abstain on {_cell_label(session, candidate_id, key)}")


def ClearScore(
    session: EvaluationSession, evaluator_id: int, candidate_id: int, key: str
) -> ChangeCommand:
    before = session.score_cell(evaluator_id, candidate_id, key)
    change = c.SetScore(evaluator_id, candidate_id, key, before, None)
    return ChangeCommand(session, change, f"Clear score {_cell_label(session, candidate_id, key)}")


def _decision_text(session: EvaluationSession, key: str, value: float | str) -> str:
    if not is_pass_fail(session.criterion(key).kind):
        return fmt(value)
    from evaluator.changes.normalise import gate_decision

    try:
        return "pass" if gate_decision(value) > 0 else "fail"
    except ServiceError:
        return str(value)


def SetConsensus(session: EvaluationSession, candidate_id: int, key: str, value: float | str,
                 note: str) -> ChangeCommand:  # fmt: skip
    """The committee's agreed value for a cell (for a gate: pass or fail), with a note."""
    before = session.consensus_cell(candidate_id, key)
    after = c.ConsensusCell(value, note)  # type: ignore[arg-type]  # the core validates
    change = c.SetConsensus(candidate_id, key, before, after)
    label = _cell_label(session, candidate_id, key)
    return ChangeCommand(
        session, change, f"Set consensus {label} to {_decision_text(session, key, value)}"
    )


def ClearConsensus(session: EvaluationSession, candidate_id: int, key: str) -> ChangeCommand:
    change = c.SetConsensus(candidate_id, key, session.consensus_cell(candidate_id, key), None)
    label = _cell_label(session, candidate_id, key)
    return ChangeCommand(session, change, f"Clear consensus {label}")


# ---- status ----------------------------------------------------------------------------------


def ChangeStatus(session: EvaluationSession, status: Status) -> ChangeCommand:
    """One step along draft / scoring / consensus (finalising is `session.finalise()`)."""
    status = Status(status)
    if status is Status.FINAL:
        raise ValueError("finalising cannot be undone: use session.finalise()")
    before = session.data.status if session.data else Status.DRAFT
    return ChangeCommand(session, c.SetStatus(before, status), f"Move evaluation to {status.value}")


def SetAggregation(session: EvaluationSession, method: Aggregation | str) -> ChangeCommand:
    """Combine members' scores by their mean or median (the chair's; audited, undoable)."""
    data = session.data
    assert data is not None
    before = c.EvaluationFields(data.name, data.client, data.aggregation)
    after = replace(before, aggregation=Aggregation(method))
    text = f"Combine members' scores by their {after.aggregation.value}"
    return ChangeCommand(session, c.EditEvaluation(before, after), text)


# ---- candidates and committee members ---------------------------------------------------------


def AddCandidate(session: EvaluationSession, name: str,
                 kind: CandidateKind | str = CandidateKind.VENDOR, notes: str = "",
                 ) -> ChangeCommand:  # fmt: skip
    change = c.AddCandidate(Candidate(0, name, kind, notes))  # type: ignore[arg-type]
    return ChangeCommand(session, change, f"Add candidate {_name(name)}")


def EditCandidate(session: EvaluationSession, candidate_id: int, *, new_name: str | None = None,
                  kind: CandidateKind | str | None = None, notes: str | None = None,
                  ) -> ChangeCommand:  # fmt: skip
    """Rename a candidate, change its kind or its notes (only the fields given)."""
    before = session.candidate(candidate_id)
    after = replace(
        before,
        name=before.name if new_name is None else new_name,
        kind=before.kind if kind is None else CandidateKind(kind),
        notes=before.notes if notes is None else notes,
    )
    if _name(after.name) != before.name:
        text = f"Rename candidate {before.name} to {_name(after.name)}"
    elif after.kind != before.kind:
        text = f"Make {before.name} a {KIND_LABELS[after.kind]}"
    else:
        text = f"Edit notes of {before.name}"
    return ChangeCommand(session, c.EditCandidate(before, after), text)


def RenameCandidate(session: EvaluationSession, candidate_id: int, new_name: str) -> ChangeCommand:
    """A rename is an edit of the name alone."""
    return EditCandidate(session, candidate_id, new_name=new_name)


def RemoveCandidate(session: EvaluationSession, candidate_id: int, why: str = "") -> ChangeCommand:
    """Remove a candidate with its scores, consensus and answers (undo puts all back)."""
    candidate = session.candidate(candidate_id)
    change = c.RemoveCandidate(candidate, why=why)
    return ChangeCommand(session, change, f"Remove candidate {candidate.name}")


def AddEvaluator(session: EvaluationSession, name: str, role: str = "",
                 conflict_of_interest: str = "") -> ChangeCommand:  # fmt: skip
    change = c.AddEvaluator(Evaluator(0, name, role, conflict_of_interest))
    return ChangeCommand(session, change, f"Add committee member {_name(name)}")


def EditEvaluator(session: EvaluationSession, evaluator_id: int, *, new_name: str | None = None,
                  role: str | None = None, conflict_of_interest: str | None = None,
                  ) -> ChangeCommand:  # fmt: skip
    """Rename a committee member, change the role or the conflict-of-interest declaration."""
    before = session.evaluator(evaluator_id)
    after = replace(
        before,
        name=before.name if new_name is None else new_name,
        role=before.role if role is None else role,
        conflict_of_interest=(
            before.conflict_of_interest if conflict_of_interest is None else conflict_of_interest
        ),
    )
    if _name(after.name) != before.name:
        text = f"Rename committee member {before.name} to {_name(after.name)}"
    elif after.role.strip() != before.role:
        text = f"Set role of {before.name} to {after.role.strip() or 'none'}"
    elif after.conflict_of_interest.strip():
        text = f"Declare conflict of interest for {before.name}"
    else:
        text = f"Clear conflict-of-interest declaration of {before.name}"
    return ChangeCommand(session, c.EditEvaluator(before, after), text)


def RenameEvaluator(session: EvaluationSession, evaluator_id: int, new_name: str) -> ChangeCommand:
    return EditEvaluator(session, evaluator_id, new_name=new_name)


def RemoveEvaluator(session: EvaluationSession, evaluator_id: int, why: str = "") -> ChangeCommand:
    """Remove a committee member and their scores (undo puts all back)."""
    member = session.evaluator(evaluator_id)
    change = c.RemoveEvaluator(member, why=why)
    return ChangeCommand(session, change, f"Remove committee member {member.name}")


# ---- criteria ---------------------------------------------------------------------------------

FIELD_LABELS = {
    "name": "name",
    "weight": "weight",
    "kind": "kind",
    "description": "description",
    "rubric": "rubric",
    "rule": "auto-score rule",
    "question": "question",
}


def EditCriterion(session: EvaluationSession, key: str, **fields: Any) -> ChangeCommand:
    """Change any of a criterion's fields: name, weight, kind, description, rubric, rule,
    question. Consecutive weight edits of the same criterion merge into one undo step."""
    unknown = set(fields) - set(c.CRITERION_FIELDS)
    if unknown or not fields:
        raise ValueError(f"EditCriterion needs criterion fields, got {sorted(fields)}")
    node = session.criterion(key)
    before = {name: getattr(node, name) for name in fields}
    return ChangeCommand(session, c.EditCriterion(key, before, fields), _edit_text(node, fields))


def _edit_text(node: Criterion, fields: dict[str, Any]) -> str:
    if set(fields) == {"name"}:
        return f"Rename criterion {node.name} to {_name(fields['name'])}"
    if set(fields) == {"weight"}:
        return f"Set weight of {node.name} to {fmt(fields['weight'])}"
    if set(fields) == {"kind"}:
        return f"Make {node.name} a {getattr(fields['kind'], 'value', fields['kind'])} criterion"
    names = " and ".join(FIELD_LABELS[name] for name in fields)
    return f"Edit {names} of {node.name}"


def AddCriterion(session: EvaluationSession, criterion: Criterion, parent: str | None = None,
                 position: int | None = None) -> ChangeCommand:  # fmt: skip
    """A new criterion (or subtree) under `parent` (None: the top level) at `position`."""
    change = c.AddCriterion(criterion, parent, position)
    return ChangeCommand(session, change, f"Add criterion {criterion.name}")


def RemoveCriterion(session: EvaluationSession, key: str, why: str = "") -> ChangeCommand:
    """Remove a criterion with its sub-criteria, scores and answers (undo puts all back)."""
    node = session.criterion(key)
    return ChangeCommand(session, c.RemoveCriterion(node, why=why), f"Remove criterion {node.name}")


def MoveCriterion(
    session: EvaluationSession, key: str, parent: str | None, position: int
) -> ChangeCommand:
    """Move a criterion to `position` among the children of `parent` (None: the top level)."""
    assert session.data is not None
    node = session.criterion(key)
    before = place_of(session.data.criteria, key)
    if parent == before.parent:
        direction = "up" if position < before.index else "down"
        text = f"Move criterion {node.name} {direction}"
    else:
        where = session.criterion(parent).name if parent else "the top level"
        text = f"Move criterion {node.name} to {where}"
    return ChangeCommand(session, c.MoveCriterion(key, before, c.Place(parent, position)), text)


__all__ = [
    "KIND_LABELS",
    "AddCandidate",
    "AddCriterion",
    "AddEvaluator",
    "ChangeCommand",
    "ChangeStatus",
    "ClearConsensus",
    "ClearScore",
    "EditCandidate",
    "EditCriterion",
    "EditEvaluator",
    "MoveCriterion",
    "RemoveCandidate",
    "RemoveCriterion",
    "RemoveEvaluator",
    "RenameCandidate",
    "RenameEvaluator",
    "SetConsensus",
    "SetScore",
    "fmt",
]
