"""Sensitivity analysis (issue 11): every number pinned by hand computation or closed form.

- what flips the winner, for every category (at every depth) and criterion: a three-level tree
  whose flip points are worked out below, each checked by re-ranking just past it;
- chances of winning and rank ranges: seeded simulations checked against closed forms within
  4.5 standard errors (a false alarm about once in 150,000 runs; seeds are fixed anyway);
- the bootstrap's exact distributions and Walker tables, and the rankings under weighting sets.
"""

from __future__ import annotations

import numpy as np
import pytest

from evaluator.bootstrap import Cell, CellSampler, alias_table, mean_distribution
from evaluator.domain import (
    Aggregation,
    Candidate,
    Criterion,
    CriterionKind,
    Declaration,
    EvaluationData,
    Evaluator,
    Response,
    Scale,
    Score,
    WeightSet,
)
from evaluator.flip_table import flip_table, most_sensitive
from evaluator.progress import Cancelled
from evaluator.robustness import CLOSE_CALL, Settings, simulate
from evaluator.set_rankings import compare_sets
from evaluator.weight_sets import complete_weights
from tests.core_fixtures import rated
from tests.sensitivity_fixtures import (
    DRAWS,
    agreed,
    leader,
    one_cell,
    three_levels,
    two_way,
    with_weight,
    within,
)

# ---- what flips the winner ------------------------------------------------------------------


def test_flip_table_by_hand_at_every_depth() -> None:
    data = three_levels()
    assert [(r.key, r.depth, r.is_category) for r in flip_table(data)] == [
        ("service", 0, True),
        ("tiers", 1, True),
        ("t", 2, False),
        ("s", 1, False),
        ("cost", 0, True),
        ("c", 1, False),
    ]
    rows = {r.key: r for r in flip_table(data)}
    # Service's share p (Cost 1 - p): X = 80 - 30 p, Y = 100 - 90 p; level at p = 1/3
    service = rows["service"].flip
    assert service.flip_effective_weight == pytest.approx(1 / 3)
    assert service.change_points == pytest.approx(100 * (1 / 3 - 1 / 2))
    assert service.flip_raw_weight == pytest.approx(0.5)  # 0.5 / (0.5 + 1) = 1/3
    assert service.new_winner_id == 2
    # Cost is the mirror image: its share up to 2/3 (raw 2)
    assert rows["cost"].flip.change_points == pytest.approx(100 / 6)
    assert rows["cost"].flip.flip_raw_weight == pytest.approx(2.0)
    # Tiers' share u inside Service (Service fixed at 1/2): X = 50 u + 40, Y = 60 - 10 u;
    # level at u = 1/3: its effective weight 1/4 -> 1/6, -8.33 points, raw 0.5
    tiers = rows["tiers"].flip
    assert tiers.flip_effective_weight == pytest.approx(1 / 6)
    assert tiers.change_points == pytest.approx(-100 / 12)
    assert tiers.flip_raw_weight == pytest.approx(0.5)
    # s is Tiers' sibling: its share up to 2/3 (raw 2), +8.33 points
    assert rows["s"].flip.change_points == pytest.approx(100 / 12)
    assert rows["s"].flip.flip_raw_weight == pytest.approx(2.0)
    # t and c are alone under their parents: no weight of theirs changes anything
    assert rows["t"].alone and rows["t"].holds and rows["c"].alone and rows["c"].holds
    assert [r.key for r in most_sensitive(list(rows.values()))] == [
        "tiers", "s", "service", "cost",
    ]  # fmt: skip


@pytest.mark.parametrize("key", ["service", "tiers", "s", "cost"])
def test_each_flip_point_really_changes_the_leader(key: str) -> None:
    data = three_levels()
    flip = {r.key: r for r in flip_table(data)}[key].flip
    assert flip.flip_raw_weight is not None
    towards = 1 if flip.flip_raw_weight > flip.raw_weight else -1
    before = with_weight(data, key, flip.flip_raw_weight - towards * 0.01)
    after = with_weight(data, key, flip.flip_raw_weight + towards * 0.01)
    assert (leader(before), leader(after)) == (1, flip.new_winner_id)


