"""The one report data object both renderers draw from, so the PDF and the workbook agree.

`build_report` decides everything once (rankings, best and worst categories, strengths and
weaknesses, gate outcomes, generated paragraphs) from an evaluation, its scoring results and its
audit trail; the renderers only lay the result out. Per-candidate sections are built in
`reports.candidate_data`; the dataclasses live in `reports.model`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from evaluator.domain import (
    Criterion,
    EvaluationData,
    Results,
    Scale,
)
from evaluator.kinds import CRITERION_KINDS, candidate_kind_label, is_weighted, kind_label
from evaluator.scoring import conflicts, disagreement_threshold
from evaluator.weights import WeightTree
from reports.ahp_data import ahp_sections
from reports.branding import Branding
from reports.candidate_data import CandidateContext, candidate_section, decision_for
from reports.committee_data import committee_members, open_when_final, process_record
from reports.model import (
    AuditSummary,
    CategoryColumn,
    DisagreementItem,
    Formula,
    MatrixRow,
    MethodNode,
    RankingRow,
    ReportData,
    ReportMeta,
    ResponseLine,
    ScoreLine,
    WeightRow,
)
from reports.narrative import leader_paragraphs
from reports.text import (
    STATUS_LABELS,
    answer_text,
    number,
    rule_text,
)

if TYPE_CHECKING:
    from evaluator.services import AuditEntry
    from evaluator.services.committee import CommitteeHistory
    from reports.agreement_data import AgreementSection
    from reports.sensitivity_model import SensitivitySection

__all__ = ["ReportData", "build_report"]

RECENT_AUDIT_ENTRIES = 15


def build_report(
    data: EvaluationData,
    results: Results,
    audit: Sequence[AuditEntry],
    branding: Branding,
    app_version: str,
    generated_at: datetime,
    *,
    chain: tuple[bool, str] | None = None,
    history: CommitteeHistory | None = None,
    sensitivity: SensitivitySection | None = None,
    agreement: AgreementSection | None = None,
) -> ReportData:
    """Everything both reports show, decided once from the evaluation and its results.

    `chain` is the audit chain's check made with the data: (intact, its sentence); `history`
    every member's declarations and submission time (evaluator.services.committee; without
    it, only the latest declarations are known); `sensitivity` and `agreement` the sections
    `reports.sensitivity_data` and `reports.agreement_data` built from the same data."""
    tree = WeightTree.build(data.criteria)
    node_weights = tree.node_effective(tree.raw_weights())
    categories = tuple(
        CategoryColumn(node.key, node.name, node_weights[i])
        for i, node in enumerate(tree.nodes)
        if node.parent < 0
    )
    ctx = CandidateContext.create(data, results, categories)
    weights = results.effective_weights
    under = [  # the weighted leaves of each category (a top-level leaf is its own)
        [node.key for node in ctx.nodes[c.key].walk() if weights.get(node.key, 0.0) > 0]
        for c in categories
    ]
    ranking = tuple(_ranking_row(ctx, result.candidate_id, under) for result in results.candidates)
    meta = ReportMeta(
        evaluation_name=data.name,
        client=data.client,
        status=data.status,
        status_label=STATUS_LABELS[data.status],
        scale=data.scale,
        aggregation_label=data.aggregation.value,
        app_version=app_version,
        generated_at=generated_at,
        branding=branding,
    )
    return ReportData(
        meta=meta,
        categories=categories,
        ranking=ranking,
        leaders=leader_paragraphs(ranking, categories),
        candidates=tuple(candidate_section(ctx, row, ranking) for row in ranking),
        committee=committee_members(data, history),
        disagreements=_disagreements(ctx, results),
        decisions=tuple(
            decision_for(ctx, row.candidate_id, leaf.key)
            for row in ranking
            for leaf in ctx.leaves
            if (row.candidate_id, leaf.key) in ctx.consensus
        ),
        method=_method_nodes(data.criteria, tree, node_weights),
        formulas=_formulas(data),
        disagreement_threshold=disagreement_threshold(data.scale),
        audit_summary=_audit_summary(audit, chain),
        audit=tuple(audit),
        weights=_weight_rows(tree, node_weights),
        matrix=_matrix(ctx, tree, ranking, categories),
        scores=_score_lines(ctx, ranking),
        responses=_response_lines(ctx, ranking),
        chair=data.chair,
        process=process_record(audit),
        open_when_final=open_when_final(data, results),
        sensitivity=sensitivity,
        ahp=ahp_sections(data),
        agreement=agreement,
    )


def _ranking_row(ctx: CandidateContext, candidate_id: int, under: list[list[str]]) -> RankingRow:
    result = ctx.results.for_candidate(candidate_id)
    weights = ctx.results.effective_weights

    def missing_share(keys: list[str], category: CategoryColumn) -> float:
        if category.effective_weight <= 0:
            return 0.0
        values = result.leaf_values
        gone = sum(weights[k] for k in keys if k not in values or values[k].value is None)
        return gone / category.effective_weight

    candidate = ctx.candidates[candidate_id]
    category_points = tuple(result.category_totals.get(c.key, 0.0) for c in ctx.categories)
    return RankingRow(
        candidate_id=candidate_id,
        name=candidate.name,
        kind=candidate.kind,
        kind_label=candidate_kind_label(candidate.kind),
        rank=result.rank,
        total=result.total,
        completeness=result.completeness,
        disqualified=result.disqualified,
        failed_gates=tuple(ctx.name_of(key) for key in result.failed_gates),
        pending_gates=tuple(ctx.name_of(key) for key in result.pending_gates),
        category_points=category_points,
        category_scores=tuple(
            points / c.max_points if c.max_points > 0 else None
            for points, c in zip(category_points, ctx.categories, strict=True)
        ),
        category_missing=tuple(
            missing_share(keys, c) for keys, c in zip(under, ctx.categories, strict=True)
        ),
    )


def _disagreements(ctx: CandidateContext, results: Results) -> tuple[DisagreementItem, ...]:
    """Flagged cells with every member's score (an abstention as None; a member with a
    declared conflict is left out, as from the spread)."""
    conflicted = conflicts(ctx.data)
    return tuple(
        DisagreementItem(
            candidate_name=ctx.candidates[d.candidate_id].name,
            criterion_key=d.criterion_key,
            criterion_name=ctx.name_of(d.criterion_key),
            spread=d.spread,
            scores=tuple(
                (ctx.evaluator_name(score.evaluator_id), None if score.abstained else score.value)
                for score in ctx.scores_by_pair.get((d.candidate_id, d.criterion_key), ())
                if (score.evaluator_id, score.candidate_id) not in conflicted
            ),
            decision=(
                decision_for(ctx, d.candidate_id, d.criterion_key)
                if (d.candidate_id, d.criterion_key) in ctx.consensus
                else None
            ),
        )
        for d in results.disagreements
        if d.flagged
    )


def _method_nodes(
    roots: list[Criterion], tree: WeightTree, node_weights: list[float]
) -> tuple[MethodNode, ...]:
    """The whole tree (gates and unweighted categories included), depth first."""
    index = {node.key: i for i, node in enumerate(tree.nodes)}
    shares = _sibling_shares(tree)
    found: list[MethodNode] = []

    def visit(node: Criterion, depth: int) -> None:
        i = index.get(node.key)
        found.append(
            MethodNode(
                key=node.key,
                name=node.name,
                kind=node.kind,
                kind_label=kind_label(node.kind),
                depth=depth,
                raw_weight=float(node.weight) if is_weighted(node.kind) else None,
                sibling_share=None if i is None else shares[i],
                effective_weight=None if i is None else node_weights[i],
                description=node.description,
                rubric=tuple(sorted(node.rubric.items())),
                question=node.question.text if node.question else "",
                rule=rule_text(node.rule),
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    return tuple(found)


def _sibling_shares(tree: WeightTree) -> list[float]:
    shares = [0.0] * len(tree.nodes)
    for group in tree.groups:
        total = sum(tree.nodes[i].raw_weight for i in group.members)
        for i in group.members:
            shares[i] = tree.nodes[i].raw_weight / total if total > 0 else 0.0
    return shares


def _weight_rows(tree: WeightTree, node_weights: list[float]) -> tuple[WeightRow, ...]:
    depths: list[int] = []
    for node in tree.nodes:
        depths.append(0 if node.parent < 0 else depths[node.parent] + 1)
    return tuple(
        WeightRow(
            key=node.key,
            name=node.name,
            kind_label=kind_label(node.kind),
            depth=depths[i],
            raw_weight=node.raw_weight,
            parent=node.parent,
            group=node.group,
            is_leaf=node.is_leaf,
            effective_weight=node_weights[i],
        )
        for i, node in enumerate(tree.nodes)
    )


def _matrix(
    ctx: CandidateContext,
    tree: WeightTree,
    ranking: Sequence[RankingRow],
    categories: Sequence[CategoryColumn],
) -> tuple[MatrixRow, ...]:
    category_index = {c.key: i for i, c in enumerate(categories)}
    results = [ctx.results.for_candidate(row.candidate_id) for row in ranking]
    rows = []
    for i in tree.leaf_indices:
        node = tree.nodes[i]
        top_key = tree.nodes[node.top].key
        values = tuple(_on_scale(r.leaf_values[node.key].value, ctx.data.scale) for r in results)
        rows.append(MatrixRow(node.key, node.name, i, category_index[top_key], values))
    return tuple(rows)


def _on_scale(value: float | None, scale: Scale) -> float | None:
    """A leaf value as the committee scores it, within the scale (as the totals count it)."""
    return None if value is None else min(float(scale.maximum), max(float(scale.minimum), value))


def _score_lines(ctx: CandidateContext, ranking: Sequence[RankingRow]) -> tuple[ScoreLine, ...]:
    conflicted = conflicts(ctx.data)
    lines = []
    for row in ranking:
        for leaf in ctx.leaves:
            for score in ctx.scores_by_pair.get((row.candidate_id, leaf.key), ()):
                evaluator = ctx.evaluators.get(score.evaluator_id)
                lines.append(
                    ScoreLine(
                        candidate_name=row.name,
                        criterion_key=leaf.key,
                        criterion_name=leaf.name,
                        category_name=ctx.category_name_of(leaf.key),
                        evaluator_name=ctx.evaluator_name(score.evaluator_id),
                        evaluator_role=evaluator.role if evaluator else "",
                        value=score.value,
                        justification=score.justification,
                        abstained=score.abstained,
                        conflicted=(score.evaluator_id, score.candidate_id) in conflicted,
                    )
                )
    return tuple(lines)


def _response_lines(
    ctx: CandidateContext, ranking: Sequence[RankingRow]
) -> tuple[ResponseLine, ...]:
    lines = []
    for row in ranking:
        for node in ctx.questions:
            response = ctx.responses.get((row.candidate_id, node.key))
            if response is None:
                continue
            lines.append(
                ResponseLine(
                    candidate_name=row.name,
                    criterion_key=node.key,
                    question=node.question.text if node.question else node.name,
                    answer=answer_text(response, node.question),
                    raw=response.raw,
                    comment=response.comment,
                    is_key=bool(node.question and node.question.key),
                )
            )
    return tuple(lines)


def _formulas(data: EvaluationData) -> tuple[Formula, ...]:
    low, high = number(data.scale.minimum), number(data.scale.maximum)
    aggregation = (
        "the median of the committee's scores (the mean of the two middle values for an even count)"
        if data.aggregation.value == "median"
        else "the mean of the committee's scores"
    )
    threshold = number(disagreement_threshold(data.scale))
    return (
        Formula(
            "Kinds of criterion",
            " ".join(f"{row.label}: {row.description}" for row in CRITERION_KINDS.values()),
        ),
        Formula(
            "Effective weight",
            "The effective weight of a criterion is the product, along its path from the top of "
            "the tree, of its raw weight ÷ the sum of its siblings' raw weights. Gates carry no "
            "weight, and a category without any scored criterion takes no share. The effective "
            "weights of all scored criteria add up to 100%.",
        ),
        Formula(
            "Criterion value",
            "A consensus score, when the committee recorded one, is used as it stands. Otherwise "
            f"a rated criterion takes {aggregation}, leaving out abstentions and the scores of "
            "members who declared a conflict of interest with the candidate; an auto-scored "
            "criterion takes the score its rule gives the candidate's answer; a price criterion "
            "takes "
            f"{low} + ({high} − {low}) × lowest price ÷ price, where the lowest price is taken "
            "over the candidates that are not disqualified.",
        ),
        Formula(
            "Normalisation",
            f"normalised value = (value − {low}) ÷ ({high} − {low}), between 0 and 1.",
        ),
        Formula(
            "Total and completeness",
            "total = 100 × the sum over all scored criteria of effective weight × normalised "
            "value. A criterion without a value counts as zero; completeness is the share of "
            "effective weight that has a value, or that the committee reviewed and every member "
            "abstained on, and is shown beside every total.",
        ),
        Formula(
            "Gates, disqualification and rank",
            "A gate is passed or failed by the questionnaire answer or by the committee's "
            "decision, which overrides the answer. A candidate failing any gate is disqualified: "
            "shown, never ranked. A gate not yet decided leaves the rank provisional. Ranks "
            "follow the totals, highest first; equal totals share a rank (1, 2, 2, 4).",
        ),
        Formula(
            "Disagreement",
            f"Where two or more members scored the same criterion, the spread is the highest "
            f"minus the lowest score; a spread of {threshold} points or more is flagged for "
            "the consensus meeting.",
        ),
        Formula(
            "Strengths and weaknesses",
            "A candidate's strengths are the criteria that add the most points to its total "
            "(effective weight × normalised value); its weaknesses are those where it forgoes "
            "the most points (effective weight × (1 − normalised value)). A criterion with no "
            "value yet (not answered, or not scored yet) is neither: it is listed apart.",
        ),
    )


def _audit_summary(
    audit: Sequence[AuditEntry], chain: tuple[bool, str] | None = None
) -> AuditSummary:
    actions = Counter(entry.action for entry in audit)
    actors = Counter(entry.actor for entry in audit)
    intact, sentence = chain if chain is not None else (True, "")
    return AuditSummary(
        count=len(audit),
        first_at=audit[0].at if audit else None,
        last_at=audit[-1].at if audit else None,
        by_action=tuple(sorted(actions.items(), key=lambda item: (-item[1], item[0]))),
        by_actor=tuple(sorted(actors.items(), key=lambda item: (-item[1], item[0]))),
        recent=tuple(audit[-RECENT_AUDIT_ENTRIES:]),
        head_hash=audit[-1].hash if audit else "",
        chain=sentence,
        chain_intact=intact,
    )
