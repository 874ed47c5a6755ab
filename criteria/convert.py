"""Catalog <-> plain dict (the shape of the TOML file), in both directions.

Reading collects every structural problem (wrong type, unknown field, bad kind) before giving
up, so that a person editing a catalog by hand sees all the mistakes in one go. Unknown fields
are errors on purpose: a misspelt `rubrik` must not silently drop a rubric.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from criteria.model import Catalog, CatalogError
from criteria.schema import or_list, validate_catalog_id, validate_criteria
from evaluator.codec import criterion_to_dict
from evaluator.domain import AnswerType, AutoRule, Band, Criterion, CriterionKind, Question, Scale
from evaluator.kinds import CRITERION_KINDS, is_weighted

CATALOG_FIELDS = ("id", "name", "description", "version", "scale", "criteria")
SCALE_FIELDS = ("min", "max")
NODE_FIELDS = (
    "key",
    "name",
    "kind",
    "weight",
    "description",
    "question",
    "rule",
    "rubric",
    "children",
)
QUESTION_FIELDS = ("text", "answer_type", "choices", "unit", "key")
RULE_FIELDS = ("yes", "no", "choices", "bands")
BAND_FIELDS = ("low", "high", "score")


def catalog_from_dict(data: Mapping[str, Any], *, validate: bool = True) -> Catalog:
    """Build a catalog from parsed TOML; raises `CatalogError` listing every problem found."""
    reader = _Reader()
    catalog = reader.catalog(data)
    problems = reader.problems
    if not problems and validate:
        problems = validate_catalog(catalog)
    if problems:
        raise CatalogError(problems)
    return catalog


def validate_catalog(catalog: Catalog) -> list[str]:
    """Problems with the catalog's metadata and criteria tree."""
    problems = validate_catalog_id(catalog.id)
    if not catalog.name.strip():
        problems.append("the catalog has no name")
    return problems + validate_criteria(catalog.criteria, catalog.scale)


def catalog_to_dict(catalog: Catalog) -> dict[str, Any]:
    """The TOML-ready dict of a catalog; `catalog_from_dict` turns it back into an equal one."""
    return {
        "id": catalog.id,
        "name": catalog.name,
        "description": catalog.description,
        "version": catalog.version,
        "scale": {"min": catalog.scale.minimum, "max": catalog.scale.maximum},
        "criteria": [_node_to_dict(node) for node in catalog.criteria],
    }


def _node_to_dict(node: Criterion) -> dict[str, Any]:
    """The shared encoding of evaluator.codec, with whole numbers written as integers."""
    return _tidy(criterion_to_dict(node))


def _tidy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _tidy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if isinstance(value, float):
        return _number_out(value)
    return value


def _number_out(number: float) -> int | float:
    """Whole numbers are written as `3`, not `3.0`, to keep saved files easy to read."""
    return int(number) if float(number).is_integer() else number


