"""Undoable edits of candidates and committee members (see ui/undo.py).

Adding is undone by removing; redoing an add restores the removed row, so the candidate keeps
its id and later commands on the stack that name it by id stay valid.
"""

from __future__ import annotations

from typing import Any

from evaluator import services
from evaluator.domain import Candidate, CandidateKind, Evaluator
from ui import snapshot
from ui.session import EvaluationSession
from ui.undo_base import KIND_LABELS, ServiceCommand


def _brought_back_rows(removed: services.Removed) -> bool:
    return bool(removed.scores or removed.consensus or removed.responses)


class AddCandidate(ServiceCommand):
    def __init__(
        self,
        session: EvaluationSession,
        name: str,
        kind: CandidateKind | str = CandidateKind.VENDOR,
        notes: str = "",
    ) -> None:
        super().__init__(session, f"Add candidate {snapshot.clean_name(name)}")
        self.name, self.kind, self.notes = name, CandidateKind(kind), notes
        self.candidate_id: int | None = None
        self.removed: services.Removed | None = None

    def forward(self) -> None:
        s = self.session
        if self.removed is None:
            self.candidate_id = services.add_candidate(
                self.db, self.ref, self.name, self.kind, self.notes
            )
            s.apply_candidate(Candidate(self.candidate_id, snapshot.clean_name(self.name),
                                        self.kind, self.notes))  # fmt: skip
            return
        services.restore(self.db, self.ref, self.removed)
        removed, self.removed = self.removed, None
        if _brought_back_rows(removed):
            s.reload()
        else:
            row = removed.row
            s.apply_candidate(Candidate(row["id"], row["name"], CandidateKind(row["kind"]),
                                        row["notes"]))  # fmt: skip

    def backward(self) -> None:
        assert self.candidate_id is not None
        name = self.session.candidate(self.candidate_id).name
        self.removed = services.remove_candidate(self.db, self.ref, name)
        self.session.apply_candidate_removed(self.candidate_id)


class EditCandidate(ServiceCommand):
    """Rename a candidate, change its kind or its notes (only the fields given)."""

    def __init__(
        self,
        session: EvaluationSession,
        candidate_id: int,
        *,
        new_name: str | None = None,
        kind: CandidateKind | str | None = None,
        notes: str | None = None,
    ) -> None:
        self.before = session.candidate(candidate_id)
        self.after = snapshot.edited_candidate(self.before, new_name, kind, notes)
        self.changes: dict[str, Any] = {
            k: v for k, v in (("new_name", new_name), ("kind", kind), ("notes", notes))
            if v is not None
        }  # fmt: skip
        super().__init__(session, _candidate_text(self.before, self.after))
        self.candidate_id = candidate_id
        self.noop = self.after == self.before

    def try_first(self) -> None:
        if not self.noop:
            super().try_first()

    def forward(self) -> None:
        self._apply(self.after)

    def backward(self) -> None:
        self._apply(self.before)

    def _apply(self, new: Candidate) -> None:
        current = self.session.candidate(self.candidate_id).name
        changes = {
            "new_name": new.name if "new_name" in self.changes else None,
            "kind": new.kind if "kind" in self.changes else None,
            "notes": new.notes if "notes" in self.changes else None,
        }
        services.update_candidate(self.db, self.ref, current, **changes)
        self.session.apply_candidate(new)


def RenameCandidate(session: EvaluationSession, candidate_id: int, new_name: str) -> EditCandidate:
    """A rename is an edit of the name alone."""
    return EditCandidate(session, candidate_id, new_name=new_name)


def _candidate_text(before: Candidate, after: Candidate) -> str:
    if after.name != before.name:
        return f"Rename candidate {before.name} to {after.name}"
    if after.kind != before.kind:
        return f"Make {before.name} a {KIND_LABELS[after.kind]}"
    return f"Edit notes of {before.name}"


class RemoveCandidate(ServiceCommand):
    """Remove a candidate with its scores, consensus and answers (undo puts all back)."""

    def __init__(self, session: EvaluationSession, candidate_id: int, why: str = "") -> None:
        super().__init__(session, f"Remove candidate {session.candidate(candidate_id).name}")
        self.candidate_id, self.why = candidate_id, why
        self.removed: services.Removed | None = None

    def forward(self) -> None:
        name = self.session.candidate(self.candidate_id).name
        self.removed = services.remove_candidate(self.db, self.ref, name, why=self.why)
        self.session.apply_candidate_removed(self.candidate_id)

    def backward(self) -> None:
        assert self.removed is not None
        services.restore(self.db, self.ref, self.removed)
        self.session.reload()


