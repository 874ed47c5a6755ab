"""Checks that a criteria tree can be scored, with messages a committee chair can act on.

Every problem is returned (not just the first) so that a user fixing a catalog sees them all
at once. Each message names the criterion key and says what to change.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from evaluator.domain import (
    AnswerType,
    AutoRule,
    Criterion,
    CriterionKind,
    Scale,
    walk_tree,
)
from evaluator.kinds import CRITERION_KINDS, Need, Scoring, is_category, is_weighted, kind_info

KEY_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
CATALOG_ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")

NUMERIC_ANSWERS = frozenset({AnswerType.NUMBER, AnswerType.PERCENT, AnswerType.CURRENCY})
GATE_ANSWERS = frozenset({AnswerType.YES_NO}) | NUMERIC_ANSWERS
PRICE_ANSWERS = frozenset({AnswerType.CURRENCY, AnswerType.NUMBER})


def validate_catalog_id(catalog_id: str) -> list[str]:
    if KEY_PATTERN.fullmatch(catalog_id) and CATALOG_ID_PATTERN.fullmatch(catalog_id):
        return []
    return [
        f"catalog id {catalog_id!r} is not valid: use lowercase letters, digits and '-' "
        "(e.g. 'ehr-direct')"
    ]


def validate_criteria(criteria: list[Criterion], scale: Scale) -> list[str]:
    """Every problem that would stop the tree from being scored on `scale`, as messages."""
    if scale.minimum >= scale.maximum:
        return [
            f"scale {scale.minimum}-{scale.maximum} is empty: the minimum must be below the maximum"
        ]
    if not criteria:
        return ["there are no criteria: add at least one category with a scored criterion"]
    problems = _key_problems(criteria)
    for node in walk_tree(criteria):
        problems += _node_problems(node, scale)
    problems += _sibling_weight_problems(criteria, parent=None)
    if not any(is_scorable(node) for node in criteria):
        scored = [
            row.kind.value for row in CRITERION_KINDS.values() if row.is_leaf and row.weighted
        ]
        problems.append(f"there is no scored criterion: add {_a(or_list(scored))} criterion")
    return problems


def is_scorable(node: Criterion) -> bool:
    """True for a node that carries weight in the total: a weighted leaf or a category with one."""
    if not is_weighted(node.kind):
        return False
    return node.is_leaf or any(is_scorable(child) for child in node.children)


def _key_problems(criteria: list[Criterion]) -> list[str]:
    problems: list[str] = []
    counts = Counter(node.key for node in walk_tree(criteria))
    for key, count in counts.items():
        if count > 1:
            problems.append(f"key {key!r} is used by {count} criteria: keys must be unique")
    for node in walk_tree(criteria):
        if not KEY_PATTERN.fullmatch(node.key):
            problems.append(
                f"criterion key {node.key!r} is not valid: use lowercase letters, digits, '-' "
                "and '.' (e.g. 'tiers.l4-engineering')"
            )
    return problems


def _node_problems(node: Criterion, scale: Scale) -> list[str]:
    label = f"criterion {node.key!r}"
    problems: list[str] = []
    if not node.name.strip():
        problems.append(f"{label} has no name")
    if not isinstance(node.kind, CriterionKind):
        kinds = ", ".join(kind.value for kind in CriterionKind)
        return [*problems, f"{label} has unknown kind {node.kind!r} (expected one of {kinds})"]
    if not math.isfinite(node.weight) or node.weight < 0:
        problems.append(f"{label} has weight {node.weight}: weights must be 0 or more")
    info = kind_info(node.kind)
    if not info.is_leaf:
        return problems + _category_problems(node, label)
    if node.children:
        problems.append(
            f"{label} is a {node.kind.value} criterion but has children: "
            "make it a category or remove them"
        )
    if not info.weighted and node.weight > 0:
        problems.append(
            f"{info.noun} {node.key!r} has weight {_fmt(node.weight)} but {info.nouns} carry no "
            "weight: set it to 0"
        )
    problems += _rubric_problems(node, label, scale)
    problems += _question_problems(node, label)
    if node.question is None:
        return problems
    if info.rule is Need.NONE and node.rule is not None:
        takers = [row.kind.value for row in CRITERION_KINDS.values() if row.rule is not Need.NONE]
        problems.append(
            f"{label} is a {node.kind.value} criterion, which takes no rule: remove the rule or "
            f"make it {_a(or_list(takers))} criterion"
        )
    if info.scoring is Scoring.RULE:
        problems += _auto_problems(node, label, scale)
    elif info.scoring is Scoring.PRICE:
        problems += _price_problems(node, label)
    elif info.scoring is Scoring.PASS_FAIL:
        problems += _gate_problems(node, label)
    return problems


def _category_problems(node: Criterion, label: str) -> list[str]:
    problems: list[str] = []
    if not node.children:
        problems.append(f"category {node.key!r} is empty: add criteria to it or remove it")
    if node.rubric or node.question is not None or node.rule is not None:
        problems.append(
            f"category {node.key!r} has a rubric, question or rule: only leaf criteria have those"
        )
    if node.children and not is_scorable(node) and node.weight > 0:
        unweighted = or_list([row.nouns for row in CRITERION_KINDS.values() if not row.weighted])
        problems.append(
            f"category {node.key!r} holds only {unweighted}, which carry no weight: "
            f"set its weight to 0 (it is {_fmt(node.weight)})"
        )
    return problems


def _rubric_problems(node: Criterion, label: str, scale: Scale) -> list[str]:
    problems: list[str] = []
    points = set(scale.points())
    outside = sorted(set(node.rubric) - points)
    if outside:
        problems.append(
            f"{label} has rubric points {_fmt_points(outside)} outside the scale "
            f"{scale.minimum}-{scale.maximum}: remove them"
        )
    empty = sorted(point for point, text in node.rubric.items() if not text.strip())
    if empty:
        problems.append(f"{label} has empty rubric text for point {_fmt_points(empty)}")
    if kind_info(node.kind).rubric is Need.REQUIRED:
        missing = sorted(points - set(node.rubric))
        present = sorted(points & set(node.rubric))
        if not present:
            problems.append(
                f"{label} has no rubric: add a text for each point {scale.minimum}-{scale.maximum}"
            )
        elif missing:
            problems.append(
                f"{label} has rubric for {_fmt_points(present)} but the scale is "
                f"{scale.minimum}-{scale.maximum}: add point {_fmt_points(missing)}"
            )
    return problems


def _question_problems(node: Criterion, label: str) -> list[str]:
    question = node.question
    if question is None:
        return [f"{label} has no question: every leaf needs one for the questionnaire"]
    problems: list[str] = []
    if not question.text.strip():
        problems.append(f"{label} has a question without text")
    if not isinstance(question.answer_type, AnswerType):
        types = ", ".join(answer.value for answer in AnswerType)
        problems.append(
            f"{label} has unknown answer type {question.answer_type!r} (expected one of {types})"
        )
    elif question.answer_type is AnswerType.CHOICE:
        if not question.choices:
            problems.append(f"{label} asks for a choice but lists no choices: add them")
        folded = Counter(choice.casefold() for choice in question.choices)
        repeated = sorted(choice for choice, count in folded.items() if count > 1)
        if repeated:
            problems.append(f"{label} lists choice {repeated[0]!r} more than once")
        if any(not choice.strip() for choice in question.choices):
            problems.append(f"{label} lists an empty choice")
    elif question.choices:
        problems.append(
            f"{label} lists choices but its answer type is {question.answer_type.value}: "
            "make it a choice question or remove the choices"
        )
    return problems


def _auto_problems(node: Criterion, label: str, scale: Scale) -> list[str]:
    assert node.question is not None
    answer_type = node.question.answer_type
    if answer_type in (AnswerType.TEXT, AnswerType.DATE):
        return [
            f"{label} is auto but its answer is {answer_type.value}, which no rule can score: "
            "use yes_no, number, percent, currency or choice"
        ]
    if node.rule is None:
        return [f"{label} is auto but has no rule: add one that turns the answer into a score"]
    problems = _rule_shape_problems(node, label)
    for where, result in _rule_results(node.rule):
        if not scale.contains(result):
            problems.append(
                f"{label} rule gives {_fmt(result)} for {where} but the scale is "
                f"{scale.minimum}-{scale.maximum}"
            )
    return problems


def _price_problems(node: Criterion, label: str) -> list[str]:
    assert node.question is not None
    answer_type = node.question.answer_type
    if answer_type in PRICE_ANSWERS:
        return []
    return [f"{label} is a price but its answer is {answer_type}: use currency"]


def _gate_problems(node: Criterion, label: str) -> list[str]:
    assert node.question is not None
    problems: list[str] = []
    if node.question.answer_type not in GATE_ANSWERS:
        problems.append(
            f"gate {node.key!r} asks for {node.question.answer_type}: "
            "a gate needs a yes_no or numeric question"
        )
        return problems
    if node.rule is None:
        return [*problems, f"gate {node.key!r} has no rule: add one (a result above 0 passes)"]
    problems += _rule_shape_problems(node, label)
    results = [result for _, result in _rule_results(node.rule)]
    if results and not any(result > 0 for result in results):
        problems.append(f"gate {node.key!r} can never pass: give a passing answer a result above 0")
    if node.question.answer_type is AnswerType.YES_NO and all(result > 0 for result in results):
        problems.append(f"gate {node.key!r} passes on both yes and no: give one a result of 0")
    return problems


def _rule_shape_problems(node: Criterion, label: str) -> list[str]:
    """Whether the rule's form fits the question's answer type."""
    assert node.question is not None and node.rule is not None
    rule, answer_type = node.rule, node.question.answer_type
    has_yes_no = rule.yes is not None or rule.no is not None
    problems: list[str] = []
    if answer_type is AnswerType.YES_NO:
        if rule.yes is None or rule.no is None:
            problems.append(f"{label} rule must give a result for both yes and no")
        if rule.choices or rule.bands:
            problems.append(f"{label} answers yes/no, so its rule takes only yes and no")
    elif answer_type in NUMERIC_ANSWERS:
        if not rule.bands:
            problems.append(f"{label} answers a number, so its rule needs bands")
        if has_yes_no or rule.choices:
            problems.append(f"{label} answers a number, so its rule takes only bands")
        problems += _band_problems(rule, label)
    elif answer_type is AnswerType.CHOICE:
        problems += _choice_rule_problems(node, label)
        if has_yes_no or rule.bands:
            problems.append(f"{label} answers a choice, so its rule takes only choice scores")
    return problems


def _band_problems(rule: AutoRule, label: str) -> list[str]:
    problems: list[str] = []
    for index, band in enumerate(rule.bands, start=1):
        if band.low is not None and band.high is not None and band.low > band.high:
            problems.append(
                f"{label} band {index} has low {_fmt(band.low)} above high {_fmt(band.high)}"
            )
        if band.low is None and band.high is None and index < len(rule.bands):
            problems.append(
                f"{label} band {index} matches every answer, so the bands after it are never "
                "used: make it the last band"
            )
    return problems


def _choice_rule_problems(node: Criterion, label: str) -> list[str]:
    assert node.question is not None and node.rule is not None
    listed = {choice.casefold() for choice in node.question.choices}
    scored = {choice.casefold() for choice in node.rule.choices}
    problems = [
        f"{label} rule scores choice {choice!r}, which the question does not list"
        for choice in node.rule.choices
        if choice.casefold() not in listed
    ]
    problems += [
        f"{label} rule has no score for choice {choice!r}: add one"
        for choice in node.question.choices
        if choice.casefold() not in scored
    ]
    return problems


def _rule_results(rule: AutoRule) -> Iterable[tuple[str, float]]:
    if rule.yes is not None:
        yield "yes", rule.yes
    if rule.no is not None:
        yield "no", rule.no
    for choice, score in rule.choices.items():
        yield f"choice {choice!r}", score
    for index, band in enumerate(rule.bands, start=1):
        yield f"band {index}", band.score


def _sibling_weight_problems(siblings: list[Criterion], parent: Criterion | None) -> list[str]:
    """Among siblings that carry weight, at least one weight must be above 0."""
    problems: list[str] = []
    scorable = [node for node in siblings if is_scorable(node)]
    if scorable and not any(node.weight > 0 for node in scorable):
        where = f"under {parent.key!r}" if parent is not None else "at the top level"
        problems.append(
            f"the criteria {where} all have weight 0: give at least one a weight above 0"
        )
    for node in siblings:
        if is_category(node.kind) and node.children:
            problems += _sibling_weight_problems(node.children, node)
    return problems


def or_list(words: list[str]) -> str:
    """["rated", "auto", "price"] -> "rated, auto or price": a choice as a message names it."""
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def _a(text: str) -> str:
    return f"an {text}" if text[:1] in "aeiou" else f"a {text}"


def _fmt(number: float) -> str:
    return f"{number:g}"


def _fmt_points(points: list[int]) -> str:
    """`[0, 1, 2, 4]` -> "0-2, 4", the way a person writes a set of scale points."""
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][-1] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)
