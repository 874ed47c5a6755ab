"""Table models of the Contract tab over the core's plain values: the contract's targets (with
where each came from), a period's metrics with their verdicts, and its priorities' times.

A verdict is shown as a word with a symbol and a tinted background, never by colour alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QGuiApplication, QPalette

from evaluator.contracts import Target
from evaluator.contracts.metrics import line_unit as metric_line_unit
from evaluator.contracts.metrics import shown
from ui.grid.delegates import AGREED_HUE, DANGER_HUE, WARNING_HUE, blend
from ui.grid.model import BACKGROUND, DISPLAY, KEY_ROLE, TOOLTIP
from ui.tables.read_only import ReadOnlyTable

if TYPE_CHECKING:
    from evaluator.contracts.card import MetricLine, PriorityLine

VERDICT_WORDS = {
    "met": "✓ met",
    "at risk": "! at risk",
    "breached": "✗ breached",
    "no data": "– no data",
    "no target": "– no target",
}
VERDICT_HUES = {"met": AGREED_HUE, "at risk": WARNING_HUE, "breached": DANGER_HUE}
SOURCE_WORDS = {
    "questionnaire": "promised (questionnaire)",
    "consensus": "promised (confirmed by consensus)",
    "standard": "standard",
    "agreed": "agreed (edited)",
}


def verdict_brush(verdict: str) -> QBrush | None:
    hue = VERDICT_HUES.get(verdict)
    if hue is None:
        return None
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QBrush(blend(base, hue, 0.3))


def line_unit(line: MetricLine) -> str:
    return metric_line_unit(line.metric)


class TargetsModel(ReadOnlyTable):
    """One row per target, in the catalogue's order."""

    headers = ("Metric", "Target", "Source", "Where it came from")
    header_tips = (
        "What the contract holds the supplier to (per priority for response and resolution)",
        "The target: no more than a time or share, at least a share, or a commitment's words",
        "Promised by the candidate (its questionnaire, confirmed or not by the committee), a "
        "service-desk standard, or agreed by hand with a reason",
        "The answer it was promised in, the standard's citation, or the reason it was changed",
    )

    def cell(self, row: Target, column: int, role: int) -> object:
        if role == DISPLAY:
            if column == 0:
                return row.label
            if column == 1:
                if row.value is None:
                    return row.text or "—"
                way = {"max": "≤ ", "min": "≥ "}.get(row.info.direction.value, "")
                return way + shown(row.value, row.info.unit)
            if column == 2:
                return SOURCE_WORDS.get(row.source, row.source)
            return row.citation
        if role == TOOLTIP and column == 3:
            return row.citation
        if role == KEY_ROLE:
            return (row.metric, row.priority)
        return None


class MetricsModel(ReadOnlyTable):
    """One row per metric (and priority) of a period: delivered, target, verdict."""

    headers = ("Metric", "Delivered", "Target", "Verdict", "Counted")
    header_tips = (
        "The metric; response and resolution per priority are judged by the share of tickets "
        "within the priority's time target",
        "What was delivered in the period",
        "The target it is held to",
        "Met; at risk (within 10% of the target); breached; no data; or no target (a figure "
        "but nothing to hold it to)",
        "Tickets (or calls) the figure counts",
    )
    right = frozenset({1, 2, 4})

    def cell(self, row: MetricLine, column: int, role: int) -> object:
        if role == DISPLAY:
            unit = line_unit(row)
            return (
                row.label,
                shown(row.value, unit),
                shown(row.target, unit),
                VERDICT_WORDS.get(row.verdict, row.verdict),
                f"{row.count:,}",
            )[column]
        if role == BACKGROUND and column == 3:
            return verdict_brush(row.verdict)
        if role == KEY_ROLE:
            return (row.metric, row.priority)
        return None


class PrioritiesModel(ReadOnlyTable):
    """One row per priority: tickets, median and 90th percentile times against the target."""

    headers = (
        "Priority",
        "Tickets",
        "Response median",
        "Response p90",
        "Response target",
        "In time",
        "Restore median",
        "Restore p90",
        "Restore target",
        "In time ",
        "Open at end",
    )
    header_tips = (
        "P1 (critical) to P4 (low)",
        "Tickets opened in the period",
        "Half the tickets had a first response within this time",
        "Nine tickets in ten had a first response within this time",
        "The response-time target",
        "Share of tickets answered within the target",
        "Half the tickets were resolved within this time",
        "Nine tickets in ten were resolved within this time",
        "The resolution-time target",
        "Share of tickets resolved within the target",
        "Tickets of this priority still open at the period's end (backlog)",
    )
    right = frozenset(range(1, 11))

    def cell(self, row: PriorityLine, column: int, role: int) -> object:
        if role != DISPLAY:
            return None
        return (
            row.priority,
            f"{row.tickets:,}",
            shown(row.response_median, "min"),
            shown(row.response_p90, "min"),
            shown(row.response_target, "min"),
            shown(row.response_within, "share"),
            shown(row.resolution_median, "min"),
            shown(row.resolution_p90, "min"),
            shown(row.resolution_target, "min"),
            shown(row.resolution_within, "share"),
            f"{row.backlog:,}",
        )[column]
