"""Auto-score rules as short lines of text that a committee chair can read and type.

    yes = 5              a yes/no answer
    no = 0
    Gold = 5             a choice answer (any other text is a choice)
    ..4 = 5              a number up to 4 (inclusive)
    4..24 = 3            a number from 4 to 24
    24.. = 0             24 or more;  ".. = 0" matches any number

Number bands are tried top to bottom and the first match wins, as in the scoring engine.
"""

from __future__ import annotations

import re

from evaluator.domain import AutoRule, Band
from ui.numbers import fmt

_BAND = re.compile(r"^\s*(?P<low>-?\d+(?:[.,]\d+)?)?\s*\.\.\s*(?P<high>-?\d+(?:[.,]\d+)?)?\s*$")
HELP = (
    "One line per case, 'answer = score': yes = 5, no = 0, a choice such as Gold = 4, "
    "or a number band such as ..4 = 5, 4..24 = 3, 24.. = 0 (first match wins)."
)


class RuleSyntaxError(ValueError):
    """A line that cannot be read; the message names the line."""


def rule_to_text(rule: AutoRule | None) -> str:
    if rule is None:
        return ""
    lines = []
    if rule.yes is not None:
        lines.append(f"yes = {_num(rule.yes)}")
    if rule.no is not None:
        lines.append(f"no = {_num(rule.no)}")
    lines.extend(f"{choice} = {_num(score)}" for choice, score in rule.choices.items())
    for band in rule.bands:
        low = "" if band.low is None else _num(band.low)
        high = "" if band.high is None else _num(band.high)
        lines.append(f"{low}..{high} = {_num(band.score)}")
    return "\n".join(lines)


def rule_from_text(text: str) -> AutoRule | None:
    """The rule the lines describe; None for empty text; RuleSyntaxError naming a bad line."""
    yes = no = None
    choices: dict[str, float] = {}
    bands: list[Band] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        condition, sep, score_text = line.rpartition("=")
        condition = condition.strip()
        if not sep or not condition:
            raise RuleSyntaxError(f"line {number} ({line!r}) needs the form 'answer = score'")
        try:
            score = float(score_text.strip().replace(",", "."))
        except ValueError:
            raise RuleSyntaxError(
                f"line {number}: the score {score_text.strip()!r} is not a number"
            ) from None
        band = _BAND.match(condition)
        if condition.casefold() == "yes":
            yes = score
        elif condition.casefold() == "no":
            no = score
        elif band:
            bands.append(Band(score=score, low=_opt(band["low"]), high=_opt(band["high"])))
        else:
            choices[condition] = score
    if yes is None and no is None and not choices and not bands:
        return None
    return AutoRule(yes=yes, no=no, choices=choices, bands=tuple(bands))


def _opt(text: str | None) -> float | None:
    return None if text is None else float(text.replace(",", "."))


def _num(value: float) -> str:
    return fmt(value)  # in the user's notation, as the grids show numbers
