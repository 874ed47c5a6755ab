"""Plain domain objects shared by every layer.

Nothing here knows about databases, files or Qt: the scoring engine, the report builders and the
item models all work on these dataclasses, which keeps them fast to build in tests and easy to
reason about. The database layer converts its rows into these objects and back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    """Life cycle of an evaluation; only forward/backward one step, `final` is read-only."""

    DRAFT = "draft"
    SCORING = "scoring"
    CONSENSUS = "consensus"
    FINAL = "final"


STATUS_ORDER: tuple[Status, ...] = (Status.DRAFT, Status.SCORING, Status.CONSENSUS, Status.FINAL)


class CriterionKind(StrEnum):
    """A category holds children; the other kinds are leaves that get a value.

    What each kind is called and how it behaves is in the one table in `evaluator.kinds`.
    """

    CATEGORY = "category"
    RATED = "rated"
    AUTO = "auto"
    PRICE = "price"
    GATE = "gate"


class CandidateKind(StrEnum):
    """Labels and descriptions are in `evaluator.kinds`."""

    VENDOR = "vendor"  # the EHR vendor offering direct support
    OUTSOURCER = "outsourcer"  # a third-party support partner


class AnswerType(StrEnum):
    """How a questionnaire answer is typed; drives parsing, validation and auto-scoring."""

    YES_NO = "yes_no"
    NUMBER = "number"
    PERCENT = "percent"  # stored as a number 0..100 (35 means 35 %)
    CURRENCY = "currency"  # a plain number in the evaluation's currency
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"  # ISO date string


class Aggregation(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"


class ScoringError(ValueError):
    """A problem in the evaluation's set-up that the user must fix (message names the place)."""


@dataclass(frozen=True)
class Scale:
    """The scoring scale; integers `minimum..maximum` by default 0..5."""

    minimum: int = 0
    maximum: int = 5

    @property
    def span(self) -> int:
        return self.maximum - self.minimum

    def points(self) -> range:
        return range(self.minimum, self.maximum + 1)

    def contains(self, value: float) -> bool:
        return self.minimum <= value <= self.maximum


@dataclass(frozen=True)
class Band:
    """One band of a numeric auto-score rule: matches when `low <= value <= high`.

    A missing bound is open. Bands are tried in order and the first match wins, so
    `[Band(high=10, score=5), Band(high=25, score=4), Band(score=0)]` reads naturally.
    """

    score: float
    low: float | None = None
    high: float | None = None

    def matches(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class AutoRule:
    """Turns a questionnaire answer into a score (for `auto` leaves) or pass/fail (gates).

    For gates a result greater than zero means *passed*.
    """

    yes: float | None = None  # yes/no answers
    no: float | None = None
    choices: dict[str, float] = field(default_factory=dict)  # choice answers, keyed by choice
    bands: tuple[Band, ...] = ()  # number / percent / currency answers

    def apply(self, answer: object) -> float | None:
        """The rule's result for a parsed answer, or None when the rule has nothing to say."""
        if answer is None:
            return None
        if isinstance(answer, bool):
            return self.yes if answer else self.no
        if isinstance(answer, (int, float)):
            for band in self.bands:
                if band.matches(float(answer)):
                    return band.score
            return None
        if isinstance(answer, str):
            wanted = answer.strip().casefold()
            for choice, score in self.choices.items():
                if choice.casefold() == wanted:
                    return score
        return None


@dataclass(frozen=True)
class Question:
    """The questionnaire question that goes with a leaf criterion (same id as the leaf)."""

    text: str
    answer_type: AnswerType = AnswerType.TEXT
    choices: tuple[str, ...] = ()
    unit: str = ""  # e.g. "hours", "%", "USD per year"
    key: bool = False  # a key answer, quoted in each candidate's report section


@dataclass
class Criterion:
    """A node of the criteria tree. `key` is the stable id, e.g. ``tiers.l4-engineering``."""

    key: str
    name: str
    kind: CriterionKind = CriterionKind.CATEGORY
    weight: float = 1.0
    description: str = ""
    rubric: dict[int, str] = field(default_factory=dict)  # scale point -> what it means
    question: Question | None = None
    rule: AutoRule | None = None
    children: list[Criterion] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.kind is not CriterionKind.CATEGORY

    def walk(self) -> Iterator[Criterion]:
        """This node and every descendant, depth first, in order."""
        yield self
        for child in self.children:
            yield from child.walk()


def walk_tree(roots: list[Criterion]) -> Iterator[Criterion]:
    for root in roots:
        yield from root.walk()


def leaves(roots: list[Criterion]) -> list[Criterion]:
    return [node for node in walk_tree(roots) if node.is_leaf]


def find_criterion(roots: list[Criterion], key: str) -> Criterion | None:
    return next((node for node in walk_tree(roots) if node.key == key), None)


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    kind: CandidateKind = CandidateKind.VENDOR
    notes: str = ""


@dataclass(frozen=True)
class Declaration:
    """A member's conflict-of-interest declaration: the candidates they have a conflict with
    (none: no conflict), the candidates it was made about, a note, and when (UTC)."""

    conflicted: tuple[int, ...] = ()  # candidate ids
    covers: tuple[int, ...] = ()  # the candidate ids known when it was made
    note: str = ""
    at: datetime | None = None

    def covers_all(self, candidate_ids: Iterable[int]) -> bool:
        """False when a candidate was added after the declaration: a new one is due."""
        return set(candidate_ids) <= set(self.covers)

    def describe(self, names: dict[int, str]) -> str:
        """As people read it: "No conflict" or "Conflict with A, B: note"."""
        if not self.conflicted:
            return f"No conflict. {self.note}".strip() if self.note else "No conflict"
        who = ", ".join(names.get(c, "?") for c in self.conflicted)
        return f"Conflict with {who}" + (f": {self.note}" if self.note else "")


@dataclass(frozen=True)
class Evaluator:
    id: int
    name: str
    role: str = ""
    conflict_of_interest: str = ""  # the latest declaration's note, as people read it
    declaration: Declaration | None = None  # the latest; None: not declared yet
    submitted: bool = False  # submitted their scores (read-only to them until reopened)
    excused: str = ""  # the chair's reason for not waiting for this member's scores
    protected: bool = False  # has a passphrase (the hash never leaves the database)

    def conflicted_with(self, candidate_id: int) -> bool:
        return self.declaration is not None and candidate_id in self.declaration.conflicted


class Score(NamedTuple):
    """A member's score for a cell; an abstention keeps its reason as the justification and
    counts in no aggregate (its value is meaningless).

    A named tuple rather than a frozen dataclass: as immutable, and made three to four times
    faster, which is a tenth of opening a committee-scale evaluation (100,000 scores).
    `score._replace(value=...)` makes a changed copy."""

    evaluator_id: int
    candidate_id: int
    criterion_key: str
    value: float
    justification: str
    abstained: bool = False


@dataclass(frozen=True)
class ConsensusScore:
    """The committee's agreed value; for a gate, value > 0 means passed."""

    candidate_id: int
    criterion_key: str
    value: float
    note: str


@dataclass(frozen=True)
class Response:
    """A candidate's questionnaire answer. `value` is parsed (bool, float, str) or None."""

    candidate_id: int
    criterion_key: str
    value: bool | float | str | None
    raw: str = ""
    comment: str = ""


@dataclass(frozen=True)
class WeightSet:
    """A stakeholder group's own raw weights (clinical, IT, finance, ...), kept beside the
    evaluation's to see whether the winner holds under each: (criterion key, raw weight) for
    every weighted criterion and category, in tree order. A criterion added after the set was
    made is not in it and takes its current weight."""

    id: int
    name: str
    weights: tuple[tuple[str, float], ...] = ()
    note: str = ""

    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)


