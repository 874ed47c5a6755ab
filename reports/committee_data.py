"""The committee part of the report data: who sat on the committee, what each declared and
when, when each submitted or why they were excused, and the process record kept in the audit
(phase changes, the chair's looks at live results, finalisation and reopening, with reasons).

This is what a committee shows when a losing bidder challenges the decision, so it is built
from the record as it stands: every declaration (a re-declaration never hides an earlier one)
and every process entry of the audit trail, oldest first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from evaluator.checklist import open_items
from evaluator.domain import EvaluationData, Results, Status
from evaluator.scoring import conflicts
from evaluator.services.committee import CommitteeHistory, history_from_snapshot
from reports.model import CommitteeMember, DeclarationLine, ProcessEvent

if TYPE_CHECKING:
    from evaluator.services import AuditEntry


def committee_members(
    data: EvaluationData, history: CommitteeHistory | None = None
) -> tuple[CommitteeMember, ...]:
    """One row per member in committee order; `history` from
    `evaluator.services.committee.committee_history` (without it, the snapshot's latest
    declaration only and no submission times)."""
    known = history if history is not None else history_from_snapshot(data)
    conflicted = conflicts(data)
    given = Counter(
        s.evaluator_id
        for s in data.scores
        if not s.abstained and (s.evaluator_id, s.candidate_id) not in conflicted
    )
    abstained = Counter(s.evaluator_id for s in data.scores if s.abstained)
    members = []
    for e in data.evaluators:
        record = known.get(e.id)
        made = record.declarations if record else ()
        members.append(
            CommitteeMember(
                name=e.name,
                role=e.role,
                conflict_of_interest=e.conflict_of_interest.strip(),
                scores_given=given[e.id],
                declarations=tuple(
                    DeclarationLine(d.at, d.describe(), i == len(made) - 1)
                    for i, d in enumerate(made)
                ),
                abstentions=abstained[e.id],
                submitted=e.submitted,
                submitted_at=record.submitted_at if record and e.submitted else None,
                excused=e.excused.strip(),
            )
        )
    return tuple(members)


def _status_step(entry: AuditEntry) -> tuple[str, str]:
    if entry.new == Status.FINAL.value:
        return "finalise", f"Finalised (from {entry.old} to final)"
    if entry.old == Status.FINAL.value:
        return "reopen", f"Reopened the final evaluation (back to {entry.new})"
    return "phase", f"Moved the evaluation from {entry.old} to {entry.new}"


# audit action -> (kind, wording); the actions are the core's own (evaluator/changes)
_STEPS: dict[str, Callable[[AuditEntry], tuple[str, str]]] = {
    "change status": _status_step,
    "reopen evaluation": lambda e: (
        "reopen",
        f"Reopened the final evaluation (back to {e.new or 'consensus'})",
    ),
    "view live results": lambda e: ("live view", "Looked at live results during blind scoring"),
    "name chair": lambda e: ("chair", f"Named the chair: {e.new}"),
    "hand over chair": lambda e: ("chair", f"Handed the chair from {e.old} to {e.new}"),
    "unname chair": lambda e: ("chair", f"Withdrew the chair ({e.old})"),
    "excuse member": lambda e: ("excuse", f"Excused {e.target} from submitting"),
    "withdraw excuse": lambda e: ("excuse", f"Withdrew the excuse of {e.target}"),
    "reopen scoresheet": lambda e: ("sheet", f"Reopened the submitted scoresheet of {e.target}"),
}


def process_record(audit: Sequence[AuditEntry]) -> tuple[ProcessEvent, ...]:
    """The process steps in the audit trail, oldest first, each with who, when and why."""
    events = []
    for entry in audit:
        word = _STEPS.get(entry.action)
        if word is None:
            continue
        kind, what = word(entry)
        events.append(ProcessEvent(entry.at, entry.actor, entry.context, kind, what, entry.why))
    return tuple(events)


def open_when_final(data: EvaluationData, results: Results) -> tuple[str, ...]:
    """The checklist's open items of a final evaluation: it cannot change once final, so they
    are the items that were open when it was finalised (a reason was then required)."""
    if data.status is not Status.FINAL:
        return ()
    return tuple(item.text for item in open_items(data, results))
