"""AHP weights and consistency against published worked examples, each cited where it is used.

The expected values are the sources' own, at the precision they were published (four decimals
where the source gives four, three where it gives three). The matrices and most expected values
are those of AHPy's test suite (P. Griffith, AHPy, https://github.com/PhilipGriffith/AHPy,
tests/test_ahp.py), which computes its consistency ratios with Donegan & Dodd's random index
unless told 'saaty' (Saaty's 2005 table): the same tables are named here, so the same CR comes
out. SupportScope itself uses Saaty's 1980 table (see test_app_table_is_saatys_1980).
"""

from __future__ import annotations

import itertools

import pytest

from evaluator.ahp import (
    ALONSO_LAMATA_2006,
    APP_TABLE,
    DONEGAN_DODD_1991,
    SAATY_1980,
    SAATY_2005,
    RandomIndexTable,
)
from evaluator.ahp_judgments import HARKER, OPTIMAL, Analysis, analyse

Named = dict[tuple[str, str], float]


def compare(
    names: list[str], judgments: Named, table: RandomIndexTable = DONEGAN_DODD_1991, **kw
) -> tuple[dict[str, float], Analysis]:
    """Judgments between named elements -> weights by name (and the whole analysis)."""
    index = {(names.index(a), names.index(b)): v for (a, b), v in judgments.items()}
    result = analyse(len(names), index, table=table, diagnose=False, **kw)
    return dict(zip(names, result.weights, strict=True)), result


def rounded(weights: dict[str, float], places: int) -> dict[str, float]:
    return {name: round(value, places) for name, value in weights.items()}


# ---- Saaty's drink consumption matrix -----------------------------------------------------------
# T. L. Saaty, Decision making with the analytic hierarchy process, Int. J. Services Sciences 1(1),
# 2008, 83-98, Table 2 (relative consumption of drinks in the United States); matrix as entered
# in AHPy's tests/test_ahp.py (`drinks`), with AHPy's expected weights and CRs.

DRINKS: Named = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}  # fmt: skip
DRINK_NAMES = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]


def test_drinks_weights_to_four_decimals() -> None:
    weights, result = compare(DRINK_NAMES, DRINKS)
    assert rounded(weights, 4) == {
        "beer": 0.1164, "coffee": 0.1775, "milk": 0.1288, "soda": 0.1896, "tea": 0.0418,
        "water": 0.3268, "wine": 0.0191,
    }  # fmt: skip
    # Saaty (2008) prints the derived vector to three decimals beside actual consumption
    assert rounded(weights, 3) == {
        "coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116, "soda": 0.190,
        "milk": 0.129, "water": 0.327,
    }  # fmt: skip
    assert (result.given, result.missing, result.needed) == (21, 0, 0)


def test_drinks_consistency_ratio_by_each_named_table() -> None:
    _, dd = compare(DRINK_NAMES, DRINKS, DONEGAN_DODD_1991)
    assert round(dd.consistency_ratio, 4) == 0.0235  # AHPy, random_index='dd'
    _, saaty = compare(DRINK_NAMES, DRINKS, SAATY_2005)
    assert round(saaty.consistency_ratio, 3) == 0.022  # AHPy, random_index='saaty'
    # the same CI over each table's RI for n = 7
    _, app = compare(DRINK_NAMES, DRINKS, SAATY_1980)
    assert app.consistency_index == pytest.approx(dd.consistency_index)
    assert app.consistency_ratio == pytest.approx(dd.consistency_index / 1.32)
    assert app.random_index == 1.32 and app.table == "Saaty (1980)"
    assert not app.inconsistent


def test_app_table_is_saatys_1980() -> None:
    # DESIGN.md, scoring math 8: Saaty's 1980 random-index table, named in the UI and the report
    assert APP_TABLE is SAATY_1980
    assert [SAATY_1980.index(n) for n in range(1, 11)] == [
        0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
    ]  # fmt: skip
    # Alonso & Lamata (2006), Table 2 (100,000 random matrices per size)
    assert ALONSO_LAMATA_2006.index(3) == 0.5245 and ALONSO_LAMATA_2006.index(10) == 1.4854


