"""How the committee agrees: each member's leniency, where they stand apart, Kendall's W over
the members' rankings, each criterion's spread, and an optional normalisation of members' scores.

Pure functions over `EvaluationData` (no Qt, no session). Only the scores that count enter
(`scoring.counts`: no abstentions, no member on a candidate they declared a conflict with), and
only on `rated` leaves, the ones members score. Definitions (the tests pin each by hand):

* A *cell* is (candidate, rated leaf). For member m on a cell where m and at least one other
  member scored, m's deviation is d = x_m - mean(x_o for the other members o on that cell).
  m's *leniency* is the mean of d over those cells: above 0, m scores higher than colleagues.
* Where m *stands apart*: per leaf, the mean of |d| over the candidates compared there; the
  `APART_SHOWN` leaves with the largest mean |d| (above 0), in that order, ties in tree order.
* *Spread* of a leaf: over its cells with two or more scores, the mean population standard
  deviation of the cell's scores, the mean and the largest range (max - min), and how many cells
  reach the disagreement threshold (`scoring.spread`, the rule the consensus grid uses).
* *Normalised* scores (shown beside the raw ranking, never used by it): member m's score x
  becomes z = (x - mean_m) / sd_m, mapped back as pooled_mean + z * pooled_sd, clamped to the
  scale; mean_m, sd_m over m's own counting scores, pooled_mean, pooled_sd over every member's
  (population standard deviations). A member whose scores do not vary (sd_m = 0) gets the pooled
  mean throughout: their scores tell candidates apart no more than they did.
* *Kendall's W* (Kendall & Babington Smith 1939; Siegel & Castellan 1988, section 9.4) over the
  members' rankings of the candidates that are not disqualified: member m's ranking is the
  ranking m's scores alone would give (the engine's totals with only m's scores, no consensus
  values except gate decisions), equal totals sharing the mean of their ranks. With m judges, n
  candidates, R_i the sum of candidate i's ranks and T_j = sum(t^3 - t) over judge j's groups of
  t tied candidates: W = 12 S / (m^2 (n^3 - n) - m sum_j T_j), S = sum_i (R_i - mean R)^2.
  A member with a declared conflict with one of those candidates, or with no scores, ranks none.
  W is read in words after Schmidt (1997, table 3): from 0.9 unusually strong agreement, 0.7
  strong, 0.5 moderate, 0.3 weak, 0.1 very weak, below that hardly any.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from evaluator.domain import EvaluationData, Results, Score, leaves
from evaluator.kinds import Scoring, kind_info
from evaluator.progress import CancelCheck, raise_if_cancelled
from evaluator.scoring import RANK_TOLERANCE, conflicts, counts, score_evaluation, spread

APART_SHOWN = 3  # leaves named where a member stands apart most
# Schmidt, R. C. (1997), Managing Delphi surveys using nonparametric statistical techniques,
# Decision Sciences 28(3), 763-774, table 3: Kendall's W and the agreement it shows
W_WORDS = ((0.9, "unusually strong"), (0.7, "strong"), (0.5, "moderate"), (0.3, "weak"),
           (0.1, "very weak"))  # fmt: skip


class Apart(NamedTuple):
    """A leaf where a member stands apart: mean |d| (`distance`) and mean d (`deviation`)."""

    criterion_key: str
    distance: float
    deviation: float


@dataclass(frozen=True)
class MemberAgreement:
    evaluator_id: int
    name: str
    cells: int  # cells compared with at least one colleague
    leniency: float | None  # mean deviation from the others; None: nothing to compare
    apart: tuple[Apart, ...]


@dataclass(frozen=True)
class CriterionSpread:
    criterion_key: str
    cells: int  # cells with two or more scores
    mean_sd: float | None
    mean_range: float | None
    max_range: float | None
    flagged: int  # cells at or above the disagreement threshold


@dataclass(frozen=True)
class Concordance:
    """Kendall's W over the members' rankings; `w` None when fewer than two members or
    candidates can be ranked (or every member ties every candidate)."""

    w: float | None
    judges: tuple[int, ...]  # member ids, in committee order
    candidates: tuple[int, ...]  # candidate ids ranked
    ranks: dict[int, dict[int, float]]  # member -> candidate -> rank (ties share the mean)
    left_out: tuple[tuple[int, str], ...]  # (member id, why) not ranking

    def sentence(self, names: dict[int, str], digits: int = 2) -> str:
        """W in figures and in words, with who does not rank and why (the window, the shell
        and the reports say the same); `names` by member id."""
        if self.w is None:
            text = (
                "Kendall's W needs at least two members' rankings of two candidates or more: "
                "nothing to compare yet."
            )
        else:
            text = (
                f"Kendall's W = {self.w:.{digits}f} over {len(self.judges)} members' rankings "
                f"of {len(self.candidates)} candidates: {w_words(self.w)} agreement (1: they "
                "rank the candidates alike; 0: no agreement; reading after Schmidt 1997). Each "
                "member's ranking is the one their own scores would give."
            )
        left = "; ".join(f"{names.get(m, '?')} does not rank ({why})" for m, why in self.left_out)
        return f"{text} {left}." if left else text


def w_words(w: float) -> str:
    """How strong the agreement a W shows is, in words (Schmidt 1997; `W_WORDS`)."""
    return next((words for bound, words in W_WORDS if w >= bound - 1e-12), "hardly any")


@dataclass(frozen=True)
class RankingRow:
    """One candidate's total and rank on the raw scores and on the normalised ones."""

    candidate_id: int
    raw_total: float
    raw_rank: int | None
    normalised_total: float
    normalised_rank: int | None


