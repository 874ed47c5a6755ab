"""The scoring engine: pure functions from `EvaluationData` to `Results` (DESIGN.md, scoring math).

No database, no Qt, no numpy: it is called after every edit and by every report, so it must be
quick to import and quick to run (50 candidates x 200 leaves x 10 evaluators in tens of ms).

Leaf values do not depend on weights, and disqualification depends only on gates, so the work is
split into `evaluate_leaves` (gates first, then every leaf value) and the weighting that follows;
the sensitivity analysis reuses the first part and recomputes only the second.

Choices the design leaves open, made here:

* A gate's consensus decides it (value > 0 passes). Otherwise its rule decides from the answer
  (result > 0 passes); when there is no rule, or the rule has nothing to say about a yes/no
  answer, yes passes and no fails. No decision and no usable answer leaves the gate pending.
* A price is a number (not a yes/no) in the candidate's questionnaire response for the leaf; a
  price <= 0 is an error naming the candidate and criterion, whether or not it is disqualified.
  A disqualified candidate cheaper than every qualified one gets the top of the scale.
* `CandidateResult.leaf_values` holds every non-gate leaf; gates appear only through
  `failed_gates` / `pending_gates` (a gate in neither list has passed).
* Evaluator scores on non-rated leaves are ignored for values but still feed disagreements.
* A rated leaf that members reviewed but every one of them abstained on has no value (it adds
  no points) yet counts as reviewed in the candidate's completeness: the committee looked at it.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from evaluator.domain import (
    Aggregation,
    Candidate,
    Criterion,
    Disagreement,
    EvaluationData,
    GateState,
    LeafValue,
    Results,
    Scale,
    Score,
    ScoringError,
    ValueSource,
    leaves,
)
from evaluator.kinds import Scoring, kind_info, passes
from evaluator.tally import RANK_TOLERANCE, Tally, rank_totals, ranked
from evaluator.weights import describe, effective_weights

__all__ = [
    "RANK_TOLERANCE",
    "CandidateLeaves",
    "Tally",
    "abstained_cells",
    "aggregate",
    "disagreement_threshold",
    "effective_weights",
    "evaluate_leaves",
    "group_scores",
    "normalise",
    "price_value",
    "rank_totals",
    "ranked",
    "score_evaluation",
    "validate_scale",
]

_FLAG_EPSILON = 1e-9  # a spread this close below the threshold still counts as reaching it

_MISSING = LeafValue(None, None, ValueSource.MISSING)


# ---- small pure building blocks -------------------------------------------------------------


def validate_scale(scale: Scale) -> None:
    """A scale must have a range, otherwise nothing can be normalised."""
    if scale.span <= 0:
        raise ScoringError(
            f"The scoring scale {scale.minimum}..{scale.maximum} has no range; "
            "its maximum must be above its minimum."
        )


def aggregate(values: Sequence[float], method: Aggregation) -> float | None:
    """Mean or median of the evaluators' scores; the median of an even count is the mean of
    the two middle values. None when there is nothing to aggregate."""
    if not values:
        return None
    if method is Aggregation.MEDIAN:
        return float(statistics.median(values))
    return math.fsum(values) / len(values)


def price_value(price: float, lowest: float, scale: Scale) -> float:
    """The cheapest gets the top of the scale; others in proportion to lowest / price."""
    if price <= 0:
        raise ScoringError(f"A price must be greater than zero, got {price:g}.")
    return scale.minimum + scale.span * lowest / price


def normalise(value: float, scale: Scale) -> float:
    """Position of `value` on the scale as a share in [0, 1] (clamped)."""
    validate_scale(scale)
    share = (value - scale.minimum) / scale.span
    return min(1.0, max(0.0, share))


def disagreement_threshold(scale: Scale) -> float:
    """Two points on a 0-5 scale, the same share of the range on any other scale."""
    validate_scale(scale)
    return 2.0 * scale.span / 5.0


def spread(values: Sequence[float], scale: Scale) -> tuple[float, bool]:
    """(highest minus lowest, flagged as a disagreement) for one cell's scores: the one rule the
    ranking, the consensus grid and the reports share; fewer than two scores never disagree."""
    if len(values) < 2:
        return 0.0, False
    width = max(values) - min(values)
    return width, width >= disagreement_threshold(scale) - _FLAG_EPSILON


def counts(score: Score, conflicted: frozenset[tuple[int, int]] = frozenset()) -> bool:
    """Whether a member's score enters the committee's aggregate: not an abstention, and not a
    member who declared a conflict with that candidate."""
    return not score.abstained and (score.evaluator_id, score.candidate_id) not in conflicted


def conflicts(data: EvaluationData) -> frozenset[tuple[int, int]]:
    """(member id, candidate id) of every declared conflict."""
    return frozenset(
        (member.id, candidate_id)
        for member in data.evaluators
        if member.declaration is not None
        for candidate_id in member.declaration.conflicted
    )


def abstained_cells(
    scores: Sequence[Score], conflicted: frozenset[tuple[int, int]] = frozenset()
) -> frozenset[tuple[int, str]]:
    """(candidate id, leaf key) of every cell a member (without a conflict there) abstained on."""
    return frozenset(
        (s.candidate_id, s.criterion_key)
        for s in scores
        if s.abstained and (s.evaluator_id, s.candidate_id) not in conflicted
    )


def group_scores(
    scores: Sequence[Score], conflicted: frozenset[tuple[int, int]] = frozenset()
) -> dict[tuple[int, str], list[float]]:
    """(candidate id, leaf key) -> the values that count (see `counts`), in one pass."""
    grouped: defaultdict[tuple[int, str], list[float]] = defaultdict(list)
    for score in scores:  # `counts`, inlined: this loop runs over every score
        if not score.abstained and (score.evaluator_id, score.candidate_id) not in conflicted:
            grouped[(score.candidate_id, score.criterion_key)].append(score.value)
    return grouped


# ---- leaf values (weight-independent) ------------------------------------------------------


@dataclass(frozen=True)
class CandidateLeaves:
    """One candidate's gate outcomes and leaf values: everything that does not need weights."""

    candidate: Candidate
    values: dict[str, LeafValue]  # every non-gate leaf
    gates: dict[str, GateState]  # every gate

    @property
    def failed_gates(self) -> tuple[str, ...]:
        return tuple(key for key, state in self.gates.items() if state is GateState.FAILED)

    @property
    def pending_gates(self) -> tuple[str, ...]:
        return tuple(key for key, state in self.gates.items() if state is GateState.PENDING)

    @property
    def disqualified(self) -> bool:
        return any(state is GateState.FAILED for state in self.gates.values())


