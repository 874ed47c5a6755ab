"""Plain-dict forms of rubrics, rules, questions and criteria trees.

One encoding serves the database's JSON columns, the evaluation JSON file and catalog files, so a
criterion survives every round trip unchanged.
"""

from __future__ import annotations

from typing import Any

from evaluator.domain import AnswerType, AutoRule, Band, Criterion, CriterionKind, Question


def rubric_to_dict(rubric: dict[int, str]) -> dict[str, str]:
    return {str(point): text for point, text in sorted(rubric.items())}


def rubric_from_dict(data: dict[str, str] | None) -> dict[int, str]:
    return {int(point): str(text) for point, text in (data or {}).items()}


def rule_to_dict(rule: AutoRule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    out: dict[str, Any] = {}
    if rule.yes is not None:
        out["yes"] = rule.yes
    if rule.no is not None:
        out["no"] = rule.no
    if rule.choices:
        out["choices"] = dict(rule.choices)
    if rule.bands:
        out["bands"] = [
            {
                k: v
                for k, v in (("low", b.low), ("high", b.high), ("score", b.score))
                if v is not None
            }
            for b in rule.bands
        ]
    return out


def rule_from_dict(data: dict[str, Any] | None) -> AutoRule | None:
    if data is None:
        return None
    bands = tuple(
        Band(score=float(b["score"]), low=_opt_float(b.get("low")), high=_opt_float(b.get("high")))
        for b in data.get("bands", [])
    )
    return AutoRule(
        yes=_opt_float(data.get("yes")),
        no=_opt_float(data.get("no")),
        choices={str(k): float(v) for k, v in data.get("choices", {}).items()},
        bands=bands,
    )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def question_to_dict(question: Question | None) -> dict[str, Any] | None:
    if question is None:
        return None
    out: dict[str, Any] = {"text": question.text, "answer_type": question.answer_type.value}
    if question.choices:
        out["choices"] = list(question.choices)
    if question.unit:
        out["unit"] = question.unit
    if question.key:
        out["key"] = True
    return out


def question_from_dict(data: dict[str, Any] | None) -> Question | None:
    if data is None:
        return None
    return Question(
        text=str(data["text"]),
        answer_type=AnswerType(data.get("answer_type", "text")),
        choices=tuple(str(c) for c in data.get("choices", ())),
        unit=str(data.get("unit", "")),
        key=bool(data.get("key", False)),
    )


def criterion_to_dict(node: Criterion) -> dict[str, Any]:
    """A criterion and its subtree; empty optional parts are left out to keep files readable."""
    out: dict[str, Any] = {
        "key": node.key,
        "name": node.name,
        "kind": node.kind.value,
        "weight": node.weight,
    }
    if node.description:
        out["description"] = node.description
    if node.rubric:
        out["rubric"] = rubric_to_dict(node.rubric)
    if node.question is not None:
        out["question"] = question_to_dict(node.question)
    if node.rule is not None:
        out["rule"] = rule_to_dict(node.rule)
    if node.children:
        out["children"] = [criterion_to_dict(child) for child in node.children]
    return out


def criterion_from_dict(data: dict[str, Any]) -> Criterion:
    return Criterion(
        key=str(data["key"]),
        name=str(data["name"]),
        kind=CriterionKind(data.get("kind", "category")),
        weight=float(data.get("weight", 1.0)),
        description=str(data.get("description", "")),
        rubric=rubric_from_dict(data.get("rubric")),
        question=question_from_dict(data.get("question")),
        rule=rule_from_dict(data.get("rule")),
        children=[criterion_from_dict(child) for child in data.get("children", [])],
    )
