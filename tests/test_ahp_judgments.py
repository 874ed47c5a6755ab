"""The judgment core: the verbal scale, incomplete sets (Harker), the judgments behind an
inconsistency with the values that would fit, and the committee's geometric mean; each case
worked by hand."""

from __future__ import annotations

import math

import pytest

from evaluator.ahp import SAATY_1980
from evaluator.ahp_judgments import (
    SCALE,
    analyse,
    as_fraction,
    canonical,
    components,
    geometric_mean,
    parse_value,
    sentence,
    snap,
)
from evaluator.domain import ScoringError

# ---- the scale ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [("3", 3), ("1/3", 1 / 3), ("0.25", 0.25), ("moderate", 3), ("Strongly", 5),
     ("very  strong", 7), ("extreme", 9), ("equal", 1), (2.5, 2.5), ("1/9", 1 / 9)],
)  # fmt: skip
def test_judgments_are_typed_as_numbers_or_words(typed: str | float, value: float) -> None:
    assert parse_value(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["10", "1/10", "0", "-3", "lots", "3/0", "nan"])
def test_values_off_the_scale_are_refused(typed: str) -> None:
    with pytest.raises(ScoringError, match="1/9"):
        parse_value(typed)


def test_snap_finds_the_nearest_scale_value_by_ratio() -> None:
    assert len(SCALE) == 17 and SCALE[0] == pytest.approx(1 / 9) and SCALE[-1] == 9
    assert snap(2.4) == 2 and snap(2.5) == 3  # sqrt(2 * 3) = 2.449 is the boundary
    assert snap(0.3) == pytest.approx(1 / 3) and snap(12) == 9 and snap(1.2) == 1


def test_judgments_read_as_sentences() -> None:
    assert sentence(3, "Cost", "Safety") == "Cost is moderately more important than Safety"
    assert sentence(1 / 7, "Cost", "Safety") == "Safety is very strongly more important than Cost"
    assert sentence(1, "Cost", "Safety") == "Cost and Safety are equally important"
    assert [as_fraction(v) for v in (3, 1 / 3, 2.5, 1 / 2.5, 1)] == ["3", "1/3", "2.5", "1/2.5",
                                                                       "1"]  # fmt: skip


# ---- incomplete sets ----------------------------------------------------------------------------


