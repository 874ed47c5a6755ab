"""Crash safety of a questionnaire import (issue 9): `main.py questionnaire import` of three
filled questionnaires, killed with SIGKILL at 30 moments spread over its run. Afterwards the
database passes `PRAGMA integrity_check`, and every file is in it whole (its 15 answers as
filled, 15 audit entries and the import's own) or not at all; files are imported in order, so
the ones in are always the first few. Each run starts from a copy of the same database.

SQL statements are slowed (tests/crash_harness.py) so that a good share of the kills land
inside the write transactions. Prints the runs and how many files each left imported.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from cli.runner import run
from evaluator.db import open_database
from evaluator.services import load_evaluation
from tests.crash_harness import kill_delays, run_killed, run_to_end, slow_statements
from tests.excel_fixtures import (
    CANDIDATES,
    EVALUATION,
    GOOD,
    GOOD_VALUES,
    fill_questionnaire,
    lakeside_db,
)

pytestmark = [
    pytest.mark.slow,  # about 30 s
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
]
RUNS = 30
WRAPPER = slow_statements(0.004)
# each candidate's file differs (the number of named analysts), so a mix-up would show
ANSWERS = {name: dict(GOOD, **{"support.analysts": 3 + i}) for i, name in enumerate(CANDIDATES)}
EXPECTED = {
    name: dict(GOOD_VALUES, **{"support.analysts": 3.0 + i}) for i, name in enumerate(CANDIDATES)
}


def filled_questionnaires(folder: Path, db_path: Path) -> list[Path]:
    files = []
    for i, candidate in enumerate(CANDIDATES):
        template = folder / f"template-{i}.xlsx"
        argv = ["questionnaire", "template", EVALUATION, "-o", str(template)]
        assert run([*argv, "--candidate", candidate, "--db", str(db_path)]) == 0
        files.append(fill_questionnaire(template, folder / f"filled-{i}.xlsx", ANSWERS[candidate]))
    return files


def fresh_copy(pristine: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, target)


def imported_files(db_path: Path, context: str) -> int:
    """How many of the files are in the database, checking each is whole or absent."""
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
        audit = Counter(
            (action, target.split(" / ")[0])
            for action, target in conn.execute("SELECT action, target FROM audit_log")
        )
    conn.close()
    db = open_database(db_path)
    try:
        data = load_evaluation(db, EVALUATION)
    finally:
        db.close()
    whole = []
    for candidate in CANDIDATES:
        cid = next(c.id for c in data.candidates if c.name == candidate)
        answers = {r.criterion_key: r.value for r in data.responses if r.candidate_id == cid}
        entries = (audit["set answer", candidate], audit["import questionnaire", candidate])
        if answers:
            assert answers == EXPECTED[candidate], context
            assert entries == (15, 1), context
        else:
            assert entries == (0, 0), context
        whole.append(bool(answers))
    assert whole == sorted(whole, reverse=True), f"{context}: imported {whole}"
    return sum(whole)


def test_a_killed_import_leaves_each_file_wholly_in_or_out(tmp_path: Path) -> None:
    db, _ = lakeside_db(tmp_path)
    db.close()
    pristine = tmp_path / "lakeside.db"
    files = filled_questionnaires(tmp_path, pristine)
    assert not Path(f"{pristine}-wal").exists()
    live = tmp_path / "run.db"
    argv = ["questionnaire", "import", EVALUATION, *map(str, files), "--db", str(live)]
    fresh_copy(pristine, live)
    span = run_to_end(WRAPPER, argv)
    assert imported_files(live, "uninterrupted") == len(files)
    seed = int.from_bytes(os.urandom(4), "big")
    outcomes: Counter[int] = Counter()
    for delay in kill_delays(RUNS, span, seed):
        fresh_copy(pristine, live)
        status = run_killed(WRAPPER, argv, delay)
        context = f"killed at {delay:.3f} s of {span:.3f} s (seed {seed})"
        count = imported_files(live, context)
        assert status is None or count == len(files), context
        outcomes[count] += 1
    print(
        f"import of {len(files)} files killed {RUNS} times over {span:.2f} s (seed {seed}): "
        f"runs by files left imported {dict(sorted(outcomes.items()))}; integrity ok in all"
    )
    assert sum(outcomes.values()) == RUNS
    assert outcomes[0] >= 1 and outcomes[len(files)] >= 1  # killed early, and late or never
