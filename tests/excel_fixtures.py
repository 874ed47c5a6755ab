"""A small evaluation for the Excel tests, and helpers to fill questionnaires like vendors do.

The committed LibreOffice fixture (tests/fixtures/) was made from this evaluation by
tools/make_fixtures.py, so tests recreate it with `lakeside_db` and import the fixture into it.
All names are fictitious.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import MetaData, select

from evaluator import services
from evaluator.db import Database, open_database
from evaluator.domain import AnswerType, AutoRule, Band, Criterion, CriterionKind, Question
from tests.core_fixtures import start_scoring

EVALUATION = "Lakeside Support RFP"
CANDIDATES = ("Northwind Clinical IT", "Bluefin Support Partners", "Kestrel Health Desk")
NORTHWIND, BLUEFIN, KESTREL = CANDIDATES
MEMBERS = (("Rosa Ferreira", "CNO"), ("Ivo Brandt", "CIO"))
RUBRIC = {0: "absent", 1: "poor", 2: "weak", 3: "adequate", 4: "strong", 5: "exemplary"}
LOFFICE_FIXTURE = Path(__file__).parent / "fixtures" / "questionnaire-libreoffice.xlsx"


def _q(text: str, kind: AnswerType = AnswerType.TEXT, **extra: object) -> Question:
    return Question(text, kind, **extra)  # type: ignore[arg-type]


def lakeside_tree() -> list[Criterion]:
    """Twelve questions of every answer type, four rated criteria, a price and a gate."""
    yes5 = AutoRule(yes=5, no=0)
    share = AutoRule(bands=(Band(5, high=10), Band(3, high=40), Band(0)))
    # fmt: off
    return [
        Criterion("support", "Support model", weight=4, children=[
            Criterion("support.own-staff", "Own Level 2 staff", CriterionKind.AUTO, 2,
                      question=_q("Do your own employees deliver Level 2 support?",
                                  AnswerType.YES_NO), rule=yes5),
            Criterion("support.onsite", "On-site go-live support", CriterionKind.AUTO, 1,
                      question=_q("Do you offer on-site support during go-live?",
                                  AnswerType.YES_NO), rule=yes5),
            Criterion("support.weekend", "Weekend cover", CriterionKind.AUTO, 1,
                      question=_q("Is Level 2 staffed at weekends?", AnswerType.YES_NO),
                      rule=yes5),
            Criterion("support.l4-hours", "Engineering response", CriterionKind.AUTO, 2,
                      question=_q("Hours from escalation to a Level 4 engineer?",
                                  AnswerType.NUMBER, unit="hours"),
                      rule=AutoRule(bands=(Band(5, high=4), Band(3, high=24), Band(1)))),
            Criterion("support.analysts", "Named analysts", CriterionKind.RATED, 1,
                      rubric=RUBRIC,
                      question=_q("How many named analysts will work on our account?",
                                  AnswerType.NUMBER)),
            Criterion("support.engineers", "Engineers on call", CriterionKind.RATED, 1,
                      rubric=RUBRIC,
                      question=_q("How many engineers are on call per shift?",
                                  AnswerType.NUMBER)),
            Criterion("support.tier", "Support tier", CriterionKind.AUTO, 1,
                      question=_q("Which support tier do you offer?", AnswerType.CHOICE,
                                  choices=("Gold", "Silver", "Bronze, basic")),
                      rule=AutoRule(choices={"Gold": 5, "Silver": 3, "Bronze, basic": 1})),
            Criterion("support.description", "Help desk description", CriterionKind.RATED, 2,
                      rubric=RUBRIC,
                      question=_q("Describe your help desk: who answers, hours, channels.")),
        ]),
        Criterion("offshore", "Offshore delivery", weight=2, children=[
            Criterion("offshore.share", "Offshore share", CriterionKind.AUTO, 1,
                      question=_q("Share of support hours delivered offshore?",
                                  AnswerType.PERCENT), rule=share),
            Criterion("offshore.l1-share", "Offshore Level 1", CriterionKind.AUTO, 1,
                      question=_q("Share of Level 1 calls answered offshore?",
                                  AnswerType.PERCENT), rule=share),
            Criterion("offshore.l2-share", "Offshore Level 2", CriterionKind.AUTO, 1,
                      question=_q("Share of Level 2 tickets worked offshore?",
                                  AnswerType.PERCENT), rule=share),
            Criterion("offshore.l3-share", "Offshore Level 3", CriterionKind.RATED, 1,
                      rubric=RUBRIC,
                      question=_q("Share of Level 3 work done offshore?", AnswerType.PERCENT)),
        ]),
        Criterion("cost", "Cost", weight=2, children=[
            Criterion("cost.fee", "Annual fee", CriterionKind.PRICE, 1,
                      question=_q("Annual support fee?", AnswerType.CURRENCY, unit="USD")),
        ]),
        Criterion("plan", "Plan", weight=1, children=[
            Criterion("plan.go-live", "Support ready date", CriterionKind.RATED, 1,
                      rubric=RUBRIC,
                      question=_q("From which date can you support us?", AnswerType.DATE)),
        ]),
        Criterion("gates", "Gates", weight=0, children=[
            Criterion("gates.baa", "Signs the BAA", CriterionKind.GATE, 0,
                      question=_q("Will you sign our business associate agreement?",
                                  AnswerType.YES_NO), rule=AutoRule(yes=1, no=0)),
        ]),
    ]
    # fmt: on


def lakeside_db(tmp_path: Path, name: str = "lakeside.db") -> tuple[Database, int]:
    db = open_database(tmp_path / name)
    ev = services.create_evaluation(
        db, EVALUATION, lakeside_tree(), client="Lakeside Health", actor="chair"
    )
    for candidate in CANDIDATES:
        services.add_candidate(db, ev, candidate, actor="chair")
    for member, role in MEMBERS:
        services.add_evaluator(db, ev, member, role, actor="chair")
    start_scoring(db, ev)  # every member declared no conflict; scores are accepted
    return db, ev


# What the LibreOffice fixture holds (cells as the vendor typed them, before LibreOffice saved
# the file), and what each answer must import as.
FIXTURE_CANDIDATE = CANDIDATES[0]
FIXTURE_ANSWERS: dict[str, object] = {
    "support.own-staff": "Yes",
    "support.onsite": "y",
    "support.weekend": True,  # TRUE
    "support.l4-hours": "4",  # a number stored as text
    "support.analysts": "=2*6",  # a formula LibreOffice calculates and saves
    "support.engineers": "=1/0",  # an Excel error value
    "support.tier": "silver",
    "support.description": None,  # blank
    "offshore.share": ("percent", 0.35),  # 35% typed into a cell: 0.35 shown as a percentage
    "offshore.l1-share": 0.35,
    "offshore.l2-share": 35,
    "offshore.l3-share": "about half",  # the error
    "cost.fee": "1,250,000",
    "plan.go-live": ("date", "2026-03-31"),
    "gates.baa": None,  # blank
}
FIXTURE_EXPECTED: dict[str, object] = {
    "support.own-staff": True,
    "support.onsite": True,
    "support.weekend": True,
    "support.l4-hours": 4.0,
    "support.analysts": 12.0,
    "support.tier": "Silver",
    "offshore.share": 35.0,
    "offshore.l1-share": 35.0,
    "offshore.l2-share": 35.0,
    "cost.fee": 1_250_000.0,
    "plan.go-live": "2026-03-31",
}
FIXTURE_ERRORS = ("support.engineers", "offshore.l3-share")
FIXTURE_BLANKS = ("support.description", "gates.baa")

# A complete, valid set of answers in the spellings vendors use, and what they import as.
GOOD = {
    "support.own-staff": "Yes",
    "support.onsite": "n",
    "support.weekend": False,
    "support.l4-hours": 3,
    "support.analysts": "6",
    "support.engineers": 2,
    "support.tier": "Gold",
    "support.description": "Our own nurses answer, 24x7, by phone and portal.",
    "offshore.share": "5%",
    "offshore.l1-share": 0.2,
    "offshore.l2-share": 50,
    "offshore.l3-share": ("percent", 0.1),
    "cost.fee": "$980,000",
    "plan.go-live": ("date", "2026-09-01"),
    "gates.baa": "TRUE",
}
GOOD_VALUES = {
    "support.own-staff": True,
    "support.onsite": False,
    "support.weekend": False,
    "support.l4-hours": 3.0,
    "support.analysts": 6.0,
    "support.engineers": 2.0,
    "support.tier": "Gold",
    "support.description": "Our own nurses answer, 24x7, by phone and portal.",
    "offshore.share": 5.0,
    "offshore.l1-share": 20.0,
    "offshore.l2-share": 50.0,
    "offshore.l3-share": 10.0,
    "cost.fee": 980_000.0,
    "plan.go-live": "2026-09-01",
    "gates.baa": True,
}


def fill_questionnaire(
    source: Path,
    target: Path,
    answers: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    *,
    reverse_rows: bool = False,
) -> Path:
    """Fill a template like a vendor: answers by question id, optionally rows reordered.

    An answer may be a plain value, ("percent", fraction) for a percentage-formatted cell or
    ("date", "YYYY-MM-DD") for a date cell.
    """
    from datetime import date

    workbook = load_workbook(source)
    sheet = workbook["Questionnaire"]
    rows = {}
    for row in range(5, 5 + 1000):
        key = sheet.cell(row, 1).value
        if key is None:
            break
        rows[key] = row
    if reverse_rows:
        keys = list(rows)
        values = {k: [sheet.cell(rows[k], c).value for c in range(1, 7)] for k in keys}
        for new_row, key in zip(sorted(rows.values()), reversed(keys), strict=True):
            for column, value in enumerate(values[key], start=1):
                sheet.cell(new_row, column).value = value
            rows[key] = new_row
    for key, answer in answers.items():
        cell = sheet.cell(rows[key], 5)
        if isinstance(answer, tuple) and answer[0] == "percent":
            cell.value, cell.number_format = answer[1], "0%"
        elif isinstance(answer, tuple) and answer[0] == "date":
            cell.value, cell.number_format = date.fromisoformat(answer[1]), "yyyy-mm-dd"
        else:
            cell.value = answer
    for key, comment in (comments or {}).items():
        sheet.cell(rows[key], 6).value = comment
    workbook.save(target)
    return target


def dump_tables(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, for before/after comparisons."""
    metadata = MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(table))), key=repr)
            for name, table in sorted(metadata.tables.items())
        }
