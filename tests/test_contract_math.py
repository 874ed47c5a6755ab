"""The scorecard's arithmetic, recomputed by hand on a small month (pure: no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from evaluator.contracts import STANDARDS, Contract, Target
from evaluator.contracts.metrics import Direction
from evaluator.contracts.scorecard import TicketArrays, compute_period
from evaluator.contracts.sla_math import Verdict, credits, verdict

NAN = float("nan")
MARCH = int(datetime(2025, 3, 3, tzinfo=UTC).timestamp())


def contract() -> Contract:
    targets = [Target(s.metric, s.priority, s.value, "", "standard", s.citation) for s in STANDARDS]
    targets = [t for t in targets if t.metric not in ("offshore", "clinical")]
    targets += [
        Target("offshore", "", 0.10, "", "questionnaire", "10% offshore"),
        Target("clinical", "", 0.60, "", "questionnaire", "60% credentialed"),
    ]
    return Contract(
        1, 1, "Award", 1, "Altamira", date(2025, 1, 1), 10_000.0, "UTC", 0, tuple(targets)
    )


def month_of_tickets() -> TicketArrays:
    """Four P1 tickets opened on 2025-03-03 00:00 UTC (minutes after opening):
    1: response 10, resolved 120, fcr yes, onshore, credentialed, rated 5
    2: response 20, resolved 300, reopened, fcr no, offshore, credentialed, rated 3
    3: response 5, still open, fcr unknown, onshore, not credentialed, not rated
    4: no response, resolved 200, fcr yes, onshore, credentialed, rated 4"""
    minutes = 60
    opened = np.array([MARCH] * 4, dtype=np.int64)
    return TicketArrays(
        opened=opened,
        responded=np.array([10, 20, 5, NAN]) * minutes + MARCH,
        resolved=np.array([120, 300, NAN, 200]) * minutes + MARCH,
        month=np.array([202503] * 4, dtype=np.int64),
        priority=np.array([1, 1, 1, 1], dtype=np.int64),
        reopened=np.array([0, 1, 0, 0], dtype=float),
        fcr=np.array([1, 0, NAN, 1]),
        offshore=np.array([0, 1, 0, 0], dtype=float),
        clinical=np.array([1, 1, 0, 1], dtype=float),
        satisfaction=np.array([5, 3, NAN, 4]),
    )


def test_every_metric_of_a_small_month_recomputed_by_hand():
    calls = {202503: (1000, 900, 100, 20.0)}  # offered, answered, abandoned, ASA s
    card = compute_period("2025-03", [202503], month_of_tickets(), calls, contract())
    p1 = card.priorities[0]
    assert card.tickets == 4 and p1.tickets == 4
    # responses 5, 10, 20 (one missing): median 10; p90 at rank 0.9 x 2 = 1.8 -> 10 + 0.8 x 10
    assert p1.response_median == pytest.approx(10) and p1.response_p90 == pytest.approx(18)
    # target 15 min: 5 and 10 in time, 20 late -> 2/3
    assert p1.response_within == pytest.approx(2 / 3)
    # resolutions 120, 200, 300 (one open): median 200; p90 200 + 0.8 x 100 = 280; 240 target
    assert p1.resolution_median == pytest.approx(200) and p1.resolution_p90 == pytest.approx(280)
    assert p1.resolution_within == pytest.approx(2 / 3)
    assert p1.backlog == 1  # ticket 3 is open at the end of March
    assert [p.tickets for p in card.priorities[1:]] == [0, 0, 0]
    value = {m.metric + m.priority: m.value for m in card.metrics}
    shown = {m.metric + m.priority: m.verdict for m in card.metrics}
    assert value["sla_attainment"] == pytest.approx(4 / 6)  # 2 + 2 of 6 clocks in time
    assert value["reopen"] == pytest.approx(1 / 4)
    assert value["fcr"] == pytest.approx(2 / 3)  # yes, no, yes of three known
    assert value["offshore"] == pytest.approx(1 / 4)
    assert value["clinical"] == pytest.approx(3 / 4)
    assert value["satisfaction"] == pytest.approx(2 / 3)  # 5 and 4 of ratings 5, 3, 4
    assert value["asa"] == pytest.approx(20) and value["abandonment"] == pytest.approx(0.1)
    assert value["responseP2"] is None and shown["responseP2"] == "no data"
    # 2/3 in time < 90% attainment: breached; FCR 66.7% >= 66% but below 66% + 3.4%: at risk;
    # clinical 75% >= 60% + 4% of room: met; ASA 20 s <= 27 s (90% of 30): met
    assert shown["responseP1"] == shown["resolutionP1"] == "breached"
    assert shown["fcr"] == "at risk" and shown["clinical"] == "met" and shown["asa"] == "met"
    assert shown["offshore"] == shown["reopen"] == shown["satisfaction"] == "breached"
    assert shown["abandonment"] == "breached" and card.verdict == "breached"
    # six credited breaches (attainment sums them up and is not credited) x 2% of 10,000
    assert len(card.breaches) == 6 and card.credit == pytest.approx(1200)


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (26.9, 30, Direction.MAX, Verdict.MET),  # below 90% of the target
        (27.5, 30, Direction.MAX, Verdict.AT_RISK),
        (30, 30, Direction.MAX, Verdict.AT_RISK),
        (30.1, 30, Direction.MAX, Verdict.BREACHED),
        (0.905, 0.90, Direction.MIN, Verdict.AT_RISK),  # below 0.90 + 10% of the 0.10 left
        (0.95, 0.90, Direction.MIN, Verdict.MET),
        (0.89, 0.90, Direction.MIN, Verdict.BREACHED),
        (None, 0.90, Direction.MIN, Verdict.NO_DATA),
    ],
)
def test_verdicts_at_the_edges(value, target, direction, expected):
    assert verdict(value, target, direction) is expected


def test_credits_are_capped():
    assert credits(3, 10_000, 2, 20) == 600
    assert credits(15, 10_000, 2, 20) == 2000  # 30% asked, 20% cap
