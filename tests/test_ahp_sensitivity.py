"""AHP pairwise weighting and sensitivity analysis, pinned with hand-computed cases."""

from __future__ import annotations

import random

import numpy as np
import pytest

from evaluator.ahp import ahp_weights
from evaluator.domain import (
    Candidate,
    ConsensusScore,
    Criterion,
    CriterionKind,
    EvaluationData,
    Response,
    Score,
    ScoringError,
)
from evaluator.progress import Cancelled
from evaluator.scoring import score_evaluation
from evaluator.sensitivity import (
    leaf_matrix,
    leaf_weights,
    rank_probabilities,
    totals_for,
    winner_flip,
)
from tests.core_fixtures import rated
from tests.sensitivity_fixtures import leader, two_way, with_weight

# ---- AHP ------------------------------------------------------------------------------------


def test_consistent_matrix_gives_its_ratios_back() -> None:
    # a_ij = w_i / w_j for w = (0.6, 0.3, 0.1): perfectly consistent, so lambda_max = n = 3
    result = ahp_weights([[1, 2, 6], [1 / 2, 1, 3], [1 / 6, 1 / 3, 1]])
    assert result.weights == pytest.approx((0.6, 0.3, 0.1))
    assert result.lambda_max == pytest.approx(3.0)
    assert result.consistency_index == pytest.approx(0.0, abs=1e-12)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert not result.inconsistent


def test_cyclic_judgments_are_inconsistent() -> None:
    # 1 >> 2 >> 3 >> 1: a circulant matrix, so the all-ones vector is its principal eigenvector
    # with eigenvalue 1 + 9 + 1/9 = 91/9; CI = (91/9 - 3) / 2 = 32/9; CR = CI / 0.58
    result = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert result.weights == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert result.lambda_max == pytest.approx(91 / 9)
    assert result.consistency_index == pytest.approx(32 / 9)
    assert result.consistency_ratio == pytest.approx(32 / 9 / 0.58)
    assert result.inconsistent


def test_textbook_example_is_acceptably_consistent() -> None:
    # the usual 3x3 teaching example: weights about 0.637 / 0.258 / 0.105, CR about 0.033
    result = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert result.weights == pytest.approx((0.637, 0.258, 0.105), abs=1e-3)
    assert result.consistency_ratio == pytest.approx(0.033, abs=1e-3)
    assert not result.inconsistent


def test_small_matrices_have_no_consistency_ratio() -> None:
    two = ahp_weights([[1, 3], [1 / 3, 1]])
    assert two.weights == pytest.approx((0.75, 0.25))
    assert (two.consistency_index, two.consistency_ratio, two.inconsistent) == (0.0, 0.0, False)
    assert ahp_weights([[1]]).weights == (1.0,)


