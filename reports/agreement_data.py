"""The committee-agreement part of the reports: computed once by `evaluator.agreement` from the
same evaluation as the rest of the report, worded here for both renderers (the PDF section,
the workbook sheet).

It shows every member's scores side by side, so it is built only where the whole report may be
seen (`reports.export` refuses a member's report while the committee scores blind). The ranking
on normalised scores is always labelled as not applied: the report's ranking is the raw one.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.agreement import committee_agreement, w_words
from evaluator.domain import EvaluationData, leaves
from evaluator.progress import CancelCheck
from evaluator.scoring import disagreement_threshold
from reports.text import number

NOT_APPLIED = (
    "Shown only, not applied: the ranking in this report is on the scores as the members gave them."
)


@dataclass(frozen=True)
class MemberLine:
    name: str
    leniency: float | None  # mean points above (+) or below (-) the others; None: no cell shared
    cells: int
    apart_text: str  # "Leaf q2 (+2.0), Leaf q1 (+0.8)": where they stand apart, signed
    apart_detail: str  # the same with the mean distance: "Leaf q2: 2.00 apart, +2.00 on balance"


def signed(value: float, decimals: int = 2) -> str:
    """+1.17, -0.80, and 0.00 rather than a "-0.00" that reads as a direction."""
    text = f"{value:+.{decimals}f}"
    return text[1:] if float(text) == 0 else text


@dataclass(frozen=True)
class SpreadLine:
    key: str
    name: str
    cells: int  # candidates with two or more scores on it
    mean_sd: float | None
    mean_range: float | None
    max_range: float | None
    flagged: int


@dataclass(frozen=True)
class NormalisedLine:
    name: str
    rank: int | None  # None: disqualified
    total: float
    normalised_rank: int | None
    normalised_total: float

    @property
    def moved(self) -> bool:
        return self.rank != self.normalised_rank


@dataclass(frozen=True)
class AgreementSection:
    summary: str  # one paragraph: W in words, the extremes of leniency, the normalised leader
    w: float | None
    w_words: str  # "" when W cannot be computed
    w_sentence: str
    members: tuple[MemberLine, ...]  # committee order
    spreads: tuple[SpreadLine, ...]  # every rated criterion, tree order
    widest: tuple[SpreadLine, ...]  # the criteria with the largest mean SD, widest first
    threshold: float  # the disagreement threshold (points)
    ranking: tuple[NormalisedLine, ...]  # raw ranking order
    ranking_sentence: str


WIDEST = 10  # criteria named as those where the members' scores spread most


def build_agreement(
    data: EvaluationData, cancel: CancelCheck | None = None
) -> AgreementSection | None:
    """How the committee agrees, worded for the reports (None with fewer than two members)."""
    if len(data.evaluators) < 2:
        return None
    agreement = committee_agreement(data, normalise=True, cancel=cancel)
    criteria = {leaf.key: leaf.name for leaf in leaves(data.criteria)}
    members = {e.id: e.name for e in data.evaluators}
    candidates = {c.id: c.name for c in data.candidates}
    spreads = tuple(
        SpreadLine(s.criterion_key, criteria[s.criterion_key], s.cells, s.mean_sd,
                   s.mean_range, s.max_range, s.flagged)
        for s in agreement.spreads
    )  # fmt: skip
    order = {line.key: i for i, line in enumerate(spreads)}
    widest = sorted(
        (s for s in spreads if s.mean_sd is not None and s.mean_sd > 0),
        key=lambda s: (-(s.mean_sd or 0.0), order[s.key]),
    )
    ranking = tuple(
        NormalisedLine(candidates[r.candidate_id], r.raw_rank, r.raw_total, r.normalised_rank,
                       r.normalised_total)
        for r in agreement.normalised or ()
    )  # fmt: skip
    lines = tuple(
        MemberLine(
            m.name,
            m.leniency,
            m.cells,
            ", ".join(f"{criteria[a.criterion_key]} ({signed(a.deviation, 1)})" for a in m.apart),
            "; ".join(
                f"{criteria[a.criterion_key]}: {a.distance:.2f} apart, {signed(a.deviation)} on "
                "balance"
                for a in m.apart
            ),
        )
        for m in agreement.members
    )
    w = agreement.concordance.w
    w_sentence = agreement.concordance.sentence(members)
    threshold = disagreement_threshold(data.scale)
    ranking_sentence = _ranking_sentence(ranking)
    parts = (w_sentence, _leniency_sentence(lines), _spread_sentence(spreads, threshold))
    return AgreementSection(
        summary=" ".join(part for part in (*parts, ranking_sentence) if part),
        w=w,
        w_words="" if w is None else w_words(w),
        w_sentence=w_sentence,
        members=lines,
        spreads=spreads,
        widest=tuple(widest[:WIDEST]),
        threshold=threshold,
        ranking=ranking,
        ranking_sentence=ranking_sentence,
    )


def _leniency_sentence(members: tuple[MemberLine, ...]) -> str:
    compared = [m for m in members if m.leniency is not None]
    if not compared:
        return "No two members have scored the same candidate on the same criterion yet."
    high = max(compared, key=lambda m: m.leniency or 0.0)
    low = min(compared, key=lambda m: m.leniency or 0.0)
    most, least = high.leniency or 0.0, low.leniency or 0.0
    if most - least < 0.005:
        return "No member scores higher or lower than the others on balance."
    return (
        f"{high.name} scores the most generously ({signed(most)} points against the others on "
        f"the same cells), {low.name} the most strictly ({signed(least)})."
    )


def _spread_sentence(spreads: tuple[SpreadLine, ...], threshold: float) -> str:
    cells = sum(s.cells for s in spreads)
    if not cells:
        return ""
    flagged = sum(s.flagged for s in spreads)
    return (
        f"{flagged} of the {cells} cells scored by two members or more spread by "
        f"{number(threshold)} points or more."
    )


def _ranking_sentence(ranking: tuple[NormalisedLine, ...]) -> str:
    raw = [line for line in ranking if line.rank == 1]
    other = [line for line in ranking if line.normalised_rank == 1]
    if not raw or not other:
        return ""
    moved = sum(1 for line in ranking if line.moved)
    first, leader = {line.name for line in other}, {line.name for line in raw}
    lead = "On each member's normalised scores "
    if first == leader:
        lead += f"{_names(first, ranking)} would still rank first"
    elif leader <= first:
        lead += f"{_names(leader, ranking)} would share first place with "
        lead += _names(first - leader, ranking)
    else:
        lead += f"{_names(first, ranking)} would rank first instead of {_names(leader, ranking)}"
    return f"{lead} ({moved} of {len(ranking)} candidates would change rank; not applied)."


def _names(names: set[str], ranking: tuple[NormalisedLine, ...]) -> str:
    """The names in ranking order, joined with "and"."""
    return " and ".join(line.name for line in ranking if line.name in names)
