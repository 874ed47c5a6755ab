"""Automatic backups before imports (made, named, pruned to the newest N, and undoing the import
with `restore --replace`), and backups taken while another process keeps writing.

Each test runs on a SQLite file and on the test PostgreSQL server (tests/conftest.py)."""

from __future__ import annotations

import multiprocessing
import re
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluator import backups, services
from evaluator.db import open_database
from tests.core_fixtures import populated, start_scoring, target
from tests.excel_fixtures import CANDIDATES, EVALUATION, GOOD, fill_questionnaire, lakeside_tree
from tests.test_backups import documents, ok

NORTHWIND = CANDIDATES[0]
BACKED_UP = re.compile(r"^backed up the evaluation before the import: (.+)$", re.M)


@pytest.fixture
def lakeside(tmp_path: Path, backend, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    """The questionnaire fixture's evaluation on this back end; returns --db. A server
    database's automatic backups go to tmp_path/backups here (the data folder)."""
    monkeypatch.setenv("SUPPORTSCOPE_DB", str(tmp_path / "default.db"))
    where = target(tmp_path / "lakeside.db")
    db = open_database(where)
    ev = services.create_evaluation(db, EVALUATION, lakeside_tree(), actor="chair")
    for candidate in CANDIDATES:
        services.add_candidate(db, ev, candidate, actor="chair")
    services.add_evaluator(db, ev, "Rosa Ferreira", "CNO", actor="chair")
    db.close()
    return where


def answer(where: str, key: str) -> object:
    db = open_database(where, create=False)
    data = services.load_evaluation(db, EVALUATION)
    db.close()
    return next((r.value for r in data.responses if r.criterion_key == key), None)


def test_every_import_backs_the_evaluation_up_first_and_keeps_the_newest(
    tmp_path, lakeside, monkeypatch
):
    monkeypatch.setattr(backups, "KEEP_AUTOMATIC", 3)
    template = tmp_path / "template.xlsx"
    ok(lakeside, "questionnaire", "template", EVALUATION, "-o", str(template), "--candidate",
       NORTHWIND)  # fmt: skip
    made: list[Path] = []
    for hours in range(1, 6):  # the vendor sends five versions of its answers
        filled = fill_questionnaire(
            template, tmp_path / f"v{hours}.xlsx", dict(GOOD, **{"support.l4-hours": hours})
        )
        out = ok(lakeside, "questionnaire", "import", EVALUATION, str(filled), "--yes")
        (line,) = BACKED_UP.findall(out)
        made.append(Path(line))
        assert answer(lakeside, "support.l4-hours") == hours
    folder = tmp_path / "backups"
    assert {p.parent for p in made} == {folder}
    for path in made:  # <database>.<UTC stamp>.before-import.<evaluation>.db
        assert re.fullmatch(
            r"[\w-]+\.\d{8}T\d{6}\.\d{6}Z\.before-import\.lakeside-support-rfp\.db", path.name
        ), path.name
    assert sorted(folder.iterdir()) == made[-3:]  # pruned to the newest three
    # the newest holds the evaluation as the last import found it: restoring it undoes that import
    assert set(documents(str(made[-1]))) == {EVALUATION}
    out = ok(lakeside, "restore", str(made[-1]), "--replace")
    assert f"'{EVALUATION}' (replaced)" in out
    assert answer(lakeside, "support.l4-hours") == 4


def test_a_scoresheet_import_backs_the_evaluation_up_too(tmp_path, lakeside):
    db = open_database(lakeside, create=False)
    start_scoring(db, EVALUATION)  # Rosa declares; scores are taken in the scoring phase
    db.close()
    sheet = tmp_path / "rosa.xlsx"
    ok(lakeside, "scoresheet", "export", EVALUATION, "--evaluator", "Rosa Ferreira", "-o",
       str(sheet))  # fmt: skip
    workbook = load_workbook(sheet)
    workbook["Scores"]["F5"], workbook["Scores"]["G5"] = 2, "Fewer than promised."
    workbook.save(sheet)
    before = documents(lakeside)[EVALUATION]
    out = ok(lakeside, "scoresheet", "import", EVALUATION, str(sheet))
    (line,) = BACKED_UP.findall(out)
    assert documents(line)[EVALUATION] == before
    assert documents(lakeside)[EVALUATION]["scores"] != before["scores"]


def test_an_import_that_cannot_be_backed_up_imports_nothing(tmp_path, lakeside):
    template = tmp_path / "template.xlsx"
    ok(lakeside, "questionnaire", "template", EVALUATION, "-o", str(template), "--candidate",
       NORTHWIND)  # fmt: skip
    filled = fill_questionnaire(template, tmp_path / "v1.xlsx", GOOD)
    (tmp_path / "backups").write_text("a file where the backups folder should be")
    from tests.test_backups import refused

    err = refused(lakeside, "questionnaire", "import", EVALUATION, str(filled))
    assert f"'{EVALUATION}' could not be backed up before the import" in err
    assert "nothing was imported" in err
    assert answer(lakeside, "support.l4-hours") is None


# ---- a backup while another process writes --------------------------------------------------

EDITS = 300


def test_backups_taken_while_another_process_writes_are_consistent(tmp_path, backend):
    """Another process makes 300 score edits (each bumps the evaluation's revision and writes one
    audit entry, in one transaction) while this one takes backups: every backup is a sound file
    whose revision counter and audit trail agree, i.e. a snapshot, never a torn copy."""
    from tests.concurrency_worker import score_edits

    db, ev = populated(tmp_path)
    services.change_status(db, ev, "scoring")
    start_revision = services.current_revision(db, ev)
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(2), spawn.Queue()
    where = target(tmp_path / "t.db")
    worker = spawn.Process(
        target=score_edits, args=(where, ev, "Ann Example", EDITS, start, results)
    )
    worker.start()
    start.wait(60)
    taken: list[tuple[int, int]] = []
    while worker.is_alive() or not taken:
        path = tmp_path / f"during-{len(taken)}.db"
        backups.backup_database(db, path)
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (revision,) = con.execute("SELECT revision FROM evaluations WHERE id = ?", (ev,)).fetchone()
        (edits,) = con.execute(
            "SELECT count(*) FROM audit_log WHERE evaluation_id = ? AND action = 'set score'",
            (ev,),
        ).fetchone()
        con.close()
        path.unlink()
        taken.append((revision - start_revision, edits))
    member, landed, errors = results.get(timeout=300)
    worker.join(60)
    db.close()
    during = [edits for _rev, edits in taken if 0 < edits < EDITS]
    print(
        f"{backend.name}: {landed} edits landed; {len(taken)} backups taken, {len(during)} of "
        f"them mid-way; (revision, edits) first/last: {taken[0]} / {taken[-1]}"
    )
    assert (member, landed, errors) == ("Ann Example", EDITS, [])
    assert all(rev == edits for rev, edits in taken), taken  # each one a snapshot
    assert during, "no backup was taken while the other process was writing"
