"""The AHP judgments in an evaluation's JSON file (section `ahp_judgments`, see the schema).

Only judgments about criteria that are still compared with each other are written (a judgment
whose criterion was removed or moved elsewhere waits in the database for an undo, and means
nothing in a file); they are written in committee order, then by parent and keys, so that dump,
load and dump again give the same bytes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from evaluator.ahp_committee import sibling_set
from evaluator.ahp_judgments import check_value
from evaluator.domain import Criterion, EvaluationData, Judgment, ScoringError
from evaluator.errors import ServiceError
from evaluator.models import AhpJudgmentRow


def _current(roots: list[Criterion], parent: str | None, first: str, second: str) -> bool:
    try:
        keys = sibling_set(roots, parent).keys
    except ScoringError:
        return False
    return first in keys and second in keys and first != second


def judgments_document(data: EvaluationData) -> list[dict[str, Any]]:
    order = {e.id: i for i, e in enumerate(data.evaluators)}
    names = {e.id: e.name for e in data.evaluators}
    kept = sorted(
        (j for j in data.judgments
         if j.evaluator_id in names and _current(data.criteria, j.parent, j.first, j.second)),
        key=lambda j: (order[j.evaluator_id], j.parent or "", j.first, j.second),
    )  # fmt: skip
    return [
        {"member": names[j.evaluator_id], "parent": j.parent, "first": j.first,
         "second": j.second, "value": j.value}
        for j in kept
    ]  # fmt: skip


def insert_judgments(
    session: Session,
    evaluation_id: int,
    document: dict[str, Any],
    criteria: list[Criterion],
    person_ids: dict[str, int],
    where: str,
) -> int:
    """Insert the file's judgments (checked: known member, criteria compared under the parent,
    a value on the scale, each pair once per member); returns how many."""
    rows: dict[tuple[int, str, str, str], dict[str, Any]] = {}
    for i, item in enumerate(document.get("ahp_judgments", [])):
        place = f"{where}: ahp_judgments[{i}]"
        if item["member"] not in person_ids:
            raise ServiceError(f"{place} names unknown committee member {item['member']!r}")
        if not _current(criteria, item["parent"], item["first"], item["second"]):
            raise ServiceError(
                f"{place}: {item['first']!r} and {item['second']!r} are not two criteria "
                f"compared under {item['parent'] or 'the top level'!r}"
            )
        try:
            check_value(item["value"])
        except ScoringError as exc:
            raise ServiceError(f"{place}: {exc}") from None
        j = Judgment.ordered(
            person_ids[item["member"]], item["parent"], item["first"], item["second"],
            item["value"],
        )  # fmt: skip
        key = (j.evaluator_id, j.parent or "", j.first, j.second)
        if key in rows:
            raise ServiceError(f"{place}: {item['member']} compares this pair twice")
        rows[key] = {
            "evaluation_id": evaluation_id, "evaluator_id": j.evaluator_id,
            "parent_key": j.parent or "", "first_key": j.first, "second_key": j.second,
            "value": j.value,
        }  # fmt: skip
    if rows:
        session.execute(insert(AhpJudgmentRow), list(rows.values()))
    return len(rows)