# ---- the car example ----------------------------------------------------------------------------
# "Analytic hierarchy process - car example", Wikipedia
# (https://en.wikipedia.org/wiki/Analytic_hierarchy_process_%E2%80%93_car_example), as entered in
# AHPy's tests/test_ahp.py (the `compose` hierarchy) with AHPy's expected values: criteria and
# alternatives compared at precision 3 except Cost, Capacity, Passenger and Cargo (4);
# Maintenance with Saaty's (2005) random index, the others with Donegan & Dodd's.

CRITERIA = ["Cost", "Safety", "Style", "Capacity"]
COSTS = ["Price", "Fuel", "Maintenance", "Resale"]
CARS = ["Accord Sedan", "Accord Hybrid", "Pilot", "CR-V", "Element", "Odyssey"]
CAR_PAIRS = list(itertools.combinations(CARS, 2))
CAR_MATRICES = {  # upper triangles, in AHPy's order of pairs
    "Passenger": (1, 1 / 2, 1, 3, 1 / 2, 1 / 2, 1, 3, 1 / 2, 2, 6, 1, 3, 1 / 2, 1 / 6),
    "Cargo": (1, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1 / 2, 1 / 2, 1 / 2, 1 / 3, 1, 1, 1 / 2, 1, 1 / 2,
              1 / 2),
    "Price": (9, 9, 1, 0.5, 5, 1, 1 / 9, 1 / 9, 1 / 7, 1 / 9, 1 / 9, 1 / 7, 1 / 2, 5, 6),
    "Fuel": (1 / 1.13, 1.41, 1.15, 1.24, 1.19, 1.59, 1.3, 1.4, 1.35, 1 / 1.23, 1 / 1.14,
             1 / 1.18, 1.08, 1.04, 1 / 1.04),
    "Resale": (3, 4, 1 / 2, 2, 2, 2, 1 / 5, 1, 1, 1 / 6, 1 / 2, 1 / 2, 4, 4, 1),
    "Maintenance": (1.5, 4, 4, 4, 5, 4, 4, 4, 5, 1, 1.2, 1, 1, 3, 2),
    "Safety": (1, 5, 7, 9, 1 / 3, 5, 7, 9, 1 / 3, 2, 9, 1 / 8, 2, 1 / 8, 1 / 9),
    "Style": (1, 7, 5, 9, 6, 7, 5, 9, 6, 1 / 6, 3, 1 / 3, 7, 5, 1 / 5),
}  # fmt: skip
CAR_EXPECTED = {  # (local weights, CR, decimals) as AHPy's report gives them
    "Price": ({"Element": 0.366, "Accord Sedan": 0.246, "CR-V": 0.246, "Odyssey": 0.093,
               "Accord Hybrid": 0.025, "Pilot": 0.025}, 0.072, 3),
    "Fuel": ({"Accord Hybrid": 0.211, "Accord Sedan": 0.187, "CR-V": 0.163, "Odyssey": 0.157,
              "Element": 0.151, "Pilot": 0.132}, 0.0, 3),
    "Resale": ({"CR-V": 0.416, "Accord Sedan": 0.225, "Element": 0.105, "Odyssey": 0.105,
                "Accord Hybrid": 0.095, "Pilot": 0.055}, 0.005, 3),
    "Maintenance": ({"Accord Sedan": 0.358, "Accord Hybrid": 0.313, "CR-V": 0.1,
                     "Element": 0.088, "Pilot": 0.084, "Odyssey": 0.057}, 0.023, 3),
    "Safety": ({"Odyssey": 0.434, "Accord Sedan": 0.216, "Accord Hybrid": 0.216, "Pilot": 0.075,
                "CR-V": 0.036, "Element": 0.022}, 0.085, 3),
    "Style": ({"Accord Sedan": 0.358, "Accord Hybrid": 0.358, "CR-V": 0.155, "Odyssey": 0.068,
               "Pilot": 0.039, "Element": 0.023}, 0.107, 3),
    "Passenger": ({"Pilot": 0.2727, "Odyssey": 0.2727, "Accord Sedan": 0.1364,
                   "Accord Hybrid": 0.1364, "CR-V": 0.1364, "Element": 0.0455}, 0.0, 4),
    "Cargo": ({"Odyssey": 0.3106, "Pilot": 0.1702, "CR-V": 0.1702, "Element": 0.1702,
               "Accord Sedan": 0.0894, "Accord Hybrid": 0.0894}, 0.0023, 4),
}  # fmt: skip


