"""The scoring contract (DESIGN.md, scoring math), pinned with hand-computed cases."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.domain import (
    Aggregation,
    AutoRule,
    Band,
    Candidate,
    ConsensusScore,
    Criterion,
    CriterionKind,
    Declaration,
    EvaluationData,
    Evaluator,
    Response,
    Scale,
    Score,
    ScoringError,
    ValueSource,
)
from evaluator.scoring import (
    aggregate,
    disagreement_threshold,
    effective_weights,
    normalise,
    price_value,
    rank_totals,
    score_evaluation,
)
from tests.core_fixtures import rated

# ---- builders -------------------------------------------------------------------------------


def auto(key: str, rule: AutoRule | None, weight: float = 1.0) -> Criterion:
    return Criterion(key, f"Auto {key}", CriterionKind.AUTO, weight, rule=rule)


def price(key: str, weight: float = 1.0) -> Criterion:
    return Criterion(key, f"Price {key}", CriterionKind.PRICE, weight)


def gate(key: str, rule: AutoRule | None = None) -> Criterion:
    return Criterion(key, f"Gate {key}", CriterionKind.GATE, 0.0, rule=rule)


def category(key: str, weight: float, *children: Criterion) -> Criterion:
    return Criterion(
        key, f"Category {key}", CriterionKind.CATEGORY, weight, children=list(children)
    )


def candidates(count: int) -> list[Candidate]:
    return [Candidate(i, f"Fictitious Support {i}") for i in range(1, count + 1)]


def evaluation(criteria: list[Criterion], count: int = 2, **fields: object) -> EvaluationData:
    return EvaluationData(
        id=1, name="Test RFP", criteria=criteria, candidates=candidates(count), **fields
    )


def score(evaluator: int, candidate: int, key: str, value: float) -> Score:
    return Score(evaluator, candidate, key, value, "because")


def ranks(results) -> dict[int, int | None]:
    return {r.candidate_id: r.rank for r in results.candidates}


# ---- effective weights ----------------------------------------------------------------------


def test_nested_effective_weights_are_products_of_sibling_shares() -> None:
    roots = [
        category("a", 2, rated("a1", 1), rated("a2", 3), gate("a.gate")),
        category("b", 1, rated("b1", 1), category("b2", 1, rated("b21", 1), rated("b22", 1))),
    ]
    # top: a = 2/3, b = 1/3
    # a1 = 2/3 * 1/4 = 1/6; a2 = 2/3 * 3/4 = 1/2
    # b1 = 1/3 * 1/2 = 1/6; b21 = b22 = 1/3 * 1/2 * 1/2 = 1/12
    weights = effective_weights(roots)
    assert list(weights) == ["a1", "a2", "b1", "b21", "b22"]
    assert weights == pytest.approx(
        {"a1": 1 / 6, "a2": 1 / 2, "b1": 1 / 6, "b21": 1 / 12, "b22": 1 / 12}
    )
    assert math.fsum(weights.values()) == pytest.approx(1.0)


def test_gates_take_no_share_even_with_a_weight() -> None:
    big_gate = Criterion("g", "Gate", CriterionKind.GATE, weight=100.0)
    weights = effective_weights([category("c", 1, rated("x", 1), big_gate, rated("y", 3))])
    assert weights == pytest.approx({"x": 0.25, "y": 0.75})


def test_empty_categories_are_treated_as_absent() -> None:
    roots = [
        category("empty", 5),
        category("gates-only", 5, gate("g1")),
        category("nested-empty", 5, category("inner", 1)),
        category("real", 1, rated("r1", 1), category("hollow", 9), rated("r2", 1)),
    ]
    # only "real" takes a share at the top level; "hollow" takes none inside it
    assert effective_weights(roots) == pytest.approx({"r1": 0.5, "r2": 0.5})


def test_zero_weight_leaf_among_weighted_siblings_gets_zero() -> None:
    weights = effective_weights([rated("x", 0), rated("y", 2)])
    assert weights == {"x": 0.0, "y": 1.0}


def test_all_zero_siblings_name_the_category() -> None:
    roots = [Criterion("tiers", "Support tiers", children=[rated("l1", 0), rated("l2", 0)])]
    with pytest.raises(ScoringError, match=r"under category 'Support tiers' \(tiers\)"):
        effective_weights(roots)


def test_all_zero_top_level_is_named() -> None:
    with pytest.raises(ScoringError, match="top level"):
        effective_weights([category("a", 0, rated("a1")), rated("b", 0)])


def test_all_zero_siblings_ignore_empty_and_gate_siblings() -> None:
    # the empty category's weight 3 must not rescue the all-zero siblings that do have leaves
    roots = [category("c", 1, rated("x", 0), category("e", 3), gate("g"))]
    with pytest.raises(ScoringError, match=r"category 'Category c' \(c\)"):
        effective_weights(roots)


def test_negative_weight_names_the_criterion() -> None:
    roots = [
        category("c", 1, rated("x", 1), Criterion("sla", "Response SLA", CriterionKind.RATED, -2))
    ]
    with pytest.raises(ScoringError, match=r"'Response SLA' \(sla\).*negative"):
        effective_weights(roots)


def test_repeated_key_is_an_error() -> None:
    with pytest.raises(ScoringError, match="'x' is used more than once"):
        effective_weights([rated("x"), category("c", 1, rated("x"))])


def test_no_scorable_leaves_gives_empty_weights() -> None:
    assert effective_weights([]) == {}
    assert effective_weights([gate("g"), category("c", 1)]) == {}


# ---- small functions ------------------------------------------------------------------------


def test_aggregate_mean_and_median() -> None:
    assert aggregate([1, 2, 4], Aggregation.MEAN) == pytest.approx(7 / 3)
    assert aggregate([5, 1, 3], Aggregation.MEDIAN) == 3
    assert aggregate([5, 1, 4, 2], Aggregation.MEDIAN) == 3  # mean of 2 and 4
    assert aggregate([0, 5], Aggregation.MEDIAN) == 2.5
    assert aggregate([], Aggregation.MEAN) is None
    assert aggregate([], Aggregation.MEDIAN) is None


def test_price_value_formula() -> None:
    assert price_value(200, 100, Scale()) == 2.5
    assert price_value(100, 100, Scale()) == 5
    assert price_value(400, 100, Scale(1, 10)) == 1 + 9 * 100 / 400  # 3.25


@pytest.mark.parametrize("bad", [0, -50])
def test_price_value_rejects_non_positive_price(bad: float) -> None:
    with pytest.raises(ScoringError, match="greater than zero"):
        price_value(bad, 100, Scale())


def test_normalise_clamps_to_unit_interval() -> None:
    assert normalise(2.5, Scale()) == 0.5
    assert normalise(5.5, Scale(1, 10)) == 0.5
    assert normalise(7, Scale()) == 1.0
    assert normalise(-1, Scale()) == 0.0


def test_scale_without_range_is_an_error() -> None:
    with pytest.raises(ScoringError, match="no range"):
        normalise(3, Scale(3, 3))
    with pytest.raises(ScoringError, match="no range"):
        score_evaluation(evaluation([rated("x")], scale=Scale(5, 0)))


def test_disagreement_threshold_scales_with_the_range() -> None:
    assert disagreement_threshold(Scale()) == 2.0
    assert disagreement_threshold(Scale(1, 10)) == pytest.approx(3.6)
    assert disagreement_threshold(Scale(0, 100)) == 40.0


def test_rank_totals_competition_ranking() -> None:
    assert rank_totals({1: 90.0, 2: 80.0, 3: 80.0, 4: 70.0}) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert rank_totals({1: 10.0, 2: 70.0, 3: 70.0}) == {1: 3, 2: 1, 3: 1}
    assert rank_totals({}) == {}


def test_rank_totals_ties_within_tolerance_only() -> None:
    totals = {1: 80.0, 2: 80.0 + 5e-10, 3: 80.0 - 2e-9}
    assert rank_totals(totals) == {1: 1, 2: 1, 3: 3}


# ---- leaf values ----------------------------------------------------------------------------


def test_totals_completeness_and_ranks_by_hand() -> None:
    data = evaluation(
        [rated("a", 1), rated("b", 3)],  # effective 0.25 and 0.75
        scores=[
            *(score(1, 1, "a", 4), score(2, 1, "a", 2), score(1, 1, "b", 5)),
            *(score(1, 2, "a", 5), score(2, 2, "a", 5)),
        ],
    )
    results = score_evaluation(data)
    first, second = results.for_candidate(1), results.for_candidate(2)
    # candidate 1: a = mean(4, 2) = 3 -> 0.6, b = 5 -> 1.0; 100 * (0.25*0.6 + 0.75*1.0) = 90
    assert first.total == pytest.approx(90.0)
    assert first.completeness == pytest.approx(1.0)
    assert first.leaf_values["a"].value == 3
    assert first.leaf_values["a"].normalised == pytest.approx(0.6)
    assert first.leaf_values["a"].source is ValueSource.EVALUATORS
    # candidate 2: a = 5 -> 1.0, b missing -> 0; total 25, completeness 0.25
    assert second.total == pytest.approx(25.0)
    assert second.completeness == pytest.approx(0.25)
    assert second.leaf_values["b"].value is None
    assert second.leaf_values["b"].source is ValueSource.MISSING
    assert ranks(results) == {1: 1, 2: 2}
    assert results.effective_weights == {"a": 0.25, "b": 0.75}


def test_abstentions_and_conflicts_leave_the_mean_and_abstentions_count_as_reviewed() -> None:
    abstain = Score(2, 1, "a", 0, "never saw the demo", abstained=True)
    data = evaluation(
        [rated("a", 1), rated("b", 1), rated("c", 2)],  # effective 0.25, 0.25 and 0.5
        evaluators=[
            Evaluator(1, "M1"),
            Evaluator(2, "M2"),
            Evaluator(3, "M3", declaration=Declaration(conflicted=(2,), covers=(1, 2))),
        ],
        scores=[
            score(1, 1, "a", 4), abstain, score(3, 1, "a", 2),  # a: mean(4, 2), not of 4, 0, 2
            Score(1, 1, "b", 0, "no basis", abstained=True),  # b: everyone abstained
            Score(2, 1, "b", 0, "no basis", abstained=True),
            score(1, 2, "a", 5), score(3, 2, "a", 0),  # M3's 0 for candidate 2: conflicted
            Score(3, 2, "b", 0, "conflicted", abstained=True),  # not a review that counts
            score(1, 2, "c", 3),
        ],
    )  # fmt: skip
    results = score_evaluation(data)
    first, second = results.for_candidate(1), results.for_candidate(2)
    # candidate 1: a = 3 -> 0.6; b no value but reviewed; c missing
    assert first.leaf_values["a"].value == pytest.approx(3.0)
    assert first.leaf_values["b"].value is None
    assert first.total == pytest.approx(100 * 0.25 * 0.6)  # 15
    assert first.completeness == pytest.approx(0.25 + 0.25)  # a scored, b reviewed
    # candidate 2: a = 5 (M3 excluded) -> 1.0; b missing (M3's abstention does not count);
    # c = 3 -> 0.6: 100 * (0.25 * 1 + 0.5 * 0.6) = 55, completeness 0.75
    assert second.leaf_values["a"].value == pytest.approx(5.0)
    assert second.total == pytest.approx(55.0)
    assert second.completeness == pytest.approx(0.75)
    cells = {(d.candidate_id, d.criterion_key): d.values for d in results.disagreements}
    assert cells == {(1, "a"): (4, 2)}  # abstentions and conflicted scores never spread


def test_median_aggregation_is_selectable() -> None:
    scores = [score(1, 1, "x", 1), score(2, 1, "x", 2), score(3, 1, "x", 5)]
    mean = score_evaluation(evaluation([rated("x")], 1, scores=scores))
    median = score_evaluation(
        evaluation([rated("x")], 1, scores=scores, aggregation=Aggregation.MEDIAN)
    )
    assert mean.candidates[0].total == pytest.approx(100 * (8 / 3) / 5)  # 53.33
    assert median.candidates[0].total == pytest.approx(40.0)  # median 2 of 5


def test_consensus_overrides_evaluators() -> None:
    data = evaluation(
        [rated("x")],
        1,
        scores=[score(1, 1, "x", 1), score(2, 1, "x", 1)],
        consensus=[ConsensusScore(1, "x", 4, "agreed after demo")],
    )
    value = score_evaluation(data).candidates[0].leaf_values["x"]
    assert (value.value, value.source) == (4, ValueSource.CONSENSUS)
    assert score_evaluation(data).candidates[0].total == pytest.approx(80.0)


def test_consensus_overrides_auto_and_price() -> None:
    data = evaluation(
        [auto("onsite", AutoRule(yes=5, no=0)), price("fee")],
        2,
        responses=[
            Response(1, "onsite", False),
            Response(1, "fee", 1000.0),
            Response(2, "fee", 500.0),
        ],
        consensus=[ConsensusScore(1, "onsite", 3, ""), ConsensusScore(1, "fee", 4, "")],
    )
    result = score_evaluation(data).for_candidate(1)
    assert result.leaf_values["onsite"].value == 3  # the rule alone would give 0
    assert result.leaf_values["fee"].value == 4  # the price formula alone would give 2.5
    assert result.leaf_values["fee"].source is ValueSource.CONSENSUS
    assert result.total == pytest.approx(100 * (0.5 * 0.6 + 0.5 * 0.8))


def test_auto_rules_yes_no_choice_and_bands() -> None:
    criteria = [
        auto("yn", AutoRule(yes=5, no=1)),
        auto("choice", AutoRule(choices={"24/7": 5, "Business hours": 2})),
        auto("bands", AutoRule(bands=(Band(5, high=4), Band(3, high=24), Band(0)))),
        auto("no-rule", None),
    ]
    responses = [
        Response(1, "yn", True),
        Response(1, "choice", " business HOURS "),
        Response(1, "bands", 12.0),
        Response(1, "no-rule", True),
        Response(2, "yn", False),
        Response(2, "choice", "weekends only"),  # not among the choices -> missing
        Response(2, "bands", 2),
    ]
    results = score_evaluation(evaluation(criteria, 2, responses=responses))
    one = {k: v.value for k, v in results.for_candidate(1).leaf_values.items()}
    two = {k: v.value for k, v in results.for_candidate(2).leaf_values.items()}
    assert one == {"yn": 5, "choice": 2, "bands": 3, "no-rule": None}
    assert two == {"yn": 1, "choice": None, "bands": 5, "no-rule": None}
    assert results.for_candidate(1).leaf_values["bands"].source is ValueSource.RULE
    # candidate 1: (1.0 + 0.4 + 0.6 + 0) / 4 = 0.5; completeness 3/4
    assert results.for_candidate(1).total == pytest.approx(50.0)
    assert results.for_candidate(1).completeness == pytest.approx(0.75)


def test_lowest_price_is_over_qualified_candidates_only() -> None:
    criteria = [price("fee"), gate("hipaa", AutoRule(yes=1, no=0))]
    responses = [
        Response(1, "fee", 200.0),
        Response(2, "fee", 400.0),
        Response(3, "fee", 100.0),  # cheapest, but disqualified below
        Response(1, "hipaa", True),
        Response(2, "hipaa", True),
        Response(3, "hipaa", False),
    ]
    results = score_evaluation(evaluation(criteria, 3, responses=responses))
    # lowest = 200: candidate 1 -> 5 (100 points), candidate 2 -> 5*200/400 = 2.5 (50 points)
    assert results.for_candidate(1).leaf_values["fee"].value == 5
    assert results.for_candidate(2).leaf_values["fee"].value == 2.5
    assert results.for_candidate(2).leaf_values["fee"].source is ValueSource.PRICE
    assert results.for_candidate(2).total == pytest.approx(50.0)
    # the disqualified one is still listed; its value is capped at the top of the scale
    third = results.for_candidate(3)
    assert (third.disqualified, third.rank, third.failed_gates) == (True, None, ("hipaa",))
    assert third.leaf_values["fee"].value == 5
    assert [r.candidate_id for r in results.candidates] == [1, 2, 3]


def test_price_missing_or_not_a_number_is_missing() -> None:
    responses = [Response(1, "fee", 300.0), Response(2, "fee", "call us"), Response(3, "fee", True)]
    results = score_evaluation(evaluation([price("fee"), rated("q")], 4, responses=responses))
    for candidate_id in (2, 3, 4):
        result = results.for_candidate(candidate_id)
        assert result.leaf_values["fee"].value is None
        assert result.completeness == 0.0
    assert results.for_candidate(1).completeness == pytest.approx(0.5)


@pytest.mark.parametrize("bad", [0.0, -10.0])
def test_non_positive_price_names_candidate_and_criterion(bad: float) -> None:
    criteria = [Criterion("fee", "Annual support fee", CriterionKind.PRICE)]
    responses = [Response(1, "fee", 100.0), Response(2, "fee", bad)]
    with pytest.raises(ScoringError, match=r"'Fictitious Support 2'.*'Annual support fee' \(fee\)"):
        score_evaluation(evaluation(criteria, 2, responses=responses))


def test_no_scores_at_all() -> None:
    results = score_evaluation(evaluation([rated("a"), category("c", 1, rated("b"))], 3))
    assert [(r.total, r.completeness, r.rank) for r in results.candidates] == [(0.0, 0.0, 1)] * 3
    assert results.disagreements == []


def test_empty_criteria_tree() -> None:
    results = score_evaluation(evaluation([], 2))
    assert results.effective_weights == {}
    assert [(r.total, r.completeness, r.rank, r.category_totals) for r in results.candidates] == [
        (0.0, 0.0, 1, {}),
        (0.0, 0.0, 1, {}),
    ]


def test_category_totals_per_top_level_node() -> None:
    criteria = [
        category("a", 2, rated("a1"), rated("a2")),
        rated("t", 1),
        category("e", 1),  # empty: absent from the weights, zero points
        gate("g"),
    ]
    # top level shares: a = 2/3, t = 1/3 -> a1 = a2 = t = 1/3
    data = evaluation(
        criteria,
        1,
        consensus=[
            ConsensusScore(1, "a1", 5, ""),
            ConsensusScore(1, "a2", 0, ""),
            ConsensusScore(1, "t", 3, ""),
        ],
    )
    result = score_evaluation(data).candidates[0]
    assert result.category_totals == pytest.approx({"a": 100 / 3, "t": 20.0, "e": 0.0})
    assert result.total == pytest.approx(100 / 3 + 20)
    assert set(result.leaf_values) == {"a1", "a2", "t"}  # gates are reported through gate lists


# ---- gates --------------------------------------------------------------------------------


def test_gate_answers_rules_and_consensus() -> None:
    criteria = [
        rated("x"),
        gate("rule", AutoRule(yes=1, no=0)),
        gate("plain"),  # no rule: yes passes, no fails
        gate("hours", AutoRule(bands=(Band(1, high=4), Band(0)))),
    ]
    responses = [
        # candidate 1 passes everything
        Response(1, "rule", True),
        Response(1, "plain", True),
        Response(1, "hours", 3.0),
        # candidate 2 fails "rule" and "hours", "plain" unanswered -> pending
        Response(2, "rule", False),
        Response(2, "hours", 8.0),
        # candidate 3 fails "plain" by answer, but consensus passes it; "rule" passes by answer
        # and consensus fails it; "hours" answered with text the rule cannot read -> pending
        Response(3, "rule", True),
        Response(3, "plain", False),
        Response(3, "hours", "soon"),
        # candidate 4: "plain" fails by its answer alone
        Response(4, "rule", True),
        Response(4, "plain", False),
        Response(4, "hours", 1.0),
    ]
    consensus = [
        ConsensusScore(3, "plain", 1, "verified on site"),
        ConsensusScore(3, "rule", 0, ""),
    ]
    results = score_evaluation(evaluation(criteria, 4, responses=responses, consensus=consensus))
    one, two, three, four = (results.for_candidate(i) for i in (1, 2, 3, 4))
    assert (one.failed_gates, one.pending_gates, one.disqualified) == ((), (), False)
    assert (two.failed_gates, two.pending_gates, two.disqualified) == (
        ("rule", "hours"),
        ("plain",),
        True,
    )
    assert (three.failed_gates, three.pending_gates) == (("rule",), ("hours",))
    assert (four.failed_gates, four.disqualified) == (("plain",), True)
    assert not two.provisional  # disqualified wins over pending
    assert [r.candidate_id for r in results.candidates] == [1, 2, 3, 4]
    assert ranks(results) == {1: 1, 2: None, 3: None, 4: None}


def test_pending_gate_keeps_candidate_ranked_but_provisional() -> None:
    data = evaluation(
        [rated("x"), gate("cert", AutoRule(yes=1, no=0))],
        2,
        consensus=[ConsensusScore(1, "x", 2, ""), ConsensusScore(2, "x", 4, "")],
        responses=[Response(1, "cert", True)],
    )
    results = score_evaluation(data)
    assert ranks(results) == {2: 1, 1: 2}
    assert results.for_candidate(2).pending_gates == ("cert",)
    assert results.for_candidate(2).provisional
    assert not results.for_candidate(1).provisional


def test_every_candidate_disqualified() -> None:
    data = evaluation(
        [rated("x"), gate("g")],
        3,
        responses=[Response(i, "g", False) for i in (1, 2, 3)],
        consensus=[ConsensusScore(2, "x", 5, "")],
    )
    results = score_evaluation(data)
    assert [(r.candidate_id, r.rank, r.disqualified) for r in results.candidates] == [
        (1, None, True),
        (2, None, True),
        (3, None, True),
    ]
    assert results.for_candidate(2).total == 100.0  # still computed and shown


# ---- ranking order --------------------------------------------------------------------------


def test_ties_share_rank_and_keep_candidate_order() -> None:
    values = {1: 3, 2: 5, 3: 1, 4: 3, 5: 5}
    data = evaluation(
        [rated("x"), gate("g")],
        5,
        consensus=[ConsensusScore(c, "x", v, "") for c, v in values.items()],
        responses=[Response(5, "g", False)],  # candidate 5 would win but is disqualified
    )
    results = score_evaluation(data)
    # totals: 1 -> 60, 2 -> 100, 3 -> 20, 4 -> 60 => ranks 2, 1, 4, 2
    assert [(r.candidate_id, r.rank) for r in results.candidates] == [
        (2, 1),
        (1, 2),
        (4, 2),
        (3, 4),
        (5, None),
    ]


def test_near_equal_totals_tie() -> None:
    # both totals are exactly 4 on paper (a weighs 1/3, b 2/3); in floating point they come out
    # as 3.999999999999999 and 4.0, which must still share rank 1
    values = {(1, "a"): 0.0, (1, "b"): 0.3, (2, "a"): 0.2, (2, "b"): 0.2}
    data = evaluation(
        [rated("a", 1), rated("b", 2)],
        2,
        consensus=[ConsensusScore(c, k, v, "") for (c, k), v in values.items()],
    )
    results = score_evaluation(data)
    first, second = results.for_candidate(1).total, results.for_candidate(2).total
    assert first != second  # the case is only meaningful if rounding really differs
    assert first == pytest.approx(4.0) and second == pytest.approx(4.0)
    assert ranks(results) == {1: 1, 2: 1}


# ---- disagreements ---------------------------------------------------------------------------


def test_disagreements_on_the_default_scale() -> None:
    scores = [
        score(1, 1, "b", 1),
        score(2, 1, "b", 3),  # spread 2 -> flagged
        score(1, 1, "a", 4),
        score(2, 1, "a", 5),
        score(3, 1, "a", 4),  # spread 1 -> listed, not flagged
        score(1, 2, "a", 0),
        score(2, 2, "a", 5),  # spread 5 -> flagged
        score(1, 2, "b", 2),  # a single score -> not listed
        score(1, 9, "a", 0),
        score(2, 9, "a", 5),  # unknown candidate -> ignored
    ]
    data = evaluation([rated("a"), rated("b")], 2, scores=scores)
    found = [
        (d.candidate_id, d.criterion_key, d.spread, d.flagged, d.values)
        for d in score_evaluation(data).disagreements
    ]
    assert found == [
        (1, "a", 1, False, (4, 5, 4)),
        (1, "b", 2, True, (1, 3)),
        (2, "a", 5, True, (0, 5)),
    ]


def test_disagreements_on_a_one_to_ten_scale() -> None:
    # threshold = 2 * 9 / 5 = 3.6
    scores = [
        score(1, 1, "a", 2),
        score(2, 1, "a", 5),  # spread 3 -> not flagged
        score(1, 2, "a", 2),
        score(2, 2, "a", 6),  # spread 4 -> flagged
        score(1, 3, "a", 1.0),
        score(2, 3, "a", 4.6),  # spread 3.5999999999999996 -> flagged (epsilon)
    ]
    data = evaluation([rated("a")], 3, scores=scores, scale=Scale(1, 10))
    flags = [(d.candidate_id, d.flagged) for d in score_evaluation(data).disagreements]
    assert flags == [(1, False), (2, True), (3, True)]


def test_one_evaluator_has_no_disagreements() -> None:
    scores = [score(1, 1, "a", 0), score(1, 1, "b", 5), score(1, 2, "a", 3)]
    assert (
        score_evaluation(evaluation([rated("a"), rated("b")], 2, scores=scores)).disagreements == []
    )


# ---- properties -----------------------------------------------------------------------------


@st.composite
def criteria_trees(draw: st.DrawFn) -> list[Criterion]:
    """Random trees up to depth 3 with positive weights, gates and empty categories mixed in."""
    counter = iter(range(10_000))
    kinds = st.sampled_from(
        [CriterionKind.RATED, CriterionKind.AUTO, CriterionKind.GATE, CriterionKind.CATEGORY]
    )
    weights = st.floats(min_value=0.001, max_value=1000.0)

    def node(depth: int) -> Criterion:
        kind = draw(kinds) if depth < 3 else CriterionKind.RATED
        key = f"n{next(counter)}"
        if kind is CriterionKind.CATEGORY:
            children = [node(depth + 1) for _ in range(draw(st.integers(0, 4)))]
            return Criterion(key, key, kind, draw(weights), children=children)
        rule = AutoRule(bands=(Band(3, high=10), Band(5))) if kind is CriterionKind.AUTO else None
        return Criterion(key, key, kind, draw(weights), rule=rule)

    return [node(0) for _ in range(draw(st.integers(0, 5)))]


@settings(max_examples=150, deadline=None)
@given(criteria_trees(), st.integers(0, 2**32 - 1))
def test_properties_of_weights_totals_and_completeness(roots: list[Criterion], seed: int) -> None:
    weights = effective_weights(roots)
    scorable = [
        n
        for n in (c for r in roots for c in r.walk())
        if n.is_leaf and n.kind is not CriterionKind.GATE
    ]
    assert set(weights) == {n.key for n in scorable}
    if weights:
        assert math.fsum(weights.values()) == pytest.approx(1.0)
    assert all(w >= 0 for w in weights.values())

    rng = random.Random(seed)
    all_leaves = [n for r in roots for n in r.walk() if n.is_leaf]
    scores, consensus, responses = [], [], []
    for candidate in (1, 2, 3):
        for leaf in all_leaves:
            roll = rng.random()
            if roll < 0.2:
                consensus.append(ConsensusScore(candidate, leaf.key, rng.uniform(-2, 8), ""))
            elif roll < 0.8:
                scores += [
                    score(e, candidate, leaf.key, rng.randint(0, 5))
                    for e in range(rng.randint(0, 3))
                ]
                responses.append(
                    Response(candidate, leaf.key, rng.choice([True, False, 3.0, 40.0]))
                )
    data = evaluation(roots, 3, scores=scores, consensus=consensus, responses=responses)
    results = score_evaluation(data)
    for result in results.candidates:
        assert 0.0 <= result.total <= 100.0
        assert 0.0 <= result.completeness <= 1.0
        assert math.fsum(result.category_totals.values()) == pytest.approx(result.total, abs=1e-9)
