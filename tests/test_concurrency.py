"""A committee writing at once, on one SQLite file and on one PostgreSQL database: every edit
lands with its audit entry, a stale edit of the same score is refused (so the audit shows 1→4
then 4→5, never 1→4 and 1→5), and no score lands after the evaluation became final.

Each test prints what happened (edits landed, outcomes per round)."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from evaluator import services
from evaluator.changes import ScoreCell, SetScore
from evaluator.changes.context import score_ref
from evaluator.changes.write import apply_change
from evaluator.db import open_database
from evaluator.errors import ServiceError, StaleChange
from evaluator.models import AuditRow
from tests.core_fixtures import populated, small_tree, start_consensus, target

pytestmark = pytest.mark.usefixtures("backend")
EDITS = 300


def test_two_processes_each_make_300_score_edits_and_all_land(tmp_path, backend):
    from tests.concurrency_worker import score_edits

    db, ev = populated(tmp_path)  # in scoring, every member declared
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(2), spawn.Queue()
    where = target(tmp_path / "t.db")
    members = ["Ann Example", "Ben Sample"]
    workers = [
        spawn.Process(target=score_edits, args=(where, ev, m, EDITS, start, results))
        for m in members
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(60)
    with db.reading() as session:
        audited = Counter(
            session.scalars(
                select(AuditRow.actor).where(
                    AuditRow.evaluation_id == ev, AuditRow.action == "set score"
                )
            )
        )
    db.close()
    print(f"{backend.name}: edits landed {reports}; audit entries {dict(audited)}")
    assert sorted((m, n) for m, n, _ in reports) == [(m, EDITS) for m in members]
    assert all(not errors for _, _, errors in reports)
    assert audited == {m: EDITS for m in members}


def _cell_history(db, ev: int, ref: str) -> list[tuple[str, str]]:
    with db.reading() as session:
        rows = session.execute(
            select(AuditRow.old, AuditRow.new)
            .where(AuditRow.evaluation_id == ev, AuditRow.ref == ref)
            .order_by(AuditRow.id)
        ).all()
    return [(r.old, r.new) for r in rows]


def test_two_members_changing_one_score_at_once_never_overwrite_silently(tmp_path, backend):
    db, ev = populated(tmp_path)  # in scoring, every member declared
    data = services.load_evaluation(db, ev)
    ann, zephyr = data.evaluators[0].id, data.candidates[0].id
    ref = score_ref(ann, zephyr, "tiers.l4")
    laptops = [open_database(target(tmp_path / "t.db")) for _ in range(2)]
    outcomes: list[str] = []
    for round_ in range(8):
        services.set_score(
            db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 1, f"start {round_}"
        )
        seen = ScoreCell(1, f"start {round_}")
        already = len(_cell_history(db, ev, ref))
        start = threading.Barrier(2)
        stale: list[int] = []

        def change(laptop, value: int, start=start, stale=stale, seen=seen) -> None:
            before = seen
            start.wait(30)
            while True:
                try:
                    apply_change(laptop, ev, SetScore(ann, zephyr, "tiers.l4", before,
                                                      ScoreCell(value, f"to {value}")))  # fmt: skip
                    return
                except StaleChange:  # "changed by NAME at TIME: reload" -> reload, try again
                    stale.append(value)
                    now = services.load_evaluation(laptop, ev)
                    cell = next(s for s in now.scores if s.criterion_key == "tiers.l4"
                                and (s.evaluator_id, s.candidate_id) == (ann, zephyr))  # fmt: skip
                    before = ScoreCell(cell.value, cell.justification)

        threads = [
            threading.Thread(target=change, args=(laptop, value))
            for laptop, value in zip(laptops, (4, 5), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        history = _cell_history(db, ev, ref)[already:]
        outcomes.append(f"{' then '.join(f'{o}→{n}' for o, n in history)} (stale: {len(stale)})")
        assert len(history) == 2 and len(stale) == 1
        (old1, new1), (old2, new2) = history
        assert old1 == "1" and old2 == new1 and {new1, new2} == {"4", "5"}
    for laptop in laptops:
        laptop.close()
    db.close()
    print(f"{backend.name}: same score, two members at once: {outcomes}")


def test_no_score_lands_after_final(tmp_path, backend):
    """A consensus value (the only write the consensus phase takes) set on one laptop while the
    chair finalises on another never lands after the status became final: the status check and
    the write are one transaction, with the evaluation row locked on PostgreSQL."""
    db, _ = populated(tmp_path)
    chair, member = (open_database(target(tmp_path / "t.db")) for _ in range(2))
    outcomes: Counter[str] = Counter()
    for round_ in range(10):
        ev = services.create_evaluation(db, f"Race {round_}", small_tree(), actor="chair")
        services.add_candidate(db, ev, "Zephyr Care IT", actor="chair")
        services.add_evaluator(db, ev, "Ann Example", "CMO", actor="chair")
        start_consensus(db, ev)
        start = threading.Barrier(2)
        result: dict[str, object] = {}

        def finalise(ev=ev, start=start, result=result) -> None:
            start.wait(30)
            result["final"] = services.change_status(chair, ev, "final", why="race")

        def score(ev=ev, start=start, result=result) -> None:
            start.wait(30)
            try:
                result["score"] = services.set_consensus(
                    member, ev, "Zephyr Care IT", "tiers.l4", 4, "late"
                )
            except ServiceError as exc:
                result["score"] = exc

        threads = [threading.Thread(target=finalise), threading.Thread(target=score)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        with db.reading() as session:
            actions = list(
                session.scalars(
                    select(AuditRow.action)
                    .where(AuditRow.evaluation_id == ev)
                    .order_by(AuditRow.id)
                )
            )
        final_at = len(actions) - 1 - actions[::-1].index("change status")
        landed = "set consensus" in actions
        if landed:
            assert actions.index("set consensus") < final_at  # written before the status changed
            outcomes["landed before final"] += 1
        else:
            assert "final" in str(result["score"])
            outcomes["refused: final"] += 1
        assert services.load_evaluation(db, ev).status.value == "final"
        assert bool(services.load_evaluation(db, ev).consensus) == landed
    for laptop in (chair, member):
        laptop.close()
    db.close()
    print(f"{backend.name}: score attempted as the chair finalises: {dict(outcomes)}")
