"""Generated prose: the paragraph that sums up each candidate, from its numbers alone.

Kept apart from the data assembly so the wording can be read and tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from reports.model import CategoryColumn, Narrative, RankingRow, Span
from reports.text import ordinal, percent, points

LEADING_COUNT = 3  # the executive summary writes a paragraph for the top three ranks


def _names(items: Sequence[str]) -> list[Span]:
    """`a`, `a and b`, `a, b and c`, with the names in bold."""
    spans: list[Span] = []
    for index, item in enumerate(items):
        if index:
            spans.append(Span(" and " if index == len(items) - 1 else ", "))
        spans.append(Span(item, strong=True))
    return spans


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _quoted_names(items: Sequence[str]) -> list[Span]:
    """“a”, “a” and “b”: gate names in quotes, so a long name still reads as one name."""
    spans: list[Span] = []
    for index, item in enumerate(items):
        if index:
            spans.append(Span(" and " if index == len(items) - 1 else ", "))
        spans += [Span("“"), Span(item, strong=True), Span("”")]
    return spans


def strongest_and_weakest(
    row: RankingRow, categories: Sequence[CategoryColumn]
) -> tuple[int, int] | None:
    """Indexes of the best and worst scored category (by share of its points), or None.

    Only categories where every criterion has a value are compared: a share lowered by
    criteria not answered or not scored yet says nothing about the candidate.
    """
    scored = [
        (score, i)
        for i, score in enumerate(row.category_scores)
        if score is not None and row.complete_in(i)
    ]
    if len(scored) < 2 or len(categories) < 2:
        return None
    best = max(scored, key=lambda item: (item[0], -item[1]))[1]
    worst = min(scored, key=lambda item: (item[0], item[1]))[1]
    return best, worst


def overview(
    row: RankingRow,
    ranking: Sequence[RankingRow],
    categories: Sequence[CategoryColumn],
    final: bool = False,
) -> Narrative:
    """One paragraph: rank, total, completeness, best and worst category, gap to the others.

    A final evaluation cannot change any more, so its gaps are worded as facts of record,
    not as work still to come.
    """
    spans: list[Span] = [Span(row.name, strong=True)]
    ranked = [other for other in ranking if other.rank is not None]
    if row.disqualified:
        gates = list(row.failed_gates)
        spans += [Span(" is disqualified: it failed the gate" + ("s " if len(gates) > 1 else " "))]
        spans += [*_quoted_names(gates), Span(". Its ")]
        spans += [Span(points(row.total), strong=True), Span(" points are shown for reference; ")]
        spans += [Span("it is not ranked.")]
        return tuple(spans)

    tied = [o for o in ranked if o.rank == row.rank and o.candidate_id != row.candidate_id]
    spans += [Span(" ranks "), Span(ordinal(row.rank or 0), strong=True)]
    spans += [Span(f" of {len(ranked)} with "), Span(points(row.total), strong=True)]
    spans += [Span(" points")]
    if tied:
        spans += [Span(", level with "), *_names([o.name for o in tied])]
    spans.append(Span(". "))
    if row.completeness < 1 - 1e-9 and final:
        spans += [Span(percent(1 - row.completeness), strong=True)]
        spans += [
            Span(
                " of the weight had no value when the evaluation was made final; "
                "missing values count as zero. "
            )
        ]
    elif row.completeness < 1 - 1e-9:
        spans += [Span(percent(row.completeness), strong=True)]
        spans += [
            Span(
                " of the weight has a value so far; criteria not answered or not scored yet "
                "count as zero until they are. "
            )
        ]

    extremes = strongest_and_weakest(row, categories)
    if extremes is not None:
        best, worst = extremes
        spans += [Span("Its strongest category is "), Span(categories[best].name, strong=True)]
        spans += [Span(f" ({percent(row.category_scores[best])} of the available points); ")]
        spans += [Span("its weakest is "), Span(categories[worst].name, strong=True)]
        spans += [Span(f" ({percent(row.category_scores[worst])}). ")]
    waiting = [
        c.name
        for i, c in enumerate(categories)
        if i < len(row.category_scores) and not row.complete_in(i)
    ]
    if waiting and len(categories) > 1:
        spans += [*_names(waiting), Span(_plural(len(waiting), " is", " are"))]
        its = _plural(len(waiting), "its", "their")
        reason = (
            f" not compared: some of {its} criteria had no value when the evaluation was "
            "made final. "
            if final
            else f" not compared yet: some of {its} criteria are not answered or not scored yet. "
        )
        spans.append(Span(reason))

    leaders = [o for o in ranked if o.rank == 1]
    if row.rank == 1:
        behind = [o for o in ranked if o.rank is not None and o.rank > 1]
        if behind:
            runner_up = behind[0]
            spans += [Span("It leads "), Span(runner_up.name, strong=True), Span(" by ")]
            spans += [Span(points(row.total - runner_up.total), strong=True), Span(" points. ")]
    elif leaders:
        leader = leaders[0]
        spans += [Span("It trails "), Span(leader.name, strong=True), Span(" by ")]
        spans += [Span(points(leader.total - row.total), strong=True), Span(" points. ")]

    if row.provisional and final:
        gates = list(row.pending_gates)
        spans += [Span("The gate" + ("s " if len(gates) > 1 else " "))]
        spans += [*_quoted_names(gates), Span(_plural(len(gates), " was", " were"))]
        spans += [Span(" not decided when the evaluation was made final.")]
    elif row.provisional:
        gates = list(row.pending_gates)
        spans += [
            Span("The rank is provisional until the gate" + ("s " if len(gates) > 1 else " "))
        ]
        spans += [*_quoted_names(gates), Span(_plural(len(gates), " is decided.", " are decided."))]
    return _trimmed(spans)


def _trimmed(spans: list[Span]) -> Narrative:
    """Drop the trailing space the sentence builders leave."""
    if spans and spans[-1].text.endswith(" "):
        last = spans[-1]
        spans[-1] = Span(last.text.rstrip(), last.strong)
    return tuple(spans)


def leader_paragraphs(
    ranking: Sequence[RankingRow], categories: Sequence[CategoryColumn], final: bool = False
) -> tuple[Narrative, ...]:
    """A paragraph for each candidate ranked in the top `LEADING_COUNT` (ties included)."""
    return tuple(
        overview(row, ranking, categories, final)
        for row in ranking
        if row.rank is not None and row.rank <= LEADING_COUNT
    )
