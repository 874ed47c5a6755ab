"""AHP over an evaluation: which criteria are compared under a parent, each member's judgments
and their analysis, the committee's (the geometric mean of the members'), and the change that
applies the committee's weights.

Pure functions over `EvaluationData` (no database, no Qt): the window, the shell and the report
call them alike. The weights applied are percentages with two decimals (raw weights are relative
among siblings, so 48.81 / 25.15 / 16.05 / 9.99 reads as the shares it is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from evaluator.ahp import APP_TABLE, RandomIndexTable
from evaluator.ahp_judgments import Analysis, Pair, analyse, canonical, geometric_mean
from evaluator.changes.model import EditCriterion, SetWeights
from evaluator.domain import (
    Criterion,
    EvaluationData,
    Evaluator,
    Judgment,
    ScoringError,
    find_criterion,
    walk_tree,
)
from evaluator.kinds import is_category, is_weighted

TOP_LEVEL = "the top level"


@dataclass(frozen=True)
class SiblingSet:
    """The criteria compared with each other: the children of a category, or the top-level
    criteria (parent None), that take a share of the weight: gates carry none, and a category
    with no scored criterion below it takes no share (as in evaluator.weights)."""

    parent: str | None
    label: str  # "the top level" or the category's name
    criteria: tuple[Criterion, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def pairs(self) -> int:
        n = len(self.criteria)
        return n * (n - 1) // 2


def sibling_set(roots: list[Criterion], parent: str | None) -> SiblingSet:
    """The set compared under `parent`; a ScoringError names what is wrong with `parent`."""
    if parent is None:
        children, label = roots, TOP_LEVEL
    else:
        node = find_criterion(roots, parent)
        if node is None:
            raise ScoringError(f"there is no criterion with id {parent!r}")
        if not is_category(node.kind):
            raise ScoringError(
                f"{node.name} [{parent}] is not a category: compare the criteria inside a "
                "category, or the top level"
            )
        children, label = node.children, node.name
    return SiblingSet(parent, label, tuple(c for c in children if takes_share(c)))


def takes_share(node: Criterion) -> bool:
    """A non-gate leaf, or a category with a non-gate leaf somewhere below it."""
    return any(n.is_leaf and is_weighted(n.kind) for n in node.walk())


def sibling_sets(roots: list[Criterion]) -> list[SiblingSet]:
    """Every set that can be weighted pairwise (2 to 10 criteria: the random-index table's
    sizes), top level first."""
    sets = [sibling_set(roots, None)]
    sets += [sibling_set(roots, n.key) for n in walk_tree(roots) if is_category(n.kind)]
    return [s for s in sets if 2 <= len(s.criteria) <= APP_TABLE.largest]


def judgments_of(data: EvaluationData, sset: SiblingSet, member_id: int) -> dict[Pair, float]:
    """A member's judgments in this set, by pairs (i, j) of indices into `sset.criteria` with
    i < j (judgments about criteria no longer in the set are left out)."""
    index = {key: i for i, key in enumerate(sset.keys)}
    return canonical(
        {
            (index[j.first], index[j.second]): j.value
            for j in data.judgments
            if j.evaluator_id == member_id
            and j.parent == sset.parent
            and j.first in index
            and j.second in index
        }
    )


def judgment_value(
    data: EvaluationData, parent: str | None, member_id: int, first: str, second: str
) -> float | None:
    """A member's stored judgment of `first` over `second` (None: not given)."""
    wanted = Judgment.ordered(member_id, parent, first, second, 1.0)
    for j in data.judgments:
        if (j.evaluator_id, j.parent, j.first, j.second) == (
            member_id, parent, wanted.first, wanted.second,
        ):  # fmt: skip
            return j.value if first == wanted.first else 1 / j.value
    return None


@dataclass(frozen=True)
class MemberResult:
    member: Evaluator
    judgments: dict[Pair, float]  # as given, by pairs of indices into the set
    analysis: Analysis


