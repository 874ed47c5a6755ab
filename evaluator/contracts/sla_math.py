"""The scorecard's arithmetic as pure functions over NumPy arrays (one bulk read, no row loops).

Conventions the tests pin:
- median and 90th percentile: NumPy's default (linear interpolation between order statistics,
  Hyndman-Fan type 7); missing values (NaN) are left out;
- share within target: tickets whose time is at most the target, over tickets that have the time;
- a share with no tickets to count is None ("no data"), never 0;
- verdict: breached when the target is missed; at risk when met within AT_RISK_MARGIN of it
  (evaluator.contracts.metrics); met otherwise.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

from evaluator.contracts.metrics import AT_RISK_MARGIN, Direction

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


class Verdict(StrEnum):
    MET = "met"
    AT_RISK = "at risk"
    BREACHED = "breached"
    NO_DATA = "no data"


SEVERITY = (Verdict.NO_DATA, Verdict.MET, Verdict.AT_RISK, Verdict.BREACHED)


def percentile(values: Floats, q: float) -> float | None:
    """The q-th percentile of the values present (NaN left out); None when none is."""
    present = values[~np.isnan(values)]
    return float(np.percentile(present, q)) if present.size else None


def share(flags: Flags, known: Flags | None = None) -> float | None:
    """True flags over the known ones (all when `known` is None); None when none is known."""
    counted = flags if known is None else flags[known]
    return float(counted.mean()) if counted.size else None


def within(values: Floats, target: float) -> float | None:
    """Share of the present values at most `target`."""
    present = ~np.isnan(values)
    return share(values <= target, present)


def verdict(value: float | None, target: float | None, direction: Direction) -> Verdict:
    """Met, at risk (met within 10% of the target) or breached; no data without both."""
    if value is None or target is None or direction is Direction.TEXT:
        return Verdict.NO_DATA
    eps = 1e-12
    if direction is Direction.MAX:
        if value > target + eps:
            return Verdict.BREACHED
        return Verdict.AT_RISK if value > target * (1 - AT_RISK_MARGIN) + eps else Verdict.MET
    if value < target - eps:
        return Verdict.BREACHED
    ceiling = target * (1 + AT_RISK_MARGIN)
    if target <= 1:  # a share: 10% of the room left to 100%
        ceiling = target + (1 - target) * AT_RISK_MARGIN
    return Verdict.AT_RISK if value < ceiling - eps else Verdict.MET


def worst(verdicts: list[Verdict]) -> Verdict:
    """The period's verdict: the worst of its metrics' (no data counts only when alone)."""
    return max(verdicts, key=SEVERITY.index, default=Verdict.NO_DATA)


def backlog(opened: npt.NDArray[np.int64], resolved: Floats, moment: int) -> int:
    """Tickets open at `moment` (UTC seconds): opened before it, not resolved by then."""
    still_open = np.isnan(resolved) | (resolved > moment)
    return int(np.count_nonzero((opened < moment) & still_open))


def credits(breaches: int, monthly_fee: float, percent: float, cap: float | None) -> float:
    """Service credit: `percent` of the monthly fee per breach, at most `cap` percent of it."""
    total = breaches * percent
    if cap is not None:
        total = min(total, cap)
    return round(monthly_fee * total / 100, 2)
