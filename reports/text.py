"""How numbers, answers and rules are worded in both reports, so that the PDF and Excel agree.

Only characters that the fallback PDF font (Bitstream Vera, shipped with reportlab) can draw are
used in fixed wording: no arrows or Greek letters.
"""

from __future__ import annotations

import math

from evaluator.domain import (
    AnswerType,
    AutoRule,
    Band,
    CriterionKind,
    GateState,
    Question,
    Response,
    Scale,
    Status,
    ValueSource,
)
from evaluator.gates import GATE_LOOKS, decision_state
from evaluator.kinds import Scoring, kind_info
from evaluator.wording import with_unit

NO_VALUE = "—"

STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "Draft",
    Status.SCORING: "Draft — scoring in progress",
    Status.CONSENSUS: "Draft — consensus in progress",
    Status.FINAL: "Final",
}

# from the one table of gate looks (evaluator.gates), so the reports word gates as the window does
GATE_LABELS: dict[GateState, str] = {state: look.label for state, look in GATE_LOOKS.items()}

# why a weighted criterion has no value yet, by how its kind is scored
MISSING_REASONS: dict[Scoring, str] = {
    Scoring.MEMBERS: "not scored yet",
    Scoring.RULE: "not answered",
    Scoring.PRICE: "not answered",
}

SOURCE_LABELS: dict[ValueSource, str] = {
    ValueSource.CONSENSUS: "consensus",
    ValueSource.EVALUATORS: "committee scores",
    ValueSource.RULE: "questionnaire answer",
    ValueSource.PRICE: "price formula",
    ValueSource.MISSING: "no value",
}


def pass_fail(outcome: float) -> str:
    """A pass/fail decision as the reports word it (the same words as gate outcomes)."""
    return GATE_LABELS[decision_state(outcome)]


def missing_reason(kind: CriterionKind) -> str:
    """'not scored yet' for criteria the committee scores, 'not answered' for the others."""
    return MISSING_REASONS.get(kind_info(kind).scoring, "no value yet")


def number(value: float, decimals: int = 2) -> str:
    """A number with at most `decimals` decimals and no trailing zeros: 4, 3.75, 1,850,000."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points(value: float) -> str:
    """Points out of 100, always one decimal so that columns line up: 82.6."""
    return f"{value:.1f}"


def percent(share: float | None, decimals: int = 0) -> str:
    return NO_VALUE if share is None else f"{100 * share:.{decimals}f}%"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def scale_value(value: float | None, scale: Scale) -> str:
    """A leaf value on the scale, e.g. "3.75 / 5"."""
    return NO_VALUE if value is None else f"{number(value)} / {number(scale.maximum)}"


def _with_unit(text: str, unit: str) -> str:
    return with_unit(text, unit)


def answer_text(response: Response | None, question: Question | None) -> str:
    """A questionnaire answer as a reader expects it: Yes, 35%, 1,850,000 USD per year."""
    if response is None:
        return "Not answered"
    value = response.value
    unit = question.unit if question else ""
    answer_type = question.answer_type if question else AnswerType.TEXT
    if value is None:
        return response.raw.strip() or "Not answered"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        if answer_type is AnswerType.PERCENT:
            text = f"{number(value)}%"
            return _with_unit(text, unit.removeprefix("%").strip())
        decimals = 0 if answer_type is AnswerType.CURRENCY and float(value).is_integer() else 2
        return _with_unit(number(value, decimals), unit)
    return str(value)


def _band_text(band: Band) -> str:
    if band.low is not None and band.high is not None:
        return f"{number(band.low)} to {number(band.high)}"
    if band.high is not None:
        return f"≤ {number(band.high)}"
    if band.low is not None:
        return f"≥ {number(band.low)}"
    return "any other value"


def rule_text(rule: AutoRule | None) -> str:
    """How an auto rule scores an answer, in one line: "Yes: 5; No: 0"."""
    if rule is None:
        return ""
    parts: list[str] = []
    if rule.yes is not None:
        parts.append(f"Yes: {number(rule.yes)}")
    if rule.no is not None:
        parts.append(f"No: {number(rule.no)}")
    parts.extend(f"{choice}: {number(score)}" for choice, score in rule.choices.items())
    parts.extend(f"{_band_text(band)}: {number(band.score)}" for band in rule.bands)
    return "; ".join(parts)
