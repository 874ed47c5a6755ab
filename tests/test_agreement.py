"""Committee agreement (issue 11): every number worked out by hand below, and Kendall's W
pinned against a published example."""

from __future__ import annotations

import math

import pytest

from evaluator.agreement import (
    committee_agreement,
    concordance,
    criterion_spreads,
    kendall_w,
    member_agreement,
    mid_ranks,
    normalised_scores,
    ranking_effect,
)
from evaluator.domain import ConsensusScore, CriterionKind, Declaration, Evaluator, Score
from tests.agreement_fixtures import committee, leaf, leniency_case

# ---- Kendall's W -------------------------------------------------------------------------------


def test_kendall_w_reproduces_siegels_published_example() -> None:
    # Siegel, S. (1956), Nonparametric Statistics for the Behavioral Sciences, ch. 9 (Kendall
    # coefficient of concordance): three executives rank six job applicants; rank sums
    # 8, 14, 11, 11, 11, 8, s = 25.5, W = 12 s / (k^2 (N^3 - N)) = 306 / 1890 = .16
    executives = [[1, 6, 3, 2, 5, 4], [1, 5, 6, 4, 2, 3], [6, 3, 2, 5, 4, 1]]
    assert round(kendall_w(executives), 4) == 0.1619  # type: ignore[arg-type]


def test_kendall_w_tie_correction_by_hand() -> None:
    # three judges, four objects; judges 1 and 3 each tie two objects: T = 2^3 - 2 = 6 each.
    # rank sums 4, 5.5, 9, 11.5 (mean 7.5): S = 12.25 + 4 + 2.25 + 16 = 34.5
    # W = 12 x 34.5 / (9 x 60 - 3 x 12) = 414 / 504 (414 / 540 = .7667 uncorrected)
    judges = [[1, 2.5, 2.5, 4], [1, 2, 3, 4], [2, 1, 3.5, 3.5]]
    assert round(kendall_w(judges), 4) == 0.8214  # type: ignore[arg-type]
    assert kendall_w([[1, 2, 3], [1, 2, 3]]) == pytest.approx(1.0)
    assert kendall_w([[1, 2], [2, 1]]) == pytest.approx(0.0)
    assert kendall_w([[1, 2, 3]]) is None  # one judge: nothing to agree with
    assert kendall_w([[1.5, 1.5], [1.5, 1.5]]) is None  # everyone ties everything


def test_mid_ranks_share_the_mean_of_tied_ranks() -> None:
    assert mid_ranks({7: 50.0, 8: 80.0, 9: 50.0 + 1e-12, 10: 10.0}) == {
        8: 1.0, 7: 2.5, 9: 2.5, 10: 4.0,
    }  # fmt: skip


def test_concordance_ranks_each_members_own_scores() -> None:
    # one leaf q. A: 5, 3, 1 -> ranks 1, 2, 3; B: 4, 4, 2 -> 1.5, 1.5, 3; C: 2, 5, 2 -> 2.5, 1, 2.5
    # rank sums 5, 4.5, 8.5 (mean 6): S = 1 + 2.25 + 6.25 = 9.5; T = 0 + 6 + 6
    # W = 12 x 9.5 / (9 x 24 - 3 x 12) = 114 / 180
    data = committee(
        {(1, 1, "q"): 5, (1, 2, "q"): 3, (1, 3, "q"): 1,
         (2, 1, "q"): 4, (2, 2, "q"): 4, (2, 3, "q"): 2,
         (3, 1, "q"): 2, (3, 2, "q"): 5, (3, 3, "q"): 2,
         (4, 1, "q"): 0, (4, 3, "q"): 5},
        keys=("q", "g"), candidates=4, members=4,
    )  # fmt: skip
    data.criteria[1] = leaf("g", CriterionKind.GATE)
    data.evaluators[3] = Evaluator(4, "D", declaration=Declaration(conflicted=(2,)))
    # vendor 4 fails the gate (not ranked); a consensus value on q for vendor 3 makes it the
    # committee's leader but is nobody's own score, so no member's ranking uses it
    data.consensus = [ConsensusScore(4, "g", 0, "fails"), ConsensusScore(3, "q", 5, "agreed")]
    result = concordance(data)
    assert result.candidates == (3, 2, 1)  # vendor 2: (3 + 4 + 5) / 3, vendor 1: 11 / 4
    assert result.judges == (1, 2, 3)
    assert result.left_out == ((4, "declared a conflict with a ranked candidate"),)
    assert result.ranks[3] == {3: 2.5, 1: 2.5, 2: 1.0}
    assert round(result.w, 4) == round(114 / 180, 4) == 0.6333  # type: ignore[arg-type]


# ---- members -----------------------------------------------------------------------------------


