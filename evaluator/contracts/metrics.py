"""The metrics a support contract is held to, their units and directions, the standard
service-desk targets with their sources, and the questionnaire criteria whose answers become
promised targets.

A target is a number with a direction (`max`: no more than, `min`: at least) or, for a promise no
ticket measures (a named team, 24x7 cover), a text kept for the service review. Times are in
minutes, shares in fractions (0.07 is 7%), ASA in seconds, satisfaction the share of 4-5 ratings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PRIORITIES = ("P1", "P2", "P3", "P4")
AT_RISK_MARGIN = 0.10
"""A met target is *at risk* when the value is within 10% of it: above 90% of a "no more than"
target, below 110% of an "at least" one (for a share, below the target plus 10% of the room left
to 100%)."""


class Direction(StrEnum):
    MAX = "max"  # the value must be no more than the target
    MIN = "min"  # the value must be at least the target
    TEXT = "text"  # a commitment checked at the service review, not measured from tickets


class Source(StrEnum):
    QUESTIONNAIRE = "questionnaire"  # the candidate's answer
    CONSENSUS = "consensus"  # the committee's agreed reading of it
    STANDARD = "standard"  # a service-desk standard, cited
    AGREED = "agreed"  # set or changed by hand, with the reason as its citation


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # min, s, share, days, %, ""
    direction: Direction
    per_priority: bool = False
    measured: bool = True  # computed from tickets or call statistics


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("response", "Time to first response", "min", Direction.MAX, per_priority=True),
        Metric("resolution", "Time to resolve", "min", Direction.MAX, per_priority=True),
        Metric("sla_attainment", "Tickets within their time targets", "share", Direction.MIN),
        Metric("asa", "Average speed of answer", "s", Direction.MAX),
        Metric("abandonment", "Abandoned calls", "share", Direction.MAX),
        Metric("fcr", "First-contact resolution", "share", Direction.MIN),
        Metric("satisfaction", "Satisfied (4-5 of 5)", "share", Direction.MIN),
        Metric("reopen", "Reopened tickets", "share", Direction.MAX),
        Metric("offshore", "Handled offshore", "share", Direction.MAX),
        Metric("clinical", "Handled by clinically credentialed staff", "share", Direction.MIN),
        Metric("engineering_days", "Engineering turnaround", "days", Direction.MAX,
               measured=False),
        Metric("cover", "Hours with live analysts", "", Direction.TEXT, measured=False),
        Metric("named_team", "Named account team", "", Direction.TEXT, measured=False),
        Metric("credit", "Service credit per breach", "%", Direction.TEXT, measured=False),
        Metric("credit_cap", "Service credits at most", "%", Direction.TEXT, measured=False),
    )
}  # fmt: skip

HDI = "HDI service-desk benchmark: the industry average first-contact resolution is about 66%"
CALL_CENTRE = "common service-desk telephony standard"
PRIORITY_MATRIX = "common service-desk priority matrix (ITIL-style P1-P4 response/resolution)"
CONTRACT_PRACTICE = "common IT outsourcing practice: set it to the contract's credit schedule"


@dataclass(frozen=True)
class Standard:
    metric: str
    priority: str
    value: float
    citation: str


# (response minutes, resolution minutes) by priority: P1 15 min / 4 h ... P4 8 h / 72 h
PRIORITY_TIMES = {"P1": (15, 240), "P2": (60, 480), "P3": (240, 1440), "P4": (480, 4320)}

STANDARDS: tuple[Standard, ...] = (
    *(
        Standard(metric, priority, float(times[index]), PRIORITY_MATRIX)
        for priority, times in PRIORITY_TIMES.items()
        for index, metric in enumerate(("response", "resolution"))
    ),
    Standard("sla_attainment", "", 0.90, "common SLA attainment level (90% of tickets in time)"),
    Standard("asa", "", 30.0, f"{CALL_CENTRE}: average speed of answer at most 30 seconds"),
    Standard("abandonment", "", 0.07, f"{CALL_CENTRE}: abandonment at most 7%"),
    Standard("fcr", "", 0.66, HDI),
    Standard("satisfaction", "", 0.85, "common service-desk target: 85% satisfied"),
    Standard("reopen", "", 0.05, "common service-desk target: at most 5% reopened"),
    Standard("credit", "", 2.0, f"{CONTRACT_PRACTICE} (2% of the monthly fee per breach)"),
    Standard("credit_cap", "", 20.0, f"{CONTRACT_PRACTICE} (credits capped at 20% a month)"),
)


@dataclass(frozen=True)
class Promise:
    """A catalog criterion whose questionnaire answer becomes a target."""

    criterion: str
    metric: str
    priority: str = ""
    scale: float = 1.0  # answer x scale = target value (hours -> minutes, % -> share)


PROMISES: tuple[Promise, ...] = (
    Promise("response.sev1-response-hours", "response", "P1", 60.0),
    Promise("response.sev1-restore-hours", "resolution", "P1", 60.0),
    Promise("response.sev2-response-hours", "response", "P2", 60.0),
    Promise("response.engineering-turnaround", "engineering_days"),
    Promise("response.defect-handoff-days", "engineering_days"),
    Promise("clinical.credentialed-share", "clinical", scale=0.01),
    Promise("offshore.offshore-share", "offshore", scale=0.01),
    Promise("tiers.24x7-cover", "cover"),
    Promise("fit.named-team", "named_team"),
)


def metric(key: str) -> Metric:
    found = METRICS.get(key)
    if found is None:
        raise KeyError(key)
    return found