@dataclass(frozen=True)
class Agreement:
    members: tuple[MemberAgreement, ...]
    concordance: Concordance
    spreads: tuple[CriterionSpread, ...]  # rated leaves, in tree order
    normalised: tuple[RankingRow, ...] | None  # only when asked for


# ---- building blocks -------------------------------------------------------------------------


def rated_keys(data: EvaluationData) -> list[str]:
    return [
        leaf.key
        for leaf in leaves(data.criteria)
        if kind_info(leaf.kind).scoring is Scoring.MEMBERS
    ]


def counting_scores(data: EvaluationData) -> list[Score]:
    """The members' scores that enter the aggregate, on rated leaves."""
    rated = set(rated_keys(data))
    conflicted = conflicts(data)
    return [s for s in data.scores if s.criterion_key in rated and counts(s, conflicted)]


def mid_ranks(totals: dict[int, float]) -> dict[int, float]:
    """Rank 1 for the highest total; totals within `RANK_TOLERANCE` share the mean of their
    ranks (1, 2.5, 2.5, 4), as Kendall's W needs."""
    ordered = sorted(totals, key=lambda key: -totals[key])
    ranks: dict[int, float] = {}
    start = 0
    while start < len(ordered):
        end = start + 1
        while (
            end < len(ordered) and totals[ordered[start]] - totals[ordered[end]] <= RANK_TOLERANCE
        ):
            end += 1
        shared = (start + 1 + end) / 2
        for key in ordered[start:end]:
            ranks[key] = shared
        start = end
    return ranks


def pstdev(values: Sequence[float]) -> float:
    """The population standard deviation in floating point (`statistics.pstdev` works in exact
    fractions: a second at committee scale for figures shown to two decimals)."""
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def kendall_w(rankings: Sequence[Sequence[float]]) -> float | None:
    """Kendall's W with the tie correction for m rankings (one per judge) of the same n objects,
    each a sequence of ranks 1..n in object order, ties holding the mean of their ranks."""
    m = len(rankings)
    n = len(rankings[0]) if rankings else 0
    if m < 2 or n < 2:
        return None
    sums = [math.fsum(judge[i] for judge in rankings) for i in range(n)]
    mean = math.fsum(sums) / n
    s = math.fsum((total - mean) ** 2 for total in sums)
    ties = 0.0
    for judge in rankings:
        groups: defaultdict[float, int] = defaultdict(int)
        for rank in judge:
            groups[rank] += 1
        ties += sum(t**3 - t for t in groups.values())
    denominator = m * m * (n**3 - n) - m * ties
    return 12 * s / denominator if denominator > 0 else None


# ---- per member ----------------------------------------------------------------------------


def _by_cell(scores: list[Score]) -> dict[tuple[int, str], dict[int, float]]:
    cells: defaultdict[tuple[int, str], dict[int, float]] = defaultdict(dict)
    for s in scores:
        cells[(s.candidate_id, s.criterion_key)][s.evaluator_id] = s.value
    return cells


