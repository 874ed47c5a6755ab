"""Work done by separate OS processes in the concurrency tests (spawned: nothing shared but the
database). Each function reports what happened through a queue."""

from __future__ import annotations

from typing import Any


def open_when_told(urls: list[str], start: Any, results: Any) -> None:
    """For each URL: wait for the other process, then open (migrate) the database at once."""
    from evaluator.db import open_database

    for url in urls:
        start.wait(60)
        try:
            open_database(url).close()
            results.put("ok")
        except Exception as exc:
            results.put(f"{exc.__class__.__name__}: {exc}"[:300])


def score_edits(
    target: str, evaluation: str, member: str, count: int, start: Any, results: Any
) -> None:
    """`count` score edits by one committee member, each a real change with its audit entry."""
    from evaluator import services
    from evaluator.db import open_database

    db = open_database(target, create=False)
    landed, errors = 0, []
    candidates = ["Zephyr Care IT", "Orbis Support Co"]
    start.wait(60)
    for i in range(count):
        try:
            services.set_score(
                db, evaluation, member, candidates[i % 2], "tiers.l4", 1 + (i // 2) % 5,
                f"edit {i}", actor=member,
            )  # fmt: skip
            landed += 1
        except Exception as exc:
            errors.append(f"{exc.__class__.__name__}: {exc}"[:200])
    db.close()
    results.put((member, landed, errors[:3]))
