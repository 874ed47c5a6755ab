"""The scorecard: per month (and quarter) and priority, what was delivered against the targets.

One Core read of the contract's tickets into NumPy arrays, then every figure is vectorised
(evaluator.contracts.sla_math); months are local months of the contract's time zone, a ticket
counts in the month it was opened, clocks run around the clock (elapsed time). Response and
resolution are judged by the share of tickets within their priority's time target against the
SLA attainment target; the other metrics by their own target. Each breached metric of a month
(the overall attainment aside, which sums the others up) earns a service credit.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from evaluator.contracts import sla_math as M
from evaluator.contracts.baseline import read_contract_in
from evaluator.contracts.metrics import METRICS, PRIORITIES, Direction
from evaluator.contracts.model import Contract
from evaluator.db import Database
from evaluator.errors import ServiceError
from evaluator.models import CallMonthRow, TicketRow
from evaluator.records import EvalRef, get_evaluation

NOT_CREDITED = frozenset({"sla_attainment"})


@dataclass(frozen=True)
class MetricLine:
    metric: str
    priority: str
    value: float | None
    target: float | None
    verdict: str
    count: int  # tickets (or calls) the value counts

    @property
    def label(self) -> str:
        return f"{METRICS[self.metric].label} {self.priority}".strip()


@dataclass(frozen=True)
class PriorityLine:
    priority: str
    tickets: int
    response_median: float | None  # minutes
    response_p90: float | None
    response_target: float | None
    response_within: float | None  # share
    resolution_median: float | None
    resolution_p90: float | None
    resolution_target: float | None
    resolution_within: float | None
    backlog: int  # open at the period's end


@dataclass(frozen=True)
class PeriodCard:
    label: str  # 2025-03 or 2025-Q1
    months: tuple[int, ...]  # YYYYMM
    tickets: int
    priorities: list[PriorityLine]
    metrics: list[MetricLine]
    breaches: list[str]  # labels
    credit: float
    verdict: str

    def metric(self, key: str, priority: str = "") -> MetricLine | None:
        return next((m for m in self.metrics if (m.metric, m.priority) == (key, priority)), None)


@dataclass
class Scorecard:
    contract: Contract
    months: list[PeriodCard]
    quarter: PeriodCard | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the CLI's --json and the report's input)."""
        c = self.contract
        return {
            "evaluation": c.evaluation,
            "candidate": c.candidate,
            "go_live": c.go_live.isoformat(),
            "monthly_fee": c.monthly_fee,
            "time_zone": c.time_zone,
            "months": [asdict(m) for m in self.months],
            "quarter": asdict(self.quarter) if self.quarter else None,
        }


@dataclass(frozen=True)
class TicketArrays:
    """Every ticket of a contract, column by column; NaN where a time or flag is unknown."""

    opened: npt.NDArray[np.int64]
    responded: M.Floats
    resolved: M.Floats
    month: npt.NDArray[np.int64]
    priority: npt.NDArray[np.int64]
    reopened: M.Floats
    fcr: M.Floats
    offshore: M.Floats
    clinical: M.Floats
    satisfaction: M.Floats

    @classmethod
    def from_rows(cls, rows: list[Any]) -> TicketArrays:
        columns = list(zip(*rows, strict=True)) if rows else [()] * 10
        ints = [np.array(c, dtype=np.int64) for c in (columns[0], columns[3], columns[4])]
        floats = [
            np.array(c, dtype=np.float64) for i, c in enumerate(columns) if i not in (0, 3, 4)
        ]
        return cls(ints[0], floats[0], floats[1], ints[1], ints[2], *floats[2:])