@dataclass(frozen=True)
class Judgment:
    """A committee member's pairwise comparison of two sibling criteria (AHP weighting):
    `first` is `value` times as important as `second`, on Saaty's scale (1/9..9). Kept with
    `first` < `second` (see `ordered`), so each pair has one judgment per member."""

    evaluator_id: int
    parent: str | None  # the category whose children are compared; None: the top level
    first: str
    second: str
    value: float

    @classmethod
    def ordered(
        cls, evaluator_id: int, parent: str | None, first: str, second: str, value: float
    ) -> Judgment:
        """The same judgment with its two keys in order (the value inverted if they swap)."""
        if first <= second:
            return cls(evaluator_id, parent, first, second, value)
        return cls(evaluator_id, parent, second, first, 1 / value)


@dataclass
class EvaluationData:
    """Everything about one evaluation, as plain data: the input of scoring and reports."""

    id: int
    name: str
    client: str = ""
    status: Status = Status.DRAFT
    scale: Scale = field(default_factory=Scale)
    aggregation: Aggregation = Aggregation.MEAN
    criteria: list[Criterion] = field(default_factory=list)  # the top-level nodes
    candidates: list[Candidate] = field(default_factory=list)
    evaluators: list[Evaluator] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    consensus: list[ConsensusScore] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    revision: int = 0  # the database's change counter when this snapshot was read or updated
    chair: str = ""  # the chair named for this evaluation ("" : none yet)
    chair_protected: bool = False  # the chair's identity has a passphrase
    weight_sets: list[WeightSet] = field(default_factory=list)  # stakeholder groups' weights
    judgments: list[Judgment] = field(default_factory=list)  # members' AHP comparisons


# ---- results of scoring (produced by evaluator.scoring) -------------------------------------


class GateState(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"


class ValueSource(StrEnum):
    """Where a leaf value came from, so that views and reports can say so."""

    CONSENSUS = "consensus"
    EVALUATORS = "evaluators"
    RULE = "rule"
    PRICE = "price"
    MISSING = "missing"


@dataclass(frozen=True)
class LeafValue:
    value: float | None  # on the evaluation's scale; None when missing
    normalised: float | None  # in [0, 1]
    source: ValueSource


@dataclass(frozen=True)
class CandidateResult:
    candidate_id: int
    total: float  # 0..100
    completeness: float  # 0..1, share of effective weight that has a value
    rank: int | None  # None when disqualified
    disqualified: bool
    failed_gates: tuple[str, ...]  # criterion keys
    pending_gates: tuple[str, ...]
    category_totals: dict[str, float]  # top-level category key -> points contributed (0..100)
    leaf_values: dict[str, LeafValue]  # leaf key -> value

    @property
    def provisional(self) -> bool:
        return bool(self.pending_gates) and not self.disqualified


@dataclass(frozen=True)
class Disagreement:
    candidate_id: int
    criterion_key: str
    spread: float
    flagged: bool
    values: tuple[float, ...]


@dataclass(frozen=True)
class Results:
    effective_weights: dict[str, float]  # leaf key -> effective weight (gates excluded)
    candidates: list[CandidateResult]  # ranked first (by rank), then disqualified, in list order
    disagreements: list[Disagreement]  # every (candidate, leaf) with two or more scores

    def for_candidate(self, candidate_id: int) -> CandidateResult:
        return next(r for r in self.candidates if r.candidate_id == candidate_id)
