"""Small hand-made criteria trees and databases for the core's tests (fictitious names only)."""

from __future__ import annotations

from pathlib import Path

from evaluator import changes as c
from evaluator import services
from evaluator.changes.write import apply_change
from evaluator.db import Database, open_database
from evaluator.domain import (
    AnswerType,
    AutoRule,
    Band,
    Criterion,
    CriterionKind,
    EvaluationData,
    Question,
)

RUBRIC = {0: "absent", 1: "poor", 2: "weak", 3: "adequate", 4: "strong", 5: "exemplary"}


def rated(key: str, weight: float = 1.0) -> Criterion:
    """A bare rated leaf (no rubric, no question), for trees worked out by hand."""
    return Criterion(key, f"Leaf {key}", CriterionKind.RATED, weight)


def category(key: str, name: str, weight: float, *children: Criterion) -> Criterion:
    return Criterion(key, name, weight=weight, children=list(children))


def yes_no(key: str, name: str, question: str, yes: float | None = None) -> Criterion:
    """A leaf the yes/no answer to `question` decides: auto-scored `yes` (or 0), or, without
    `yes`, a gate that a yes passes."""
    kind, weight = (CriterionKind.GATE, 0) if yes is None else (CriterionKind.AUTO, 1)
    rule = AutoRule(yes=1 if yes is None else yes, no=0)
    return Criterion(
        key, name, kind, weight, question=Question(question, AnswerType.YES_NO), rule=rule
    )


def annual_fee(unit: str, key: bool = False) -> Criterion:
    """The price leaf cost.fee: the annual support fee in `unit`."""
    question = Question("Annual support fee?", AnswerType.CURRENCY, unit=unit, key=key)
    return Criterion("cost.fee", "Annual support fee", CriterionKind.PRICE, 1, question=question)


def small_tree() -> list[Criterion]:
    """tiers (w3): l1 rated w1, l4 rated w3; offshore (w1): share auto w1; cost (w1): fee price;
    gates (w0): baa gate."""
    return [
        Criterion(
            "tiers",
            "Support tiers",
            weight=3,
            children=[
                Criterion(
                    "tiers.l1",
                    "Level 1 help desk",
                    CriterionKind.RATED,
                    1,
                    rubric=RUBRIC,
                    question=Question("Describe your Level 1 help desk."),
                ),
                Criterion(
                    "tiers.l4",
                    "Level 4 engineering escalation",
                    CriterionKind.RATED,
                    3,
                    rubric=RUBRIC,
                    question=Question("Describe Level 4 escalation."),
                ),
            ],
        ),
        Criterion(
            "offshore",
            "Offshore use",
            weight=1,
            children=[
                Criterion(
                    "offshore.share",
                    "Offshore share",
                    CriterionKind.AUTO,
                    1,
                    question=Question(
                        "Share of support delivered offshore?", AnswerType.PERCENT, unit="%"
                    ),
                    rule=AutoRule(bands=(Band(5, high=10), Band(3, high=40), Band(0))),
                ),
            ],
        ),
        category("cost", "Cost", 1, annual_fee("USD")),
        category(
            "gates", "Gates", 0, yes_no("gates.baa", "Signs a HIPAA BAA", "Will you sign our BAA?")
        ),
    ]


class Backend:
    """Where the tests' databases live: SQLite files (the default), or fresh databases on the
    session's PostgreSQL server (see tests/pg.py), one per file name a test uses."""

    def __init__(self, name: str = "sqlite") -> None:
        self.name = name
        self._urls: dict[str, str] = {}

    @property
    def is_postgresql(self) -> bool:
        return self.name == "postgresql"

    def target(self, path: Path) -> str:
        """What to pass as --db for a test's database `path`: the path, or a server URL."""
        if not self.is_postgresql:
            return str(path)
        if str(path) not in self._urls:
            from tests import pg

            server = pg.server()
            self._urls[str(path)] = server.url(server.database(migrated=True))
        return self._urls[str(path)]

    def close(self) -> None:
        if self._urls:
            from sqlalchemy.engine import make_url

            from tests import pg

            for url in self._urls.values():
                pg.server().drop(str(make_url(url).database))
        self._urls.clear()


_backend = Backend()


def use_backend(backend: Backend) -> Backend:
    """Make `backend` the one new_db/populated/target use; returns the previous one."""
    global _backend
    previous, _backend = _backend, backend
    return previous


def target(path: Path) -> str:
    """The --db value for a test database at `path` on the current back end."""
    return _backend.target(path)


def new_db(tmp_path: Path, name: str = "t.db") -> Database:
    return open_database(target(tmp_path / name))


def populated(tmp_path: Path, phase: str = "scoring") -> tuple[Database, int]:
    """A database with one evaluation, two candidates and two evaluators, in `phase`: draft, or
    scoring (every member declared no conflict), the default, where scores are accepted."""
    db = new_db(tmp_path)
    ev = services.create_evaluation(
        db, "Riverbend RFP", small_tree(), client="Riverbend Health", actor="chair"
    )
    services.add_candidate(db, ev, "Zephyr Care IT", actor="chair")
    services.add_candidate(db, ev, "Orbis Support Co", "outsourcer", actor="chair")
    services.add_evaluator(db, ev, "Ann Example", "CMO", actor="chair")
    services.add_evaluator(db, ev, "Ben Sample", "CNO", "Advised Orbis in 2022", actor="chair")
    if phase != "draft":
        start_scoring(db, ev)
    return db, ev


def fresh(db: Database, ev: int) -> EvaluationData:
    """The evaluation as the database has it, in canonical order (to compare with a snapshot)."""
    return c.canonical(services.load_evaluation(db, ev))


def step(db: Database, ev: int, data: EvaluationData, change: c.Change, actor: object = "Ann"
         ) -> tuple[EvaluationData, c.Applied]:  # fmt: skip
    """Apply a change through the core, the returned change to the snapshot, and compare."""
    applied = apply_change(db, ev, change, actor=actor)
    data = c.apply_applied(data, applied)
    assert c.canonical(data) == fresh(db, ev), change
    return data, applied


def start_scoring(db: Database, ev: int | str) -> None:
    """Every member declares no conflict (unless they declared already; a note they gave is
    kept) and the evaluation moves to scoring: what the committee does before scores count."""
    from evaluator.services import process

    data = services.load_evaluation(db, ev)
    for member in data.evaluators:
        if member.declaration is None:
            process.declare(db, ev, member.name, note=member.conflict_of_interest)
    if data.status.value == "draft":
        services.change_status(db, ev, "scoring")


def start_consensus(db: Database, ev: int | str) -> None:
    """Every member submits (or has been excused) and the evaluation moves to consensus."""
    from evaluator.services import process

    start_scoring(db, ev)
    for member in services.load_evaluation(db, ev).evaluators:
        if not member.submitted and not member.excused:
            process.submit(db, ev, member.name)
    if services.load_evaluation(db, ev).status.value == "scoring":
        services.change_status(db, ev, "consensus")


CHAIR = "Cora Chair"


def chaired(tmp_path: Path) -> tuple[Database, int]:
    """`populated`'s evaluation with a chair (Cora Chair) who moved it to scoring before any
    member declared: members must say who they are, declare, then score."""
    from evaluator.identity import Identity
    from evaluator.services import process

    db, ev = populated(tmp_path, "draft")
    process.name_chair(db, ev, CHAIR)
    services.change_status(db, ev, "scoring", actor=Identity(CHAIR, chair=True))
    return db, ev