def test_rounded_reciprocals_are_accepted() -> None:
    result = ahp_weights([[1, 3], [0.333, 1]])
    assert sum(result.weights) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([], "empty"),
        ([[1, 2], [0.5]], "square"),
        ([[1, 0], [0, 1]], "positive"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[2, 1], [1, 1]], "must be 1"),
        ([[1, 3], [3, 1]], "reciprocal"),
        ([[1, "3"], [1 / 3, 1]], "not a number"),
        ([[1.0] * 11 for _ in range(11)], "at most 10"),
    ],
)
def test_invalid_matrices_are_refused_clearly(matrix: list[list[float]], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        ahp_weights(matrix)


# ---- sensitivity: a two-candidate case worked by hand ---------------------------------------


def test_winner_flip_by_hand() -> None:
    data = two_way()
    assert [(r.candidate_id, r.total) for r in score_evaluation(data).candidates] == [
        (1, pytest.approx(80.0)),
        (2, pytest.approx(50.0)),
    ]
    cost, quality = winner_flip(data)
    # Cost: s from 3/4 down to 1/2 -> raw weight x with x / (x + 1) = 1/2, i.e. x = 1
    assert (cost.criterion_key, cost.winner_id, cost.new_winner_id) == ("cost", 1, 2)
    assert cost.raw_weight == 3.0
    assert cost.effective_weight == pytest.approx(0.75)
    assert cost.flip_raw_weight == pytest.approx(1.0)
    assert cost.flip_effective_weight == pytest.approx(0.5)
    assert cost.change_points == pytest.approx(-25.0)
    # Quality: its share from 1/4 up to 1/2 -> y / (3 + y) = 1/2, i.e. y = 3
    assert quality.criterion_key == "quality"
    assert quality.flip_raw_weight == pytest.approx(3.0)
    assert quality.change_points == pytest.approx(25.0)
    assert quality.new_winner_id == 2
    assert isinstance(cost.flip_raw_weight, float)


def test_winner_flip_point_really_flips_the_ranking() -> None:
    data = two_way()
    cost, quality = winner_flip(data)
    assert leader(with_weight(data, "cost", cost.flip_raw_weight + 0.01)) == 1
    assert leader(with_weight(data, "cost", cost.flip_raw_weight - 0.01)) == 2
    assert leader(with_weight(data, "quality", quality.flip_raw_weight - 0.01)) == 1
    assert leader(with_weight(data, "quality", quality.flip_raw_weight + 0.01)) == 2


def test_the_nearest_rival_defines_the_flip() -> None:
    # add Z: cost 0, quality 5 -> Z = 100 (1 - s); it draws level with X at s = 80/180 = 0.444,
    # farther from 3/4 than Y's 1/2, so Y is still the one that takes over first
    data = two_way()
    data.candidates.append(Candidate(3, "Example Partner Z"))
    data.consensus += [ConsensusScore(3, "fee", 0, ""), ConsensusScore(3, "q", 5, "")]
    cost, quality = winner_flip(data)
    assert (cost.flip_effective_weight, cost.new_winner_id) == (pytest.approx(0.5), 2)
    assert (quality.flip_effective_weight, quality.new_winner_id) == (pytest.approx(0.5), 2)
    # without Y, Z's crossing is the one: s = 4/9 -> raw x / (x + 1) = 4/9, x = 0.8
    data.candidates.pop(1)
    cost = winner_flip(data)[0]
    assert (cost.flip_raw_weight, cost.new_winner_id) == (pytest.approx(0.8), 3)


def test_flip_beyond_the_allowed_range_is_none() -> None:
    # Quality would need raw weight 3, which is above 0.5 x the group's total of 4
    quality = winner_flip(two_way(), max_raw_factor=0.5)[1]
    assert quality.flip_raw_weight is None
    assert quality.change_points is None
    assert quality.new_winner_id is None


def test_leaves_alone_in_their_group_cannot_flip() -> None:
    flips = winner_flip(two_way(), include_leaves=True)
    assert [f.criterion_key for f in flips] == ["cost", "fee", "quality", "q"]
    assert [f.flip_raw_weight is None for f in flips] == [False, True, False, True]


def test_leaf_flip_inside_a_category() -> None:
    # top: C and D equal (1/2 each). C holds l1 (2) and l2 (1); D holds d, where both score 5.
    # X: l1 = 5, l2 = 0; Y: l1 = 0, l2 = 5. With t the share of l1 inside C:
    # X = 50 t + 50, Y = 50 (1 - t) + 50; level at t = 1/2 -> raw weight 1 (from 2).
    # Effective weight of l1: 1/2 * 2/3 = 1/3 -> 1/2 * 1/2 = 1/4: -8.33 points.
    data = EvaluationData(
        id=1,
        name="Leaf flip",
        criteria=[
            Criterion("c", "C", weight=1, children=[rated("l1", 2), rated("l2", 1)]),
            Criterion("d", "D", weight=1, children=[rated("d1")]),
        ],
        candidates=[Candidate(1, "Example X"), Candidate(2, "Example Y")],
        consensus=[
            ConsensusScore(1, "l1", 5, ""),
            ConsensusScore(1, "l2", 0, ""),
            ConsensusScore(2, "l1", 0, ""),
            ConsensusScore(2, "l2", 5, ""),
            ConsensusScore(1, "d1", 5, ""),
            ConsensusScore(2, "d1", 5, ""),
        ],
    )
    flips = {f.criterion_key: f for f in winner_flip(data, include_leaves=True)}
    l1 = flips["l1"]
    assert l1.effective_weight == pytest.approx(1 / 3)
    assert l1.flip_raw_weight == pytest.approx(1.0)
    assert l1.flip_effective_weight == pytest.approx(0.25)
    assert l1.change_points == pytest.approx(-100 / 12)
    assert flips["l2"].flip_raw_weight == pytest.approx(2.0)  # l2 up from 1 to 2
    # C: X leads Y by 100 c / 3 for C's share c, so they only draw level at raw weight 0
    assert flips["c"].flip_raw_weight == pytest.approx(0.0)
    assert flips["c"].change_points == pytest.approx(-50.0)
    # D: its share would have to reach 1, which no finite raw weight gives
    assert flips["d"].flip_raw_weight is None


def test_no_flip_when_the_winner_dominates() -> None:
    data = two_way()
    data.consensus = [ConsensusScore(1, k, 5, "") for k in ("fee", "q")] + [
        ConsensusScore(2, k, 1, "") for k in ("fee", "q")
    ]
    assert all(f.flip_raw_weight is None for f in winner_flip(data, include_leaves=True))


def test_no_winner_means_no_flips() -> None:
    data = two_way()
    data.criteria.append(Criterion("g", "Gate", CriterionKind.GATE))
    data.responses = [Response(1, "g", False), Response(2, "g", False)]
    assert winner_flip(data) == []


def test_disqualified_candidates_cannot_take_the_win() -> None:
    data = two_way()
    data.criteria.append(Criterion("g", "Gate", CriterionKind.GATE))
    data.responses = [Response(2, "g", False)]  # Y is out; X alone: nothing can flip
    assert [f.flip_raw_weight for f in winner_flip(data)] == [None, None]


# ---- sensitivity: rank probabilities --------------------------------------------------------


def test_small_perturbations_never_reach_the_flip_point() -> None:
    # with factors in [0.8, 1.2] the Cost share stays >= 2.4 / 3.6 = 2/3 > 1/2
    assert rank_probabilities(two_way(), runs=500, spread=0.2) == {1: 1.0, 2: 0.0}


def test_large_perturbations_match_the_analytic_probability() -> None:
    # Y wins when 3 f1 < f2 with f1, f2 uniform on [0.1, 1.9]:
    # P = (1 / 1.8^2) * integral from 0.1 to 1.9/3 of (1.9 - 3 f) df = 0.13169
    probabilities = rank_probabilities(two_way(), runs=20_000, spread=0.9, seed=7)
    assert probabilities[2] == pytest.approx(0.13169, abs=0.01)
    assert probabilities[1] + probabilities[2] == pytest.approx(1.0)


def test_rank_probabilities_are_deterministic_per_seed() -> None:
    data = two_way()
    first = rank_probabilities(data, runs=300, spread=0.9, seed=3)
    assert rank_probabilities(data, runs=300, spread=0.9, seed=3) == first
    assert rank_probabilities(data, runs=300, spread=0.9, seed=4) != first


def test_ties_split_the_win_and_disqualified_get_zero() -> None:
    data = two_way()
    data.candidates.append(Candidate(3, "Example Clone of X"))
    data.candidates.append(Candidate(4, "Example Excluded"))
    data.consensus += [ConsensusScore(3, "fee", 5, ""), ConsensusScore(3, "q", 1, "")]
    data.consensus += [ConsensusScore(4, "fee", 5, ""), ConsensusScore(4, "q", 5, "")]
    data.criteria.append(Criterion("g", "Gate", CriterionKind.GATE))
    data.responses = [Response(4, "g", False)]
    assert rank_probabilities(data, runs=200) == {1: 0.5, 2: 0.0, 3: 0.5, 4: 0.0}


def test_progress_is_reported_and_cancel_stops() -> None:
    calls: list[tuple[int, int]] = []
    rank_probabilities(
        two_way(), runs=250, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(100, 250), (200, 250), (250, 250)]

    checks = iter([False, True])
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        rank_probabilities(
            two_way(),
            runs=1000,
            progress=lambda done, total: seen.append((done, total)),
            cancel=lambda: next(checks),
        )
    assert seen == [(100, 1000)]


@pytest.mark.parametrize(("runs", "spread"), [(0, 0.2), (10, 1.0), (10, -0.1)])
def test_rank_probabilities_reject_bad_arguments(runs: int, spread: float) -> None:
    with pytest.raises(ValueError):
        rank_probabilities(two_way(), runs=runs, spread=spread)


# ---- building blocks --------------------------------------------------------------------


def test_leaf_matrix_totals_match_score_evaluation() -> None:
    rng = random.Random(11)
    criteria = [
        Criterion(
            f"c{c}",
            f"C{c}",
            weight=rng.randint(1, 4),
            children=[rated(f"c{c}.l{i}", rng.randint(0, 3) or 1) for i in range(4)],
        )
        for c in range(3)
    ]
    criteria.append(
        Criterion(
            "sub",
            "Sub",
            weight=2,
            children=[
                Criterion("sub.in", "In", weight=1, children=[rated("deep", 2), rated("deep2")])
            ],
        )
    )
    keys = [n.key for root in criteria for n in root.walk() if n.is_leaf]
    candidates = [Candidate(i, f"Example {i}") for i in range(1, 6)]
    scores = [
        Score(e, cand.id, key, rng.randint(0, 5), "")
        for cand in candidates
        for key in keys
        for e in (1, 2, 3)
        if rng.random() < 0.8
    ]
    data = EvaluationData(
        id=1, name="Random", criteria=criteria, candidates=candidates, scores=scores
    )
    matrix = leaf_matrix(data)
    weights = leaf_weights(matrix.tree, np.array(matrix.tree.raw_weights()))
    expected = score_evaluation(data)
    assert dict(zip(matrix.tree.leaf_keys, weights, strict=True)) == pytest.approx(
        expected.effective_weights
    )
    totals = dict(zip(matrix.candidate_ids, totals_for(weights, matrix), strict=True))
    assert totals == pytest.approx({r.candidate_id: r.total for r in expected.candidates})
    # many scenarios at once give the same as one at a time
    raw = np.array([matrix.tree.raw_weights(), [1.0] * len(matrix.tree.nodes)])
    batch = leaf_weights(matrix.tree, raw)
    assert batch.shape == (2, len(keys))
    assert batch[1] == pytest.approx(leaf_weights(matrix.tree, raw[1]))


def test_leaf_weights_report_an_all_zero_group() -> None:
    tree = leaf_matrix(two_way()).tree
    with pytest.raises(ScoringError, match="top level"):
        leaf_weights(tree, np.zeros(len(tree.nodes)))
