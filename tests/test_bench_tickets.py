"""A tiny run of benchmarks/bench_tickets.py, so the benchmark keeps working (no timed asserts)."""

from __future__ import annotations

from benchmarks.bench_tickets import main


def test_the_ticket_benchmark_runs_small(tmp_path, capsys):
    times = main(["--count", "300", "--dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert "imported: 300 new, 0 changed, 0 unchanged, 0 unreadable; 12 months scored" in out
    assert "import / bare read-and-insert:" in out
    assert set(times) == {"bare", "import", "again", "scorecard"}