def evaluate_leaves(
    data: EvaluationData, grouped: dict[tuple[int, str], list[float]] | None = None
) -> list[CandidateLeaves]:
    """Gate outcomes and leaf values of every candidate, in candidate order.

    Gates come first because the lowest price is taken over qualified candidates only.
    `grouped` (from `group_scores`) may be passed in to avoid grouping the scores twice.
    """
    validate_scale(data.scale)
    if grouped is None:
        grouped = group_scores(data.scores, conflicts(data))
    consensus = {(c.candidate_id, c.criterion_key): c.value for c in data.consensus}
    answers = {(r.candidate_id, r.criterion_key): r.value for r in data.responses}
    all_leaves = leaves(data.criteria)
    how = [(leaf, kind_info(leaf.kind).scoring) for leaf in all_leaves]
    gates = [leaf for leaf, scoring in how if scoring is Scoring.PASS_FAIL]
    scored = [(leaf, scoring) for leaf, scoring in how if scoring is not Scoring.PASS_FAIL]

    gate_states = [
        {gate.key: _gate_state(gate, candidate.id, consensus, answers) for gate in gates}
        for candidate in data.candidates
    ]
    qualified = [
        candidate
        for candidate, states in zip(data.candidates, gate_states, strict=True)
        if GateState.FAILED not in states.values()
    ]
    lowest = {
        leaf.key: _lowest_price(leaf, data.candidates, qualified, answers)
        for leaf, scoring in scored
        if scoring is Scoring.PRICE
    }

    results = []
    for candidate, states in zip(data.candidates, gate_states, strict=True):
        values = {
            leaf.key: leaf_value(
                data, leaf, scoring, candidate.id, consensus, grouped, answers, lowest
            )
            for leaf, scoring in scored
        }
        results.append(CandidateLeaves(candidate, values, states))
    return results


