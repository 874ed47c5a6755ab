"""Fictitious service-desk ticket exports for the contract tests, the benchmark and demos.

    python tools/make_tickets.py OUT_DIR [--count 2000] [--seed 7] [--start 2025-01]
        [--months 12] [--zone America/New_York] [--format csv|xlsx] [--shape all|servicenow|...]

Writes ServiceNow-like (local times without offset, "1 - Critical"), Jira-like (ISO times with
offsets, Highest..Low) and generic (UTC, P1-P4) exports of the same seeded tickets, plus, with
every shape, an overlapping second export (tickets in both files: duplicates across files) and
a month of call statistics. Times cross the daylight-saving changes of the zone; some tickets
have no first response or are still open, some were reopened. Organisations and people are
invented.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluator.atomic import atomic_path
from evaluator.contracts.fields import PRESETS

SHAPES = ("servicenow", "jira", "generic")
GROUPS = (
    "Clinical Apps - Orders",
    "Clinical Apps - Pharmacy",
    "Revenue Cycle",
    "Interfaces",
    "Service Desk L1",
)
CATEGORIES = ("Access", "Clinical documentation", "Orders", "Printing", "Interfaces", "Billing")
MINUTES = {
    1: (5, 25, 90, 400),
    2: (20, 90, 240, 700),
    3: (60, 300, 600, 2000),
    4: (120, 600, 1500, 6000),
}  # median-ish response, slow response, resolve, slow resolve
SN_PRIORITY = {1: "1 - Critical", 2: "2 - High", 3: "3 - Moderate", 4: "4 - Low"}
JIRA_PRIORITY = {1: "Highest", 2: "High", 3: "Medium", 4: "Low"}


@dataclass(frozen=True)
class Ticket:
    number: int
    opened: int  # UTC seconds
    responded: int | None
    resolved: int | None
    priority: int
    category: str
    group: str
    reopened: bool
    fcr: bool | None
    offshore: bool
    clinical: bool
    rating: int | None


def generate(
    count: int,
    *,
    seed: int = 7,
    start: str = "2025-01",
    months: int = 12,
    zone: str = "America/New_York",
) -> list[Ticket]:
    """`count` tickets opened evenly at random over `months` months from `start` (local)."""
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    year, month = (int(p) for p in start.split("-"))
    begin = int(datetime(year, month, 1, tzinfo=tz).timestamp())
    end_month = (year * 12 + month - 1) + months
    end = int(datetime(end_month // 12, end_month % 12 + 1, 1, tzinfo=tz).timestamp())
    tickets = []
    for number in range(1, count + 1):
        opened = rng.randrange(begin, end)
        priority = rng.choices((1, 2, 3, 4), weights=(3, 12, 45, 40))[0]
        fast, slow, fix, slow_fix = MINUTES[priority]
        respond = rng.expovariate(1 / fast) if rng.random() < 0.85 else rng.uniform(fast, slow)
        resolve = rng.expovariate(1 / fix) if rng.random() < 0.85 else rng.uniform(fix, slow_fix)
        responded = None if rng.random() < 0.03 else opened + int(respond * 60) + 30
        resolved = None if rng.random() < 0.06 else opened + int(max(resolve, respond) * 60) + 60
        rating = rng.choices((None, 1, 2, 3, 4, 5), weights=(60, 2, 3, 5, 12, 18))[0]
        tickets.append(
            Ticket(
                number,
                opened,
                responded,
                resolved,
                priority,
                rng.choice(CATEGORIES),
                rng.choice(GROUPS),
                rng.random() < 0.05,
                None if rng.random() < 0.1 else rng.random() < 0.7,
                rng.random() < 0.12,
                rng.random() < 0.55,
                rating,
            )
        )
    return tickets


def _time(seconds: int | None, shape: str, tz: ZoneInfo) -> str:
    if seconds is None:
        return ""
    moment = datetime.fromtimestamp(seconds, tz)
    if shape == "servicenow":
        return moment.strftime("%Y-%m-%d %H:%M:%S")  # local, no offset (DST folds ambiguous)
    if shape == "jira":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _yes(flag: bool | None, shape: str) -> str:
    if flag is None:
        return ""
    return ("Yes" if flag else "No") if shape != "generic" else ("true" if flag else "false")


def rows(tickets: list[Ticket], shape: str, zone: str) -> list[list[object]]:
    """The export's header and rows in the shape's own words."""
    tz = ZoneInfo(zone)
    header = list(PRESETS[shape])
    out: list[list[object]] = [header]
    for t in tickets:
        ident = {
            "servicenow": f"INC{t.number:07d}",
            "jira": f"HPS-{t.number}",
            "generic": f"T{t.number:07d}",
        }[shape]
        priority = {"servicenow": SN_PRIORITY, "jira": JIRA_PRIORITY}.get(shape, {})
        out.append(
            [
                ident,
                _time(t.opened, shape, tz),
                _time(t.responded, shape, tz),
                _time(t.resolved, shape, tz),
                priority.get(t.priority, f"P{t.priority}"),
                t.category,
                t.group,
                (1 if t.reopened else 0) if shape == "servicenow" else _yes(t.reopened, shape),
                _yes(t.fcr, shape),
                ("Offshore" if t.offshore else "Onshore")
                if shape == "servicenow"
                else _yes(t.offshore, shape),
                _yes(t.clinical, shape),
                "" if t.rating is None else t.rating,
            ]
        )
    return out


def write_table(table: list[list[object]], path: Path) -> Path:
    """CSV (UTF-8) or XLSX by the file's suffix, written atomically."""
    with atomic_path(path) as temp:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet("Export")
            for row in table:
                sheet.append(row)
            book.save(temp)
        else:
            with open(temp, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle).writerows(table)
    return path


