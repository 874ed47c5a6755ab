"""The AHP part of the report's methodology: for each set of sibling criteria the committee
compared pairwise, who compared what, each member's CR, the committee's geometric-mean weights
with their consistency, and whether the raw weights are those weights now."""

from __future__ import annotations

from evaluator.ahp import APP_TABLE, CONSISTENCY_LIMIT
from evaluator.ahp_committee import committee_result, matches_weights, sibling_sets
from evaluator.domain import EvaluationData
from reports.model import AhpMember, AhpSection, AhpWeight


def ahp_sections(data: EvaluationData) -> tuple[AhpSection, ...]:
    """One section per set of siblings with at least one judgment, top level first."""
    sections = []
    for sset in sibling_sets(data.criteria):
        if not any(j.parent == sset.parent for j in data.judgments):
            continue
        result = committee_result(data, sset.parent)
        if not result.judges:
            continue
        combined = result.combined
        weights = combined.weights if combined.determined else (None,) * len(sset.criteria)
        sections.append(
            AhpSection(
                label=sset.label,
                pairs=sset.pairs,
                members=tuple(
                    AhpMember(
                        m.member.name,
                        m.analysis.given,
                        m.analysis.consistency_ratio if m.analysis.determined else None,
                    )
                    for m in result.judges
                ),
                weights=tuple(
                    AhpWeight(c.name, w, c.weight)
                    for c, w in zip(sset.criteria, weights, strict=True)
                ),
                missing=combined.missing,
                determined=combined.determined,
                lambda_max=combined.lambda_max,
                consistency_ratio=combined.consistency_ratio,
                inconsistent=combined.inconsistent,
                applied=matches_weights(result),
            )
        )
    return tuple(sections)


AHP_METHOD = (
    "Where the committee weighted sibling criteria by pairwise comparison (the analytic "
    "hierarchy process), each member judged, for pairs of criteria, how many times one matters "
    "as much as the other on Saaty's 1–9 scale. The members' judgments are combined pair by "
    "pair by their geometric mean; the weights are the principal eigenvector of the combined "
    "matrix, and pairs nobody compared are filled in by Harker's method (the ratio of the "
    "weights the other comparisons give). The consistency ratio CR = CI ÷ RI, with "
    "CI = (λmax − n) ÷ (n − 1) and RI from "
    f"{APP_TABLE.name}'s random-index table, shows how far the judgments contradict each other; "
    f"above {CONSISTENCY_LIMIT:.2f} they should be revisited. Applied weights are the "
    "committee's weights in percent."
)
