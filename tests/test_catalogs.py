"""Built-in criteria catalogs and their loader: content rules, validation messages, round trips."""

from __future__ import annotations

import copy
import math
import os
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from criteria import (
    BUILT_IN_DIR,
    Catalog,
    CatalogError,
    catalog_from_dict,
    list_catalogs,
    load_catalog,
    save_catalog,
    validate_catalog,
    validate_criteria,
)
from evaluator.domain import (
    AnswerType,
    AutoRule,
    Band,
    Criterion,
    CriterionKind,
    Question,
    Scale,
    leaves,
    walk_tree,
)

BUILT_IN_IDS = ["ehr-direct", "side-by-side", "third-party"]
KEY_QUESTIONS = [
    "tiers.coverage",
    "clinical.credentialed-share",
    "offshore.offshore-share",
    "response.sev1-response-hours",
    "cost.annual-fee",
]


def effective_weights(nodes: list[Criterion]) -> dict[str, float]:
    """Product of sibling shares along each leaf's path; gates (and gate-only groups) excluded."""

    def scorable(node: Criterion) -> bool:
        if node.kind is CriterionKind.CATEGORY:
            return any(scorable(child) for child in node.children)
        return node.kind is not CriterionKind.GATE

    weights: dict[str, float] = {}

    def descend(siblings: list[Criterion], share: float) -> None:
        counted = [node for node in siblings if scorable(node)]
        total = sum(node.weight for node in counted)
        for node in counted:
            node_share = share * node.weight / total
            if node.kind is CriterionKind.CATEGORY:
                descend(node.children, node_share)
            else:
                weights[node.key] = node_share

    descend(nodes, 1.0)
    return weights


def full_rubric() -> dict[str, str]:
    return {str(point): f"Point {point}: what a score of {point} means." for point in range(6)}


def minimal_catalog() -> dict[str, Any]:
    """A small valid catalog in file form; tests break one thing at a time."""
    return {
        "id": "mini",
        "name": "Mini catalog",
        "description": "For tests.",
        "version": "1",
        "scale": {"min": 0, "max": 5},
        "criteria": [
            {
                "key": "tiers",
                "name": "Tiers",
                "weight": 2,
                "children": [
                    {
                        "key": "tiers.l4",
                        "name": "Level 4",
                        "kind": "rated",
                        "weight": 1,
                        "question": {"text": "Describe Level 4.", "answer_type": "text"},
                        "rubric": full_rubric(),
                    },
                    {
                        "key": "tiers.named",
                        "name": "Named team",
                        "kind": "auto",
                        "weight": 1,
                        "question": {
                            "text": "Who is named?",
                            "answer_type": "choice",
                            "choices": ["Everyone", "Nobody"],
                        },
                        "rule": {"choices": {"Everyone": 5, "Nobody": 0}},
                    },
                ],
            },
            {
                "key": "gates",
                "name": "Gates",
                "weight": 0,
                "children": [
                    {
                        "key": "gates.baa",
                        "name": "Signs a BAA",
                        "kind": "gate",
                        "question": {"text": "Will you sign?", "answer_type": "yes_no"},
                        "rule": {"yes": 1, "no": 0},
                    }
                ],
            },
        ],
    }