def write_exports(
    out: Path,
    tickets: list[Ticket],
    *,
    shapes: tuple[str, ...] = SHAPES,
    zone: str = "America/New_York",
    fmt: str = "csv",
) -> list[Path]:
    """Per shape: part 1 (the first 60% of tickets by opening) and part 2 (from 50%: the tickets
    between are in both files, as overlapping exports are)."""
    out.mkdir(parents=True, exist_ok=True)
    ordered = sorted(tickets, key=lambda t: t.opened)
    cut, overlap = int(len(ordered) * 0.6), int(len(ordered) * 0.5)
    paths = []
    for shape in shapes:
        for part, chunk in ((1, ordered[:cut]), (2, ordered[overlap:])):
            paths.append(write_table(rows(chunk, shape, zone), out / f"{shape}-{part}.{fmt}"))
    return paths


def call_table(months: list[str], seed: int = 7) -> list[list[object]]:
    rng = random.Random(seed)
    table: list[list[object]] = [["Month", "Offered", "Answered", "Abandoned", "ASA (s)"]]
    for month in months:
        offered = rng.randrange(3000, 6000)
        abandoned = int(offered * rng.uniform(0.02, 0.1))
        table.append([month, offered, offered - abandoned, abandoned, round(rng.uniform(12, 45))])
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", default="2025-01")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--zone", default="America/New_York")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--shape", choices=("all", *SHAPES), default="all")
    args = parser.parse_args(argv)
    tickets = generate(
        args.count, seed=args.seed, start=args.start, months=args.months, zone=args.zone
    )
    shapes = SHAPES if args.shape == "all" else (args.shape,)
    for path in write_exports(args.out, tickets, shapes=shapes, zone=args.zone, fmt=args.format):
        print(path)
    year, month = (int(p) for p in args.start.split("-"))
    months = [
        f"{(year * 12 + month - 1 + i) // 12}-{(month - 1 + i) % 12 + 1:02d}"
        for i in range(args.months)
    ]
    print(write_table(call_table(months, args.seed), args.out / f"calls.{args.format}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