def leaf_value(
    data: EvaluationData,
    leaf: Criterion,
    scoring: Scoring,
    candidate_id: int,
    consensus: dict[tuple[int, str], float],
    grouped: dict[tuple[int, str], list[float]],
    answers: dict[tuple[int, str], object],
    lowest: dict[str, float | None],
) -> LeafValue:
    """One candidate's value of one non-gate leaf (scoring math 2 and 3); `lowest` holds the
    lowest qualified price of every price leaf."""
    key = (candidate_id, leaf.key)
    if key in consensus:
        value: float | None = consensus[key]
        source = ValueSource.CONSENSUS
    elif scoring is Scoring.MEMBERS:
        value = aggregate(grouped.get(key, ()), data.aggregation)
        source = ValueSource.EVALUATORS
    elif scoring is Scoring.RULE:
        value = leaf.rule.apply(answers.get(key)) if leaf.rule else None
        source = ValueSource.RULE
    elif scoring is Scoring.PRICE:
        price = _price_of(answers.get(key))
        low = lowest[leaf.key]
        value = None
        if price is not None and low is not None:
            value = min(float(data.scale.maximum), price_value(price, low, data.scale))
        source = ValueSource.PRICE
    else:
        raise ValueError(f"no scoring rule for {leaf.kind} criteria ({scoring})")
    if value is None:
        return _MISSING
    return LeafValue(value, normalise(value, data.scale), source)


def _gate_state(
    gate: Criterion,
    candidate_id: int,
    consensus: dict[tuple[int, str], float],
    answers: dict[tuple[int, str], object],
) -> GateState:
    key = (candidate_id, gate.key)
    if key in consensus:
        return GateState.PASSED if passes(consensus[key]) else GateState.FAILED
    answer = answers.get(key)
    result = gate.rule.apply(answer) if gate.rule is not None else None
    if result is None and isinstance(answer, bool):
        result = 1.0 if answer else 0.0
    if result is None:
        return GateState.PENDING
    return GateState.PASSED if passes(result) else GateState.FAILED


def _price_of(answer: object) -> float | None:
    """A usable price is a finite number; yes/no, text and blanks are not prices."""
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return None
    return float(answer) if math.isfinite(answer) else None


def _lowest_price(
    leaf: Criterion,
    candidates: list[Candidate],
    qualified: list[Candidate],
    answers: dict[tuple[int, str], object],
) -> float | None:
    """Check every candidate's price, then take the lowest among qualified candidates."""
    for candidate in candidates:
        price = _price_of(answers.get((candidate.id, leaf.key)))
        if price is not None and price <= 0:
            raise ScoringError(
                f"The price of candidate '{candidate.name}' for criterion {describe(leaf)} "
                f"must be greater than zero, got {price:g}."
            )
    prices = [_price_of(answers.get((candidate.id, leaf.key))) for candidate in qualified]
    return min((price for price in prices if price is not None), default=None)


# ---- the whole evaluation ----------------------------------------------------------------


def score_evaluation(data: EvaluationData) -> Results:
    """Weights, leaf values, totals, completeness, ranks and disagreements in one call."""
    validate_scale(data.scale)
    tally = Tally.build(data.criteria)
    conflicted = conflicts(data)
    grouped = group_scores(data.scores, conflicted)
    reviewed = abstained_cells(data.scores, conflicted)  # no value, but looked at
    evaluated = evaluate_leaves(data, grouped)
    order = {c.id: index for index, c in enumerate(data.candidates)}
    return Results(
        effective_weights=tally.weights,
        candidates=ranked([tally.result(entry, reviewed) for entry in evaluated], order),
        disagreements=_disagreements(data, grouped),
    )


def _disagreements(
    data: EvaluationData, grouped: dict[tuple[int, str], list[float]]
) -> list[Disagreement]:
    """Every (candidate, leaf) with two or more scores, by candidate then leaf order."""
    leaf_keys = [leaf.key for leaf in leaves(data.criteria)]
    found = []
    for candidate in data.candidates:
        for leaf_key in leaf_keys:
            values = grouped.get((candidate.id, leaf_key))
            if values is not None and len(values) >= 2:
                found.append(disagreement(candidate.id, leaf_key, values, data.scale))
    return found


def disagreement(
    candidate_id: int, key: str, values: Sequence[float], scale: Scale
) -> Disagreement:
    """One cell's disagreement record (two or more scores that count)."""
    width, flagged = spread(values, scale)
    return Disagreement(candidate_id, key, width, flagged, tuple(values))
