"""The one table of criterion kinds and candidate kinds: what each is called and how it behaves.

Every layer asks this table instead of comparing kinds itself, so adding a kind means adding a
row here (and, for a genuinely new way of scoring, a branch where `evaluator.scoring` turns
answers and scores into values). The labels are the one wording people see, in the window, the
CLI, the catalogs' documentation, the PDF and the workbook; the ids (`CriterionKind.value`) stay
what files, the database and the command line use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from evaluator.domain import CandidateKind, CriterionKind


class Scoring(StrEnum):
    """How a node of a kind gets its value: the part a genuinely new kind may need code for."""

    CHILDREN = "children"  # a category: the weighted sum of the criteria inside it
    MEMBERS = "members"  # committee members score it; their scores are aggregated
    RULE = "rule"  # a rule turns the candidate's questionnaire answer into a score
    PRICE = "price"  # from the candidate's price: the lowest gets the top of the scale
    PASS_FAIL = "pass_fail"  # passed or failed, by the answer's rule or the chair's decision


class Need(StrEnum):
    """Whether a node of a kind must, may or must not have a question, a rule or a rubric."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


@dataclass(frozen=True)
class CriterionKindInfo:
    """Everything the code and the people need to know about one criterion kind."""

    kind: CriterionKind
    label: str  # the one wording people see; starts with the id's word so it can be typed
    description: str  # one or two sentences: what it is and how it counts
    how_scored: str  # a short phrase that reads after the criterion's name
    noun: str  # how messages name one such node: "gate 'gates.baa' ..."
    nouns: str  # ... and several: "gates carry no weight"
    scoring: Scoring
    weighted: bool  # has a raw weight that counts in the total
    question: Need
    rule: Need
    rubric: Need

    @property
    def is_leaf(self) -> bool:
        return self.scoring is not Scoring.CHILDREN

    @property
    def members_score(self) -> bool:
        """Committee members score it (and only these cells are theirs to score)."""
        return self.scoring is Scoring.MEMBERS

    @property
    def is_pass_fail(self) -> bool:
        """Its outcome, and a consensus on it, is a pass/fail decision rather than a value."""
        return self.scoring is Scoring.PASS_FAIL

    @property
    def is_computed(self) -> bool:
        """A leaf SupportScope works out itself (rule, price, gate), not one members score."""
        return self.is_leaf and not self.members_score

    @property
    def in_sentence(self) -> str:
        return in_sentence(self.label)


@dataclass(frozen=True)
class CandidateKindInfo:
    kind: CandidateKind
    label: str
    description: str

    @property
    def in_sentence(self) -> str:
        return in_sentence(self.label)


def in_sentence(label: str) -> str:
    """A label inside a sentence: the first letter lowered unless the first word is an acronym
    ("Rated by committee" -> "rated by committee", "EHR vendor" stays)."""
    first = label.split(" ", 1)[0]
    if sum(ch.isupper() for ch in first) > 1:
        return label
    return label[:1].lower() + label[1:]


def _table(*rows: CriterionKindInfo) -> MappingProxyType[CriterionKind, CriterionKindInfo]:
    return MappingProxyType({row.kind: row for row in rows})