class _Reader:
    """Turns parsed TOML into domain objects, noting each problem with where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def catalog(self, data: object) -> Catalog:
        if not isinstance(data, Mapping):
            self.problems.append("the catalog must be a table of fields")
            return Catalog(id="", name="")
        self._unknown_fields(data, CATALOG_FIELDS, "the catalog")
        return Catalog(
            id=self._text(data, "id", "the catalog", required=True),
            name=self._text(data, "name", "the catalog", required=True),
            description=self._text(data, "description", "the catalog"),
            version=self._version(data.get("version", "1")),
            scale=self._scale(data.get("scale", {})),
            criteria=self._nodes(data.get("criteria", []), "criteria"),
        )

    def _version(self, value: object) -> str:
        """Text like "1.2"; a bare whole number (`version = 2`) is accepted as "2"."""
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.problems.append(f"the catalog's version must be text, not {value!r}")
        return ""

    def _scale(self, data: object) -> Scale:
        if not isinstance(data, Mapping):
            self.problems.append("the scale must be a table with min and max")
            return Scale()
        self._unknown_fields(data, SCALE_FIELDS, "the scale")
        bounds = []
        for name, default in (("min", 0), ("max", 5)):
            value = data.get(name, default)
            if not isinstance(value, int) or isinstance(value, bool):
                self.problems.append(f"the scale's {name} must be a whole number, not {value!r}")
                value = default
            bounds.append(value)
        return Scale(minimum=bounds[0], maximum=bounds[1])

    def _nodes(self, data: object, path: str) -> list[Criterion]:
        if not isinstance(data, list):
            self.problems.append(f"{path} must be a list of criteria tables")
            return []
        nodes = []
        for index, item in enumerate(data):
            node = self._node(item, f"{path}[{index}]")
            if node is not None:
                nodes.append(node)
        return nodes

    def _node(self, data: object, path: str) -> Criterion | None:
        if not isinstance(data, Mapping):
            self.problems.append(f"{path} must be a table describing one criterion")
            return None
        key = data.get("key")
        where = f"criterion {key!r}" if isinstance(key, str) and key else path
        self._unknown_fields(data, NODE_FIELDS, where)
        children = self._nodes(data.get("children", []), f"{where} children")
        kind = self._kind(data, where, has_children=bool(children))
        default_weight = 1.0 if is_weighted(kind) else 0.0
        return Criterion(
            key=self._text(data, "key", path, required=True),
            name=self._text(data, "name", where, required=True),
            kind=kind,
            weight=self._number(data, "weight", where, default=default_weight),
            description=self._text(data, "description", where),
            rubric=self._rubric(data.get("rubric", {}), where),
            question=self._question(data["question"], where) if "question" in data else None,
            rule=self._rule(data["rule"], where) if "rule" in data else None,
            children=children,
        )

    def _kind(self, data: Mapping[str, Any], where: str, has_children: bool) -> CriterionKind:
        value = data.get("kind")
        if value is None:
            if not has_children:
                leaf_kinds = [row.kind.value for row in CRITERION_KINDS.values() if row.is_leaf]
                self.problems.append(
                    f"{where} has no kind: set kind to {or_list(leaf_kinds)} "
                    "(or give it children to make it a category)"
                )
            return CriterionKind.CATEGORY
        try:
            return CriterionKind(value)
        except ValueError:
            kinds = ", ".join(kind.value for kind in CriterionKind)
            self.problems.append(f"{where} has unknown kind {value!r} (expected one of {kinds})")
            return CriterionKind.CATEGORY

    def _rubric(self, data: object, where: str) -> dict[int, str]:
        if not isinstance(data, Mapping):
            self.problems.append(f"{where} rubric must be a table of point = text")
            return {}
        rubric: dict[int, str] = {}
        for raw_point, text in data.items():
            point = str(raw_point)
            if not point.lstrip("-").isdigit():
                self.problems.append(f"{where} rubric point {point!r} is not a whole number")
            elif not isinstance(text, str):
                self.problems.append(f"{where} rubric point {point} must be text")
            else:
                rubric[int(point)] = text
        return dict(sorted(rubric.items()))

    def _question(self, data: object, where: str) -> Question | None:
        if not isinstance(data, Mapping):
            self.problems.append(f"{where} question must be a table with text and answer_type")
            return None
        self._unknown_fields(data, QUESTION_FIELDS, f"{where} question")
        raw_type = data.get("answer_type", AnswerType.TEXT.value)
        try:
            answer_type = AnswerType(raw_type)
        except ValueError:
            types = ", ".join(answer.value for answer in AnswerType)
            self.problems.append(
                f"{where} question has unknown answer_type {raw_type!r} (expected one of {types})"
            )
            answer_type = AnswerType.TEXT
        choices = data.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            self.problems.append(f"{where} question choices must be a list of texts")
            choices = []
        key_flag = data.get("key", False)
        if not isinstance(key_flag, bool):
            self.problems.append(f"{where} question key must be true or false")
            key_flag = False
        return Question(
            text=self._text(data, "text", f"{where} question", required=True),
            answer_type=answer_type,
            choices=tuple(choices),
            unit=self._text(data, "unit", f"{where} question"),
            key=key_flag,
        )

    def _rule(self, data: object, where: str) -> AutoRule | None:
        if not isinstance(data, Mapping):
            self.problems.append(f"{where} rule must be a table (yes/no, choices or bands)")
            return None
        self._unknown_fields(data, RULE_FIELDS, f"{where} rule")
        choices = data.get("choices", {})
        if not isinstance(choices, Mapping):
            self.problems.append(f"{where} rule choices must be a table of choice = score")
            choices = {}
        bands = data.get("bands", [])
        if not isinstance(bands, list):
            self.problems.append(f"{where} rule bands must be a list of {{low, high, score}}")
            bands = []
        return AutoRule(
            yes=self._optional_number(data, "yes", f"{where} rule"),
            no=self._optional_number(data, "no", f"{where} rule"),
            choices={
                choice: self._number(choices, choice, f"{where} rule choice", default=0.0)
                for choice in choices
            },
            bands=tuple(
                self._band(band, f"{where} rule band {index}")
                for index, band in enumerate(bands, start=1)
            ),
        )

    def _band(self, data: object, where: str) -> Band:
        if not isinstance(data, Mapping):
            self.problems.append(f"{where} must be a table with low, high and score")
            return Band(score=0.0)
        self._unknown_fields(data, BAND_FIELDS, where)
        if "score" not in data:
            self.problems.append(f"{where} has no score")
        return Band(
            score=self._number(data, "score", where, default=0.0),
            low=self._optional_number(data, "low", where),
            high=self._optional_number(data, "high", where),
        )

    def _text(self, data: Mapping[str, Any], field: str, where: str, required: bool = False) -> str:
        value = data.get(field)
        if value is None:
            if required:
                self.problems.append(f"{where} has no {field}")
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{where} {field} must be text, not {value!r}")
            return ""
        return value

    def _number(self, data: Mapping[str, Any], field: str, where: str, default: float) -> float:
        value = self._optional_number(data, field, where)
        return default if value is None else value

    def _optional_number(self, data: Mapping[str, Any], field: str, where: str) -> float | None:
        value = data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.problems.append(f"{where} {field} must be a number, not {value!r}")
            return None
        return float(value)

    def _unknown_fields(self, data: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
        for name in data:
            if name not in known:
                self.problems.append(
                    f"{where} has unknown field {name!r} (expected {', '.join(known)})"
                )
