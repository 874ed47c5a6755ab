"""Undoable commands: each calls exactly one service function forward and its inverse backward.

Use them through the session, never by pushing them yourself:

    session.execute(SetScore(session, evaluator_id, candidate_id, "tiers.l4", 4, "Named engineer"))

`execute` runs the first redo in `try_first()` before the push, so an action the core refuses
never lands on the stack (the message goes out on `session.errorRaised`). When a later undo or
redo is refused (say a colleague finalised the evaluation meanwhile) the command marks itself
obsolete, so Qt drops it, and the session re-reads the database: the stack never lies.

Commands identify candidates and evaluators by id and look their current names up when they
run: restores put rows back with the same ids, so ids stay valid across undo and redo.
After each service call the command mirrors the change on the session's snapshot (`apply_*`),
or asks for a reload when the service brought back rows the snapshot cannot rebuild.
"""

from __future__ import annotations

from evaluator import services
from evaluator.domain import CriterionKind, Status
from ui.session import EvaluationSession
from ui.undo_base import KIND_LABELS, ServiceCommand, fmt

# ---- scores and consensus ----------------------------------------------------------------


class _CellCommand(ServiceCommand):
    def __init__(self, session: EvaluationSession, candidate_id: int, key: str, text: str) -> None:
        super().__init__(session, text)
        self.candidate_id, self.key = candidate_id, key
        self.previous: services.Previous | None = None

    def _candidate(self) -> str:
        return self.session.candidate(self.candidate_id).name


def _cell_label(session: EvaluationSession, candidate_id: int, key: str) -> str:
    return f"{session.candidate(candidate_id).name} / {session.criterion(key).name}"


class SetScore(_CellCommand):
    """One committee member's score (with its justification) for one cell."""

    def __init__(
        self,
        session: EvaluationSession,
        evaluator_id: int,
        candidate_id: int,
        key: str,
        value: float | str,
        justification: str,
    ) -> None:
        label = _cell_label(session, candidate_id, key)
        super().__init__(session, candidate_id, key, f"Set score {label} to {fmt(value)}")
        self.evaluator_id, self.value, self.justification = evaluator_id, value, justification

    def _evaluator(self) -> str:
        return self.session.evaluator(self.evaluator_id).name

    def forward(self) -> None:
        previous = services.set_score(
            self.db, self.ref, self._evaluator(), self._candidate(), self.key,
            self.value, self.justification,
        )  # fmt: skip
        if not self._first_done and self.previous is None:
            self.previous = previous
        self.session.apply_score(
            self.evaluator_id, self.candidate_id, self.key, float(self.value), self.justification
        )

    def backward(self) -> None:
        _restore_score(self, self.previous)


class ClearScore(_CellCommand):
    def __init__(
        self, session: EvaluationSession, evaluator_id: int, candidate_id: int, key: str
    ) -> None:
        label = _cell_label(session, candidate_id, key)
        super().__init__(session, candidate_id, key, f"Clear score {label}")
        self.evaluator_id = evaluator_id

    def _evaluator(self) -> str:
        return self.session.evaluator(self.evaluator_id).name

    def forward(self) -> None:
        previous = services.clear_score(
            self.db, self.ref, self._evaluator(), self._candidate(), self.key
        )
        if previous is None and self.previous is None:
            self.noop = True
        self.previous = self.previous or previous
        self.session.apply_score(self.evaluator_id, self.candidate_id, self.key, None)

    def backward(self) -> None:
        _restore_score(self, self.previous)


def _restore_score(command: SetScore | ClearScore, previous: services.Previous | None) -> None:
    s, who, whom = command.session, command._evaluator(), command._candidate()
    if previous is None:
        services.clear_score(s.db, s.ref, who, whom, command.key)
        s.apply_score(command.evaluator_id, command.candidate_id, command.key, None)
    else:
        services.set_score(s.db, s.ref, who, whom, command.key, previous.value, previous.text)
        s.apply_score(
            command.evaluator_id, command.candidate_id, command.key, previous.value, previous.text
        )