class AddEvaluator(ServiceCommand):
    def __init__(
        self, session: EvaluationSession, name: str, role: str = "", conflict_of_interest: str = ""
    ) -> None:
        super().__init__(session, f"Add committee member {snapshot.clean_name(name)}")
        self.name, self.role, self.conflict = name, role, conflict_of_interest
        self.evaluator_id: int | None = None
        self.removed: services.Removed | None = None

    def forward(self) -> None:
        s = self.session
        if self.removed is None:
            self.evaluator_id = services.add_evaluator(
                self.db, self.ref, self.name, self.role, self.conflict
            )
            s.apply_evaluator(Evaluator(self.evaluator_id, snapshot.clean_name(self.name),
                                        self.role.strip(), self.conflict.strip()))  # fmt: skip
            return
        services.restore(self.db, self.ref, self.removed)
        removed, self.removed = self.removed, None
        if _brought_back_rows(removed):
            s.reload()
        else:
            row = removed.row
            s.apply_evaluator(Evaluator(row["id"], row["name"], row["role"],
                                        row["conflict_of_interest"]))  # fmt: skip

    def backward(self) -> None:
        assert self.evaluator_id is not None
        name = self.session.evaluator(self.evaluator_id).name
        self.removed = services.remove_evaluator(self.db, self.ref, name)
        self.session.apply_evaluator_removed(self.evaluator_id)


class EditEvaluator(ServiceCommand):
    """Rename a committee member, change the role or the conflict-of-interest declaration."""

    def __init__(
        self,
        session: EvaluationSession,
        evaluator_id: int,
        *,
        new_name: str | None = None,
        role: str | None = None,
        conflict_of_interest: str | None = None,
    ) -> None:
        self.before = session.evaluator(evaluator_id)
        self.after = snapshot.edited_evaluator(self.before, new_name, role, conflict_of_interest)
        self.changes = {
            k for k, v in (("new_name", new_name), ("role", role),
                           ("conflict_of_interest", conflict_of_interest)) if v is not None
        }  # fmt: skip
        super().__init__(session, _evaluator_text(self.before, self.after))
        self.evaluator_id = evaluator_id
        self.noop = self.after == self.before

    def try_first(self) -> None:
        if not self.noop:
            super().try_first()

    def forward(self) -> None:
        self._apply(self.after)

    def backward(self) -> None:
        self._apply(self.before)

    def _apply(self, new: Evaluator) -> None:
        current = self.session.evaluator(self.evaluator_id).name
        services.update_evaluator(
            self.db,
            self.ref,
            current,
            new_name=new.name if "new_name" in self.changes else None,
            role=new.role if "role" in self.changes else None,
            conflict_of_interest=new.conflict_of_interest
            if "conflict_of_interest" in self.changes
            else None,
        )
        self.session.apply_evaluator(new)


def RenameEvaluator(session: EvaluationSession, evaluator_id: int, new_name: str) -> EditEvaluator:
    return EditEvaluator(session, evaluator_id, new_name=new_name)


def _evaluator_text(before: Evaluator, after: Evaluator) -> str:
    if after.name != before.name:
        return f"Rename committee member {before.name} to {after.name}"
    if after.role != before.role:
        return f"Set role of {before.name} to {after.role or 'none'}"
    if after.conflict_of_interest:
        return f"Declare conflict of interest for {before.name}"
    return f"Clear conflict-of-interest declaration of {before.name}"


class RemoveEvaluator(ServiceCommand):
    """Remove a committee member and their scores (undo puts all back)."""

    def __init__(self, session: EvaluationSession, evaluator_id: int, why: str = "") -> None:
        name = session.evaluator(evaluator_id).name
        super().__init__(session, f"Remove committee member {name}")
        self.evaluator_id, self.why = evaluator_id, why
        self.removed: services.Removed | None = None

    def forward(self) -> None:
        name = self.session.evaluator(self.evaluator_id).name
        self.removed = services.remove_evaluator(self.db, self.ref, name, why=self.why)
        self.session.apply_evaluator_removed(self.evaluator_id)

    def backward(self) -> None:
        assert self.removed is not None
        services.restore(self.db, self.ref, self.removed)
        self.session.reload()
