"""The report data object's parts: plain frozen dataclasses, built by `reports.data`.

Everything either report shows is here, already decided and worded, so the renderers only lay
it out. Text is plain (never markup): each renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from evaluator.domain import (
    CandidateKind,
    CriterionKind,
    GateState,
    Scale,
    Status,
    ValueSource,
)
from evaluator.gates import candidate_status
from reports.branding import Branding

if TYPE_CHECKING:
    from evaluator.services import AuditEntry
    from reports.agreement_data import AgreementSection
    from reports.sensitivity_model import SensitivitySection


# ---- narrative text --------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of generated text; `strong` runs (names, figures) are set in bold in the PDF."""

    text: str
    strong: bool = False


Narrative = tuple[Span, ...]


def plain(narrative: Narrative) -> str:
    return "".join(span.text for span in narrative)


# ---- the parts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportMeta:
    evaluation_name: str
    client: str
    status: Status
    status_label: str
    scale: Scale
    aggregation_label: str  # "mean" or "median"
    app_version: str
    generated_at: datetime
    branding: Branding

    @property
    def is_final(self) -> bool:
        return self.status is Status.FINAL

    @property
    def title(self) -> str:
        return f"{self.evaluation_name} — evaluation report"

    @property
    def subject(self) -> str:
        client = f" for {self.client}" if self.client else ""
        return f"Support evaluation{client}: ranking, category comparison, methodology"

    @property
    def author(self) -> str:
        parts = [self.branding.prepared_by.strip(), self.branding.firm_name.strip()]
        return ", ".join(part for part in parts if part) or "SupportScope"


@dataclass(frozen=True)
class CategoryColumn:
    """A top-level scored category (or a top-level leaf): a column of the comparison."""

    key: str
    name: str
    effective_weight: float  # 0..1

    @property
    def max_points(self) -> float:
        return 100.0 * self.effective_weight


@dataclass(frozen=True)
class RankingRow:
    candidate_id: int
    name: str
    kind: CandidateKind
    kind_label: str
    rank: int | None  # None when disqualified
    total: float  # 0..100
    completeness: float  # 0..1
    disqualified: bool
    failed_gates: tuple[str, ...]  # gate names
    pending_gates: tuple[str, ...]  # gate names
    category_points: tuple[float, ...]  # one per ReportData.categories
    category_scores: tuple[float | None, ...]  # points / max points, None when max is 0
    # per category, the share of its weight still without a value (not answered or not
    # scored yet): 0 when complete; empty when unknown
    category_missing: tuple[float, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.pending_gates) and not self.disqualified

    @property
    def status_label(self) -> str:
        """One word ("Disqualified", "Provisional", "Ranked"): the workbook's formulas test it."""
        if self.disqualified:
            return "Disqualified"
        return "Provisional" if self.provisional else "Ranked"

    @property
    def gate_state(self) -> GateState | None:
        """The gate state that marks the status: failed (disqualified), pending (provisional)."""
        return candidate_status(self.failed_gates, self.pending_gates)[0]

    @property
    def status_sentence(self) -> str:
        """'Disqualified: failed the gate “Signs a HIPAA BAA”', 'Provisional: ...', 'Ranked'."""
        return candidate_status(self.failed_gates, self.pending_gates)[1]

    def complete_in(self, index: int) -> bool:
        """Every criterion of category `index` has a value (so its score can be judged)."""
        return not self.category_missing or self.category_missing[index] <= 1e-9

    @property
    def rank_label(self) -> str:
        return "—" if self.rank is None else str(self.rank)


@dataclass(frozen=True)
class Contribution:
    """What one leaf criterion gives a candidate: a strength or a weakness."""

    key: str
    name: str
    category_name: str
    effective_weight: float
    value: float | None
    normalised: float | None
    source: ValueSource

    @property
    def points(self) -> float:
        return 100.0 * self.effective_weight * (self.normalised or 0.0)

    @property
    def forgone(self) -> float:
        """Points the candidate did not get on this criterion."""
        return 100.0 * self.effective_weight - self.points