def car_criteria() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    top, result = compare(CRITERIA, dict(zip(itertools.combinations(CRITERIA, 2),
                                             (3, 7, 3, 9, 1, 1 / 7), strict=True)))  # fmt: skip
    assert rounded(top, 3) == {"Cost": 0.51, "Safety": 0.234, "Capacity": 0.215, "Style": 0.041}
    assert round(result.consistency_ratio, 3) == 0.08
    cost, result = compare(COSTS, dict(zip(itertools.combinations(COSTS, 2),
                                           (2, 5, 3, 2, 2, 0.5), strict=True)))  # fmt: skip
    assert rounded(cost, 4) == {
        "Price": 0.4881, "Fuel": 0.2515, "Resale": 0.1605, "Maintenance": 0.0999,
    }  # fmt: skip
    assert round(result.consistency_ratio, 4) == 0.0164
    capacity, _ = compare(["Cargo", "Passenger"], {("Cargo", "Passenger"): 0.2})
    assert rounded(capacity, 4) == {"Passenger": 0.8333, "Cargo": 0.1667}
    return top, cost, capacity


@pytest.mark.parametrize("criterion", sorted(CAR_EXPECTED))
def test_car_alternatives_under_each_criterion(criterion: str) -> None:
    expected, ratio, places = CAR_EXPECTED[criterion]
    table = SAATY_2005 if criterion == "Maintenance" else DONEGAN_DODD_1991
    weights, result = compare(CARS, dict(zip(CAR_PAIRS, CAR_MATRICES[criterion], strict=True)),
                              table)  # fmt: skip
    assert rounded(weights, places) == expected
    assert round(result.consistency_ratio, places) == ratio


def test_car_example_criteria_and_synthesis() -> None:
    top, cost, capacity = car_criteria()
    leaf_weight = {
        **{name: top["Cost"] * cost[name] for name in COSTS},
        "Safety": top["Safety"], "Style": top["Style"],
        "Passenger": top["Capacity"] * capacity["Passenger"],
        "Cargo": top["Capacity"] * capacity["Cargo"],
    }  # fmt: skip
    local = {
        name: compare(CARS, dict(zip(CAR_PAIRS, CAR_MATRICES[name], strict=True)))[0]
        for name in CAR_MATRICES
    }
    target = {car: sum(leaf_weight[c] * local[c][car] for c in leaf_weight) for car in CARS}
    # AHPy's target weights (3 decimals; AHPy rounds each level before multiplying, so the
    # unrounded synthesis may differ from them by a rounding step)
    expected = {"Odyssey": 0.219, "Accord Sedan": 0.215, "CR-V": 0.167, "Accord Hybrid": 0.15,
                "Element": 0.144, "Pilot": 0.106}  # fmt: skip
    assert target == pytest.approx(expected, abs=6e-4)
    assert sorted(target, key=target.__getitem__, reverse=True) == list(expected)


# ---- AHPy's three-level hierarchy ---------------------------------------------------------------
# AHPy's tests/test_ahp.py, `a` -> (`b`, `c`), `b` -> (`d`, `e`), `d` -> (`f`, `g`); `c`, `e`, `f`,
# `g` rate x, y, z by direct measurement, entered here as the ratios of those measurements.


def direct(values: dict[str, float]) -> Named:
    return {(a, b): values[a] / values[b] for a, b in itertools.combinations(values, 2)}


def test_three_level_hierarchy_target_weights() -> None:
    a, _ = compare(["b", "c"], {("b", "c"): 1})
    b, _ = compare(["d", "e"], {("d", "e"): 4})
    d, _ = compare(["f", "g"], {("f", "g"): 2})
    c, result = compare(["x", "y", "z"], direct({"x": 2, "y": 4, "z": 4}))
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    e, _ = compare(["x", "y", "z"], direct({"x": 1, "y": 2, "z": 3}))
    f, g = c, e
    assert rounded(b, 4) == {"d": 0.8, "e": 0.2}
    assert rounded(d, 4) == {"f": 0.6667, "g": 0.3333}
    assert rounded(e, 4) == {"x": 0.1667, "y": 0.3333, "z": 0.5}
    paths = {  # global weight of each node that rates x, y, z
        "c": a["c"], "e": a["b"] * b["e"], "f": a["b"] * b["d"] * d["f"],
        "g": a["b"] * b["d"] * d["g"],
    }  # fmt: skip
    local = {"c": c, "e": e, "f": f, "g": g}
    target = {x: sum(paths[n] * local[n][x] for n in paths) for x in "xyz"}
    assert rounded(target, 4) == {"z": 0.4233, "y": 0.3844, "x": 0.1922}
    assert round(paths["f"], 4) == 0.2667 and round(paths["g"], 4) == 0.1333  # AHPy's globals


