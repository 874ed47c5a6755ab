"""Hand-worked evaluations for the sensitivity tests (core, AHP and the Sensitivity tab), and
the helpers that re-rank them: every candidate here is fictitious."""

from __future__ import annotations

import copy
import math

from evaluator.domain import (
    Aggregation,
    Candidate,
    ConsensusScore,
    Criterion,
    EvaluationData,
    Evaluator,
    Score,
    find_criterion,
)
from evaluator.scoring import score_evaluation
from tests.core_fixtures import rated

DRAWS = 20_000  # seeded simulations checked against closed forms


def within(estimate: float, p: float, draws: int = DRAWS) -> bool:
    """`estimate` is within 4.5 standard errors of the true probability `p`."""
    return abs(estimate - p) <= 4.5 * math.sqrt(p * (1 - p) / draws)


def agreed(values: dict[tuple[int, str], float]) -> list[ConsensusScore]:
    return [ConsensusScore(c, k, v, "agreed") for (c, k), v in values.items()]


def x_against_y(
    name: str, criteria: list[Criterion], values: dict[tuple[int, str], float], rival: str
) -> EvaluationData:
    """Example Vendor X (1) against `rival` (2), with the agreed `values` on `criteria`."""
    return EvaluationData(
        id=1,
        name=name,
        criteria=criteria,
        candidates=[Candidate(1, "Example Vendor X"), Candidate(2, rival)],
        consensus=agreed(values),
    )


def three_levels() -> EvaluationData:
    """Service (1) holds Tiers (1, holding leaf t) and leaf s (1); Cost (1) holds leaf c.

    Effective weights now: t 1/4, s 1/4, c 1/2. On 0..5, X: t 5, s 0, c 4; Y: t 0, s 1, c 5.
    X = 100 (1/4 + 0 + 0.4) = 65, Y = 100 (0 + 0.05 + 0.5) = 55: X leads.
    """
    tiers = Criterion("tiers", "Tiers", weight=1, children=[rated("t")])
    criteria = [
        Criterion("service", "Service", weight=1, children=[tiers, rated("s")]),
        Criterion("cost", "Cost", weight=1, children=[rated("c")]),
    ]
    values = {(1, "t"): 5, (1, "s"): 0, (1, "c"): 4, (2, "t"): 0, (2, "s"): 1, (2, "c"): 5}
    return x_against_y("Three-level RFP", criteria, values, "Example Partner Y")


def two_way(cost: float = 3.0, quality: float = 1.0) -> EvaluationData:
    """Cost and Quality, one leaf each. X: cost 5, quality 1; Y: cost 2, quality 4 (0..5).

    With s the share of Cost: X = 100 (s + 0.2 (1 - s)) = 20 + 80 s and
    Y = 100 (0.4 s + 0.8 (1 - s)) = 80 - 40 s. They draw level at s = 1/2: X wins exactly
    when s > 1/2. At raw weights 3 : 1, s = 3/4: X = 80, Y = 50, X wins.
    """
    criteria = [
        Criterion("cost", "Cost", weight=cost, children=[rated("fee")]),
        Criterion("quality", "Quality", weight=quality, children=[rated("q")]),
    ]
    values = {(1, "fee"): 5, (1, "q"): 1, (2, "fee"): 2, (2, "q"): 4}
    return x_against_y("Two-way RFP", criteria, values, "Example Outsourcer Y")


def one_cell(scores: list[float], rival: float, aggregation: Aggregation) -> EvaluationData:
    """One criterion; A's members score `scores`, B has the consensus value `rival`."""
    members = [Evaluator(i, f"Member {i}") for i in range(1, len(scores) + 1)]
    return EvaluationData(
        id=1,
        name="One-cell RFP",
        aggregation=aggregation,
        criteria=[rated("q")],
        candidates=[Candidate(1, "Example A"), Candidate(2, "Example B")],
        evaluators=members,
        scores=[Score(m.id, 1, "q", v, "why") for m, v in zip(members, scores, strict=True)],
        consensus=[ConsensusScore(2, "q", rival, "agreed")],
    )


def leader(data: EvaluationData) -> int:
    """The id of the candidate ranked first."""
    return score_evaluation(data).candidates[0].candidate_id


def with_weight(data: EvaluationData, key: str, weight: float) -> EvaluationData:
    """A copy of `data` with criterion `key` at raw weight `weight`."""
    changed = copy.deepcopy(data)
    node = find_criterion(changed.criteria, key)
    assert node is not None
    node.weight = weight
    return changed