@dataclass(frozen=True)
class MissingValue:
    """A weighted criterion with no value yet: reported apart, never as a weakness."""

    key: str
    name: str
    category_name: str
    effective_weight: float
    reason: str  # "not answered", "not scored yet" or "every member abstained"

    @property
    def max_points(self) -> float:
        return 100.0 * self.effective_weight


@dataclass(frozen=True)
class GateResult:
    key: str
    name: str
    state: GateState
    basis: str  # why: the consensus decision, the questionnaire answer, or "no answer yet"


@dataclass(frozen=True)
class KeyAnswer:
    key: str
    criterion_name: str
    question: str
    answer: str
    comment: str


ABSTAIN = "abstain"  # how a member's abstention reads wherever a score would stand


@dataclass(frozen=True)
class Justification:
    criterion_key: str
    criterion_name: str
    evaluator_name: str
    evaluator_role: str
    value: float
    text: str  # the justification, or for an abstention its reason
    abstained: bool = False


@dataclass(frozen=True)
class ConsensusDecision:
    candidate_id: int
    candidate_name: str
    criterion_key: str
    criterion_name: str
    is_gate: bool
    value: float
    value_label: str  # "Passed", "Failed" or "4 / 5"
    note: str
    gate_state: GateState | None = None  # a gate's decision as a state (None for values)


@dataclass(frozen=True)
class CategoryComparison:
    name: str
    points: float
    max_points: float
    score: float | None  # this candidate's share of the category's points
    best_score: float | None  # the best share among qualified candidates
    best_names: tuple[str, ...]


@dataclass(frozen=True)
class CandidateSection:
    row: RankingRow
    notes: str
    overview: Narrative
    categories: tuple[CategoryComparison, ...]
    strengths: tuple[Contribution, ...]
    weaknesses: tuple[Contribution, ...]
    gates: tuple[GateResult, ...]
    key_answers: tuple[KeyAnswer, ...]
    justifications: tuple[Justification, ...]
    decisions: tuple[ConsensusDecision, ...]
    justifications_omitted: int = 0  # criteria whose justifications only the workbook lists
    missing: tuple[MissingValue, ...] = ()  # no value yet: neither strength nor weakness


@dataclass(frozen=True)
class DeclarationLine:
    """One conflict-of-interest declaration a member made; the last one is current."""

    at: datetime | None  # UTC
    text: str  # "No conflict" or "Conflict with A, B: note"
    current: bool


@dataclass(frozen=True)
class CommitteeMember:
    name: str
    role: str
    conflict_of_interest: str  # "" means none declared
    scores_given: int  # scores that count (abstentions apart)
    declarations: tuple[DeclarationLine, ...] = ()  # oldest first; empty: not declared
    abstentions: int = 0
    submitted: bool = False
    submitted_at: datetime | None = None  # UTC; None when not submitted or not known
    excused: str = ""  # the chair's reason for not waiting for this member's scores


@dataclass(frozen=True)
class ProcessEvent:
    """A step of the committee process from the audit: a phase change, the chair's look at
    live results, a finalisation or reopening, an excuse, a reopened scoresheet."""

    at: datetime  # UTC
    actor: str
    context: str  # OS user@machine
    kind: str  # "live view", "finalise", "reopen", "phase", "chair", "excuse", "sheet"
    what: str  # worded: "Looked at live results during blind scoring"
    why: str


@dataclass(frozen=True)
class DisagreementItem:
    candidate_name: str
    criterion_key: str
    criterion_name: str
    spread: float
    scores: tuple[tuple[str, float | None], ...]  # (committee member, value; None: abstained)
    decision: ConsensusDecision | None


@dataclass(frozen=True)
class MethodNode:
    """A node of the criteria tree as the methodology appendix lists it."""

    key: str
    name: str
    kind: CriterionKind
    kind_label: str
    depth: int
    raw_weight: float | None  # None for gates
    sibling_share: float | None  # None when the node takes no share (gates, empty categories)
    effective_weight: float | None
    description: str
    rubric: tuple[tuple[int, str], ...]
    question: str
    rule: str


@dataclass(frozen=True)
class Formula:
    title: str
    text: str


@dataclass(frozen=True)
class WeightRow:
    """A scored node for the workbook's live weight formulas (gates and empty categories out)."""

    key: str
    name: str
    kind_label: str
    depth: int
    raw_weight: float
    parent: int  # index into ReportData.weights, -1 at the top level
    group: int  # sibling group number: shares are taken within a group
    is_leaf: bool
    effective_weight: float


