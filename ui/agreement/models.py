"""Table models of the Agreement tab, each over plain rows from evaluator.agreement: the members
(leniency, where they stand apart), the criteria (spread of members' scores) and the ranking on
normalised scores beside the raw one. Replaced wholesale when a new result arrives."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from evaluator.agreement import CriterionSpread, MemberAgreement, RankingRow
from ui.grid.model import CANDIDATE_ROLE, DISPLAY, FONT, FOREGROUND, KEY_ROLE, TOOLTIP
from ui.sensitivity.models import DASH, _Table


def columns(*pairs: tuple[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Headers and their tooltips from (header, tooltip) pairs: each header beside its tip."""
    return tuple(h for h, _ in pairs), tuple(t for _, t in pairs)


def _number(value: float | None, form: str) -> str:
    return DASH if value is None else format(value, form)


class _ByCriterion(_Table):
    """Rows that name criteria: `show` takes the rows and the criteria's names by key."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.criteria: dict[str, str] = {}

    def show(self, rows: list[Any], criteria: dict[str, str]) -> None:
        self.criteria = dict(criteria)
        self.replace(rows, {})


class MembersModel(_ByCriterion):
    """One row per member, in committee order."""

    headers, header_tips = columns(
        ("Member", "The committee member"),
        (
            "Leniency",
            "Mean points above (+) or below (−) the other members' mean on the same cells",
        ),
        ("Cells", "Cells (candidate × criterion) the member shares with at least one colleague"),
        (
            "Stands apart on",
            "The criteria where the member's scores differ most from the others' "
            "(mean distance); the sign says higher (+) or lower (−) on balance",
        ),
    )
    right = frozenset({1, 2})

    def cell(self, row: MemberAgreement, column: int, role: int) -> object:
        if role == DISPLAY:
            if column == 0:
                return row.name
            if column == 1:
                return _number(row.leniency, "+.2f")
            if column == 2:
                return str(row.cells)
            return (
                ", ".join(
                    f"{self.criteria.get(a.criterion_key, a.criterion_key)} ({a.deviation:+.1f})"
                    for a in row.apart
                )
                or DASH
            )
        if role == TOOLTIP and column == 3 and row.apart:
            return "\n".join(
                f"{self.criteria.get(a.criterion_key, a.criterion_key)}: {a.distance:.2f} points "
                f"apart on average, {a.deviation:+.2f} on balance"
                for a in row.apart
            )
        if role == FOREGROUND and row.leniency is None:
            return self.muted
        return None


class SpreadModel(_ByCriterion):
    """One row per rated criterion, in tree order."""

    headers, header_tips = columns(
        ("Criterion", "A criterion the members score"),
        ("Cells", "Candidates with two or more members' scores on it"),
        ("Mean SD", "Mean standard deviation of the members' scores per candidate"),
        ("Mean range", "Mean of highest minus lowest score per candidate"),
        ("Max range", "The widest spread on any candidate"),
        (
            "Flagged",
            "Candidates whose spread reaches the disagreement threshold (the consensus agenda's)",
        ),
    )
    right = frozenset({1, 2, 3, 4, 5})

    def cell(self, row: CriterionSpread, column: int, role: int) -> object:
        if role == DISPLAY:
            values = (
                self.criteria.get(row.criterion_key, row.criterion_key),
                str(row.cells),
                _number(row.mean_sd, ".2f"),
                _number(row.mean_range, ".2f"),
                _number(row.max_range, "g"),
                str(row.flagged),
            )
            return values[column]
        if role == FONT and column == 5 and row.flagged:
            return self.bold
        if role == KEY_ROLE:
            return row.criterion_key
        return None


class NormalisedModel(_Table):
    """The ranking as it stands beside the one on normalised scores, in the raw order."""

    headers, header_tips = columns(
        ("Candidate", "The candidate"),
        ("Rank", "Rank as the committee's scores stand"),
        ("Total", "Total as the committee's scores stand"),
        (
            "Normalised rank",
            "Rank with each member's scores normalised: z-scores mapped back to "
            "the scale with the committee's pooled mean and spread (shown only, never applied)",
        ),
        ("Normalised total", "Total with each member's scores normalised"),
    )
    right = frozenset({1, 2, 3, 4})

    def cell(self, row: RankingRow, column: int, role: int) -> object:
        if role == DISPLAY:
            rank = DASH if row.raw_rank is None else str(row.raw_rank)
            other = DASH if row.normalised_rank is None else str(row.normalised_rank)
            values = (self.names.get(row.candidate_id, "?"), rank, f"{row.raw_total:.1f}",
                      other, f"{row.normalised_total:.1f}")  # fmt: skip
            return values[column]
        if role == FONT and column == 3 and row.normalised_rank != row.raw_rank:
            return self.bold  # the normalisation moves this candidate
        if role == CANDIDATE_ROLE:
            return row.candidate_id
        return None
