"""A final evaluation with a clear winner and its promises, for the contract tests (fictitious
organisations and people only)."""

from __future__ import annotations

from pathlib import Path

from criteria.loader import load_catalog
from evaluator import services
from evaluator.db import Database
from evaluator.services import process
from tests.core_fixtures import new_db, start_consensus

AWARD = "Harbor Point Support Award"
WINNER = "Altamira Health Software"
RUNNER_UP = "Bluefin Support Partners"
PROMISED = {
    "response.sev1-response-hours": 0.5,
    "response.sev1-restore-hours": 4,
    "response.sev2-response-hours": 2,
    "response.engineering-turnaround": 10,
    "clinical.credentialed-share": 60,
    "offshore.offshore-share": 10,
    "tiers.24x7-cover": "24x7 live analysts",
    "fit.named-team": "Account manager and a named lead analyst",
}
WEAKER = {
    "response.sev1-response-hours": 4,
    "response.sev1-restore-hours": 24,
    "clinical.credentialed-share": 5,
    "offshore.offshore-share": 80,
    "tiers.24x7-cover": "Weekday business hours only",
}


def awarded(tmp_path: Path, *, final: bool = True) -> tuple[Database, int]:
    """The award evaluation (ehr-direct catalog): the winner answered every promise, one of them
    confirmed by the committee's consensus; final unless `final` is False."""
    db = new_db(tmp_path)
    catalog = load_catalog("ehr-direct")
    ev = services.create_evaluation(
        db,
        AWARD,
        catalog.criteria,
        client="Harbor Point Health",
        scale=catalog.scale,
        catalog_id=catalog.id,
        actor="chair",
    )
    services.add_candidate(db, ev, WINNER, actor="chair")
    services.add_candidate(db, ev, RUNNER_UP, "outsourcer", actor="chair")
    services.add_evaluator(db, ev, "Dana Quill", "CNO", actor="chair")
    for name, answers in ((WINNER, PROMISED), (RUNNER_UP, WEAKER)):
        for key, value in answers.items():
            services.set_response(db, ev, name, key, value, raw=str(value), actor="chair")
    start_consensus(db, ev)
    services.set_consensus(
        db,
        ev,
        WINNER,
        "response.sev1-restore-hours",
        5,
        "Four hours confirmed at the reference calls",
        actor="chair",
    )
    if final:
        process.finalise(db, ev, "The board signed the award")
    return db, ev


RENEWAL = "Harbor Point Renewal 2026"
NEWCOMER = "Newcomer Health IT"


def renewal(db: Database) -> int:
    """The same client evaluating again: the earlier winner bids beside a newcomer."""
    catalog = load_catalog("ehr-direct")
    again = services.create_evaluation(
        db, RENEWAL, catalog.criteria, client="Harbor Point Health", scale=catalog.scale,
        catalog_id=catalog.id, actor="chair",
    )  # fmt: skip
    services.add_candidate(db, again, WINNER, actor="chair")
    services.add_candidate(db, again, NEWCOMER, actor="chair")
    return again
