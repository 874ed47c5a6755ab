"""Validating and normalising the values a change carries: the one place for each rule.

Each function either returns the value as the database stores it (names with collapsed spaces,
floats, stripped texts) or raises `ServiceError` with a sentence that names the field and says
what to do. The writer applies them to `after`; the snapshot then holds exactly what a reload
from the database would return.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from evaluator.codec import question_from_dict, question_to_dict, rule_from_dict, rule_to_dict
from evaluator.domain import (
    Candidate,
    CandidateKind,
    Criterion,
    CriterionKind,
    Evaluator,
    Scale,
)
from evaluator.errors import ServiceError
from evaluator.kinds import is_category

NAME_LIMIT = 200


def clean_name(value: object, what: str) -> str:
    """A name with surrounding and repeated whitespace collapsed; never empty, at most 200."""
    name = " ".join(str(value).split())
    if not name:
        raise ServiceError(f"the {what} cannot be empty")
    if len(name) > NAME_LIMIT:
        raise ServiceError(f"the {what} is longer than {NAME_LIMIT} characters")
    return name


def require_text(value: object, what: str) -> str:
    """A required reason (justification, note): stripped, never empty."""
    text = str(value or "").strip()
    if not text:
        raise ServiceError(f"a {what} is required: say why, in a sentence")
    return text


def number(value: object, what: str) -> float:
    """A finite number from a number or its text."""
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ServiceError(f"{what} {value!r} is not a number") from None
    if math.isnan(result) or math.isinf(result):
        raise ServiceError(f"{what} must be a finite number")
    return result


def fmt(value: float) -> str:
    """A number as people write it: 4, not 4.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def on_scale(value: object, scale: Scale, what: str, *, whole: bool) -> float:
    """A value on the evaluation's scale (a whole number where `whole`)."""
    result = number(value, what)
    if not scale.contains(result):
        raise ServiceError(
            f"{what} {fmt(result)} is outside the scale {scale.minimum}..{scale.maximum}"
        )
    if whole and not result.is_integer():
        raise ServiceError(f"{what} {fmt(result)} must be a whole number on the scale")
    return result


def gate_decision(value: object) -> float:
    """A gate's decision: pass/passed/yes/1 -> 1, fail/failed/no/0 -> 0."""
    text = str(value).strip().casefold()
    if text in {"pass", "passed", "yes", "y", "1", "1.0", "true"}:
        return 1.0
    if text in {"fail", "failed", "no", "n", "0", "0.0", "false"}:
        return 0.0
    raise ServiceError(f"a gate decision is pass or fail, not {value!r}")


def candidate_kind(kind: object) -> CandidateKind:
    try:
        return CandidateKind(kind)
    except ValueError:
        raise ServiceError(f"unknown candidate kind {kind!r}: use vendor or outsourcer") from None


def criterion_kind(kind: object) -> CriterionKind:
    try:
        return CriterionKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in CriterionKind)
        raise ServiceError(f"unknown criterion kind {kind!r}: use one of {names}") from None


def candidate(value: Candidate) -> Candidate:
    return replace(
        value,
        name=clean_name(value.name, "candidate name"),
        kind=candidate_kind(value.kind),
        notes=str(value.notes or ""),
    )


def evaluator(value: Evaluator) -> Evaluator:
    """The editable fields normalised; declaration, submission and protection kept as seen."""
    return replace(
        value,
        name=clean_name(value.name, "committee member name"),
        role=str(value.role or "").strip(),
        conflict_of_interest=str(value.conflict_of_interest or "").strip(),
    )


def weight(value: object, key: str) -> float:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        result = -1.0
    if not result >= 0 or math.isinf(result):
        raise ServiceError(f"the weight of {key!r} must be a number of 0 or more")
    return result


def criterion_field(name: str, value: Any, key: str) -> Any:
    """One criterion field as the database round trip returns it."""
    if name == "name":
        return clean_name(value, "criterion name")
    if name == "weight":
        return weight(value, key)
    if name == "kind":
        return criterion_kind(value)
    if name == "description":
        return str(value or "")
    if name == "rubric":
        return {int(point): str(text) for point, text in sorted((value or {}).items())}
    if name == "rule":
        return rule_from_dict(rule_to_dict(value))
    if name == "question":
        return question_from_dict(question_to_dict(value))
    raise KeyError(f"unknown criterion field {name!r}")


def criterion_fields(fields: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: criterion_field(name, value, key) for name, value in fields.items()}


def criterion_tree(node: Criterion) -> Criterion:
    """A copy of a subtree with every node's fields normalised."""
    fields = criterion_fields(
        {name: getattr(node, name) for name in ("name", "weight", "kind", "description",
                                                "rubric", "rule", "question")},
        node.key,
    )  # fmt: skip
    children = [criterion_tree(child) for child in node.children]
    if not is_category(fields["kind"]) and children:
        raise ServiceError(f"criterion {node.key!r} is a leaf but has sub-criteria")
    return replace(node, key=node.key.strip(), children=children, **fields)