def write_toml(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def load_error(tmp_path: Path, data: dict[str, Any], name: str = "broken.toml") -> str:
    path = write_toml(tmp_path, name, data)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    return str(caught.value)


# ---- built-in catalogs ------------------------------------------------------------------------


@pytest.fixture(params=BUILT_IN_IDS)
def built_in(request: pytest.FixtureRequest) -> Catalog:
    return load_catalog(request.param)


def test_built_in_catalogs_are_listed_first_and_named_after_their_files() -> None:
    listing = list_catalogs()
    assert [info.id for info in listing] == BUILT_IN_IDS
    assert [info.name for info in listing] == [
        "EHR vendor direct support",
        "Vendors and outsourcers side by side",
        "Third-party support outsourcer",
    ]
    assert all(info.built_in and info.path.stem == info.id for info in listing)
    assert all(info.path.parent == BUILT_IN_DIR for info in listing)
    assert listing.problems == []


def test_built_in_catalog_validates(built_in: Catalog) -> None:
    assert validate_catalog(built_in) == []
    assert validate_criteria(built_in.criteria, built_in.scale) == []
    assert built_in.scale == Scale(0, 5)
    assert built_in.version and built_in.description


def test_built_in_catalog_size_and_shape(built_in: Catalog) -> None:
    scored = [leaf for leaf in leaves(built_in.criteria) if leaf.kind is not CriterionKind.GATE]
    assert 25 <= len(scored) <= 35
    for category in built_in.criteria:
        assert category.kind is CriterionKind.CATEGORY
        assert all(child.is_leaf for child in category.children), category.key
        if category.key != "gates":
            assert 3 <= len(category.children) <= 6, category.key


def test_every_leaf_has_dotted_key_question_and_needed_rubric(built_in: Catalog) -> None:
    for category in built_in.criteria:
        for leaf in category.children:
            assert leaf.key.startswith(category.key + "."), leaf.key
            assert leaf.question is not None and leaf.question.text.strip(), leaf.key
            assert leaf.description.strip(), leaf.key
            if leaf.kind is CriterionKind.RATED:
                assert sorted(leaf.rubric) == [0, 1, 2, 3, 4, 5], leaf.key
                assert len(set(leaf.rubric.values())) == 6, f"{leaf.key}: rubric texts repeat"


def test_auto_rubric_describes_every_result_the_rule_gives(built_in: Catalog) -> None:
    for leaf in leaves(built_in.criteria):
        if leaf.kind is not CriterionKind.AUTO:
            continue
        assert leaf.rule is not None
        results = {*leaf.rule.choices.values(), *(band.score for band in leaf.rule.bands)}
        assert {int(result) for result in results} == set(leaf.rubric), leaf.key


def test_choice_rules_score_every_listed_choice(built_in: Catalog) -> None:
    for leaf in leaves(built_in.criteria):
        if leaf.question is None or leaf.question.answer_type is not AnswerType.CHOICE:
            continue
        assert leaf.rule is not None
        for choice in leaf.question.choices:
            assert leaf.rule.apply(choice) is not None, (leaf.key, choice)


def test_weights_are_valid_and_gates_carry_none(built_in: Catalog) -> None:
    for node in walk_tree(built_in.criteria):
        assert node.weight >= 0, node.key
        if node.kind is CriterionKind.GATE:
            assert node.weight == 0, node.key
    assert sum(node.weight for node in built_in.criteria) == 100


def test_effective_weights_sum_to_one(built_in: Catalog) -> None:
    weights = effective_weights(built_in.criteria)
    scored = [leaf for leaf in leaves(built_in.criteria) if leaf.kind is not CriterionKind.GATE]
    assert set(weights) == {leaf.key for leaf in scored}
    assert math.isclose(sum(weights.values()), 1.0)
    assert all(weight > 0 for weight in weights.values())


@pytest.mark.parametrize(
    ("catalog_id", "key", "expected"),
    [
        ("ehr-direct", "offshore.offshore-share", 15 / 100 * 4 / 12),
        ("ehr-direct", "tiers.l4-engineering", 15 / 100 * 3 / 16),
        ("ehr-direct", "cost.annual-fee", 10 / 100 * 6 / 10),
        ("third-party", "transition.transition-plan", 13 / 100 * 4 / 10),
        ("third-party", "clinical.certified-analysts", 18 / 100 * 4 / 17),
    ],
)
def test_effective_weight_by_hand(catalog_id: str, key: str, expected: float) -> None:
    assert math.isclose(effective_weights(load_catalog(catalog_id).criteria)[key], expected)


def test_key_questions_are_marked(built_in: Catalog) -> None:
    marked = {leaf.key for leaf in leaves(built_in.criteria) if leaf.question and leaf.question.key}
    assert set(KEY_QUESTIONS) <= marked
    annual_fee = next(leaf for leaf in leaves(built_in.criteria) if leaf.key == "cost.annual-fee")
    assert annual_fee.kind is CriterionKind.PRICE
    assert annual_fee.question is not None
    assert annual_fee.question.answer_type is AnswerType.CURRENCY


@pytest.mark.parametrize(
    ("percent", "score"),
    [
        *[(0, 5), (5, 5), (10, 5), (10.5, 4), (11, 4), (25, 4), (26, 3), (40, 3), (55, 2)],
        *[(75, 1), (75.5, 0), (80, 0), (100, 0)],
    ],
)
def test_offshore_band_rule(built_in: Catalog, percent: float, score: int) -> None:
    leaf = next(leaf for leaf in leaves(built_in.criteria) if leaf.key == "offshore.offshore-share")
    assert leaf.rule is not None
    assert leaf.rule.apply(percent) == score


def test_gates_pass_on_yes_and_fail_on_no(built_in: Catalog) -> None:
    gates = {
        leaf.key: leaf for leaf in leaves(built_in.criteria) if leaf.kind is CriterionKind.GATE
    }
    assert {"gates.hipaa-baa", "gates.sev1-24x7"} <= set(gates)
    if built_in.id == "third-party":
        assert "gates.ehr-vendor-authorised" in gates
    for gate in gates.values():
        assert gate.rule is not None
        assert gate.rule.apply(True) > 0
        assert gate.rule.apply(False) == 0


def test_outsourcer_catalog_adds_outsourcing_criteria() -> None:
    catalog = load_catalog("third-party")
    keys = {leaf.key: leaf for leaf in leaves(catalog.criteria)}
    assert keys["clinical.certified-analysts"].rule.apply(80) == 5  # type: ignore[union-attr]
    assert keys["clinical.certified-analysts"].rule.apply(79) == 4  # type: ignore[union-attr]
    escalation = keys["tiers.vendor-escalation"]
    assert escalation.question is not None
    assert escalation.question.answer_type is AnswerType.CHOICE
    assert keys["transition.transition-plan"].kind is CriterionKind.RATED
    assert keys["transition.knowledge-transfer"].kind is CriterionKind.RATED


def test_side_by_side_catalog_serves_vendors_and_outsourcers_alike() -> None:
    """One list for both kinds of provider: tiers L1-L4, clinical staff, customisation, offshore
    use, response times and cost, in words that fit either (no "the vendor's own staff"), and
    the outsourcer's authorisation by the EHR vendor as a gate."""
    catalog = load_catalog("side-by-side")
    assert [c.key for c in catalog.criteria] == [
        "tiers",
        "response",
        "clinical",
        "fit",
        "offshore",
        "track-record",
        "cost",
        "gates",
    ]
    keys = {leaf.key: leaf for leaf in leaves(catalog.criteria)}
    tiers = [key for key in keys if key.startswith("tiers.l")]
    assert [key.split(".")[1][:2] for key in tiers] == ["l1", "l2", "l3", "l4"]
    assert "EHR vendor" in keys["tiers.l4-engineering"].description  # an outsourcer's path
    assert keys["cost.annual-fee"].kind is CriterionKind.PRICE
    assert keys["clinical.credentialed-share"].rule.apply(50) is not None  # type: ignore[union-attr]
    assert keys["gates.ehr-vendor-authorised"].kind is CriterionKind.GATE
    for node in walk_tree(catalog.criteria):
        words = " ".join([node.name, node.description, *node.rubric.values()])
        assert "vendor's own" not in words and "this vendor" not in words, node.key


def test_sev1_response_bands() -> None:
    leaf = next(
        leaf
        for leaf in leaves(load_catalog("ehr-direct").criteria)
        if leaf.key == "response.sev1-response-hours"
    )
    assert leaf.rule is not None
    assert [leaf.rule.apply(hours) for hours in (0.25, 0.3, 1, 1.5, 4, 4.1, 48)] == [
        5,
        4,
        3,
        2,
        1,
        0,
        0,
    ]


# ---- saving -----------------------------------------------------------------------------------


def test_save_then_load_round_trips_built_ins(built_in: Catalog, tmp_path: Path) -> None:
    target = tmp_path / "saved" / f"{built_in.id}.toml"
    save_catalog(built_in, target)
    assert load_catalog(target) == built_in
    assert load_catalog(str(target)) == built_in
    assert sorted(path.name for path in target.parent.iterdir()) == [target.name]


def test_round_trip_keeps_fractions_open_bands_and_defaults(tmp_path: Path) -> None:
    catalog = Catalog(
        id="fractions",
        name="Fractions",
        version="2.1",
        scale=Scale(1, 4),
        criteria=[
            Criterion(
                key="a",
                name="A",
                weight=2.5,
                children=[
                    Criterion(
                        key="a.turnover",
                        name="Turnover",
                        kind=CriterionKind.AUTO,
                        weight=0.75,
                        question=Question("Turnover?", AnswerType.PERCENT, unit="%"),
                        rule=AutoRule(
                            bands=(Band(4, high=10), Band(2.5, low=10, high=30), Band(1))
                        ),
                    ),
                    Criterion(
                        key="a.fee",
                        name="Fee",
                        kind=CriterionKind.PRICE,
                        weight=1,
                        question=Question("Fee?", AnswerType.CURRENCY, key=True),
                    ),
                ],
            )
        ],
    )
    path = tmp_path / "fractions.toml"
    save_catalog(catalog, path)
    assert load_catalog(path) == catalog


def test_save_refuses_an_invalid_catalog_and_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    catalog = load_catalog("ehr-direct")
    save_catalog(catalog, path)
    before = path.read_bytes()
    catalog.criteria[0].children[0].key = catalog.criteria[0].children[1].key
    with pytest.raises(CatalogError, match=r"mine\.toml: key 'tiers\.l1-help-desk' is used by 2"):
        save_catalog(catalog, path)
    assert path.read_bytes() == before


def test_save_is_atomic_when_the_final_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# the user's previous file\n", encoding="utf-8")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        save_catalog(load_catalog("ehr-direct"), path)
    assert path.read_text(encoding="utf-8") == "# the user's previous file\n"
    assert [item.name for item in tmp_path.iterdir()] == ["mine.toml"]


# ---- broken catalogs --------------------------------------------------------------------------


def test_minimal_catalog_is_valid(tmp_path: Path) -> None:
    catalog = load_catalog(write_toml(tmp_path, "mini.toml", minimal_catalog()))
    assert [leaf.key for leaf in leaves(catalog.criteria)] == [
        "tiers.l4",
        "tiers.named",
        "gates.baa",
    ]
    gate = catalog.criteria[1].children[0]
    assert gate.weight == 0  # gates without a weight carry none


def test_missing_rubric_point_is_named(tmp_path: Path) -> None:
    data = minimal_catalog()
    del data["criteria"][0]["children"][0]["rubric"]["5"]
    message = load_error(tmp_path, data, "ehr-direct.toml")
    assert message == (
        "ehr-direct.toml: criterion 'tiers.l4' has rubric for 0-4 but the scale is 0-5: add point 5"
    )


def test_rubric_point_outside_scale(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][0]["rubric"]["6"] = "Beyond the scale."
    assert "criterion 'tiers.l4' has rubric points 6 outside the scale 0-5" in load_error(
        tmp_path, data
    )


def test_duplicate_key(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][1]["key"] = "tiers.l4"
    assert load_error(tmp_path, data) == (
        "broken.toml: key 'tiers.l4' is used by 2 criteria: keys must be unique"
    )


def test_zero_sibling_weights(tmp_path: Path) -> None:
    data = minimal_catalog()
    for child in data["criteria"][0]["children"]:
        child["weight"] = 0
    assert load_error(tmp_path, data) == (
        "broken.toml: the criteria under 'tiers' all have weight 0: "
        "give at least one a weight above 0"
    )


def test_unknown_kind(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][0]["kind"] = "scored"
    message = load_error(tmp_path, data)
    assert message.startswith("broken.toml: criterion 'tiers.l4' has unknown kind 'scored'")
    assert "rated" in message


def test_malformed_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken\.toml: is not valid TOML: .*line 2"):
        load_catalog(path)


def test_choice_rule_naming_an_unlisted_choice(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][1]["rule"]["choices"]["Somebody"] = 3
    assert (
        "criterion 'tiers.named' rule scores choice 'Somebody', which the question does not list"
        in load_error(tmp_path, data)
    )


def test_choice_question_without_choices(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][1]["question"]["choices"] = []
    data["criteria"][0]["children"][1]["rule"]["choices"] = {}
    assert "criterion 'tiers.named' asks for a choice but lists no choices" in load_error(
        tmp_path, data
    )


def test_auto_rule_must_fit_the_answer_type(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][1]["question"] = {"text": "How many?", "answer_type": "number"}
    message = load_error(tmp_path, data)
    assert "criterion 'tiers.named' answers a number, so its rule needs bands" in message


def test_auto_rule_scores_must_be_on_the_scale(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][1]["rule"]["choices"]["Everyone"] = 7
    assert (
        "criterion 'tiers.named' rule gives 7 for choice 'Everyone' but the scale is 0-5"
        in load_error(tmp_path, data)
    )


def test_gate_problems(tmp_path: Path) -> None:
    data = minimal_catalog()
    gate = data["criteria"][1]["children"][0]
    gate["weight"] = 2
    gate["question"]["answer_type"] = "text"
    message = load_error(tmp_path, data)
    assert "gate 'gates.baa' has weight 2 but gates carry no weight: set it to 0" in message
    assert "gate 'gates.baa' asks for text: a gate needs a yes_no or numeric question" in message


def test_gate_that_never_fails(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][1]["children"][0]["rule"] = {"yes": 1, "no": 1}
    assert "gate 'gates.baa' passes on both yes and no" in load_error(tmp_path, data)


def test_gate_only_category_must_have_weight_zero(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][1]["weight"] = 5
    assert "category 'gates' holds only gates, which carry no weight" in load_error(tmp_path, data)


def test_empty_category(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"].append({"key": "extra", "name": "Extra", "kind": "category", "weight": 1})
    assert load_error(tmp_path, data) == (
        "broken.toml: category 'extra' is empty: add criteria to it or remove it"
    )


def test_leaf_without_question_and_leaf_with_children(tmp_path: Path) -> None:
    data = minimal_catalog()
    leaf = data["criteria"][0]["children"][0]
    del leaf["question"]
    leaf["children"] = [copy.deepcopy(data["criteria"][0]["children"][1]) | {"key": "tiers.x"}]
    message = load_error(tmp_path, data)
    assert "criterion 'tiers.l4' has no question" in message
    assert "criterion 'tiers.l4' is a rated criterion but has children" in message


def test_bad_key_syntax_and_misspelt_field(tmp_path: Path) -> None:
    data = minimal_catalog()
    leaf = data["criteria"][0]["children"][0]
    leaf["key"] = "Tiers.L4"
    leaf["rubrik"] = leaf.pop("rubric")
    message = load_error(tmp_path, data)
    assert "criterion 'Tiers.L4' has unknown field 'rubrik'" in message
    assert all(line.startswith("broken.toml: ") for line in message.splitlines())


def test_wrong_value_types_are_all_reported(tmp_path: Path) -> None:
    data = minimal_catalog()
    data["criteria"][0]["children"][0]["weight"] = "high"
    data["criteria"][0]["children"][1]["question"]["answer_type"] = "dropdown"
    data["scale"]["max"] = 5.5
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_toml(tmp_path, "broken.toml", data))
    assert caught.value.problems == (
        "the scale's max must be a whole number, not 5.5",
        "criterion 'tiers.l4' weight must be a number, not 'high'",
        "criterion 'tiers.named' question has unknown answer_type 'dropdown' (expected one of "
        "yes_no, number, percent, currency, choice, text, date)",
    )
    assert caught.value.path == tmp_path / "broken.toml"


def test_catalog_from_dict_reports_without_a_file() -> None:
    data = minimal_catalog()
    data["id"] = "Not An Id"
    with pytest.raises(CatalogError, match=r"^catalog id 'Not An Id' is not valid"):
        catalog_from_dict(data)


def test_validate_criteria_on_domain_objects() -> None:
    rated = Criterion(
        key="a.b",
        name="B",
        kind=CriterionKind.RATED,
        question=Question("Describe."),
        rubric={point: f"text {point}" for point in (0, 2, 3)},
    )
    tree = [Criterion(key="a", name="A", children=[rated])]
    assert validate_criteria(tree, Scale(0, 3)) == [
        "criterion 'a.b' has rubric for 0, 2-3 but the scale is 0-3: add point 1"
    ]
    rated.rubric[1] = "text 1"
    assert validate_criteria(tree, Scale(0, 3)) == []
    assert validate_criteria(tree, Scale(3, 3)) == [
        "scale 3-3 is empty: the minimum must be below the maximum"
    ]
    assert validate_criteria([], Scale()) == [
        "there are no criteria: add at least one category with a scored criterion"
    ]


# ---- listing and finding ----------------------------------------------------------------------


def test_list_catalogs_with_user_folder(tmp_path: Path) -> None:
    write_toml(tmp_path, "mini.toml", minimal_catalog())
    broken = minimal_catalog() | {"id": "broken"}
    broken["criteria"][0]["children"][0]["kind"] = "scored"
    write_toml(tmp_path, "broken.toml", broken)
    (tmp_path / "notes.txt").write_text("not a catalog", encoding="utf-8")

    listing = list_catalogs([tmp_path, tmp_path / "does-not-exist"])

    assert [(info.id, info.built_in) for info in listing] == [
        ("ehr-direct", True),
        ("side-by-side", True),
        ("third-party", True),
        ("mini", False),
    ]
    assert listing[3].path == tmp_path / "mini.toml"
    assert listing[3].name == "Mini catalog"
    assert [problem.path for problem in listing.problems] == [tmp_path / "broken.toml"]
    assert "broken.toml: criterion 'tiers.l4' has unknown kind" in listing.problems[0].message


def test_user_catalog_reusing_a_built_in_id_is_skipped(tmp_path: Path) -> None:
    write_toml(tmp_path, "copy.toml", minimal_catalog() | {"id": "ehr-direct"})
    listing = list_catalogs([tmp_path])
    assert [info.id for info in listing] == BUILT_IN_IDS
    assert len(listing.problems) == 1
    assert "catalog id 'ehr-direct' is already used by" in listing.problems[0].message
    assert load_catalog("ehr-direct", [tmp_path]).name == "EHR vendor direct support"


def test_load_by_id_from_user_folder(tmp_path: Path) -> None:
    write_toml(tmp_path, "saved-under-another-name.toml", minimal_catalog())
    assert load_catalog("mini", [tmp_path]).name == "Mini catalog"


def test_unknown_id(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"no catalog with id 'nope' \(available: ehr-direct, "):
        load_catalog("nope", [tmp_path])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"^gone\.toml: cannot be read"):
        load_catalog(tmp_path / "gone.toml")


def test_problem_prints_as_its_message(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("id = ", encoding="utf-8")
    problem = list_catalogs([tmp_path]).problems[0]
    assert str(problem).startswith("bad.toml: is not valid TOML")
