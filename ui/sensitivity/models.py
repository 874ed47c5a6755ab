"""Table models of the Sensitivity tab, each over plain rows from the core: what flips the winner
(`FlipRow`), chances of winning (`Odds`) and the ranking under each weighting set. They are
replaced wholesale when a new analysis arrives (a reset), which is rare and cheap here. The core
modules behind them use numpy, so they are imported for type checking only: the window starts
without numpy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from evaluator.simulation_settings import HIGH_PERCENTILE, LOW_PERCENTILE
from ui.grid.delegates import WARNING_HUE, blend
from ui.grid.model import BACKGROUND, CANDIDATE_ROLE, DISPLAY, FONT, FOREGROUND, KEY_ROLE, TOOLTIP
from ui.tables.read_only import ReadOnlyTable

if TYPE_CHECKING:  # numpy-backed: imported when an analysis runs, not with the window
    from evaluator.flip_table import FlipRow
    from evaluator.robustness import Odds, Simulation
    from evaluator.set_rankings import SetComparison

DASH = "—"


class _Table(ReadOnlyTable):
    """Rows replaced wholesale with the candidates' names; subclasses give the cells."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names: dict[int, str] = {}
        self.bold = QFont()
        self.bold.setBold(True)
        self.muted = QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))

    def replace(self, rows: list[Any], names: dict[int, str]) -> None:
        self.names = dict(names)
        self.set_rows(rows)


class FlipModel(_Table):
    """One row per weighted category and criterion, in tree order."""

    headers = ("Category or criterion", "Share", "Change", "Flips at", "Raw at flip", "New leader")
    header_tips = (
        "Categories at every depth and their criteria, as in the criteria tree",
        "Its share of the whole evaluation now (effective weight)",
        "The smallest change of its share, in points, at which another candidate draws level "
        "with the leader (its siblings keep their proportions); + raise, − lower",
        "Its share at that point",
        "Its raw weight at that point (the other raw weights as they are)",
        "Who takes the lead past that point; 'holds' when no weight of it changes the leader",
    )
    right = frozenset({1, 2, 3, 4})

    def cell(self, row: FlipRow, column: int, role: int) -> object:
        flip = row.flip
        if role == DISPLAY:
            if column == 0:
                return "    " * row.depth + row.name
            if column == 1:
                return f"{100 * flip.effective_weight:.1f}%"
            if row.holds:
                if column == 5:
                    return "alone (share fixed)" if row.alone else "holds"
                return DASH
            if column == 2:
                return f"{flip.change_points:+.1f} pts"
            if column == 3:
                return f"{100 * flip.flip_effective_weight:.1f}%"
            if column == 4:
                return f"{flip.flip_raw_weight:.3g}"
            return self.names.get(flip.new_winner_id or 0, "?")
        if role == TOOLTIP:
            return row.sentence(self.names)
        if role == FONT and row.is_category and column == 0:
            return self.bold
        if role == FOREGROUND and row.holds and column >= 2:
            return self.muted
        if role == KEY_ROLE:
            return row.key
        return None


class OddsModel(_Table):
    """One row per candidate: chance of ranking first and rank range, most likely first."""

    headers = (
        "Candidate",
        "Chance of 1st",
        f"Ranks ({LOW_PERCENTILE}th–{HIGH_PERCENTILE}th pct.)",
        "Median rank",
    )
    header_tips = (
        "",
        "Share of the draws in which it ranks first (a tie splits the draw)",
        "Its rank in the middle 90% of the draws: best plausible to worst plausible",
        "Its rank in half of the draws or better",
    )
    right = frozenset({1, 2, 3})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.leader_id: int | None = None

    def show(self, simulation: Simulation | None, names: dict[int, str]) -> None:
        self.leader_id = simulation.leader_id if simulation else None
        self.replace(simulation.ranked() if simulation else [], names)

    def cell(self, row: Odds, column: int, role: int) -> object:
        if role == DISPLAY:
            if column == 0:
                return self.names.get(row.candidate_id, "?")
            if row.rank_median is None:
                return "disqualified" if column == 2 else DASH
            if column == 1:
                return f"{100 * row.chance:.1f}%"
            if column == 2:
                low, high = row.rank_low, row.rank_high
                return str(low) if low == high else f"{low}–{high}"
            return str(row.rank_median)
        if role == FONT and row.candidate_id == self.leader_id:
            return self.bold
        if role == FOREGROUND and row.rank_median is None:
            return self.muted
        if role == CANDIDATE_ROLE:
            return row.candidate_id
        return None


class SetsModel(_Table):
    """Candidates down, the current weights and each weighting set across: rank (total). A cell
    where a set's first place differs from the current leader's is tinted."""

    right = frozenset(range(1, 64))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.comparison: SetComparison | None = None
        self.notes: dict[int, str] = {}
        self.tint = QBrush(blend(QGuiApplication.palette().base().color(), WARNING_HUE, 0.3))

    def show(
        self, comparison: SetComparison | None, names: dict[int, str], notes: dict[int, str]
    ) -> None:
        self.comparison, self.notes = comparison, notes
        self.headers = ("Candidate", *(c.name for c in comparison.columns)) if comparison else ()
        current = comparison.columns[0] if comparison else None
        order = sorted(current.totals, key=lambda c: current.ranks[c]) if current else []
        self.replace(order, names)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if (
            int(role) == TOOLTIP
            and orientation == Qt.Orientation.Horizontal
            and self.comparison is not None
            and 1 <= section < len(self.headers)
        ):
            column = self.comparison.columns[section - 1]
            if column.error:
                return f"Cannot be ranked: {column.error}"
            if column.set_id is None:
                return "The evaluation's own weights"
            tip = self.notes.get(column.set_id, "") or "A stakeholder group's weights"
            if column.missing:
                tip += f" ({len(column.missing)} criteria added since keep their current weight)"
            return tip
        return super().headerData(section, orientation, role)

    def cell(self, candidate_id: int, column: int, role: int) -> object:
        if role == CANDIDATE_ROLE:
            return candidate_id
        if column == 0:
            if role == DISPLAY:
                return self.names.get(candidate_id, "?")
            if role == FONT and self.comparison and candidate_id == self.comparison.leader_id:
                return self.bold
            return None
        assert self.comparison is not None
        ranking = self.comparison.columns[column - 1]
        if role == DISPLAY:
            if ranking.error or candidate_id not in ranking.ranks:
                return DASH
            return f"{ranking.ranks[candidate_id]} ({ranking.totals[candidate_id]:.1f})"
        if role == TOOLTIP:
            if ranking.error:
                return ranking.error
            total = ranking.totals.get(candidate_id)
            return None if total is None else f"{total:.2f} points under {ranking.name}"
        dissent = (
            not ranking.error
            and ranking.ranks.get(candidate_id) == 1
            and candidate_id != self.comparison.leader_id
        )
        if role == BACKGROUND and dissent:
            return self.tint
        if role == FONT and dissent:
            return self.bold
        return None