# ---- incomplete comparisons -------------------------------------------------------------------
# S. Bozóki, J. Fülöp and L. Rónyai, On optimal completion of incomplete pairwise comparison
# matrices, Mathematical and Computer Modelling 52(1-2), 2010, 318-333, Example 3: a 4x4 matrix
# with one missing element x (between c and d); the lambda_max-optimal x is 0.7302965066047. AHPy
# (tests/test_ahp.py, `u`) gives the weights and CR of that completion.

U: Named = {("a", "b"): 1, ("a", "c"): 5, ("a", "d"): 2, ("b", "c"): 3, ("b", "d"): 4}


def test_optimal_completion_of_bozoki_example_3() -> None:
    weights, result = compare(list("abcd"), U, method=OPTIMAL)
    assert (result.given, result.missing, result.needed) == (5, 1, 0)
    assert result.completed[2][3] == pytest.approx(0.7302965066047, abs=1e-6)
    assert rounded(weights, 4) == {"a": 0.3738, "b": 0.392, "c": 0.0985, "d": 0.1357}
    assert round(result.consistency_ratio, 4) == 0.0372


def test_harker_on_bozoki_example_3() -> None:
    """Harker's weights are the eigenvector of the matrix completed with x = w_c / w_d, and its
    lambda_max is that matrix's; the optimal completion's lambda_max is never above it."""
    harker_w, harker = compare(list("abcd"), U, method=HARKER)
    _, optimal = compare(list("abcd"), U, method=OPTIMAL)
    assert harker.completed[2][3] == pytest.approx(harker_w["c"] / harker_w["d"], rel=1e-12)
    complete = {**U, ("c", "d"): harker.completed[2][3]}
    again, full = compare(list("abcd"), complete)
    assert again == pytest.approx(harker_w, rel=1e-9)
    assert full.lambda_max == pytest.approx(harker.lambda_max, rel=1e-12)
    assert optimal.lambda_max <= harker.lambda_max + 1e-12
    assert rounded(harker_w, 4) == {"a": 0.3736, "b": 0.3921, "c": 0.0982, "d": 0.1361}


def test_optimal_completion_of_the_housing_matrix() -> None:
    # Bozóki et al. (2010), the incomplete 8x8 matrix M (12 of 28 comparisons missing), as entered
    # in AHPy's tests (`test_incomplete_housing_missing_comparisons`). AHPy stops its cyclic
    # coordinates when a cycle moves the completion by less than 1e-4, so its values agree with
    # the converged ones to about five significant figures.
    m: Named = {
        ("a", "b"): 5, ("a", "c"): 3, ("a", "d"): 7, ("a", "e"): 6, ("a", "f"): 6, ("b", "d"): 5,
        ("b", "f"): 3, ("c", "e"): 3, ("c", "g"): 6, ("f", "d"): 4, ("g", "a"): 3, ("g", "e"): 5,
        ("h", "a"): 4, ("h", "b"): 7, ("h", "d"): 8, ("h", "f"): 6,
    }  # fmt: skip
    expected = {
        ("b", "c"): 0.3300187496240363, ("b", "e"): 1.7197409185349517,
        ("b", "g"): 0.4663515002203321, ("c", "d"): 9.920512661898753,
        ("c", "f"): 4.852486449214693, ("c", "h"): 0.5696073301509899,
        ("d", "e"): 0.5252768142894285, ("d", "g"): 0.1424438146531802,
        ("e", "f"): 0.9311973564754218, ("e", "h"): 0.10930828182051665,
        ("f", "g"): 0.2912120796181874, ("g", "h"): 0.4030898885178746,
    }  # fmt: skip
    names = list("abcdefgh")
    _, result = compare(names, m, method=OPTIMAL)
    assert result.missing == 12
    got = {(x, y): result.completed[names.index(x)][names.index(y)] for x, y in expected}
    assert got == pytest.approx(expected, rel=3e-5)
