"""The sensitivity section of the reports: computed once, from the same evaluation as the rest of
the report, and worded for both renderers.

The simulation is the slow part (about a second at committee scale for 2,000 draws), so it
reports progress and can be cancelled like the rest of an export; its seed is printed, so
anyone can reproduce the figures with `sensitivity EVAL --draws N --seed S`.
"""

from __future__ import annotations

from evaluator.domain import EvaluationData
from evaluator.flip_table import FlipRow, flip_table, most_sensitive
from evaluator.progress import CancelCheck, Progress
from evaluator.robustness import Simulation, simulate
from evaluator.set_rankings import SetComparison, compare_sets
from evaluator.simulation_settings import CLOSE_CALL, HIGH_PERCENTILE, LOW_PERCENTILE, Settings
from reports.sensitivity_model import FlipLine, OddsLine, SensitivitySection, SetColumn

NEAREST = 10  # criteria listed as the ones whose weight flips the winner soonest


def build_sensitivity(
    data: EvaluationData,
    settings: Settings | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> SensitivitySection:
    """Flip table, simulation and weighting sets of `data`, worded for the reports."""
    settings = settings or Settings()
    names = {c.id: c.name for c in data.candidates}
    rows = flip_table(data)
    simulation = simulate(data, settings, progress, cancel)
    comparison = compare_sets(data)
    flips = tuple(_flip_line(row, names) for row in rows)
    by_key = {line.key: line for line in flips}
    leader = names.get(simulation.leader_id or 0, "")
    current = comparison.columns[0]
    order = sorted(current.totals, key=lambda c: (current.ranks[c], list(names).index(c)))
    return SensitivitySection(
        leader=leader,
        summary=_summary(leader, rows, simulation, comparison, names),
        flips=flips,
        nearest=tuple(by_key[row.key] for row in most_sensitive(rows, NEAREST)),
        settings=settings.describe(),
        draws=settings.draws,
        seed=settings.seed,
        odds=tuple(
            OddsLine(
                names[o.candidate_id],
                None if o.rank_median is None else o.chance,
                o.rank_low,
                o.rank_median,
                o.rank_high,
            )
            for o in simulation.ranked()
        ),
        leader_chance=simulation.leader_chance,
        close_call=simulation.close_call,
        close_call_below=CLOSE_CALL,
        rank_percentiles=(LOW_PERCENTILE, HIGH_PERCENTILE),
        candidates=tuple(names[c] for c in order),
        sets=tuple(_column(column, order, data) for column in comparison.columns),
        sets_sentence=comparison.sentence(names),
        holds=comparison.holds,
    )


def _flip_line(row: FlipRow, names: dict[int, str]) -> FlipLine:
    flip = row.flip
    verdict = "alone" if row.alone else ("holds" if row.holds else "")
    return FlipLine(
        key=row.key,
        name=row.name,
        depth=row.depth,
        is_category=row.is_category,
        weight=flip.effective_weight,
        raw_weight=flip.raw_weight,
        change_points=flip.change_points,
        flip_weight=flip.flip_effective_weight,
        flip_raw_weight=flip.flip_raw_weight,
        new_leader=names.get(flip.new_winner_id or 0, ""),
        verdict=verdict,
        sentence=row.sentence(names),
    )


def _column(column, order: list[int], data: EvaluationData) -> SetColumn:  # type: ignore[no-untyped-def]
    notes = {s.id: s.note for s in data.weight_sets}
    return SetColumn(
        name=column.name,
        note=notes.get(column.set_id, ""),
        ranks=tuple(column.ranks.get(c) for c in order),
        totals=tuple(column.totals.get(c) for c in order),
        error=column.error,
        missing=len(column.missing),
    )


def _summary(
    leader: str,
    rows: list[FlipRow],
    simulation: Simulation,
    comparison: SetComparison,
    names: dict[int, str],
) -> str:
    if not leader:
        return "No candidate can be ranked yet, so there is no winner whose robustness to test."
    parts = []
    nearest = most_sensitive(rows, 1)
    if nearest:
        row = nearest[0]
        parts.append(
            f"The weight closest to changing the winner is that of {row.name}: "
            f"{row.sentence(names)[0].lower()}{row.sentence(names)[1:]}."
        )
    else:
        parts.append(f"No change of any single weight takes the lead from {leader}.")
    chance = simulation.leader_chance or 0.0
    if simulation.close_call:
        parts.append(
            f"This is a close call: {leader} ranks first in only {100 * chance:.0f}% of "
            f"{simulation.settings.draws:,} simulated draws (below {100 * CLOSE_CALL:.0f}%)."
        )
    else:
        parts.append(
            f"{leader} ranks first in {100 * chance:.0f}% of {simulation.settings.draws:,} "
            "simulated draws."
        )
    if comparison.sets:
        parts.append(comparison.sentence(names))
    return " ".join(parts)
