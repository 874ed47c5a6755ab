"""Benchmark of the sensitivity analysis at committee scale (a script, not a test; no asserts).

50 candidates x 200 criteria x 10 members (the synthetic evaluation of benchmarks/bench_scoring.py):
10,000 simulation draws with the weights varied (Dirichlet) and every cell's members' scores
resampled (bootstrap), as the window, the command line and the reports run them; then the
weight-to-flip table (every category and criterion) and the ranking under three weighting sets.
Wall-clock and CPU time are both printed: on a busy machine the CPU time is the steadier figure.
Run from the repository root:

    /work/main/.venv/bin/python benchmarks/bench_sensitivity.py [--draws 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(label: str, work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<58} {wall:7.2f} s wall {cpu:7.2f} s cpu")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from benchmarks.bench_scoring import build_data
    from evaluator.domain import WeightSet
    from evaluator.flip_table import flip_table
    from evaluator.robustness import Settings, simulate
    from evaluator.set_rankings import compare_sets

    data = build_data()
    leaves = sum(1 for root in data.criteria for _ in root.children)
    print(
        f"{len(data.candidates)} candidates x {leaves} criteria x {len(data.evaluators)} "
        f"members ({len(data.scores):,} scores)"
    )
    settings = Settings(draws=args.draws, seed=args.seed)
    result = timed(f"simulation, {args.draws:,} draws", lambda: simulate(data, settings))
    print(f"  {settings.describe()}")
    print(
        f"  {result.varied_cells:,} cells resampled; the leader ranks first in "
        f"{100 * (result.leader_chance or 0):.1f}% of the draws"
    )
    for label, varied in (
        ("  weights only", Settings(args.draws, args.seed, resample=False)),
        ("  scores only", Settings(args.draws, args.seed, concentration=None)),
    ):
        timed(label, lambda s=varied: simulate(data, s))
    rows = timed("what flips the winner (every category and criterion)", lambda: flip_table(data))
    print(f"  {len(rows)} rows, {sum(not r.holds for r in rows)} can flip the winner")
    data.weight_sets = [
        WeightSet(i, name, tuple((r.key, float(1 + (i + n) % 5)) for n, r in enumerate(roots)))
        for i, name in enumerate(("Clinical", "IT", "Finance"), start=1)
        for roots in [data.criteria]
    ]
    comparison = timed("rankings under three weighting sets", lambda: compare_sets(data))
    print(f"  the winner holds under every set: {comparison.holds}")


if __name__ == "__main__":
    main()