def test_flip_sentences_say_what_to_do_and_who_leads() -> None:
    rows = {r.key: r for r in flip_table(three_levels())}
    names = {1: "Example Vendor X", 2: "Example Partner Y"}
    assert rows["tiers"].sentence(names) == (
        "Lower its weight by 8.3 points (from 25.0% to 16.7%): Example Partner Y takes the lead"
    )
    assert (
        rows["cost"]
        .sentence(names)
        .startswith("Raise its weight by 16.7 points (from 50.0% to 66.7%)")
    )
    assert rows["t"].sentence(names) == (
        "Its share cannot change: it is the only weighted item under Tiers"
    )


# ---- chances of winning and rank ranges -----------------------------------------------------


def test_weight_draws_match_the_beta_distribution() -> None:
    # shares 3/4 : 1/4 with concentration 8: s ~ Beta(6, 2). For whole a, b,
    # P(s <= x) = P(Binomial(a + b - 1, x) >= a), so P(s <= 1/2) = P(Bin(7, 1/2) >= 6) = 8/128
    # and X wins with probability 15/16.
    result = simulate(two_way(), Settings(draws=DRAWS, seed=5, concentration=8, resample=False))
    x, y = result.odds
    assert result.leader_id == 1
    assert within(x.chance, 15 / 16)
    assert x.chance + y.chance == pytest.approx(1.0)
    # X ranks first in 93.75% of draws: its 5th percentile rank is 1, its 95th is 2
    assert (x.rank_low, x.rank_median, x.rank_high) == (1, 1, 2)
    assert (y.rank_low, y.rank_median, y.rank_high) == (1, 2, 2)
    assert sum(x.rank_counts) == DRAWS and x.rank_counts == tuple(reversed(y.rank_counts))
    assert not result.close_call


def test_resampled_mean_matches_the_bootstrap_by_hand() -> None:
    # A: 5, 5, 0 (mean 3.33) against B's 4: A wins only when all three draws are a 5,
    # (2/3)^3 = 8/27; B leads now and wins 19/27 < 75%: a close call
    data = one_cell([5, 5, 0], 4, Aggregation.MEAN)
    result = simulate(data, Settings(draws=DRAWS, seed=2, concentration=None))
    a, b = result.odds
    assert (result.leader_id, result.varied_cells) == (2, 1)
    assert within(a.chance, 8 / 27) and within(b.chance, 19 / 27)
    assert result.close_call and result.leader_chance < CLOSE_CALL
    assert (a.rank_low, a.rank_high, b.rank_low, b.rank_high) == (1, 2, 1, 2)


def test_resampled_median_matches_the_bootstrap_by_hand() -> None:
    # A: 5, 0, 0 (median 0) against B's 1: A wins when at least two of three draws are the 5:
    # 3 (1/3)^2 (2/3) + (1/3)^3 = 7/27
    data = one_cell([5, 0, 0], 1, Aggregation.MEDIAN)
    result = simulate(data, Settings(draws=DRAWS, seed=4, concentration=None))
    assert within(result.for_candidate(1).chance, 7 / 27)


def test_weights_and_scores_vary_together_as_computed() -> None:
    # Two top-level criteria of equal weight, concentration 4: L1's share s ~ Beta(2, 2),
    # P(s <= x) = 3x^2 - 2x^3. A: L1 scored 5 and 0 (resampled mean 0, 0.5 or 1 with chances
    # 1/4, 1/2, 1/4), L2 agreed 2 (0.4); B: 3 and 3 (60 points always).
    # A = 100 (s m + 0.4 (1 - s)) beats 60 only when m = 1 and s > 1/3: 1/4 x (1 - 7/27) = 5/27
    members = [Evaluator(1, "Member One"), Evaluator(2, "Member Two")]
    data = EvaluationData(
        id=1,
        name="Both RFP",
        criteria=[rated("l1"), rated("l2")],
        candidates=[Candidate(1, "Example A"), Candidate(2, "Example B")],
        evaluators=members,
        scores=[Score(1, 1, "l1", 5, "why"), Score(2, 1, "l1", 0, "why")],
        consensus=agreed({(1, "l2"): 2, (2, "l1"): 3, (2, "l2"): 3}),
    )
    result = simulate(data, Settings(draws=DRAWS, seed=9, concentration=4))
    assert result.leader_id == 2
    assert within(result.for_candidate(1).chance, 5 / 27)
    assert within(result.for_candidate(2).chance, 22 / 27)