@dataclass(frozen=True)
class CommitteeResult:
    """The committee's view of one set: every member's analysis and the combined one."""

    sset: SiblingSet
    members: tuple[MemberResult, ...]  # every committee member, in committee order
    judgments: dict[Pair, float]  # the geometric mean of the judgments of those who gave any
    combined: Analysis  # ... and its analysis

    @property
    def judges(self) -> tuple[MemberResult, ...]:
        """The members who gave at least one judgment in this set."""
        return tuple(m for m in self.members if m.analysis.given)


def committee_result(
    data: EvaluationData, parent: str | None, table: RandomIndexTable = APP_TABLE
) -> CommitteeResult:
    sset = sibling_set(data.criteria, parent)
    n = len(sset.criteria)
    if n == 0:
        raise ScoringError(f"{sset.label} has no weighted criteria to compare")
    own = [(e, judgments_of(data, sset, e.id)) for e in data.evaluators]
    # the judgments behind an inconsistency are worked out only where there is one
    members = tuple(MemberResult(e, j, analyse(n, j, table=table, diagnose=None)) for e, j in own)
    combined = geometric_mean([j for _, j in own if j])
    analysis = analyse(n, combined, table=table, diagnose=None)
    return CommitteeResult(sset, members, combined, analysis)


def percentages(weights: tuple[float, ...]) -> tuple[float, ...]:
    """Weights as the raw weights applied: percentages, two decimals, none below 0.01."""
    return tuple(max(0.01, round(100 * w, 2)) for w in weights)


def matches_weights(result: CommitteeResult) -> bool:
    """Whether the criteria's raw weights now are the committee's AHP weights (applied)."""
    if not result.combined.determined:
        return False
    raw = [c.weight for c in result.sset.criteria]
    total = math.fsum(raw)
    return total > 0 and all(
        abs(r / total - w) < 1e-3 for r, w in zip(raw, result.combined.weights, strict=True)
    )


def default_reason(result: CommitteeResult) -> str:
    """What the audit records with the applied weights."""
    judges = result.judges
    names = ", ".join(m.member.name for m in judges)
    combined = result.combined
    missing = ""
    if combined.missing:
        missing = f", {combined.missing} of {result.sset.pairs} pairs not compared"
    return (
        f"AHP pairwise comparisons of {len(judges)} member{'s' * (len(judges) != 1)} ({names}) "
        f"combined by geometric mean{missing}; CR {combined.consistency_ratio:.3f} by the "
        f"{combined.table} random index"
    )


def weights_change(result: CommitteeResult, why: str = "") -> SetWeights:
    """The change that sets the raw weights to the committee's AHP weights; refused (a
    ScoringError saying what is missing) while the weights are undetermined, and without a
    reason while the judgments are inconsistent (CR above 0.10)."""
    combined = result.combined
    if not result.judges:
        raise ScoringError(f"no member has compared the criteria under {result.sset.label} yet")
    if not combined.determined:
        raise ScoringError(
            f"the comparisons under {result.sset.label} do not link every criterion yet: "
            f"{combined.needed} more needed at least"
        )
    if combined.inconsistent and not why.strip():
        worst = combined.culprits[0]
        a, b = (result.sset.criteria[k].name for k in worst.pair)
        raise ScoringError(
            f"the committee's comparisons are inconsistent (CR {combined.consistency_ratio:.2f} "
            f"> 0.10; most of it from {a} vs {b}): revisit them, or give a reason to apply "
            "the weights anyway (it is recorded)"
        )
    reason = default_reason(result) + (f". {why.strip()}" if why.strip() else "")
    edits = tuple(
        EditCriterion(c.key, {"weight": c.weight}, {"weight": w})
        for c, w in zip(result.sset.criteria, percentages(combined.weights), strict=True)
    )
    return SetWeights(result.sset.parent, edits, reason)
