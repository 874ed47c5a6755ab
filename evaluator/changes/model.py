"""The change objects: one small, plain, typed value per user action.

Every change names what it touches by stable identifiers (candidate and committee-member ids,
criterion keys) and carries what the user saw before (`before`/`expected`) as well as what they
want (`after`). The core (`evaluator.changes.write`) validates a change once, writes it with its
audit entry in one transaction, refuses it when the stored value is no longer what the user saw,
and returns it *as applied* (normalised values, assigned ids, the rows a removal took) together
with its inverse. `evaluator.changes.snapshot.apply_change` applies an applied change to an
in-memory `EvaluationData`; undo is "apply the inverse" through the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from evaluator.changes.model_sets import AddWeightSet, EditWeightSet, RemoveWeightSet
from evaluator.domain import (
    Aggregation,
    Candidate,
    ConsensusScore,
    Criterion,
    Declaration,
    Evaluator,
    Response,
    Score,
    Status,
    walk_tree,
)

# ---- cells ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreCell:
    """A committee member's score for one cell, with the justification; or an abstention, whose
    justification is the reason (its value is the scale's minimum and counts nowhere)."""

    value: float
    justification: str
    abstained: bool = False


@dataclass(frozen=True)
class ConsensusCell:
    """The committee's agreed value for one cell (a gate: 1 passed, 0 failed), with a note."""

    value: float
    note: str


@dataclass(frozen=True)
class Answer:
    """A candidate's parsed questionnaire answer, its text as given, and a comment."""

    value: bool | float | str | None
    raw: str = ""
    comment: str = ""


@dataclass(frozen=True)
class SetScore:
    """Set (`after`), change or clear (`after` None) one member's score."""

    evaluator_id: int
    candidate_id: int
    key: str
    before: ScoreCell | None
    after: ScoreCell | None
    why: str = ""  # for a cleared score; a set score's reason is its justification

    def inverse(self) -> SetScore:
        return replace(self, before=self.after, after=self.before)


@dataclass(frozen=True)
class SetConsensus:
    """Set, change or clear (`after` None) the committee's agreed value for a cell."""

    candidate_id: int
    key: str
    before: ConsensusCell | None
    after: ConsensusCell | None
    why: str = ""

    def inverse(self) -> SetConsensus:
        return replace(self, before=self.after, after=self.before)


@dataclass(frozen=True)
class SetAnswer:
    """Set, change or clear (`after` None) a candidate's questionnaire answer."""

    candidate_id: int
    key: str
    before: Answer | None
    after: Answer | None
    source: str = ""  # the file an imported answer came from

    def inverse(self) -> SetAnswer:  # made directly: an import inverts hundreds
        return SetAnswer(self.candidate_id, self.key, self.after, self.before, self.source)


# ---- candidates and committee members ---------------------------------------------------------


@dataclass(frozen=True)
class Dependents:
    """The rows that hang off a candidate, member or criterion and go with its removal."""

    scores: tuple[Score, ...] = ()
    consensus: tuple[ConsensusScore, ...] = ()
    responses: tuple[Response, ...] = ()
    records: tuple[tuple[str, dict[str, Any]], ...] = ()  # other rows (table, row), as stored

    def __bool__(self) -> bool:
        return bool(self.scores or self.consensus or self.responses or self.records)

    @property
    def summary(self) -> str:
        return (
            f"{len(self.scores)} scores, {len(self.consensus)} consensus scores, "
            f"{len(self.responses)} answers"
        )


NO_DEPENDENTS = Dependents()


@dataclass(frozen=True)
class AddCandidate:
    """A new candidate (id 0: the database assigns one), or one put back by an undo (its id,
    its place and the rows its removal took)."""

    candidate: Candidate
    index: int | None = None  # place in the list; None: last
    dependents: Dependents = NO_DEPENDENTS
    row: dict[str, Any] | None = None  # a put-back candidate's row as it was stored
    declared: tuple[tuple[int, bool], ...] = ()  # (member id, conflicted) whose declaration
    # covered it: it comes back covered, as its stable uid is in their declarations

    def inverse(self) -> RemoveCandidate:
        return RemoveCandidate(
            self.candidate, self.index, self.dependents, row=self.row, declared=self.declared
        )


@dataclass(frozen=True)
class EditCandidate:
    """Rename a candidate, change its kind or notes: `before` as seen, `after` wanted."""

    before: Candidate
    after: Candidate

    def inverse(self) -> EditCandidate:
        return EditCandidate(self.after, self.before)


@dataclass(frozen=True)
class RemoveCandidate:
    """Remove a candidate (as seen) with its scores, consensus and answers."""

    candidate: Candidate
    index: int | None = None  # filled in when applied
    dependents: Dependents = NO_DEPENDENTS  # filled in when applied
    why: str = ""
    row: dict[str, Any] | None = None  # filled in when applied
    declared: tuple[tuple[int, bool], ...] = ()  # filled in: declarations that covered it

    def inverse(self) -> AddCandidate:
        return AddCandidate(self.candidate, self.index, self.dependents, self.row, self.declared)


@dataclass(frozen=True)
class AddEvaluator:
    """A new committee member (id 0), or one put back by an undo."""

    evaluator: Evaluator
    index: int | None = None
    dependents: Dependents = NO_DEPENDENTS  # with their declarations, for a put-back member
    row: dict[str, Any] | None = None

    def inverse(self) -> RemoveEvaluator:
        return RemoveEvaluator(self.evaluator, self.index, self.dependents, row=self.row)


@dataclass(frozen=True)
class EditEvaluator:
    """Rename a member, change the role or the conflict-of-interest declaration."""

    before: Evaluator
    after: Evaluator

    def inverse(self) -> EditEvaluator:
        return EditEvaluator(self.after, self.before)


@dataclass(frozen=True)
class RemoveEvaluator:
    """Remove a committee member (as seen) with their scores."""

    evaluator: Evaluator
    index: int | None = None
    dependents: Dependents = NO_DEPENDENTS
    why: str = ""
    row: dict[str, Any] | None = None

    def inverse(self) -> AddEvaluator:
        return AddEvaluator(self.evaluator, self.index, self.dependents, self.row)


# ---- criteria ---------------------------------------------------------------------------------

CRITERION_FIELDS = ("name", "weight", "kind", "description", "rubric", "rule", "question")


@dataclass(frozen=True)
class EditCriterion:
    """Change some of a criterion's own fields (see CRITERION_FIELDS): the values seen in
    `before` and the values wanted in `after`, for the same field names."""

    key: str
    before: dict[str, Any]
    after: dict[str, Any]
    why: str = ""

    def __post_init__(self) -> None:
        if set(self.before) != set(self.after) or not self.after:
            raise ValueError("EditCriterion needs the same fields before and after")
        unknown = set(self.after) - set(CRITERION_FIELDS)
        if unknown:
            raise ValueError(f"unknown criterion fields {sorted(unknown)}")

    def inverse(self) -> EditCriterion:
        return EditCriterion(self.key, self.after, self.before, self.why)


@dataclass(frozen=True)
class Place:
    """Where a criterion stands: under `parent` (None: the top level), at `index`."""

    parent: str | None
    index: int


def place_of(roots: list[Criterion], key: str) -> Place:
    """Where `key` stands in a tree: its parent's key (None: top level) and its index there."""
    for index, node in enumerate(roots):
        if node.key == key:
            return Place(None, index)
    for node in walk_tree(roots):
        for index, child in enumerate(node.children):
            if child.key == key:
                return Place(node.key, index)
    raise KeyError(key)


@dataclass(frozen=True)
class AddCriterion:
    """A new criterion subtree at `place` (index None: last), or one put back by an undo with
    the rows its removal took."""

    criterion: Criterion
    parent: str | None = None
    index: int | None = None
    dependents: Dependents = NO_DEPENDENTS

    def inverse(self) -> RemoveCriterion:
        return RemoveCriterion(self.criterion, self.parent, self.index, self.dependents)


@dataclass(frozen=True)
class RemoveCriterion:
    """Remove a criterion subtree (as seen) with its scores, consensus and answers."""

    criterion: Criterion
    parent: str | None = None  # filled in when applied
    index: int | None = None
    dependents: Dependents = NO_DEPENDENTS
    why: str = ""

    @property
    def key(self) -> str:
        return self.criterion.key

    def inverse(self) -> AddCriterion:
        return AddCriterion(self.criterion, self.parent, self.index, self.dependents)


@dataclass(frozen=True)
class MoveCriterion:
    """Move a criterion from where the user saw it to another place (index clamped)."""

    key: str
    before: Place
    after: Place

    def inverse(self) -> MoveCriterion:
        return MoveCriterion(self.key, self.after, self.before)


# ---- the evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationFields:
    name: str
    client: str
    aggregation: Aggregation


@dataclass(frozen=True)
class EditEvaluation:
    """Rename the evaluation, change its client or its aggregation method."""

    before: EvaluationFields
    after: EvaluationFields

    def inverse(self) -> EditEvaluation:
        return EditEvaluation(self.after, self.before)


@dataclass(frozen=True)
class SetStatus:
    """Move one step along draft → scoring → consensus → final (or one step back before final)."""

    before: Status
    after: Status
    why: str = ""

    def inverse(self) -> SetStatus:
        return SetStatus(self.after, self.before, self.why)


# ---- the committee process -------------------------------------------------------------------


@dataclass(frozen=True)
class Declare:
    """A member's conflict-of-interest declaration. Declarations are never deleted: a new one
    is added (the newest counts), so the inverse re-states the previous one."""

    evaluator_id: int
    before: Declaration | None
    after: Declaration

    def inverse(self) -> Declare:
        return Declare(self.evaluator_id, self.after, self.before or self.after)


@dataclass(frozen=True)
class SetSubmitted:
    """A member submits their scores (after True), or the chair reopens their sheet (False,
    with a reason)."""

    evaluator_id: int
    before: bool
    after: bool
    why: str = ""

    def inverse(self) -> SetSubmitted:
        return SetSubmitted(self.evaluator_id, self.after, self.before, self.why)


@dataclass(frozen=True)
class Excuse:
    """The chair records why the committee does not wait for a member ("" withdraws it)."""

    evaluator_id: int
    before: str
    after: str

    def inverse(self) -> Excuse:
        return Excuse(self.evaluator_id, self.after, self.before)


@dataclass(frozen=True)
class SetChair:
    """Name (or hand over) the evaluation's chair."""

    before: str
    after: str

    def inverse(self) -> SetChair:
        return SetChair(self.after, self.before)


@dataclass(frozen=True)
class SetPassphrase:
    """Protect an identity (a member's, or the chair's when `evaluator_id` is None) with a
    passphrase: the change carries only its salted hash (None removes the protection). Not
    undoable: the old hash is never read back."""

    evaluator_id: int | None
    secret: str | None

    def inverse(self) -> SetPassphrase:
        return self


@dataclass(frozen=True)
class ViewLiveResults:
    """The chair looks at the committee's live results during blind scoring: recorded in the
    audit and shown in the report; changes no data."""

    why: str = ""

    def inverse(self) -> ViewLiveResults:
        return self


# ---- AHP weighting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetJudgment:
    """Set, change or clear (`after` None) a member's pairwise comparison of two sibling
    criteria: `first` is `after` times as important as `second` (1/9..9). The core keeps it
    with the keys in order (see domain.Judgment.ordered); `before` is what the user saw."""

    evaluator_id: int
    parent: str | None  # the category whose children are compared; None: the top level
    first: str
    second: str
    before: float | None
    after: float | None

    def inverse(self) -> SetJudgment:
        return replace(self, before=self.after, after=self.before)


@dataclass(frozen=True)
class SetWeights:
    """Several weight edits of one set of siblings as one change (the chair applying the AHP
    result): one transaction, one audit entry per criterion with `why`, one undo step."""

    parent: str | None
    edits: tuple[EditCriterion, ...]  # each changes "weight" alone
    why: str = ""

    def __post_init__(self) -> None:
        if not self.edits or any(set(e.after) != {"weight"} for e in self.edits):
            raise ValueError("SetWeights takes weight edits only, at least one")

    def inverse(self) -> SetWeights:
        return SetWeights(self.parent, tuple(e.inverse() for e in reversed(self.edits)), self.why)


Change = (
    SetScore
    | SetConsensus
    | SetAnswer
    | AddCandidate
    | EditCandidate
    | RemoveCandidate
    | AddEvaluator
    | EditEvaluator
    | RemoveEvaluator
    | EditCriterion
    | AddCriterion
    | RemoveCriterion
    | MoveCriterion
    | EditEvaluation
    | SetStatus
    | Declare
    | SetSubmitted
    | Excuse
    | SetChair
    | SetPassphrase
    | ViewLiveResults
    | AddWeightSet
    | EditWeightSet
    | RemoveWeightSet
    | SetJudgment
    | SetWeights
)


@dataclass(frozen=True)
class Applied:
    """A change as the core applied it, its inverse, and the evaluation's revision after it.

    `changed` is False when the change turned out to change nothing (no write, no audit entry,
    no revision): the window then does not put it on the undo stack.
    """

    change: Change
    inverse: Change
    revision: int
    changed: bool = True
    notes: tuple[str, ...] = field(default=())