def test_nothing_varied_means_certainty() -> None:
    result = simulate(two_way(), Settings(draws=150, concentration=None, resample=False))
    assert [(o.chance, o.rank_low, o.rank_high) for o in result.odds] == [(1, 1, 1), (0, 2, 2)]


def test_abstentions_and_conflicts_are_not_resampled() -> None:
    # A's cell: 5 and 5 count; the 0 is an abstention and the 1 comes from a member with a
    # declared conflict. Only unanimous scores are left, so nothing varies.
    data = one_cell([5, 5, 0, 1], 4, Aggregation.MEAN)
    data.scores[2] = Score(3, 1, "q", 0, "not my field", abstained=True)
    data.evaluators[3] = Evaluator(4, "Member 4", declaration=Declaration((1,), (1, 2)))
    result = simulate(data, Settings(draws=300, concentration=None))
    assert result.varied_cells == 0
    assert result.for_candidate(1).chance == 1.0


def test_disqualified_candidates_are_shown_without_ranks() -> None:
    data = two_way()
    data.criteria.append(Criterion("g", "Gate", CriterionKind.GATE))
    data.responses = [Response(1, "g", False)]
    result = simulate(data, Settings(draws=200, seed=1, concentration=3))
    x, y = result.odds
    assert (x.chance, x.rank_low, x.rank_median, x.rank_high) == (0.0, None, None, None)
    assert (y.chance, y.rank_low, y.rank_high, result.leader_id) == (1.0, 1, 1, 2)
    assert [o.candidate_id for o in result.ranked()] == [2, 1]


def test_the_same_seed_gives_the_same_numbers() -> None:
    data = one_cell([5, 4, 0, 2], 3, Aggregation.MEAN)
    first = simulate(data, Settings(draws=500, seed=11, concentration=6))
    assert simulate(data, Settings(draws=500, seed=11, concentration=6)) == first
    assert simulate(data, Settings(draws=500, seed=12, concentration=6)) != first


