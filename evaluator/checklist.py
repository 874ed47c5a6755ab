"""What is still open before an evaluation is finalised: the chair's checklist.

Finalising with open items needs a reason, which the audit and the report keep.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.domain import EvaluationData, Results, find_criterion
from evaluator.visibility import waiting_for


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "completeness", "submission", "disagreement", "gate"
    text: str


def open_items(data: EvaluationData, results: Results) -> list[OpenItem]:
    """Incomplete candidates, members who have not submitted (and are not excused), flagged
    disagreements without a consensus value, and gates with no decision."""
    names = {c.id: c.name for c in data.candidates}
    items: list[OpenItem] = []
    for result in results.candidates:
        if not result.disqualified and result.completeness < 1 - 1e-9:
            share = f"{100 * result.completeness:.0f}%"
            items.append(
                OpenItem("completeness", f"{names[result.candidate_id]} is {share} complete")
            )
    for name in waiting_for(data):
        items.append(OpenItem("submission", f"{name} has not submitted their scores"))
    agreed = {(c.candidate_id, c.criterion_key) for c in data.consensus}
    for d in results.disagreements:
        if d.flagged and (d.candidate_id, d.criterion_key) not in agreed:
            node = find_criterion(data.criteria, d.criterion_key)
            label = node.name if node else d.criterion_key
            items.append(
                OpenItem(
                    "disagreement",
                    f"{names[d.candidate_id]} / {label}: scores differ by {d.spread:g} points "
                    "and no consensus value is set",
                )
            )
    for result in results.candidates:
        for key in result.pending_gates:
            node = find_criterion(data.criteria, key)
            label = node.name if node else key
            items.append(
                OpenItem("gate", f"{names[result.candidate_id]}: gate “{label}” has no decision")
            )
    return items
