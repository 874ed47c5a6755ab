"""The PDF and the workbook move into place all or nothing (issue 9, defect 12).

A kill is simulated in-process: `os.replace` raises a BaseException (as SIGKILL, nothing after
it runs) while the files are tagged with the pid of a process that has ended, so the recovery
sees what a later run would see. tests/test_crash_export.py kills real processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evaluator import atomic, report_pair
from evaluator.report_pair import PartialCommit, recover_folder
from evaluator.report_pair import report_pair as pair_of
from tests.core_fixtures import populated


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so no handler of the app catches it."""


def dead_tag() -> str:
    """An owner tag naming a process of this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{child.pid}@{atomic.owner_tag().split('@', 1)[1]}"


def as_dead_process(monkeypatch: pytest.MonkeyPatch) -> None:
    tag = dead_tag()
    monkeypatch.setattr(atomic, "owner_tag", lambda: tag)
    monkeypatch.setattr(report_pair, "owner_tag", lambda: tag, raising=False)


def kill_at_move(monkeypatch: pytest.MonkeyPatch, targets: set[Path], nth: int) -> None:
    """Make the `nth` os.replace onto one of `targets` (1-based) kill the process."""
    real = os.replace
    seen = []

    def replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) in targets:
            seen.append(dst)
            if len(seen) == nth:
                raise Killed
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def old_pair(folder: Path) -> tuple[Path, Path]:
    pdf, xlsx = folder / "r.pdf", folder / "r.xlsx"
    pdf.write_bytes(b"old pdf")
    xlsx.write_bytes(b"old workbook")
    return pdf, xlsx


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_kill_between_the_two_moves_is_finished_by_the_next_export(tmp_path, monkeypatch):
    from reports.export import export_reports

    db, evaluation = populated(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    pdf, xlsx = old_pair(out)
    with monkeypatch.context() as patch:
        as_dead_process(patch)
        kill_at_move(patch, {pdf, xlsx}, nth=2)
        with pytest.raises(Killed):
            export_reports(db, evaluation, pdf, xlsx)
    moved = [p for p in (pdf, xlsx) if p.read_bytes() not in (b"old pdf", b"old workbook")]
    assert len(moved) == 1  # the crash left the pair disagreeing for now
    export_reports(db, evaluation, pdf_path=out / "other.pdf")  # the next export into the folder
    assert pdf.read_bytes().startswith(b"%PDF")
    assert xlsx.read_bytes().startswith(b"PK")  # both new: the interrupted pair was finished
    assert leftovers(out) == []
    db.close()


def write_pair(pdf: Path, xlsx: Path, pdf_bytes: bytes, xlsx_bytes: bytes) -> None:
    with pair_of() as pair:
        pair.temp_for(pdf).write_bytes(pdf_bytes)
        pair.temp_for(xlsx).write_bytes(xlsx_bytes)


@pytest.mark.parametrize("nth", [1, 2])
def test_a_journaled_pair_is_rolled_forward_wherever_the_kill_fell(tmp_path, monkeypatch, nth):
    pdf, xlsx = old_pair(tmp_path)
    with monkeypatch.context() as patch:
        as_dead_process(patch)
        kill_at_move(patch, {pdf, xlsx}, nth=nth)
        with pytest.raises(Killed):
            write_pair(pdf, xlsx, b"new pdf", b"new workbook")
    assert any(name.endswith(".journal") for name in leftovers(tmp_path))
    done = recover_folder(tmp_path)
    assert (done.finished, done.discarded) == (1, 0)
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"new pdf", b"new workbook")
    assert leftovers(tmp_path) == []


def test_a_kill_before_the_journal_keeps_the_old_pair_and_removes_the_temps(tmp_path, monkeypatch):
    pdf, xlsx = old_pair(tmp_path)
    with monkeypatch.context() as patch:
        as_dead_process(patch)

        def killed(*args: object) -> None:
            raise Killed

        patch.setattr(report_pair.PairWriter, "_write_journals", killed)
        with pytest.raises(Killed):
            write_pair(pdf, xlsx, b"new pdf", b"new workbook")
    (tmp_path / f".r.pdf.{dead_tag()}.abcdefgh.part").write_bytes(b"left by a kill mid-render")
    assert len(leftovers(tmp_path)) == 1
    assert recover_folder(tmp_path).removed == 1
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"old pdf", b"old workbook")
    assert leftovers(tmp_path) == []


def journal_of(folder: Path) -> Path:
    (journal,) = folder.glob(".supportscope-pair.*.journal")
    return journal


def crash_after_journal(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    pdf, xlsx = old_pair(folder)
    with monkeypatch.context() as patch:
        as_dead_process(patch)
        kill_at_move(patch, {pdf, xlsx}, nth=1)
        with pytest.raises(Killed):
            write_pair(pdf, xlsx, b"new pdf", b"new workbook")
    return pdf, xlsx


def test_a_journal_with_a_lost_temp_is_discarded_and_nothing_moves(tmp_path, monkeypatch):
    pdf, xlsx = crash_after_journal(tmp_path, monkeypatch)
    moves = json.loads(journal_of(tmp_path).read_text())["moves"]
    Path(moves[1]["temp"]).unlink()  # the workbook's temp is gone: the pair cannot be finished
    done = recover_folder(tmp_path)
    assert (done.finished, done.discarded) == (0, 1)
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"old pdf", b"old workbook")
    assert leftovers(tmp_path) == []


def test_a_journal_never_overwrites_a_file_written_since(tmp_path, monkeypatch):
    pdf, xlsx = crash_after_journal(tmp_path, monkeypatch)
    atomic.write_text_atomic(xlsx, "newer workbook")
    done = recover_folder(tmp_path)
    assert (done.finished, done.discarded) == (0, 1)
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"old pdf", b"newer workbook")
    assert leftovers(tmp_path) == []


def test_a_running_export_is_left_alone(tmp_path, monkeypatch):
    """Files tagged with a live process (this one) are never touched, however old."""
    pdf, xlsx = old_pair(tmp_path)
    kill_at_move(monkeypatch, {pdf, xlsx}, nth=1)
    with pytest.raises(Killed):
        write_pair(pdf, xlsx, b"new pdf", b"new workbook")
    before = leftovers(tmp_path)
    long_ago = time.time() - 10 * report_pair.STALE_AFTER
    for name in before:
        os.utime(tmp_path / name, (long_ago, long_ago))
    assert len(before) == 3  # the journal and two temps
    assert recover_folder(tmp_path) == report_pair.Recovery(0, 0, 0)
    assert leftovers(tmp_path) == before
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"old pdf", b"old workbook")


def test_stale_temps_of_our_own_naming_only_are_removed(tmp_path):
    here = atomic.owner_tag().split("@", 1)[1]
    old = time.time() - 2 * report_pair.STALE_AFTER
    names = {
        f".r.pdf.{dead_tag()}.abcdefgh.part": True,  # this machine, process gone
        f".r.pdf.{atomic.owner_tag()}.abcdefgh.part": False,  # this process: still writing
        ".r.pdf.4242@elsewhere.abcdefgh.part": False,  # another machine, recent
        ".r.xlsx.4243@elsewhere.abcdefgh.part": True,  # another machine, an hour old
        ".r.pdf.k3j9x_2a.part": True,  # made before the tag, an hour old
        ".r.xlsx.k3j9x_2a.part": False,  # made before the tag, recent
        ".download.part": False,  # not our naming
        "r.pdf.abcdefgh.part": False,  # not hidden
        f".x.pdf.{dead_tag()}.abcdefgh.journal": False,
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    for name in (".r.xlsx.4243@elsewhere.abcdefgh.part", ".r.pdf.k3j9x_2a.part"):
        os.utime(tmp_path / name, (old, old))
    assert here != "elsewhere"
    assert recover_folder(tmp_path).removed == sum(names.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        name for name, stale in names.items() if not stale
    )


def test_an_error_on_the_second_move_says_which_file_was_replaced(tmp_path, monkeypatch):
    pdf, xlsx = old_pair(tmp_path)
    real = os.replace

    def refuse_workbook(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == xlsx:
            raise PermissionError(13, "Permission denied")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse_workbook)
    with pytest.raises(PartialCommit, match=r"r\.pdf was replaced but .*r\.xlsx could not be"):
        write_pair(pdf, xlsx, b"new pdf", b"new workbook")
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"new pdf", b"old workbook")
    assert leftovers(tmp_path) == []  # nothing left for a later run to apply over newer files
    pdf.write_bytes(b"old pdf")
    with pytest.raises(PermissionError):
        write_pair(xlsx, pdf, b"new workbook", b"new pdf")  # the first move fails: no change
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"old pdf", b"old workbook")
    assert leftovers(tmp_path) == []


def test_the_window_finishes_a_pair_left_in_the_folder_exported_to_last(
    qtbot, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings

    from ui.app import create_main_window
    from ui.export.choices import FOLDER_KEY
    from ui.settings import AppSettings

    out = tmp_path / "out"
    out.mkdir()
    pdf, xlsx = crash_after_journal(out, monkeypatch)
    (out / f".r.pdf.{dead_tag()}.abcdefgh.part").write_bytes(b"left by a kill mid-render")
    populated(tmp_path)[0].close()
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.store.setValue(FOLDER_KEY, str(out))
    window = create_main_window(str(tmp_path / "t.db"), settings)
    qtbot.addWidget(window)
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"new pdf", b"new workbook")
    assert leftovers(out) == []
    window.session.close_database()


def test_a_pair_across_two_folders_is_finished_from_either(tmp_path, monkeypatch):
    first, second = tmp_path / "pdf", tmp_path / "xlsx"
    first.mkdir()
    second.mkdir()
    pdf, xlsx = first / "r.pdf", second / "r.xlsx"
    pdf.write_bytes(b"old pdf")
    xlsx.write_bytes(b"old workbook")
    with monkeypatch.context() as patch:
        as_dead_process(patch)
        kill_at_move(patch, {pdf, xlsx}, nth=2)
        with pytest.raises(Killed):
            write_pair(pdf, xlsx, b"new pdf", b"new workbook")
    assert recover_folder(second).finished == 1  # the workbook's folder alone finishes the pair
    assert (pdf.read_bytes(), xlsx.read_bytes()) == (b"new pdf", b"new workbook")
    assert recover_folder(first).finished == 1  # its copy of the journal has nothing left to do
    assert leftovers(first) == leftovers(second) == []