CRITERION_KINDS = _table(
    CriterionKindInfo(
        kind=CriterionKind.CATEGORY,
        label="Category",
        description="Groups criteria; its weight is shared among the criteria inside it.",
        how_scored="the weighted sum of the criteria inside it",
        noun="category",
        nouns="categories",
        scoring=Scoring.CHILDREN,
        weighted=True,
        question=Need.NONE,
        rule=Need.NONE,
        rubric=Need.NONE,
    ),
    CriterionKindInfo(
        kind=CriterionKind.RATED,
        label="Rated by committee",
        description=(
            "Each committee member scores it on the scale against its rubric; the committee's "
            "mean (or median) counts."
        ),
        how_scored="scored by the committee members",
        noun="criterion",
        nouns="rated criteria",
        scoring=Scoring.MEMBERS,
        weighted=True,
        question=Need.REQUIRED,
        rule=Need.NONE,
        rubric=Need.REQUIRED,
    ),
    CriterionKindInfo(
        kind=CriterionKind.AUTO,
        label="Auto-scored",
        description=(
            "Scored from the candidate's questionnaire answer by its rule (for numbers, the "
            "first matching band wins)."
        ),
        how_scored="scored by rule from the questionnaire answer",
        noun="criterion",
        nouns="auto-scored criteria",
        scoring=Scoring.RULE,
        weighted=True,
        question=Need.REQUIRED,
        rule=Need.REQUIRED,
        rubric=Need.OPTIONAL,
    ),
    CriterionKindInfo(
        kind=CriterionKind.PRICE,
        label="Price (lower is better)",
        description=(
            "The price the candidate quotes: the lowest price gets the top of the scale, the "
            "others in proportion."
        ),
        how_scored="scored from the price, lower is better",
        noun="criterion",
        nouns="price criteria",
        scoring=Scoring.PRICE,
        weighted=True,
        question=Need.REQUIRED,
        rule=Need.NONE,
        rubric=Need.OPTIONAL,
    ),
    CriterionKindInfo(
        kind=CriterionKind.GATE,
        label="Gate (pass/fail)",
        description=(
            "Passed or failed by its rule on the questionnaire answer (a result above 0 passes) "
            "or by the chair's decision; it carries no weight, and failing it disqualifies the "
            "candidate."
        ),
        how_scored="a pass/fail decision",
        noun="gate",
        nouns="gates",
        scoring=Scoring.PASS_FAIL,
        weighted=False,
        question=Need.REQUIRED,
        rule=Need.REQUIRED,
        rubric=Need.NONE,
    ),
)

CANDIDATE_KINDS = MappingProxyType(
    {
        row.kind: row
        for row in (
            CandidateKindInfo(
                CandidateKind.VENDOR,
                "Vendor (direct support)",
                "The EHR vendor itself, supporting its own system directly.",
            ),
            CandidateKindInfo(
                CandidateKind.OUTSOURCER,
                "Third-party outsourcer",
                "A third-party partner the hospital would outsource support to.",
            ),
        )
    }
)


# ---- what the code asks ----------------------------------------------------------------------


def kind_info(kind: CriterionKind) -> CriterionKindInfo:
    return CRITERION_KINDS[kind]


def kind_label(kind: CriterionKind) -> str:
    """The label people see for a criterion kind, wherever it is shown."""
    return CRITERION_KINDS[kind].label


def candidate_kind_label(kind: CandidateKind) -> str:
    """The label people see for a candidate kind, wherever it is shown."""
    return CANDIDATE_KINDS[kind].label


def is_category(kind: CriterionKind) -> bool:
    """The node groups criteria (and shares its weight among them) rather than getting a value."""
    return not CRITERION_KINDS[kind].is_leaf


def is_weighted(kind: CriterionKind) -> bool:
    """The node has a raw weight that counts in the total (false for gates)."""
    return CRITERION_KINDS[kind].weighted


def members_score(kind: CriterionKind) -> bool:
    """Committee members score leaves of this kind."""
    return CRITERION_KINDS[kind].members_score


def is_pass_fail(kind: CriterionKind) -> bool:
    """Leaves of this kind are passed or failed; a consensus on one is a decision, not a value."""
    return CRITERION_KINDS[kind].is_pass_fail


def uses_rule(kind: CriterionKind) -> bool:
    """Leaves of this kind take an auto-score rule."""
    return CRITERION_KINDS[kind].rule is not Need.NONE


def uses_rubric(kind: CriterionKind) -> bool:
    """Leaves of this kind may carry a rubric (what each point of the scale means)."""
    return CRITERION_KINDS[kind].rubric is not Need.NONE


def passes(outcome: float) -> bool:
    """A pass/fail outcome (a rule's result or a consensus decision) passes above zero."""
    return outcome > 0
