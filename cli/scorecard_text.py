"""The scorecard as text for the terminal: per period, the priorities' times against their
targets, then each metric with its verdict, the breaches and the service credit."""

from __future__ import annotations

from typing import TextIO

from evaluator.contracts import METRICS, PeriodCard, Scorecard


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "min":
        return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"
    return f"{value:.1f} {unit}".strip()


def write_period(out: TextIO, card: PeriodCard) -> None:
    out.write(
        f"\n{card.label}: {card.tickets} tickets, verdict {card.verdict}, "
        f"service credit {card.credit:,.2f}\n"
    )
    out.write(
        "  Pri  Tickets  Response median/p90 (target, in time)    "
        "Resolution median/p90 (target, in time)   Backlog\n"
    )
    for p in card.priorities:
        response = (
            f"{_num(p.response_median, 'min')}/{_num(p.response_p90, 'min')} "
            f"({_num(p.response_target, 'min')}, {_num(p.response_within, 'share')})"
        )
        resolution = (
            f"{_num(p.resolution_median, 'min')}/{_num(p.resolution_p90, 'min')} "
            f"({_num(p.resolution_target, 'min')}, "
            f"{_num(p.resolution_within, 'share')})"
        )
        out.write(
            f"  {p.priority}   {p.tickets:>7}  {response:<40} {resolution:<41} {p.backlog:>7}\n"
        )
    for m in card.metrics:
        unit = "share" if m.metric in ("response", "resolution") else METRICS[m.metric].unit
        out.write(
            f"  {m.label:<44} {_num(m.value, unit):>10}  target {_num(m.target, unit):>9}"
            f"  {m.verdict}\n"
        )
    if card.breaches:
        out.write(f"  breaches: {', '.join(card.breaches)}\n")


def write_scorecard(out: TextIO, card: Scorecard) -> None:
    c = card.contract
    out.write(f"{c.evaluation}: {c.candidate}, go-live {c.go_live}, {c.time_zone}\n")
    for month in card.months:
        write_period(out, month)
    if card.quarter is not None:
        out.write("\nQuarter as a whole:")
        write_period(out, card.quarter)
