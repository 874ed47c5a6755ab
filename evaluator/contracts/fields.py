"""Ticket fields, the column-mapping presets of the usual service-desk exports, and the parsing
of one cell: timestamps with time zones and daylight-saving changes, priorities to P1-P4, flags
and satisfaction ratings. Every parser raises ValueError with a sentence for the user.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

FIELDS = (
    "ticket_id",
    "opened",
    "first_response",
    "resolved",
    "priority",
    "category",
    "assignment_group",
    "reopened",
    "fcr",
    "offshore",
    "clinical",
    "satisfaction",
)
REQUIRED = ("ticket_id", "opened", "priority")
FIELD_LABELS = {  # what the mapping step shows for each field
    "ticket_id": "Ticket id",
    "opened": "Opened at",
    "first_response": "First response at",
    "resolved": "Resolved (restored) at",
    "priority": "Priority (P1–P4)",
    "category": "Category",
    "assignment_group": "Assignment group",
    "reopened": "Reopened",
    "fcr": "Resolved at first contact",
    "offshore": "Handled offshore",
    "clinical": "Handled by clinically credentialed staff",
    "satisfaction": "Satisfaction (1–5)",
}

PRESETS: dict[str, dict[str, str]] = {
    "servicenow": {  # a ServiceNow-like incident export (display labels, local times)
        "Number": "ticket_id",
        "Opened": "opened",
        "First response": "first_response",
        "Resolved": "resolved",
        "Priority": "priority",
        "Category": "category",
        "Assignment group": "assignment_group",
        "Reopen count": "reopened",
        "First contact resolution": "fcr",
        "Delivery location": "offshore",
        "Clinically credentialed": "clinical",
        "Survey score": "satisfaction",
    },
    "jira": {  # a Jira-Service-Management-like export (ISO times with offsets)
        "Issue key": "ticket_id",
        "Created": "opened",
        "Custom field (First response date)": "first_response",
        "Resolved": "resolved",
        "Priority": "priority",
        "Custom field (Request type)": "category",
        "Custom field (Team)": "assignment_group",
        "Custom field (Reopened)": "reopened",
        "Custom field (Solved on first contact)": "fcr",
        "Custom field (Offshore)": "offshore",
        "Custom field (Clinical credential)": "clinical",
        "Satisfaction rating": "satisfaction",
    },
    "generic": {name: name for name in FIELDS},
}

_PRIORITY_WORDS = {
    "critical": 1, "urgent": 1, "highest": 1, "blocker": 1, "emergency": 1,
    "high": 2, "major": 2,
    "medium": 3, "moderate": 3, "normal": 3,
    "low": 4, "lowest": 4, "minor": 4, "planning": 4, "trivial": 4,
}  # fmt: skip
_LEADING_NUMBER = re.compile(r"^(?:p|sev(?:erity)?|priority)?\s*[-:]?\s*([0-9]+)\b", re.I)
_TRUE = frozenset({"true", "yes", "y", "1", "x", "offshore", "reopened"})
_FALSE = frozenset({"false", "no", "n", "0", "onshore", "nearshore"})
_JIRA_TIME = "%d/%b/%y %I:%M %p"


def parse_priority(value: object, words: dict[str, int] | None = None) -> int:
    """1..4 from "P2", "2 - High", "Sev 1", "Highest", a source's own words; 5 and up are P4."""
    text = " ".join(str(value if value is not None else "").split())
    if not text:
        raise ValueError("no priority: give P1-P4")
    key = text.casefold()
    if words and key in words:
        return int(words[key])
    found = _LEADING_NUMBER.match(text)
    if found and int(found.group(1)) >= 1:
        return min(int(found.group(1)), 4)
    for word in re.findall(r"[a-z]+", key):
        if word in _PRIORITY_WORDS:
            return _PRIORITY_WORDS[word]
    raise ValueError(f"priority {text!r} is not P1-P4: map it with the source's priorities")


def parse_flag(value: object) -> bool | None:
    """True/false from yes/no, 1/0, offshore/onshore, a reopen count; None when blank."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value > 0
    text = str(value).strip().casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text.isdigit():
        return int(text) > 0
    raise ValueError(f"{str(value)!r} is not yes or no")


def parse_rating(value: object) -> int | None:
    """A satisfaction rating of 1 to 5; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(f"satisfaction {str(value)!r} is not a rating of 1 to 5") from None
    if number != int(number) or not 1 <= number <= 5:
        raise ValueError(f"satisfaction {str(value)!r} is not a rating of 1 to 5")
    return int(number)


def parse_time(value: object, zone: ZoneInfo) -> tuple[int | None, bool]:
    """(UTC seconds, ambiguous) of a timestamp; None when blank. A time with an offset or Z is
    exact; a naive one is local time in `zone`: a time the clocks skipped (spring forward) is
    refused, a repeated one (fall back) is taken as its first occurrence and flagged, so the
    caller can take the second when the first would put a later event before the opening."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = datetime.strptime(text, _JIRA_TIME)
            except ValueError:
                raise ValueError(
                    f"{text!r} is not a date and time (use 2025-03-09 14:05 or ISO 8601)"
                ) from None
    if moment.tzinfo is not None:
        return int(moment.timestamp()), False
    first = moment.replace(tzinfo=zone, fold=0)
    second = moment.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise ValueError(
            f"{moment:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks went forward): "
            "export the times with their UTC offset"
        )
    return int(first.timestamp()), first.utcoffset() != second.utcoffset()


def later_time(opened: int, value: object, zone: ZoneInfo, what: str) -> int | None:
    """A response or resolution time after `opened`: a repeated local hour that would fall
    before the opening is its second occurrence; anything else before the opening is refused."""
    moment, ambiguous = parse_time(value, zone)
    if moment is None:
        return None
    if moment < opened and ambiguous:
        moment += int((_offset(moment, zone) - _offset(moment + 7200, zone)).total_seconds())
    if moment < opened:
        raise ValueError(f"{what} {value!s} is before the ticket was opened")
    return moment


def _offset(seconds: int, zone: ZoneInfo) -> timedelta:
    return datetime.fromtimestamp(seconds, zone).utcoffset() or timedelta(0)


def local_month(seconds: int, zone: ZoneInfo) -> int:
    """YYYYMM of a UTC moment in `zone`."""
    moment = datetime.fromtimestamp(seconds, zone)
    return moment.year * 100 + moment.month