def test_consistent_chain_gives_exact_weights_with_pairs_missing() -> None:
    # a12 = 2, a23 = 3, a13 not asked: w = (6, 3, 1) / 10 exactly, lambda_max = 3, and the
    # missing entry is filled with w1 / w3 = 6
    result = analyse(3, {(0, 1): 2, (1, 2): 3})
    assert result.weights == pytest.approx((0.6, 0.3, 0.1))
    assert (result.given, result.missing, result.needed) == (2, 1, 0)
    assert result.lambda_max == pytest.approx(3.0)
    assert result.completed[0][2] == pytest.approx(6.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_harker_on_a_cycle_worked_by_hand() -> None:
    # 1 > 2 > 3 > 4 > 1, each twice as important; the diagonals (1,3) and (2,4) not asked.
    # Each row misses one pair, so Harker's C has c_ii = 1 + 1 = 2; C is circulant with rows
    # (2, 2, 0, 1/2): w = (1, 1, 1, 1) / 4 and lambda = 2 + 2 + 1/2 = 4.5,
    # CI = 0.5 / 3, CR = CI / 0.90 (Saaty 1980, n = 4).
    result = analyse(4, {(0, 1): 2, (1, 2): 2, (2, 3): 2, (3, 0): 2})
    assert result.weights == pytest.approx((0.25,) * 4)
    assert result.lambda_max == pytest.approx(4.5)
    assert result.consistency_index == pytest.approx(0.5 / 3)
    assert result.consistency_ratio == pytest.approx(0.5 / 3 / 0.90)
    assert result.completed[0][2] == pytest.approx(1.0)  # w1 / w3
    assert result.missing == 2 and result.inconsistent


def test_unconnected_judgments_leave_the_weights_undetermined() -> None:
    # 1-2 and 3-4 judged, nothing links the two pairs: one more judgment is needed
    result = analyse(4, {(0, 1): 3, (2, 3): 5})
    assert result.weights == () and result.needed == 1 and not result.determined
    assert result.missing == 4 and not result.inconsistent
    assert analyse(3, {}).needed == 2
    assert components(5, [(0, 1), (1, 2), (3, 4)]) == 2
    single = analyse(1, {})
    assert single.weights == (1.0,) and single.determined


def test_reversed_pairs_mean_the_reciprocal() -> None:
    assert canonical({(2, 0): 4}) == {(0, 2): 0.25}
    a = analyse(3, {(0, 1): 3, (2, 1): 1 / 2, (0, 2): 5})
    b = analyse(3, {(0, 1): 3, (1, 2): 2, (2, 0): 1 / 5})
    assert a.weights == pytest.approx(b.weights)
    with pytest.raises(ScoringError, match="itself"):
        analyse(3, {(1, 1): 1})


# ---- what makes it inconsistent -----------------------------------------------------------------


def test_contributions_add_up_to_the_consistency_index() -> None:
    # n (lambda_max - n) = sum over pairs of (e + 1/e - 2), e = a_ij w_j / w_i: the shares sum to 1
    judgments = {(0, 1): 3, (0, 2): 5, (0, 3): 1 / 2, (1, 2): 1 / 4, (1, 3): 7, (2, 3): 2}
    result = analyse(4, judgments)
    assert sum(c.share for c in result.culprits) == pytest.approx(1.0)
    w, a = result.weights, result.completed
    total = sum(a[i][j] * w[j] / w[i] + w[i] / (a[i][j] * w[j]) - 2 for i, j in judgments)
    assert total / 4 == pytest.approx(result.lambda_max - 4)
    assert [c.share for c in result.culprits] == sorted(
        (c.share for c in result.culprits), reverse=True
    )


def test_one_wrong_judgment_is_named_with_the_value_that_fits() -> None:
    # w = (8, 4, 2, 1): every judgment w_i / w_j except (1, 4), given as 1/8 instead of 8
    good = {(0, 1): 2, (0, 2): 4, (1, 2): 2, (1, 3): 4, (2, 3): 2}
    result = analyse(4, {**good, (0, 3): 1 / 8}, table=SAATY_1980)
    assert result.inconsistent
    worst = result.culprits[0]
    assert worst.pair == (0, 3) and worst.value == pytest.approx(1 / 8)
    assert worst.implied == pytest.approx(8.0)  # what the other five imply, exactly
    assert worst.suggested == 8 and worst.ratio_after == pytest.approx(0.0, abs=1e-9)
    assert worst.share > result.culprits[1].share  # named first, before any other


def test_suggestions_snap_to_the_scale() -> None:
    # the others imply 2 x 3 = 6 for (1, 3); 9 was given
    result = analyse(3, {(0, 1): 2, (1, 2): 3, (0, 2): 9})
    by_pair = {c.pair: c for c in result.culprits}
    assert by_pair[(0, 2)].implied == pytest.approx(6.0)
    assert by_pair[(0, 2)].suggested == 6
    assert by_pair[(0, 2)].ratio_after == pytest.approx(0.0, abs=1e-9)
    assert by_pair[(0, 1)].implied == pytest.approx(3.0)  # 9 / 3


# ---- the committee ------------------------------------------------------------------------------


def test_geometric_mean_pair_by_pair_hand_computed() -> None:
    ann = {(0, 1): 2, (1, 2): 3}
    ben = {(0, 1): 8, (2, 1): 3, (0, 2): 5}  # (2, 1): 3 is (1, 2): 1/3
    combined = geometric_mean([ann, ben])
    assert combined[(0, 1)] == pytest.approx(4.0)  # sqrt(2 x 8)
    assert combined[(1, 2)] == pytest.approx(1.0)  # sqrt(3 x 1/3)
    assert combined[(0, 2)] == pytest.approx(5.0)  # only Ben judged it
    assert geometric_mean([]) == {}


def test_geometric_mean_of_reciprocal_members_is_equal_weight() -> None:
    # two members with exactly opposite views: the committee is indifferent
    ann = {(0, 1): 5, (0, 2): 3, (1, 2): 1 / 2}
    ben = {pair: 1 / value for pair, value in ann.items()}
    result = analyse(3, geometric_mean([ann, ben]))
    assert result.weights == pytest.approx((1 / 3,) * 3)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert math.isclose(analyse(3, ann).consistency_ratio, analyse(3, ben).consistency_ratio)


def test_culprits_are_worked_out_only_when_asked_or_inconsistent() -> None:
    consistent = {(0, 1): 2, (1, 2): 3, (0, 2): 6}
    assert analyse(3, consistent, diagnose=None).culprits == ()
    assert len(analyse(3, consistent).culprits) == 3  # asked for: every judgment, share 0
    cycle = {(0, 1): 3, (1, 2): 3, (2, 0): 3}
    assert len(analyse(3, cycle, diagnose=None).culprits) == 3
    assert analyse(3, cycle, diagnose=False).culprits == ()