def member_agreement(data: EvaluationData) -> tuple[MemberAgreement, ...]:
    """Leniency and where each member stands apart (see the module docstring)."""
    order = {key: i for i, key in enumerate(rated_keys(data))}
    deviations: defaultdict[int, defaultdict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (_, leaf_key), values in _by_cell(counting_scores(data)).items():
        if len(values) < 2:
            continue
        total = math.fsum(values.values())
        for member, value in values.items():
            others = (total - value) / (len(values) - 1)
            deviations[member][leaf_key].append(value - others)
    found = []
    for member in data.evaluators:
        per_leaf = deviations.get(member.id, {})
        every = [d for values in per_leaf.values() for d in values]
        apart = [
            Apart(key, math.fsum(abs(d) for d in ds) / len(ds), math.fsum(ds) / len(ds))
            for key, ds in per_leaf.items()
        ]
        apart.sort(key=lambda a: (-a.distance, order[a.criterion_key]))
        found.append(
            MemberAgreement(
                member.id,
                member.name,
                len(every),
                math.fsum(every) / len(every) if every else None,
                tuple(a for a in apart[:APART_SHOWN] if a.distance > 0),
            )
        )
    return tuple(found)


def criterion_spreads(data: EvaluationData) -> tuple[CriterionSpread, ...]:
    """Each rated leaf's spread of members' scores over its cells (module docstring)."""
    cells: defaultdict[str, list[list[float]]] = defaultdict(list)
    for (_, leaf_key), values in _by_cell(counting_scores(data)).items():
        if len(values) >= 2:
            cells[leaf_key].append(list(values.values()))
    found = []
    for key in rated_keys(data):
        groups = cells.get(key, [])
        if not groups:
            found.append(CriterionSpread(key, 0, None, None, None, 0))
            continue
        widths = [spread(values, data.scale) for values in groups]
        found.append(
            CriterionSpread(
                key,
                len(groups),
                math.fsum(pstdev(values) for values in groups) / len(groups),
                math.fsum(width for width, _ in widths) / len(groups),
                max(width for width, _ in widths),
                sum(1 for _, flagged in widths if flagged),
            )
        )
    return tuple(found)


def normalised_scores(data: EvaluationData) -> list[Score]:
    """Every score, the counting ones normalised per member (module docstring); abstentions and
    scores that do not count are kept as they are (they enter no aggregate anyway)."""
    counting = counting_scores(data)
    if not counting:
        return list(data.scores)
    pooled = [s.value for s in counting]
    pooled_mean, pooled_sd = statistics.fmean(pooled), pstdev(pooled)
    own: defaultdict[int, list[float]] = defaultdict(list)
    for s in counting:
        own[s.evaluator_id].append(s.value)
    moments = {m: (statistics.fmean(v), pstdev(v)) for m, v in own.items()}
    low, high = data.scale.minimum, data.scale.maximum
    keep = {id(s) for s in counting}
    result = []
    for s in data.scores:
        if id(s) in keep:
            mean, sd = moments[s.evaluator_id]
            z = (s.value - mean) / sd if sd > 0 else 0.0
            s = s._replace(value=min(high, max(low, pooled_mean + z * pooled_sd)))
        result.append(s)
    return result


def ranking_effect(data: EvaluationData, raw: Results | None = None) -> tuple[RankingRow, ...]:
    """The ranking on the raw scores beside the one on normalised scores, in raw order."""
    raw = raw or score_evaluation(data)
    other = score_evaluation(replace(data, scores=normalised_scores(data)))
    return tuple(
        RankingRow(r.candidate_id, r.total, r.rank, other.for_candidate(r.candidate_id).total,
                   other.for_candidate(r.candidate_id).rank)
        for r in raw.candidates
    )  # fmt: skip


# ---- the committee ---------------------------------------------------------------------------


def concordance(
    data: EvaluationData, raw: Results | None = None, cancel: CancelCheck | None = None
) -> Concordance:
    """Kendall's W over the rankings each member's scores alone would give (module docstring)."""
    raw = raw or score_evaluation(data)
    ranked = tuple(r.candidate_id for r in raw.candidates if r.rank is not None)
    gates = {
        leaf.key
        for leaf in leaves(data.criteria)
        if kind_info(leaf.kind).scoring is Scoring.PASS_FAIL
    }
    decisions = [c for c in data.consensus if c.criterion_key in gates]
    by_member: defaultdict[int, list[Score]] = defaultdict(list)
    for s in counting_scores(data):
        by_member[s.evaluator_id].append(s)
    judges, left_out, ranks = [], [], {}
    for member in data.evaluators:
        raise_if_cancelled(cancel)  # each member's ranking scores the evaluation once
        if any(member.conflicted_with(c) for c in ranked):
            left_out.append((member.id, "declared a conflict with a ranked candidate"))
            continue
        if not by_member.get(member.id):
            left_out.append((member.id, "no scores"))
            continue
        alone = score_evaluation(replace(data, scores=by_member[member.id], consensus=decisions))
        ranks[member.id] = mid_ranks({c: alone.for_candidate(c).total for c in ranked})
        judges.append(member.id)
    w = kendall_w([[ranks[j][c] for c in ranked] for j in judges]) if ranked else None
    return Concordance(w, tuple(judges), ranked, ranks, tuple(left_out))


def committee_agreement(
    data: EvaluationData, normalise: bool = False, cancel: CancelCheck | None = None
) -> Agreement:
    """Everything the agreement view, the CLI and the reports show, in one call (a few seconds
    at committee scale: `cancel` is asked between the members' rankings)."""
    raw = score_evaluation(data)
    return Agreement(
        member_agreement(data),
        concordance(data, raw, cancel),
        criterion_spreads(data),
        ranking_effect(data, raw) if normalise else None,
    )
