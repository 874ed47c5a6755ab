"""One candidate's report section: categories against the best, strengths, gates, answers, why.

`CandidateContext` indexes the evaluation once (by candidate and criterion) so that building
every section stays linear in the number of scores, even at committee scale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from evaluator.domain import (
    Candidate,
    ConsensusScore,
    Criterion,
    EvaluationData,
    Evaluator,
    GateState,
    Response,
    Results,
    Score,
    Status,
    ValueSource,
    leaves,
)
from evaluator.gates import decision_state
from evaluator.kinds import is_pass_fail
from evaluator.scoring import abstained_cells, conflicts
from reports.model import (
    CandidateSection,
    CategoryColumn,
    CategoryComparison,
    ConsensusDecision,
    Contribution,
    GateResult,
    Justification,
    KeyAnswer,
    MissingValue,
    RankingRow,
)
from reports.narrative import overview
from reports.text import answer_text, missing_reason, pass_fail, scale_value

HIGHLIGHT_COUNT = 3  # strengths and weaknesses listed per candidate
# The PDF prints every justification up to this many scored criteria per candidate; beyond it
# (committee scale: 200 criteria x 10 members would be thousands of pages) it prints the most
# heavily weighted criteria and those where the committee disagreed, and says the rest are in
# the workbook's Scores sheet.
JUSTIFIED_CRITERIA_LIMIT = 30
JUSTIFIED_BY_WEIGHT = 15
_TIE = 1e-9
ABSTAINED_REASON = "every member abstained"  # reviewed (completeness counts it), no value


@dataclass(frozen=True)
class CandidateContext:
    """The evaluation indexed for quick look-ups while building the sections."""

    data: EvaluationData
    results: Results
    categories: tuple[CategoryColumn, ...]
    candidates: dict[int, Candidate]
    evaluators: dict[int, Evaluator]
    leaves: tuple[Criterion, ...]  # every leaf, gates included, in tree order
    questions: tuple[Criterion, ...]  # every node with a question, in tree order
    nodes: dict[str, Criterion]
    top_names: dict[str, str]  # node key -> name of its top-level node
    consensus: dict[tuple[int, str], ConsensusScore]
    responses: dict[tuple[int, str], Response]
    scores_by_pair: dict[tuple[int, str], list[Score]]  # in committee order

    @classmethod
    def create(
        cls, data: EvaluationData, results: Results, categories: tuple[CategoryColumn, ...]
    ) -> CandidateContext:
        top_names: dict[str, str] = {}
        nodes: dict[str, Criterion] = {}
        for root in data.criteria:
            for node in root.walk():
                top_names[node.key] = root.name
                nodes[node.key] = node
        member_order = {e.id: i for i, e in enumerate(data.evaluators)}
        by_pair: defaultdict[tuple[int, str], list[Score]] = defaultdict(list)
        for score in data.scores:
            by_pair[(score.candidate_id, score.criterion_key)].append(score)
        for pair_scores in by_pair.values():
            pair_scores.sort(key=lambda s: member_order.get(s.evaluator_id, len(member_order)))
        return cls(
            data=data,
            results=results,
            categories=categories,
            candidates={c.id: c for c in data.candidates},
            evaluators={e.id: e for e in data.evaluators},
            leaves=tuple(leaves(data.criteria)),
            questions=tuple(node for node in nodes.values() if node.question is not None),
            nodes=nodes,
            top_names=top_names,
            consensus={(c.candidate_id, c.criterion_key): c for c in data.consensus},
            responses={(r.candidate_id, r.criterion_key): r for r in data.responses},
            scores_by_pair=dict(by_pair),
        )

    def name_of(self, key: str) -> str:
        node = self.nodes.get(key)
        return node.name if node else key

    def category_name_of(self, key: str) -> str:
        return self.top_names.get(key, "")

    def evaluator_name(self, evaluator_id: int) -> str:
        evaluator = self.evaluators.get(evaluator_id)
        return evaluator.name if evaluator else f"member #{evaluator_id}"


def decision_for(ctx: CandidateContext, candidate_id: int, key: str) -> ConsensusDecision:
    """The consensus decision recorded for (candidate, criterion); it must exist."""
    decision = ctx.consensus[(candidate_id, key)]
    node = ctx.nodes.get(key)
    is_gate = node is not None and is_pass_fail(node.kind)
    label = pass_fail(decision.value) if is_gate else scale_value(decision.value, ctx.data.scale)
    return ConsensusDecision(
        candidate_id=candidate_id,
        candidate_name=ctx.candidates[candidate_id].name,
        criterion_key=key,
        criterion_name=ctx.name_of(key),
        is_gate=is_gate,
        value=decision.value,
        value_label=label,
        note=decision.note,
        gate_state=decision_state(decision.value) if is_gate else None,
    )


def candidate_section(
    ctx: CandidateContext, row: RankingRow, ranking: Sequence[RankingRow]
) -> CandidateSection:
    cid = row.candidate_id
    justified, omitted = _justified_leaves(ctx, cid)
    return CandidateSection(
        row=row,
        notes=ctx.candidates[cid].notes,
        overview=overview(row, ranking, ctx.categories, ctx.data.status is Status.FINAL),
        categories=_category_comparisons(ctx, row, ranking),
        strengths=_highlights(ctx, cid, strengths=True),
        weaknesses=_highlights(ctx, cid, strengths=False),
        missing=_missing(ctx, cid),
        gates=tuple(_gate_result(ctx, row, leaf) for leaf in ctx.leaves if is_pass_fail(leaf.kind)),
        key_answers=tuple(
            KeyAnswer(
                key=node.key,
                criterion_name=node.name,
                question=node.question.text,
                answer=answer_text(ctx.responses.get((cid, node.key)), node.question),
                comment=(
                    ctx.responses[(cid, node.key)].comment
                    if (cid, node.key) in ctx.responses
                    else ""
                ),
            )
            for node in ctx.questions
            if node.question is not None and node.question.key
        ),
        justifications=tuple(
            Justification(
                criterion_key=leaf.key,
                criterion_name=leaf.name,
                evaluator_name=ctx.evaluator_name(score.evaluator_id),
                evaluator_role=(
                    ctx.evaluators[score.evaluator_id].role
                    if score.evaluator_id in ctx.evaluators
                    else ""
                ),
                value=score.value,
                text=score.justification,
                abstained=score.abstained,
            )
            for leaf in justified
            for score in ctx.scores_by_pair.get((cid, leaf.key), ())
        ),
        justifications_omitted=omitted,
        decisions=tuple(
            decision_for(ctx, cid, leaf.key)
            for leaf in ctx.leaves
            if (cid, leaf.key) in ctx.consensus
        ),
    )


def _justified_leaves(ctx: CandidateContext, cid: int) -> tuple[list[Criterion], int]:
    """The leaves whose justifications the PDF prints for a candidate, and how many it leaves
    out (all of them while the count stays within JUSTIFIED_CRITERIA_LIMIT)."""
    scored = [leaf for leaf in ctx.leaves if ctx.scores_by_pair.get((cid, leaf.key))]
    if len(scored) <= JUSTIFIED_CRITERIA_LIMIT:
        return scored, 0
    weights = ctx.results.effective_weights
    heavy = sorted(scored, key=lambda leaf: -weights.get(leaf.key, 0.0))[:JUSTIFIED_BY_WEIGHT]
    flagged = {
        d.criterion_key for d in ctx.results.disagreements if d.flagged and d.candidate_id == cid
    }
    contested = sorted(
        (leaf for leaf in scored if leaf.key in flagged and leaf not in heavy),
        key=lambda leaf: -weights.get(leaf.key, 0.0),
    )
    chosen = {leaf.key for leaf in heavy} | {
        leaf.key for leaf in contested[: JUSTIFIED_CRITERIA_LIMIT - len(heavy)]
    }
    kept = [leaf for leaf in scored if leaf.key in chosen]
    return kept, len(scored) - len(kept)


def _category_comparisons(
    ctx: CandidateContext, row: RankingRow, ranking: Sequence[RankingRow]
) -> tuple[CategoryComparison, ...]:
    """This candidate's share of each category against the best qualified candidate's."""
    rivals = [other for other in ranking if not other.disqualified] or list(ranking)
    comparisons = []
    for i, category in enumerate(ctx.categories):
        scored = [
            (o.category_scores[i], o.name) for o in rivals if o.category_scores[i] is not None
        ]
        best = max((score for score, _ in scored), default=None)
        best_names = tuple(
            name for score, name in scored if best is not None and best - score <= _TIE
        )
        comparisons.append(
            CategoryComparison(
                name=category.name,
                points=row.category_points[i],
                max_points=category.max_points,
                score=row.category_scores[i],
                best_score=best,
                best_names=best_names,
            )
        )
    return tuple(comparisons)


def _highlights(
    ctx: CandidateContext, candidate_id: int, *, strengths: bool
) -> tuple[Contribution, ...]:
    """The criteria adding the most points (strengths) or forgoing the most (weaknesses).

    A criterion appears in at most one list: the weaknesses skip the strengths. A criterion
    without a value is in neither: it is not answered or not scored yet, which says nothing
    about the candidate (`_missing` lists those apart).
    """
    result = ctx.results.for_candidate(candidate_id)
    contributions = [
        Contribution(
            key=key,
            name=ctx.name_of(key),
            category_name=ctx.category_name_of(key),
            effective_weight=weight,
            value=result.leaf_values[key].value,
            normalised=result.leaf_values[key].normalised,
            source=result.leaf_values[key].source,
        )
        for key, weight in ctx.results.effective_weights.items()
        if weight > 0
        and key in result.leaf_values
        and result.leaf_values[key].source is not ValueSource.MISSING
    ]
    order = {key: i for i, key in enumerate(ctx.results.effective_weights)}
    scoring = [c for c in contributions if c.points > _TIE]
    best = sorted(scoring, key=lambda c: (-c.points, order[c.key]))[:HIGHLIGHT_COUNT]
    if strengths:
        return tuple(best)
    taken = {c.key for c in best}
    rest = [c for c in contributions if c.key not in taken and c.forgone > _TIE]
    return tuple(sorted(rest, key=lambda c: (-c.forgone, order[c.key]))[:HIGHLIGHT_COUNT])


def _missing(ctx: CandidateContext, candidate_id: int) -> tuple[MissingValue, ...]:
    """Weighted criteria without a value for the candidate, heaviest first (then tree order)."""
    result = ctx.results.for_candidate(candidate_id)
    weights = ctx.results.effective_weights
    order = {key: i for i, key in enumerate(weights)}
    keys = [
        key
        for key, weight in weights.items()
        if weight > 0
        and key in ctx.nodes
        and (key not in result.leaf_values or result.leaf_values[key].value is None)
    ]
    keys.sort(key=lambda key: (-weights[key], order[key]))
    reviewed = abstained_cells(ctx.data.scores, conflicts(ctx.data))
    return tuple(
        MissingValue(
            key=key,
            name=ctx.name_of(key),
            category_name=ctx.category_name_of(key),
            effective_weight=weights[key],
            reason=(
                ABSTAINED_REASON
                if (candidate_id, key) in reviewed
                else missing_reason(ctx.nodes[key].kind)
            ),
        )
        for key in keys
    )


def _gate_result(ctx: CandidateContext, row: RankingRow, gate: Criterion) -> GateResult:
    result = ctx.results.for_candidate(row.candidate_id)
    if gate.key in result.failed_gates:
        state = GateState.FAILED
    elif gate.key in result.pending_gates:
        state = GateState.PENDING
    else:
        state = GateState.PASSED
    pair = (row.candidate_id, gate.key)
    if pair in ctx.consensus:
        note = ctx.consensus[pair].note.strip()
        basis = "Committee decision" + (f": {note}" if note else "")
    elif pair in ctx.responses:
        basis = f"Questionnaire answer: {answer_text(ctx.responses[pair], gate.question)}"
    else:
        basis = "No answer or decision yet"
    return GateResult(gate.key, gate.name, state, basis)