def _consensus_number(session: EvaluationSession, key: str, value: float | str) -> float:
    if session.criterion(key).kind is CriterionKind.GATE:
        return services.parse_gate_decision(value)
    return float(value)


class SetConsensus(_CellCommand):
    """The committee's agreed value for a cell (for a gate: pass or fail), with a note."""

    def __init__(
        self,
        session: EvaluationSession,
        candidate_id: int,
        key: str,
        value: float | str,
        note: str,
    ) -> None:
        label = _cell_label(session, candidate_id, key)
        shown = fmt(value)
        if session.criterion(key).kind is CriterionKind.GATE:
            try:
                shown = "pass" if services.parse_gate_decision(value) > 0 else "fail"
            except services.ServiceError:
                shown = str(value)
        super().__init__(session, candidate_id, key, f"Set consensus {label} to {shown}")
        self.value, self.note = value, note

    def forward(self) -> None:
        previous = services.set_consensus(
            self.db, self.ref, self._candidate(), self.key, self.value, self.note
        )
        if not self._first_done and self.previous is None:
            self.previous = previous
        number = _consensus_number(self.session, self.key, self.value)
        self.session.apply_consensus(self.candidate_id, self.key, number, self.note)

    def backward(self) -> None:
        _restore_consensus(self, self.previous)


class ClearConsensus(_CellCommand):
    def __init__(self, session: EvaluationSession, candidate_id: int, key: str) -> None:
        label = _cell_label(session, candidate_id, key)
        super().__init__(session, candidate_id, key, f"Clear consensus {label}")

    def forward(self) -> None:
        previous = services.clear_consensus(self.db, self.ref, self._candidate(), self.key)
        if previous is None and self.previous is None:
            self.noop = True
        self.previous = self.previous or previous
        self.session.apply_consensus(self.candidate_id, self.key, None)

    def backward(self) -> None:
        _restore_consensus(self, self.previous)


def _restore_consensus(command: _CellCommand, previous: services.Previous | None) -> None:
    s, whom = command.session, command._candidate()
    if previous is None:
        services.clear_consensus(s.db, s.ref, whom, command.key)
        s.apply_consensus(command.candidate_id, command.key, None)
    else:
        services.set_consensus(s.db, s.ref, whom, command.key, previous.value, previous.text)
        s.apply_consensus(command.candidate_id, command.key, previous.value, previous.text)


# ---- status ------------------------------------------------------------------------------


class ChangeStatus(ServiceCommand):
    """One step along draft / scoring / consensus (finalising is `session.finalise()`)."""

    def __init__(self, session: EvaluationSession, status: Status) -> None:
        status = Status(status)
        if status is Status.FINAL:
            raise ValueError("finalising cannot be undone: use session.finalise()")
        super().__init__(session, f"Move evaluation to {status.value}")
        self.status = status
        self.before = session.data.status if session.data else Status.DRAFT

    def forward(self) -> None:
        self.session.apply_status(services.change_status(self.db, self.ref, self.status))

    def backward(self) -> None:
        self.session.apply_status(services.change_status(self.db, self.ref, self.before))


# Criteria commands live in ui/undo_criteria.py and people commands in ui/undo_people.py; they
# are re-exported here so that `from ui.undo import ...` is the one import views need.
from ui.undo_criteria import (  # noqa: E402
    AddCriterion,
    EditCriterion,
    MoveCriterion,
    RemoveCriterion,
)
from ui.undo_people import (  # noqa: E402
    AddCandidate,
    AddEvaluator,
    EditCandidate,
    EditEvaluator,
    RemoveCandidate,
    RemoveEvaluator,
    RenameCandidate,
    RenameEvaluator,
)

__all__ = [
    "KIND_LABELS",
    "AddCandidate",
    "AddCriterion",
    "AddEvaluator",
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
    "ServiceCommand",
    "SetConsensus",
    "SetScore",
    "fmt",
]
