"""Crash safety of an export (issue 9): `main.py export` of a PDF + workbook over an existing
pair, killed with SIGKILL at 30 moments spread over its run. After the next run's recovery
(`recover_folder`, what every export into the folder and the window's start run first) the
folder holds the old pair byte-identical or a complete new pair, and no temporary file.

Renames are slowed (tests/crash_harness.py) so that some kills land between the journal and the
moves and between the two moves, where the old code left a new workbook beside the old PDF (3
of 30 runs of this harness; tests/test_report_pair.py pins that moment without timing). Prints
the runs and their outcomes.
"""

from __future__ import annotations

import os
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from cli.runner import run
from evaluator.report_pair import recover_folder
from tests.crash_harness import kill_delays, run_killed, run_to_end, slow_renames
from tests.excel_fixtures import EVALUATION, lakeside_db

pytestmark = [
    pytest.mark.slow,  # about 35 s
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
]
RUNS = 30
WRAPPER = slow_renames(0.15)


def complete_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def complete_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None and "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def test_a_killed_export_leaves_the_old_pair_or_the_complete_new_one(tmp_path: Path) -> None:
    db, _ = lakeside_db(tmp_path)
    db.close()
    out = tmp_path / "reports"
    out.mkdir()
    pdf, xlsx = out / "Lakeside report.pdf", out / "Lakeside report.xlsx"
    where = ["--db", str(tmp_path / "lakeside.db")]
    pair = ["--pdf", str(pdf), "--xlsx", str(xlsx)]
    assert run(["export", EVALUATION, *pair, "--firm", "Old Firm Ltd", *where]) == 0
    old_pdf, old_xlsx = pdf.read_bytes(), xlsx.read_bytes()
    argv = ["export", EVALUATION, *pair, "--firm", "New Firm Ltd", *where]
    span = run_to_end(WRAPPER, argv)
    seed = int.from_bytes(os.urandom(4), "big")
    outcomes: Counter[str] = Counter()
    removed = 0
    for delay in kill_delays(RUNS, span, seed):
        pdf.write_bytes(old_pdf)  # the pair on disk before each export
        xlsx.write_bytes(old_xlsx)
        status = run_killed(WRAPPER, argv, delay)
        recovery = recover_folder(out)
        removed += recovery.removed
        new = (pdf.read_bytes() != old_pdf, xlsx.read_bytes() != old_xlsx)
        context = f"killed at {delay:.3f} s of {span:.3f} s (seed {seed}): {new=}"
        assert new in ((False, False), (True, True)), context
        if new == (True, True):
            assert complete_pdf(pdf.read_bytes()) and complete_workbook(xlsx), context
        left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
        assert left == [], context
        if status is not None:
            outcomes["finished before the kill"] += 1
        elif recovery.finished:
            outcomes["new pair, finished by the next run"] += 1
        else:
            outcomes["new pair" if new[0] else "old pair kept"] += 1
    print(
        f"export killed {RUNS} times over {span:.2f} s (seed {seed}): {dict(outcomes)}; "
        f"{removed} stale temporary files removed by the next run"
    )
    assert sum(outcomes.values()) == RUNS
    assert outcomes["old pair kept"] >= 1 and sum(outcomes.values()) > outcomes["old pair kept"]
