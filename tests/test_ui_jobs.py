"""The background-job runner (ui/jobs.py) with pytest-qt: progress, cancel, supersede, errors,
inline runs, and owners deleted while their work still runs.

Each test uses its own QThreadPool, so `pool.waitForDone()` means "every worker has ended" and
anything still to come is an event queued for the GUI thread.
"""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from PySide6.QtWidgets import QWidget

from evaluator.progress import Cancelled, raise_if_cancelled
from evaluator.services import ServiceError
from evaluator.workbook_rejection import RESAVE, RejectReason, WorkbookRejected
from ui.jobs import CANCELLED, FAILED, FINISHED, Job, JobRunner, _Relay

WAIT_MS = 10_000


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    yield pool
    pool.waitForDone(WAIT_MS)


@pytest.fixture
def runner(qtbot, pool: QThreadPool) -> JobRunner:  # type: ignore[no-untyped-def]
    return JobRunner(pool=pool)


def record(job: Job) -> list[tuple]:
    """Everything a job delivers, in order, with the thread it arrived on."""
    seen: list[tuple] = []
    job.progress.connect(lambda d, t: seen.append(("progress", d, t, threading.get_ident())))
    job.finished.connect(lambda r: seen.append(("finished", r, threading.get_ident())))
    job.failed.connect(lambda m: seen.append(("failed", m)))
    job.cancelled.connect(lambda: seen.append(("cancelled",)))
    return seen


def drain(pool: QThreadPool) -> None:
    """Let every worker end, then deliver whatever they queued."""
    assert pool.waitForDone(WAIT_MS)
    QCoreApplication.processEvents()


def test_progress_arrives_in_order_on_the_gui_thread_then_the_result(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    gui = threading.get_ident()
    shown = threading.Semaphore(0)
    workers: list[int] = []

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        workers.append(threading.get_ident())
        for done in range(1, 6):
            progress(done, 5)
            assert shown.acquire(timeout=WAIT_MS / 1000)  # the GUI showed it: report the next
        return "five steps"

    progress: list[tuple[int, int, int]] = []

    def on_progress(done: int, total: int) -> None:
        progress.append((done, total, threading.get_ident()))
        shown.release()

    job = runner.start(work, on_progress=on_progress)
    seen = record(job)
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS) as finished:
        pass
    assert finished.args == ["five steps"]
    assert [(d, t) for d, t, _ in progress] == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert {thread for _, _, thread in progress} == {gui}
    assert workers and workers[0] != gui  # the work itself ran on a pool thread
    assert seen[-1] == ("finished", "five steps", gui)
    assert job.outcome == FINISHED and job.result == "five steps" and not runner.running()