def test_leniency_is_the_mean_deviation_from_the_others_on_shared_cells() -> None:
    # A: 4 - 2.5, 5 - 3, 3 - 3 -> (1.5 + 2 + 0) / 3; B mirrors A; C: 3 - 3, 3 - 3 -> 0.
    # Vendor 2's q2 has A alone and is compared with nobody; C's abstention counts nowhere.
    a, b, c = member_agreement(leniency_case())
    assert (a.cells, b.cells, c.cells) == (3, 3, 2)
    assert a.leniency == pytest.approx(3.5 / 3) and b.leniency == pytest.approx(-3.5 / 3)
    assert c.leniency == 0 and c.apart == ()
    # A stands apart most on q2 (|2|), then q1 ((1.5 + 0) / 2)
    assert [(x.criterion_key, x.distance, x.deviation) for x in a.apart] == [
        ("q2", 2.0, 2.0), ("q1", 0.75, 0.75),
    ]  # fmt: skip
    assert [(x.criterion_key, x.deviation) for x in b.apart] == [("q2", -2.0), ("q1", -0.75)]


def test_a_member_without_colleagues_on_any_cell_has_no_leniency() -> None:
    (alone,) = member_agreement(committee({(1, 1, "q1"): 4}, members=1))
    assert (alone.cells, alone.leniency, alone.apart) == (0, None, ())


def test_spread_per_criterion() -> None:
    # q1: vendor 1 (4, 2, 3): sd sqrt(2/3), range 2 (flagged: 2 points on 0..5); vendor 2
    # (3, 3, 3): 0, 0. q2: vendor 1 (5, 3): sd 1, range 2; vendor 2 has one score: no cell
    q1, q2 = criterion_spreads(leniency_case())
    assert (q1.criterion_key, q1.cells, q1.max_range, q1.flagged) == ("q1", 2, 2, 1)
    assert q1.mean_sd == pytest.approx(math.sqrt(2 / 3) / 2) and q1.mean_range == 1
    assert (q2.cells, q2.mean_sd, q2.mean_range, q2.max_range, q2.flagged) == (1, 1, 2, 2, 1)
    empty = criterion_spreads(committee({(1, 1, "q1"): 4}))
    assert [(s.cells, s.mean_sd) for s in empty] == [(1 - 1, None), (0, None)]


# ---- normalisation -----------------------------------------------------------------------------


def test_normalisation_shown_beside_the_raw_ranking() -> None:
    # A (lenient): 5, 3 -> mean 4, sd 1, z = +1, -1; B (harsh): 0, 1 -> mean .5, sd .5, z -1, +1.
    # pooled 5, 3, 0, 1: mean 2.25, variance (7.5625 + .5625 + 5.0625 + 1.5625) / 4 = 3.6875.
    # Raw means 2.5 and 2 (totals 50, 40); normalised both 2.25 (45, 45): the lead disappears.
    data = committee(
        {(1, 1, "q"): 5, (1, 2, "q"): 3, (2, 1, "q"): 0, (2, 2, "q"): 1}, keys=("q",), members=2
    )
    sd = math.sqrt(3.6875)
    assert [s.value for s in normalised_scores(data)] == pytest.approx(
        [2.25 + sd, 2.25 - sd, 2.25 - sd, 2.25 + sd]
    )
    rows = [(r.raw_total, r.raw_rank, r.normalised_total, r.normalised_rank)
            for r in ranking_effect(data)]  # fmt: skip
    assert rows == [(50.0, 1, pytest.approx(45.0), 1), (40.0, 2, pytest.approx(45.0), 1)]
    assert [s.value for s in data.scores] == [5, 3, 0, 1]  # never applied to the data


def test_normalisation_clamps_to_the_scale_and_flattens_a_constant_member() -> None:
    # A: 0, 0, 0, 5 (mean 1.25, sd sqrt(4.6875)); B: 5 everywhere (sd 0: the pooled mean).
    # pooled: five 5s and three 0s: mean 3.125, variance 46.875 / 8. A's 5 maps above 5.
    values = {(1, c, "q"): 0.0 for c in (1, 2, 3)} | {(1, 4, "q"): 5.0}
    values |= {(2, c, "q"): 5.0 for c in (1, 2, 3, 4)}
    data = committee(values, keys=("q",), candidates=4, members=2)
    data.scores.append(Score(2, 1, "q", 0, "no view", abstained=True))
    pooled_sd, own_sd = math.sqrt(46.875 / 8), math.sqrt(4.6875)
    low = 3.125 + (0 - 1.25) / own_sd * pooled_sd
    assert [s.value for s in normalised_scores(data)] == pytest.approx(
        [low, low, low, 5.0, 3.125, 3.125, 3.125, 3.125, 0]
    )
    assert 3.125 + 3.75 / own_sd * pooled_sd > 5  # the clamp did something


def test_committee_agreement_gathers_everything() -> None:
    data = leniency_case()
    plain = committee_agreement(data)
    assert plain.normalised is None
    assert [m.name for m in plain.members] == ["A", "B", "C"]
    assert plain.concordance.judges == (1, 2, 3) and len(plain.spreads) == 2
    asked = committee_agreement(data, normalise=True)
    assert [r.candidate_id for r in asked.normalised or ()] == [1, 2]
