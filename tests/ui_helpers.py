"""Shared set-up for the UI tests: a small fictitious criteria tree, catalogs, databases.

Every organisation and person here is invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from criteria import Catalog, save_catalog
from evaluator import services
from evaluator.db import Database, open_database
from evaluator.domain import (
    AnswerType,
    Criterion,
    CriterionKind,
    EvaluationData,
    Question,
)
from tests.core_fixtures import category, yes_no

RUBRIC = {
    0: "No evidence",
    1: "Weak",
    2: "Partial",
    3: "Adequate",
    4: "Strong",
    5: "Exemplary",
}


def _rated(key: str, name: str, weight: float, question: str) -> Criterion:
    return Criterion(
        key, name, CriterionKind.RATED, weight, rubric=RUBRIC, question=Question(question)
    )


def sample_criteria() -> list[Criterion]:
    """Two categories and a price leaf, with rated, auto and gate leaves.

    Effective weights: tiers 3/6 split 1:2:1 (l1 1/8, l4 1/4, coverage 1/8), staff 2/6 all on
    the clinical leaf (the gate has no weight) = 1/3, price 1/6.
    """
    tiers = [
        _rated("tiers.l1", "Level 1 help desk", 1, "Describe your first-line help desk."),
        _rated("tiers.l4", "Level 4 escalation", 2, "How do you reach your engineers?"),
        yes_no("tiers.coverage", "Round-the-clock coverage", "Do you staff the desk 24x7?", 5),
    ]
    staff = [
        _rated("staff.clinical", "Clinicians on the support desk", 1, "Who answers?"),
        yes_no("staff.onshore", "Onshore support staff", "Is first-line support onshore?"),
    ]
    return [
        category("tiers", "Support tiers", 3, *tiers),
        category("staff", "Clinical know-how", 2, *staff),
        Criterion(
            "price",
            "Annual support fee",
            CriterionKind.PRICE,
            1,
            question=Question("Annual support fee", AnswerType.CURRENCY, unit="USD per year"),
        ),
    ]


def write_catalog(folder: Path, catalog_id: str = "test-support") -> Path:
    """A saved catalog file with the sample criteria, for the new-evaluation dialog."""
    path = folder / f"{catalog_id}.toml"
    save_catalog(
        Catalog(
            id=catalog_id,
            name="Test support catalog",
            description="A small catalog of support criteria for the tests.",
            criteria=sample_criteria(),
        ),
        path,
    )
    return path


def make_database(path: Path, name: str = "Northwind Regional RFP") -> tuple[Database, int]:
    """A database holding one draft evaluation with the sample criteria."""
    db = open_database(path)
    evaluation = services.create_evaluation(
        db, name, sample_criteria(), client="Northwind Regional Hospital"
    )
    return db, evaluation


def bulk_database(path: Path, data: EvaluationData) -> int:
    """A committee-scale evaluation written with Core bulk inserts (services would take
    minutes for 100,000 scores); questionnaire answers are left out."""
    from sqlalchemy import insert, select

    from evaluator.models import CandidateRow, CriterionRow, EvaluatorRow, ScoreRow

    db = open_database(path)
    evaluation = services.create_evaluation(db, data.name or "Committee scale", data.criteria)
    with db.transaction() as session:
        for model, items, fields in (
            (CandidateRow, data.candidates, lambda c: {"kind": c.kind.value, "notes": c.notes}),
            (EvaluatorRow, data.evaluators, lambda e: {"role": e.role}),
        ):
            session.execute(
                insert(model.__table__),
                [
                    {"evaluation_id": evaluation, "name": item.name, "position": i, **fields(item)}
                    for i, item in enumerate(items)
                ],
            )
        ids = {
            model: dict(session.execute(select(model.name, model.id)).all())
            for model in (CandidateRow, EvaluatorRow)
        }
        criteria = dict(session.execute(select(CriterionRow.key, CriterionRow.id)).all())
        candidates = {c.id: ids[CandidateRow][c.name] for c in data.candidates}
        evaluators = {e.id: ids[EvaluatorRow][e.name] for e in data.evaluators}
        unique = {(s.evaluator_id, s.candidate_id, s.criterion_key): s for s in data.scores}
        session.execute(
            insert(ScoreRow.__table__),
            [
                {
                    "evaluation_id": evaluation,
                    "evaluator_id": evaluators[s.evaluator_id],
                    "candidate_id": candidates[s.candidate_id],
                    "criterion_id": criteria[s.criterion_key],
                    "value": s.value,
                    "justification": s.justification,
                }
                for s in unique.values()
            ],
        )
    from tests.core_fixtures import start_scoring as declare_and_score

    declare_and_score(db, evaluation)  # in scoring, every member declared: edits are accepted
    db.close()
    return evaluation


def start_scoring(session) -> None:  # type: ignore[no-untyped-def]
    """Through the window's session: every member declares no conflict (unless they have; a
    note they gave is kept), and the evaluation moves to scoring, where scores are accepted."""
    from evaluator.domain import Status
    from ui.undo import ChangeStatus

    for member in session.data.evaluators:
        if member.declaration is None:
            assert session.declare(member.id, note=member.conflict_of_interest)
    if session.data.status is Status.DRAFT:
        assert session.execute(ChangeStatus(session, Status.SCORING))


def finalise(session, why: str = "Settled in the committee meeting") -> None:  # type: ignore[no-untyped-def]
    """Through consensus to final, with a reason for any item still open (recorded)."""
    start_consensus(session)
    assert session.finalise(why)


def start_consensus(session) -> None:  # type: ignore[no-untyped-def]
    """Every member submits and the evaluation moves to consensus."""
    from evaluator.domain import Status
    from ui.undo import ChangeStatus

    start_scoring(session)
    for member in session.data.evaluators:
        if not member.submitted and not member.excused:
            assert session.submit(member.id)
    if session.data.status is Status.SCORING:
        assert session.execute(ChangeStatus(session, Status.CONSENSUS))


def show(qtbot, widget, width: int = 1200, height: int = 700, activate: bool = False):  # type: ignore[no-untyped-def]
    """Show `widget` at a laptop-like size, owned by qtbot, and wait until it is on screen;
    `activate` gives it the keyboard focus too, for tests that type into it."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    if activate:
        widget.activateWindow()
    return widget


def open_session(path: Path | str, wait: bool = False):  # type: ignore[no-untyped-def]
    """The window's session on the database at `path`, the messages it shows kept in
    `session.errors`; `wait` waits for the first results too."""
    from ui.session import EvaluationSession

    session = EvaluationSession()
    session.errors = []  # type: ignore[attr-defined]
    session.errorRaised.connect(session.errors.append)  # type: ignore[attr-defined]
    assert session.open_database(str(path))
    if wait:
        session.wait_for_results()
    return session


@contextmanager
def session_on(path: Path | str, wait: bool = False) -> Iterator:  # type: ignore[type-arg]
    """`open_session`, closed again afterwards: the body of a session fixture."""
    session = open_session(path, wait)
    try:
        yield session
    finally:
        session.close_database()


def answer_identity_prompt(window, name: str, passphrase: str = "") -> None:  # type: ignore[no-untyped-def]
    """In the "Who are you?" prompt the window shows on opening an evaluation with a chair,
    choose `name`, type the passphrase (when asked) and press Continue."""
    dialog = window.identity_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.choose(name)
    if passphrase:
        dialog.passphrase.setText(passphrase)
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.refusal.text()
    assert window.session.identity is not None and window.session.identity.name == name