def test_reports_faster_than_the_gui_reads_are_merged_into_the_newest(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    first_burst, shown, second_burst = (threading.Semaphore(0) for _ in range(3))

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        for done in range(1, 2501):
            progress(done, 5000)
        first_burst.release()
        assert shown.acquire(timeout=WAIT_MS / 1000)  # the GUI is showing the first burst
        for done in range(2501, 5001):
            progress(done, 5000)
        second_burst.release()
        return "done"

    def showing(done: int, _total: int) -> None:
        if done == 2500:  # hold the GUI thread here while the second burst is reported
            shown.release()
            assert second_burst.acquire(timeout=WAIT_MS / 1000)

    job = runner.start(work)
    seen = record(job)
    job.progress.connect(showing)
    assert first_burst.acquire(timeout=WAIT_MS / 1000)  # 2,500 reports, no event handled yet
    assert runner.wait(WAIT_MS)
    steps = [entry[1] for entry in seen if entry[0] == "progress"]
    assert steps == [2500, 5000]  # one event per burst, carrying its newest figure, in order
    assert seen[-1][:2] == ("finished", "done")


def test_cancel_stops_the_work_and_says_cancelled_not_finished(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    started, steps = threading.Event(), []

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        started.set()
        for step in range(100_000):
            raise_if_cancelled(cancel)
            steps.append(step)
            threading.Event().wait(0.001)
        return "never"

    job = runner.start(work)
    seen = record(job)
    assert started.wait(WAIT_MS / 1000)
    with qtbot.waitSignal(job.cancelled, timeout=WAIT_MS):
        job.cancel()
    stopped_at = len(steps)
    drain(pool)
    assert seen == [("cancelled",)]
    assert job.outcome == CANCELLED and job.result is None
    assert len(steps) == stopped_at < 100_000  # it really stopped


def test_work_that_completes_despite_cancel_reports_what_it_did(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    """A cancel that comes after the last check must not hide a file already written."""
    inside, release = threading.Event(), threading.Event()

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        inside.set()
        assert release.wait(WAIT_MS / 1000)
        return "written"

    job = runner.start(work)
    seen = record(job)
    assert inside.wait(WAIT_MS / 1000)
    job.cancel()
    release.set()
    drain(pool)
    assert job.cancel_requested and seen[-1][:2] == ("finished", "written")


def test_a_newer_job_with_the_same_key_supersedes_the_older(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    inside, release = threading.Event(), threading.Event()

    def slow(progress, cancel):  # type: ignore[no-untyped-def]
        inside.set()
        assert release.wait(WAIT_MS / 1000)  # like scoring: it does not look at cancel
        progress(1, 1)
        return "old snapshot"

    old = runner.start(slow, key="results")
    old_seen = record(old)
    assert inside.wait(WAIT_MS / 1000)
    new = runner.start(lambda progress, cancel: "new snapshot", key="results")
    new_seen = record(new)
    assert old.cancel_requested  # asked to stop, too
    release.set()
    drain(pool)
    assert old_seen == [] and not old.done
    assert [entry[:2] for entry in new_seen] == [("finished", "new snapshot")]
    assert not runner.running("results")


def test_a_result_already_queued_is_dropped_when_superseded(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    old = runner.start(lambda progress, cancel: "stale", key="results")
    old_seen = record(old)
    assert pool.waitForDone(WAIT_MS)  # it ended and queued its result; the GUI has not seen it
    assert runner.running("results")
    new = runner.start(lambda progress, cancel: "fresh", key="results")
    new_seen = record(new)
    drain(pool)
    assert old_seen == []
    assert [entry[:2] for entry in new_seen] == [("finished", "fresh")]


def test_other_keys_are_left_alone(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    first = runner.start(lambda progress, cancel: 1, key="a")
    second = runner.start(lambda progress, cancel: 2, key="b")
    seen_first, seen_second = record(first), record(second)
    drain(pool)
    assert seen_first[0][:2] == ("finished", 1) and seen_second[0][:2] == ("finished", 2)


def test_a_bug_becomes_an_error_signal_logged_with_its_traceback(qtbot, runner, caplog) -> None:  # type: ignore[no-untyped-def]
    def work(progress, cancel):  # type: ignore[no-untyped-def]
        raise RuntimeError("the disk caught fire")

    caplog.set_level(logging.ERROR, logger="supportscope.ui")
    job = runner.start(work, unexpected="The test stopped ({error}); nothing was changed.")
    seen = record(job)
    with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as failed:
        pass
    assert failed.args == [
        "The test stopped (RuntimeError: the disk caught fire); nothing was changed."
    ]
    assert seen == [("failed", failed.args[0])]
    assert job.outcome == FAILED and isinstance(job.error, RuntimeError)
    (logged,) = [r for r in caplog.records if r.name == "supportscope.ui"]
    assert logged.exc_info is not None and logged.exc_info[1] is job.error


def test_refusals_are_passed_as_they_are_and_nothing_is_logged(qtbot, runner, caplog) -> None:  # type: ignore[no-untyped-def]
    rejected = WorkbookRejected(
        "kestrel.xlsx", "is damaged", RESAVE, RejectReason.DAMAGED
    )  # starts with the file's name: not capitalised

    def refuse(exc: Exception):  # type: ignore[no-untyped-def]
        def work(progress, cancel):  # type: ignore[no-untyped-def]
            raise exc

        return work

    caplog.set_level(logging.INFO, logger="supportscope.ui")
    messages = []
    for exc in (rejected, ServiceError("candidate 'Acme' is not in this evaluation")):
        job = runner.start(refuse(exc))
        with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as failed:
            pass
        messages.append(failed.args[0])
    assert messages == [
        str(rejected),
        "Candidate 'Acme' is not in this evaluation.",
    ]
    assert messages[0].startswith("kestrel.xlsx is damaged")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_inline_runs_deliver_before_start_returns(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    gui = threading.get_ident()
    seen: list[tuple] = []

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        seen.append(("work", threading.get_ident()))
        progress(1, 2)
        progress(2, 2)
        return {"Acme": 61.5}

    job = runner.start(
        work,
        inline=True,
        on_progress=lambda d, t: seen.append(("progress", d, t)),
        on_finished=lambda r: seen.append(("finished", r)),
        on_ended=lambda j: seen.append(("ended", j.outcome)),
    )
    assert seen == [
        ("work", gui),
        ("progress", 1, 2),
        ("progress", 2, 2),
        ("finished", {"Acme": 61.5}),
        ("ended", FINISHED),
    ]
    assert job.done and not runner.running()

    failures: list[str] = []
    runner.start(
        lambda progress, cancel: (_ for _ in ()).throw(Cancelled()),
        inline=True,
        on_cancelled=lambda: failures.append("cancelled"),
    )
    runner.start(
        lambda progress, cancel: 1 / 0,
        inline=True,
        unexpected="Oops ({error}).",
        on_failed=failures.append,
    )
    assert failures == ["cancelled", "Oops (ZeroDivisionError: division by zero)."]


def test_an_inline_run_supersedes_a_background_one(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()

    def slow(progress, cancel):  # type: ignore[no-untyped-def]
        assert release.wait(WAIT_MS / 1000)
        return "large snapshot"

    old = runner.start(slow, key="results")
    old_seen = record(old)
    results: list[str] = []
    runner.start(
        lambda progress, cancel: "small snapshot",
        key="results",
        inline=True,
        on_finished=results.append,
    )
    assert results == ["small snapshot"]
    release.set()
    drain(pool)
    assert old_seen == [] and results == ["small snapshot"]


def test_deleting_the_owner_while_work_runs_is_safe(qtbot, pool) -> None:  # type: ignore[no-untyped-def]
    owner = QWidget()
    runner = JobRunner(owner, pool=pool)
    inside, saw_cancel = threading.Event(), threading.Event()
    delivered: list[object] = []

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        inside.set()
        for _ in range(WAIT_MS):
            if cancel():
                saw_cancel.set()
                break
            threading.Event().wait(0.001)
        progress(1, 1)  # after its owner is gone: must reach no one
        return "late"

    job = runner.start(
        work, on_finished=delivered.append, on_progress=lambda *a: delivered.append(a)
    )
    job.failed.connect(delivered.append)
    job.cancelled.connect(lambda: delivered.append("cancelled"))
    assert inside.wait(WAIT_MS / 1000)
    owner.deleteLater()
    del owner, runner
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # both go now
    gc.collect()
    assert saw_cancel.wait(WAIT_MS / 1000)  # deleting the runner asked the work to stop
    drain(pool)
    gc.collect()
    QCoreApplication.processEvents()
    assert delivered == []


def test_shutdown_discards_and_waits_for_the_workers(qtbot, runner, pool) -> None:  # type: ignore[no-untyped-def]
    inside, ended = threading.Event(), threading.Event()

    def work(progress, cancel):  # type: ignore[no-untyped-def]
        inside.set()
        try:
            while True:
                raise_if_cancelled(cancel)
                threading.Event().wait(0.001)
        finally:
            ended.set()

    job = runner.start(work)
    seen = record(job)
    assert inside.wait(WAIT_MS / 1000)
    assert runner.shutdown(WAIT_MS)
    assert ended.is_set() and not runner.running()
    drain(pool)
    assert seen == [] and job.discarded


def test_nothing_is_left_for_the_garbage_collector_or_the_app(qtbot, pool) -> None:  # type: ignore[no-untyped-def]
    """A Qt object freed by the cyclic garbage collector may be freed on any thread: a failed
    job's traceback must not keep its job alive, and relays must delete themselves."""
    app = QCoreApplication.instance()
    qtbot.wait(20)  # relays of earlier tests go first
    before = len(app.findChildren(_Relay))
    runner = JobRunner(pool=pool)

    def refuse(progress, cancel):  # type: ignore[no-untyped-def]
        raise ServiceError("refused")  # not logged: only the job holds on to it

    jobs = [
        runner.start(lambda progress, cancel: 1 / 0),
        runner.start(lambda progress, cancel: progress(1, 1)),
        runner.start(refuse, inline=True),
    ]
    assert runner.wait(WAIT_MS)
    drain(pool)
    assert [job.outcome for job in jobs] == [FAILED, FINISHED, FAILED]
    qtbot.wait(20)  # an event loop runs: each relay has deleted itself
    assert len(app.findChildren(_Relay)) == before
    gc.collect()
    gc.disable()
    try:
        refs = [weakref.ref(job) for job in (*jobs, runner)]
        del jobs, runner
        alive = [ref() is not None for ref in refs]  # a log record's traceback may keep some
        assert alive[1] is False and alive[2] is False
        gc.collect()
        assert [ref() is not None for ref in refs] == alive  # none was in a garbage cycle
    finally:
        gc.enable()
