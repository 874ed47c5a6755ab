"""Counts and units as a reader expects them: "1 file", "2 files", "1 hour", "0.5 hours".
Shared by every message, dialog and report that states a count."""

from __future__ import annotations

SINGULAR = {
    "hours": "hour",
    "minutes": "minute",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def with_unit(number: str, unit: str) -> str:
    """`number` (as shown) and `unit`: a unit of time in the singular for exactly 1 (the
    questionnaire says "hours"; "1 hours" read as a mistake)."""
    unit = unit.strip()
    if not unit:
        return number
    if number == "1":
        unit = SINGULAR.get(unit.lower(), unit) if unit.islower() else unit
    return f"{number} {unit}"
