"""`python -m benchmarks [--quick] [--sizes 10x50x5,25x100x10,50x200x10] [--repeats N]`.

For each size: the data is generated (seeded, fictitious, through the app's loader), then every
operation and its bare-library baseline run alternately `repeats` times; the table gives the
medians, the ratio and the target for the largest size, then each operation's growth over the
sizes. Figures only: nothing here asserts a time (the smoke test runs `--quick`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.data import QUICK, SIZES, Size

Row = tuple[str, float, float | None, str, str]  # name, app, bare, target, note


def run_size(size: Size, repeats: int, out=print) -> list[Row]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from benchmarks.operations import Prepared, pairs
    from benchmarks.questionnaires import Questionnaires

    QApplication.instance() or QApplication([])  # the session's signals need one
    with tempfile.TemporaryDirectory(prefix="supportscope-bench-") as folder:
        out(f"\n{size} ({size.scores:,} scores): preparing the data…")
        prepared = Prepared(size, Path(folder))
        questionnaires = Questionnaires(size, Path(folder))
        rows: list[Row] = []
        for pair in pairs(prepared, questionnaires):
            app_times, bare_times = [], []
            for _ in range(repeats * pair.runs):  # alternating: a busy moment hits both
                app_times.append(pair.app())
                if pair.bare is not None:
                    bare_times.append(pair.bare())
            app = statistics.median(app_times)
            bare = statistics.median(bare_times) if bare_times else None
            rows.append((pair.name, app, bare, pair.target, pair.note()))
            out(line(rows[-1]))
    return rows


def figure(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    if "RSS" in name:
        return f"{value:.0f} MiB"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def verdict(row: Row) -> tuple[str, str]:
    """The ratio (or the absolute figure) and whether it meets the target."""
    _name, app, bare, target, _ = row
    if target.endswith("x"):
        ratio = app / bare if bare else float("inf")
        return f"{ratio:.1f}x", "met" if ratio <= float(target[:-1]) else "not met"
    limit = float(target.split()[0])
    return "", "met" if app <= limit else "not met"


def line(row: Row) -> str:
    name, app, bare, target, note = row
    ratio, met = verdict(row)
    return (f"| {name} | {figure(name, app)} | {figure(name, bare)} | {ratio or '—'} | "
            f"≤ {target} ({met}) | {note} |")  # fmt: skip


def table(size: Size, rows: list[Row]) -> str:
    head = [
        f"Committee scale {size}: medians of alternating runs",
        "",
        "| operation | SupportScope | bare library | ratio | target | notes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    return "\n".join(head + [line(row) for row in rows])


def growth(results: dict[Size, list[Row]]) -> str:
    sizes = list(results)
    head = [
        "Growth over the sizes (SupportScope / bare library)",
        "",
        "| operation | " + " | ".join(str(s) for s in sizes) + " |",
        "| --- |" + " --- |" * len(sizes),
    ]
    lines = []
    for i, (name, *_rest) in enumerate(results[sizes[0]]):
        cells = []
        for size in sizes:
            _, app, bare, _, _ = results[size][i]
            cells.append(figure(name, app) + ("" if bare is None else f" / {figure(name, bare)}"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(head + lines)


def main(argv: list[str] | None = None, out=print) -> dict[Size, list[Row]]:  # type: ignore[no-untyped-def]
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test")
    parser.add_argument("--sizes", help="comma-separated CxLxM, e.g. 10x50x5,50x200x10")
    parser.add_argument("--repeats", type=int, help="runs of each side (default 3; quick 1)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sizes = [Size.parse(s) for s in args.sizes.split(",")] if args.sizes else None
    sizes = sizes or list(QUICK if args.quick else SIZES)
    repeats = args.repeats or (1 if args.quick else 3)
    results = {size: run_size(size, repeats, out) for size in sizes}
    largest = max(results, key=lambda s: s.scores)
    out("\n" + table(largest, results[largest]))
    out("\n" + growth(results))
    return results
