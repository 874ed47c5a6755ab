"""Benchmark of the contract's ticket import and scorecard at a large health system's scale
(a script, not a test; no timed asserts).

Generates N tickets over a year (generic CSV, tools/make_tickets.py), then times: a bare read
of that file with the csv module and a Core executemany of its raw text rows into a plain table
(the floor: reading and inserting, nothing checked), the import (mapping, parsing, time zones,
comparison with what is stored, one bulk write), the same import again (every row unchanged),
and the year's scorecard (one Core read, NumPy). Prints each time and the import's ratio to
the bare read-and-insert. Run from the repository root:

    /work/main/.venv/bin/python benchmarks/bench_tickets.py [--count 500000] [--db URL]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(label: str, work: Callable[[], Any]) -> tuple[Any, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<52} {wall:7.2f} s wall {cpu:7.2f} s cpu", flush=True)
    return result, wall


def bare_read_and_insert(path: Path, url: str) -> int:
    """csv.reader over the file and one executemany of the raw rows: the floor."""
    from sqlalchemy import Column, MetaData, Table, Text, create_engine, insert

    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    meta = MetaData()
    table = Table("bare_tickets", meta, *(Column(name, Text) for name in header))
    engine = create_engine(url)
    meta.drop_all(engine)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), rows)
    meta.drop_all(engine)
    engine.dispose()
    return len(rows)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp)")
    args = parser.parse_args(argv)

    from evaluator import contracts
    from tests.contract_fixtures import AWARD, awarded
    from tools.make_tickets import generate, rows, write_table

    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-tickets-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{args.count:,} tickets over 2025 in {work}")
    tickets, _ = timed("generate the tickets", lambda: generate(args.count, seed=args.seed))
    export = work / "tickets.csv"
    timed(
        "write the generic CSV export",
        lambda: write_table(rows(tickets, "generic", "America/New_York"), export),
    )
    db, _ev = awarded(work)
    contracts.create_contract(
        db, AWARD, go_live=date(2025, 1, 1), monthly_fee=40_000.0, time_zone="America/New_York"
    )
    _, bare = timed(
        "bare csv read + Core executemany (the floor)",
        lambda: bare_read_and_insert(export, str(db.engine.url)),
    )
    preview, first = timed(
        "tickets import (parse, compare, one bulk write)",
        lambda: contracts.import_tickets(db, AWARD, [export], preset="generic"),
    )
    _, again = timed(
        "the same import again (all unchanged)",
        lambda: contracts.import_tickets(db, AWARD, [export], preset="generic"),
    )
    card, year = timed("the year's scorecard (12 months)", lambda: contracts.scorecard(db, AWARD))
    db.close()
    print(f"imported: {preview.summary()}; {len(card.months)} months scored")
    print(
        f"import / bare read-and-insert: {first / bare:.1f}x; "
        f"scorecard: {year:.2f} s for {args.count:,} tickets"
    )
    return {"bare": bare, "import": first, "again": again, "scorecard": year}


if __name__ == "__main__":
    main()