def month_start(month: int, zone: ZoneInfo) -> int:
    """UTC seconds at local midnight starting month YYYYMM."""
    return int(datetime(month // 100, month % 100, 1, tzinfo=zone).timestamp())


def next_month(month: int) -> int:
    return month + 1 if month % 100 < 12 else (month // 100 + 1) * 100 + 1


def period(go_live_month: int, last: int, month: str | None, quarter: str | None) -> list[int]:
    """The months asked for: one month, a quarter's three, or go-live to the last with data."""
    if month:
        found = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ServiceError(f"--month {month!r}: write it as YYYY-MM")
        return [int(found.group(1)) * 100 + int(found.group(2))]
    if quarter:
        found = re.fullmatch(r"(\d{4})-?Q([1-4])", quarter.strip(), re.I)
        if not found:
            raise ServiceError(f"--quarter {quarter!r}: write it as YYYY-Qn (2025-Q1)")
        first = int(found.group(1)) * 100 + 3 * int(found.group(2)) - 2
        return [first, first + 1, first + 2]
    months, current = [], go_live_month
    while current <= max(last, go_live_month):
        months.append(current)
        current = next_month(current)
    return months


def _minutes(later: M.Floats, opened: npt.NDArray[np.int64]) -> M.Floats:
    return (later - opened) / 60.0


def compute_period(
    label: str,
    months: list[int],
    t: TicketArrays,
    calls: dict[int, tuple[int, int, int, float]],
    contract: Contract,
) -> PeriodCard:
    """One period's card from the arrays (pure: no database)."""
    zone = ZoneInfo(contract.time_zone)
    end = month_start(next_month(months[-1]), zone)
    mask = np.isin(t.month, months)
    response = _minutes(t.responded, t.opened)
    resolution = _minutes(t.resolved, t.opened)
    attainment = contract.value("sla_attainment")
    lines: list[PriorityLine] = []
    metrics: list[MetricLine] = []
    clocks: list[M.Flags] = []
    for p_index, name in enumerate(PRIORITIES, start=1):
        sel = mask & (t.priority == p_index)
        row: dict[str, Any] = {}
        for key, values in (("response", response[sel]), ("resolution", resolution[sel])):
            target = contract.value(key, name)
            within = None if target is None else M.within(values, target)
            if target is not None:
                clocks.append(values[~np.isnan(values)] <= target)
            present = int(np.count_nonzero(~np.isnan(values)))
            row.update(
                {
                    f"{key}_median": M.percentile(values, 50),
                    f"{key}_p90": M.percentile(values, 90),
                    f"{key}_target": target,
                    f"{key}_within": within,
                }
            )
            verdict = M.verdict(within, attainment, Direction.MIN)
            metrics.append(MetricLine(key, name, within, attainment, verdict.value, present))
        backlog = M.backlog(t.opened[t.priority == p_index], t.resolved[t.priority == p_index], end)
        lines.append(PriorityLine(name, int(np.count_nonzero(sel)), backlog=backlog, **row))
    pooled = np.concatenate(clocks) if clocks else np.array([], dtype=bool)
    metrics.insert(0, _line(contract, "sla_attainment", M.share(pooled), pooled.size))
    for key, values in (
        ("reopen", t.reopened),
        ("fcr", t.fcr),
        ("offshore", t.offshore),
        ("clinical", t.clinical),
    ):
        chosen = values[mask]
        known = ~np.isnan(chosen)
        metrics.append(_line(contract, key, M.share(chosen == 1, known), int(known.sum())))
    rated = t.satisfaction[mask]
    known = ~np.isnan(rated)
    metrics.append(_line(contract, "satisfaction", M.share(rated >= 4, known), int(known.sum())))
    month_calls = [calls[m] for m in months if m in calls]
    offered = sum(c[0] for c in month_calls)
    answered = sum(c[1] for c in month_calls)
    asa = sum(c[1] * c[3] for c in month_calls) / answered if answered else None
    metrics.append(_line(contract, "asa", asa, answered))
    abandoned = sum(c[2] for c in month_calls)
    metrics.append(
        _line(contract, "abandonment", abandoned / offered if offered else None, offered)
    )
    breaches = [
        m.label for m in metrics if m.verdict == M.Verdict.BREACHED and m.metric not in NOT_CREDITED
    ]
    credit = M.credits(
        len(breaches), contract.monthly_fee, contract.credit_percent, contract.credit_cap_percent
    )
    overall = M.worst([M.Verdict(m.verdict) for m in metrics])
    return PeriodCard(
        label,
        tuple(months),
        int(np.count_nonzero(mask)),
        lines,
        metrics,
        breaches,
        credit,
        overall.value,
    )


def _line(contract: Contract, key: str, value: float | None, count: int) -> MetricLine:
    target = contract.value(key)
    verdict = M.verdict(value, target, METRICS[key].direction)
    return MetricLine(key, "", value, target, verdict.value, count)


def read_arrays(session: Any, contract_id: int) -> TicketArrays:
    """Every ticket of the contract in one Core read."""
    rows = session.execute(
        select(
            TicketRow.opened_utc,
            TicketRow.responded_utc,
            TicketRow.resolved_utc,
            TicketRow.opened_month,
            TicketRow.priority,
            TicketRow.reopened,
            TicketRow.fcr,
            TicketRow.offshore,
            TicketRow.clinical,
            TicketRow.satisfaction,
        ).where(TicketRow.contract_id == contract_id)
    ).all()
    return TicketArrays.from_rows(rows)


def scorecard(
    db: Database, evaluation: EvalRef, *, month: str | None = None, quarter: str | None = None
) -> Scorecard:
    """The contract's scorecard: every month from go-live (or one month, or a quarter's months
    and the quarter as a whole)."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        contract = read_contract_in(session, ev)
        arrays = read_arrays(session, contract.id)
        calls = {
            r.month: (r.offered, r.answered, r.abandoned, r.asa_seconds)
            for r in session.execute(
                select(CallMonthRow).where(CallMonthRow.contract_id == contract.id)
            ).scalars()
        }
    go_live = contract.go_live.year * 100 + contract.go_live.month
    last = max([int(arrays.month.max()) if arrays.month.size else go_live, *calls])
    months = period(go_live, last, month, quarter)
    cards = [
        compute_period(f"{m // 100}-{m % 100:02d}", [m], arrays, calls, contract) for m in months
    ]
    card = Scorecard(contract, cards)
    if quarter:
        whole = compute_period(quarter.strip().upper(), months, arrays, calls, contract)
        whole = _with_credit(whole, sum(c.credit for c in cards))
        card.quarter = whole
    return card


def _with_credit(card: PeriodCard, credit: float) -> PeriodCard:
    """A quarter's credit is the sum of its months' (credits are monthly)."""
    from dataclasses import replace

    return replace(card, credit=round(credit, 2))
