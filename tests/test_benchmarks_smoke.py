"""The benchmark suite (`python -m benchmarks`) runs, so it cannot rot: one tiny size, one run
of each side, every row printed with a figure. No timed asserts: the figures are printed only
(run `pytest -s` to see them)."""

from __future__ import annotations

from benchmarks.suite import main


def test_the_quick_benchmark_prints_every_operation_with_its_baseline():
    printed: list[str] = []
    results = main(["--quick", "--sizes", "2x10x2"], out=printed.append)
    print("\n".join(printed))
    (rows,) = results.values()
    names = [row[0] for row in rows]
    assert len(names) == 9 and any("Excel" in n for n in names) and any("PDF" in n for n in names)
    for name, app, bare, _target, _note in rows:
        assert app > 0, name  # measured, not skipped
        assert bare is None or bare > 0, name
    table = printed[-2]
    assert table.count("\n| ") == 2 + len(rows)  # header, rule and one line per operation
