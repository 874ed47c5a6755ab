"""The committee's record for the reports: every conflict-of-interest declaration each member
made (a re-declaration never replaces the earlier one in the record) and when each submitted.

The evaluation snapshot (`EvaluationData`) carries only the latest declaration and whether a
member has submitted, which is what scoring and the window need; a report that must show the
committee acted properly needs the history and the dates, read here with Core selects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.db import Database
from evaluator.domain import EvaluationData
from evaluator.models import CandidateRow, DeclarationRow, EvaluatorRow
from evaluator.records import EvalRef, get_evaluation

REMOVED_CANDIDATE = "a candidate since removed"


@dataclass(frozen=True)
class PastDeclaration:
    """One declaration as it was made: the candidates named (by their names now; one removed
    since is named as such, never dropped), the note, and when (UTC)."""

    at: datetime | None
    conflicted: tuple[str, ...] = ()
    note: str = ""

    def describe(self) -> str:
        """Worded as `Declaration.describe`: "No conflict" or "Conflict with A, B: note"."""
        note = self.note.strip()
        if not self.conflicted:
            return f"No conflict. {note}".strip() if note else "No conflict"
        return f"Conflict with {', '.join(self.conflicted)}" + (f": {note}" if note else "")


@dataclass(frozen=True)
class MemberHistory:
    declarations: tuple[PastDeclaration, ...] = ()  # oldest first; the last one counts
    submitted_at: datetime | None = None  # when they last submitted (None: not submitted now)


CommitteeHistory = Mapping[int, MemberHistory]  # by committee member id


def committee_history(db: Database, evaluation: EvalRef) -> dict[int, MemberHistory]:
    """Every member's declarations and submission time, by member id."""
    with db.reading() as session:
        return read_committee_history(session, get_evaluation(session, evaluation).id)


def read_committee_history(session: Session, evaluation_id: int) -> dict[int, MemberHistory]:
    names = {
        uid: name
        for uid, name in session.execute(
            select(CandidateRow.uid, CandidateRow.name).where(
                CandidateRow.evaluation_id == evaluation_id
            )
        )
    }
    made: dict[int, list[PastDeclaration]] = {}
    for member_id, at, conflicted, note in session.execute(
        select(
            DeclarationRow.evaluator_id,
            DeclarationRow.declared_at,
            DeclarationRow.conflicted,
            DeclarationRow.note,
        )
        .where(DeclarationRow.evaluation_id == evaluation_id)
        .order_by(DeclarationRow.id)
    ):
        who = tuple(names.get(uid, REMOVED_CANDIDATE) for uid in conflicted or ())
        made.setdefault(member_id, []).append(PastDeclaration(at, who, note or ""))
    return {
        member_id: MemberHistory(tuple(made.get(member_id, ())), submitted_at)
        for member_id, submitted_at in session.execute(
            select(EvaluatorRow.id, EvaluatorRow.submitted_at).where(
                EvaluatorRow.evaluation_id == evaluation_id
            )
        )
    }


def history_from_snapshot(data: EvaluationData) -> dict[int, MemberHistory]:
    """What the snapshot knows: each member's latest declaration (with its date), no
    submission times. Used when a report is built without reading the record."""
    names = {c.id: c.name for c in data.candidates}
    found: dict[int, MemberHistory] = {}
    for member in data.evaluators:
        d = member.declaration
        if d is None:
            found[member.id] = MemberHistory()
            continue
        named = tuple(names.get(c, REMOVED_CANDIDATE) for c in d.conflicted)
        found[member.id] = MemberHistory((PastDeclaration(d.at, named, d.note),))
    return found
