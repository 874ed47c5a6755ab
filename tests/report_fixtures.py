"""A small, hand-computable evaluation for the report tests (every name is fictitious).

Effective weights: support 3/4 and cost 1/4 (the gates category has no weight), so
support.tiers = 0.75 * 2/3 = 0.5, support.response = 0.75 * 1/3 = 0.25, cost.fee = 0.25.

| candidate              | tiers (norm)          | response (norm) | fee (norm)        | total   |
| ---------------------- | --------------------- | --------------- | ----------------- | ------- |
| Northwind Care Systems | mean(5, 4) = 4.5: 0.9 | 0.5 h: 5: 1.0   | 100k lowest: 1.0  | 95.0    |
| <b>Acme</b> & Co       | consensus 3: 0.6      | 2 h: 3: 0.6     | 150k: 3.333: 2/3  | 61.6667 |
| Zephyr Médical Support | 4 (one score): 0.8    | missing         | 120k: 4.1667: 5/6 | 60.8333 |
| Fails Gate Services    | mean(5, 5): 1.0       | 1 h: 5: 1.0     | 90k: capped 5     | 100.0   |

Fails Gate Services answered "no" to the BAA gate: disqualified (not ranked, and its price does
not set the lowest price). Zephyr has not answered the gate: provisional, completeness 75%.
Acme's tiers scores (1 and 5) spread by 4: a flagged disagreement, settled by consensus at 3.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from evaluator.domain import (
    AnswerType,
    AutoRule,
    Band,
    Candidate,
    CandidateKind,
    ConsensusScore,
    Criterion,
    CriterionKind,
    EvaluationData,
    Evaluator,
    Question,
    Response,
    Scale,
    Score,
    Status,
)
from evaluator.services import AuditEntry
from tests.core_fixtures import annual_fee, category

NORTHWIND = "Northwind Care Systems"
ACME = "<b>Acme</b> & Co"
ZEPHYR = "Zephyr Médical Support"
FAILS = "Fails Gate Services"
EXPECTED_TOTALS = {NORTHWIND: 95.0, ACME: 61.0 + 2 / 3, ZEPHYR: 60.0 + 5 / 6, FAILS: 100.0}
RANKED_ORDER = [NORTHWIND, ACME, ZEPHYR]  # then the disqualified FAILS

RUBRIC = {0: "No tiered support", 3: "Levels 2-4 in house", 5: "Levels 1-4 in house"}

INJECTIONS = (
    '=HYPERLINK("http://example.invalid/steal","click me")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1 after a tab",
    "\n=1+1 after a line break",
    "\r=1+1 after a carriage return",
    "#N/A",
)


def criteria() -> list[Criterion]:
    return [
        Criterion(
            "support",
            "Support model",
            weight=3,
            children=[
                Criterion(
                    "support.tiers",
                    "Tier coverage",
                    CriterionKind.RATED,
                    2,
                    description="Levels 1 to 4 delivered by the candidate's own staff.",
                    rubric=RUBRIC,
                    question=Question("Which support levels do your own staff deliver?", key=True),
                ),
                Criterion(
                    "support.response",
                    "Severity-1 response time",
                    CriterionKind.AUTO,
                    1,
                    question=Question(
                        "Contractual severity-1 response time?",
                        AnswerType.NUMBER,
                        unit="hours",
                        key=True,
                    ),
                    rule=AutoRule(bands=(Band(5, high=1), Band(3, high=4), Band(0))),
                ),
            ],
        ),
        category("cost", "Cost", 1, annual_fee("€ per year", key=True)),
        Criterion(
            "gates",
            "Gates",
            weight=0,
            children=[
                Criterion(
                    "gates.baa",
                    "Signs the business associate agreement",
                    CriterionKind.GATE,
                    0,
                    question=Question("Will you sign our BAA?", AnswerType.YES_NO),
                )
            ],
        ),
    ]


def sample_data(status: Status = Status.DRAFT) -> EvaluationData:
    candidates = [
        Candidate(1, NORTHWIND, CandidateKind.VENDOR, "Incumbent vendor."),
        Candidate(2, ACME, CandidateKind.OUTSOURCER, "Markup in the name must print as written."),
        Candidate(3, ZEPHYR, CandidateKind.OUTSOURCER),
        Candidate(4, FAILS, CandidateKind.OUTSOURCER),
    ]
    members = [
        Evaluator(1, "Dr. Élodie Brandt", "Chief Medical Officer"),
        Evaluator(2, "Sam Ortiz", "Chief Information Officer", "Worked for Northwind until 2019."),
    ]
    scores = [
        Score(1, 1, "support.tiers", 5, "All four levels in house; über-responsive — €0 extras."),
        Score(2, 1, "support.tiers", 4, "Level 1 is partly subcontracted."),
        Score(1, 2, "support.tiers", 1, "Only <i>Level 4</i> & nothing else."),
        Score(2, 2, "support.tiers", 5, "Strong references."),
        Score(1, 3, "support.tiers", 4, "Good coverage."),
        Score(1, 4, "support.tiers", 5, "Complete."),
        Score(2, 4, "support.tiers", 5, "Complete as well."),
    ]
    responses = [
        Response(1, "support.response", 0.5, "0.5"),
        Response(2, "support.response", 2.0, "2"),
        Response(4, "support.response", 1.0, "1"),
        Response(1, "cost.fee", 100_000.0, "100000"),
        Response(2, "cost.fee", 150_000.0, "150000", "Includes <b>all</b> levels"),
        Response(3, "cost.fee", 120_000.0, "120000"),
        Response(4, "cost.fee", 90_000.0, "90000"),
        Response(1, "support.tiers", "Levels 1-4", "Levels 1-4"),
        Response(1, "gates.baa", True, "yes"),
        Response(2, "gates.baa", True, "yes"),
        Response(4, "gates.baa", False, "no"),
    ]
    return EvaluationData(
        id=7,
        name="Riverside Support Review — ü é €",
        client="Riverside Community Hospital (fictitious)",
        status=status,
        scale=Scale(0, 5),
        criteria=criteria(),
        candidates=candidates,
        evaluators=members,
        scores=scores,
        consensus=[ConsensusScore(2, "support.tiers", 3, "Agreed at 3 after the reference calls.")],
        responses=responses,
    )


def sample_audit() -> list[AuditEntry]:
    start = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    return [
        AuditEntry(start, "chair", "create evaluation", "Riverside", "", "draft", ""),
        AuditEntry(
            start + timedelta(hours=2),
            "Sam Ortiz",
            "set score",
            "Sam Ortiz: <b>Acme</b> & Co / Tier coverage",
            "",
            "5",
            "Strong references.",
        ),
        AuditEntry(
            start + timedelta(days=1),
            "chair",
            "set consensus",
            "<b>Acme</b> & Co / Tier coverage",
            "",
            "3",
            "Agreed at 3 after the reference calls.",
        ),
    ]


def hostile_data() -> EvaluationData:
    """The sample with formula-like text, forbidden control characters and a huge text."""
    data = sample_data()
    extra = [
        Score(2, 3, "support.tiers", 3, text) for text in INJECTIONS[:1]
    ]  # Zephyr gets a second score whose justification is a formula
    notes = [
        Response(3, "support.response", None, INJECTIONS[1], "bell\x07and\x00null"),
        Response(2, "support.tiers", INJECTIONS[7], INJECTIONS[7], INJECTIONS[4]),
    ]
    renamed = [
        dataclasses.replace(c, name=INJECTIONS[3]) if c.id == 4 else c for c in data.candidates
    ]
    members = [
        dataclasses.replace(e, role=INJECTIONS[5 + i]) for i, e in enumerate(data.evaluators)
    ]
    long_scores = [
        s._replace(justification=s.justification + " " + "x" * 40_000)
        if (s.evaluator_id, s.candidate_id) == (2, 1)
        else s
        for s in data.scores
    ]
    return dataclasses.replace(
        data,
        candidates=renamed,
        evaluators=members,
        scores=long_scores + extra,
        responses=data.responses + notes,
        consensus=[
            ConsensusScore(2, "support.tiers", 3, INJECTIONS[2]),
        ],
    )