@dataclass(frozen=True)
class MatrixRow:
    """A scored leaf and every candidate's value on the committee's scale (in ranking order)."""

    key: str
    name: str
    weight_index: int  # index into ReportData.weights
    category_index: int  # index into ReportData.categories
    values: tuple[float | None, ...]  # on the scale (within it), None when missing


@dataclass(frozen=True)
class ScoreLine:
    candidate_name: str
    criterion_key: str
    criterion_name: str
    category_name: str
    evaluator_name: str
    evaluator_role: str
    value: float
    justification: str  # for an abstention, its reason
    abstained: bool = False
    conflicted: bool = False  # the member declared a conflict with the candidate afterwards

    @property
    def counted(self) -> bool:
        """Whether the score enters the committee's aggregate."""
        return not (self.abstained or self.conflicted)

    @property
    def counted_label(self) -> str:
        if self.abstained:
            return "No: abstained"
        return "No: declared a conflict" if self.conflicted else "Yes"


@dataclass(frozen=True)
class ResponseLine:
    candidate_name: str
    criterion_key: str
    question: str
    answer: str  # as worded in the report
    raw: str  # as the candidate wrote it
    comment: str
    is_key: bool


@dataclass(frozen=True)
class AuditSummary:
    count: int
    first_at: datetime | None
    last_at: datetime | None
    by_action: tuple[tuple[str, int], ...]  # most frequent first
    by_actor: tuple[tuple[str, int], ...]
    recent: tuple[AuditEntry, ...]  # newest last
    head_hash: str = ""  # the newest entry's hash: pins the whole chain up to it
    chain: str = ""  # the chain's check when the report was made ("" when not checked)
    chain_intact: bool = True


@dataclass(frozen=True)
class AhpMember:
    name: str
    given: int  # judgments given in this set
    consistency_ratio: float | None  # None while their judgments leave weights undetermined


@dataclass(frozen=True)
class AhpWeight:
    name: str
    weight: float | None  # the committee's AHP weight (0..1); None while undetermined
    raw_weight: float  # the criterion's raw weight now


@dataclass(frozen=True)
class AhpSection:
    """One set of sibling criteria weighted by pairwise comparison (reports.ahp_data)."""

    label: str  # "the top level" or the category's name
    pairs: int
    members: tuple[AhpMember, ...]
    weights: tuple[AhpWeight, ...]
    missing: int
    determined: bool
    lambda_max: float
    consistency_ratio: float
    inconsistent: bool
    applied: bool  # the raw weights are the committee's AHP weights now


@dataclass(frozen=True)
class ReportData:
    meta: ReportMeta
    categories: tuple[CategoryColumn, ...]
    ranking: tuple[RankingRow, ...]  # ranked first, then disqualified
    leaders: tuple[Narrative, ...]  # one paragraph per leading candidate
    candidates: tuple[CandidateSection, ...]  # in ranking order
    committee: tuple[CommitteeMember, ...]
    disagreements: tuple[DisagreementItem, ...]  # flagged ones only
    decisions: tuple[ConsensusDecision, ...]  # every consensus decision
    method: tuple[MethodNode, ...]
    formulas: tuple[Formula, ...]
    disagreement_threshold: float
    audit_summary: AuditSummary
    audit: tuple[AuditEntry, ...]
    weights: tuple[WeightRow, ...]
    matrix: tuple[MatrixRow, ...]
    scores: tuple[ScoreLine, ...]
    responses: tuple[ResponseLine, ...]
    chair: str = ""  # "" when none was named
    process: tuple[ProcessEvent, ...] = ()  # oldest first
    # what the finalise checklist still listed when a final evaluation was finalised (a final
    # evaluation cannot change, so it is what is open now); empty when not final or none
    open_when_final: tuple[str, ...] = ()
    sensitivity: SensitivitySection | None = None  # reports.sensitivity_data; None: left out
    ahp: tuple[AhpSection, ...] = ()  # pairwise weighting, when the committee used it
    agreement: AgreementSection | None = None  # reports.agreement_data; None: left out