def test_progress_is_reported_and_cancel_stops() -> None:
    calls: list[tuple[int, int]] = []
    simulate(two_way(), Settings(draws=250), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
    checks = iter([False, True])
    with pytest.raises(Cancelled):
        simulate(two_way(), Settings(draws=1000), cancel=lambda: next(checks))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(draws=0), "draws"),
        (Settings(seed=-1), "seed"),
        (Settings(concentration=0.0), "concentration"),
    ],
)
def test_settings_that_cannot_run_are_refused(settings: Settings, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simulate(two_way(), settings)


def test_settings_say_what_was_varied() -> None:
    assert Settings(draws=2000, seed=7).describe() == (
        "2,000 draws from seed 7: weights varied (Dirichlet, concentration 50) and members' "
        "scores resampled in every cell"
    )
    assert "nothing varied" in Settings(concentration=None, resample=False).describe()


# ---- the bootstrap's building blocks ---------------------------------------------------------


def test_mean_distribution_by_hand() -> None:
    outcomes, chances = mean_distribution([5, 0], Scale())
    assert outcomes.tolist() == [0.0, 0.5, 1.0] and chances.tolist() == [0.25, 0.5, 0.25]
    # 4, 2, 2: sums of three draws 6, 8, 10, 12 with chances 8, 12, 6, 1 in 27
    outcomes, chances = mean_distribution([4, 2, 2], Scale())
    assert outcomes == pytest.approx([6 / 15, 8 / 15, 10 / 15, 12 / 15])
    assert chances == pytest.approx([8 / 27, 12 / 27, 6 / 27, 1 / 27])
    # on a 1..10 scale, 1 and 10: the mean is 1, 5.5 or 10 -> 0, 0.5, 1
    outcomes, _ = mean_distribution([1, 10], Scale(1, 10))
    assert outcomes.tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize(
    "pmf", [[0.25, 0.5, 0.25], [8 / 27, 12 / 27, 6 / 27, 1 / 27], [0.0, 1.0], [0.1] * 10]
)
def test_alias_tables_reproduce_their_distribution_exactly(pmf: list[float]) -> None:
    prob, alias = alias_table(np.array(pmf))
    implied = np.zeros(len(pmf))
    for column, (keep, other) in enumerate(zip(prob, alias, strict=True)):
        implied[column] += keep / len(pmf)
        implied[other] += (1 - keep) / len(pmf)
    assert implied == pytest.approx(pmf, abs=1e-12)


@pytest.mark.parametrize("aggregation", [Aggregation.MEAN, Aggregation.MEDIAN])
def test_cell_sampler_frequencies_match_the_exact_distribution(aggregation: Aggregation) -> None:
    cell = Cell(0, 0, (4, 2, 2))
    drawn = CellSampler([cell], Scale(), aggregation).draw(np.random.default_rng(3), DRAWS)
    if aggregation is Aggregation.MEAN:
        expected = {6 / 15: 8 / 27, 8 / 15: 12 / 27, 10 / 15: 6 / 27, 12 / 15: 1 / 27}
    else:  # the median is 4 when at least two of the three draws are the 4: 7/27
        expected = {0.4: 20 / 27, 0.8: 7 / 27}
    for value, chance in expected.items():
        assert within(float(np.isclose(drawn[:, 0], value).mean()), chance)
    assert sum(np.isclose(drawn[:, 0], v).sum() for v in expected) == DRAWS


# ---- weighting sets -------------------------------------------------------------------------


def test_rankings_under_each_set_by_hand() -> None:
    data = two_way()
    data.weight_sets = [
        WeightSet(1, "Clinical", (("cost", 2.0), ("quality", 1.0))),  # s = 2/3: X 73.3, Y 53.3
        WeightSet(2, "Finance", (("cost", 1.0), ("quality", 3.0))),  # s = 1/4: X 40, Y 70
    ]
    comparison = compare_sets(data)
    current, clinical, finance = comparison.columns
    assert current.totals == pytest.approx({1: 80.0, 2: 50.0})
    assert clinical.totals == pytest.approx({1: 20 + 160 / 3, 2: 80 - 80 / 3})
    assert finance.totals == pytest.approx({1: 40.0, 2: 70.0})
    assert (clinical.leaders, finance.leaders, finance.ranks) == ((1,), (2,), {1: 2, 2: 1})
    assert comparison.holds is False and comparison.dissent == (finance,)
    names = {1: "Example Vendor X", 2: "Example Outsourcer Y"}
    assert comparison.sentence(names) == (
        "The winner does not hold: Example Vendor X leads on the current weights, but under "
        "Finance Example Outsourcer Y leads."
    )
    data.weight_sets.pop()
    assert compare_sets(data).holds is True
    assert "under every weighting set" in compare_sets(data).sentence(names)


def test_a_set_without_a_criterion_uses_its_current_weight() -> None:
    data = two_way()
    data.weight_sets = [WeightSet(1, "Old", (("cost", 1.0), ("fee", 1.0)))]
    column = compare_sets(data).sets[0]
    assert column.missing == ("quality", "q")
    assert column.totals == pytest.approx({1: 60.0, 2: 60.0})  # s = 1/2: a tie
    assert column.leaders == (1, 2)


def test_a_set_that_cannot_be_ranked_says_why() -> None:
    data = two_way()
    data.weight_sets = [WeightSet(1, "Zero", (("cost", 0.0), ("quality", 0.0)))]
    comparison = compare_sets(data)
    assert "All weights at the top level are zero" in comparison.sets[0].error
    assert comparison.holds is True  # no set that can be ranked disagrees
    assert "(Zero cannot be ranked)" in comparison.sentence({1: "X", 2: "Y"})


def test_complete_weights_fills_in_and_refuses_clearly() -> None:
    criteria = two_way().criteria
    assert complete_weights(criteria, {"quality": "2.5"}) == (
        ("cost", 3.0), ("fee", 1.0), ("quality", 2.5), ("q", 1.0),
    )  # fmt: skip
    for weights, message in (
        ({"nope": 1}, "no weighted criterion"),
        ({"cost": -1}, "0 or more"),
        ({"cost": "many"}, "not a number"),
        ({"cost": 0, "quality": 0}, "are zero"),
    ):
        with pytest.raises(ValueError, match=message):
            complete_weights(criteria, weights)
