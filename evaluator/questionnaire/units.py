"""A number beside its unit as a reader expects it: "1 hour", "2 hours", "0.5 hours"."""

from __future__ import annotations

SINGULAR = {
    "hours": "hour",
    "minutes": "minute",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",
}


def with_unit(number: str, unit: str) -> str:
    """`number` (as shown) and `unit`: a unit of time in the singular for exactly 1 (the
    questionnaire says "hours"; "1 hours" read as a mistake)."""
    unit = unit.strip()
    if not unit:
        return number
    if number == "1":
        unit = SINGULAR.get(unit.lower(), unit) if unit.islower() else unit
    return f"{number} {unit}"
