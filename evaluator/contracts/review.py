"""What a quarterly service review needs beyond the scorecard: the quarter's card with its
months, the first year's months for the trends, and the worst tickets (the longest P1
restores, still-open ones first), read by the database (one ordered, limited query).

`track_record` closes the loop: when the same client evaluates again, a candidate's delivered
record under an earlier contract (its latest quarter with tickets) is shown beside its new
promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, select

from evaluator.contracts.card import PeriodCard, Scorecard, scorecard
from evaluator.db import Database
from evaluator.models import CandidateRow, ContractRow, EvaluationRow, TicketRow
from evaluator.records import EvalRef, get_evaluation

WORST_LISTED = 10


@dataclass(frozen=True)
class WorstTicket:
    ticket_id: str
    opened: datetime  # local time of the contract's zone
    restore_minutes: float | None  # None while still open (counted to the quarter's end)
    target_minutes: float | None
    category: str
    group: str

    @property
    def open_still(self) -> bool:
        return self.restore_minutes is None


@dataclass(frozen=True)
class Review:
    """A quarter's card, every month from go-live (trends) and the worst P1 restores."""

    card: Scorecard  # the quarter's months and `card.quarter`
    year: Scorecard  # every month from go-live (the first twelve are charted)
    worst: list[WorstTicket]
    client: str = ""

    @property
    def quarter(self) -> PeriodCard:
        assert self.card.quarter is not None
        return self.card.quarter


def review(db: Database, evaluation: EvalRef, quarter: str) -> Review:
    """The data of the quarterly service review."""
    card = scorecard(db, evaluation, quarter=quarter)
    year = scorecard(db, evaluation)
    months = [m for c in card.months for m in c.months]
    with db.reading() as session:
        client = get_evaluation(session, evaluation).client or ""
    return Review(card, year, worst_tickets(db, card, months), client)


def worst_tickets(
    db: Database, card: Scorecard, months: list[int], limit: int = WORST_LISTED
) -> list[WorstTicket]:
    """The longest P1 restores among tickets opened in `months`; open ones first."""
    contract = card.contract
    zone = ZoneInfo(contract.time_zone)
    target = contract.value("resolution", "P1")
    duration = TicketRow.resolved_utc - TicketRow.opened_utc
    still_open = case((TicketRow.resolved_utc.is_(None), 0), else_=1)
    with db.reading() as session:
        rows = session.execute(
            select(
                TicketRow.ticket_id,
                TicketRow.opened_utc,
                duration,
                TicketRow.category,
                TicketRow.assignment_group,
            )
            .where(
                TicketRow.contract_id == contract.id,
                TicketRow.priority == 1,
                TicketRow.opened_month.in_(months),
            )
            .order_by(still_open, duration.desc(), TicketRow.opened_utc)
            .limit(limit)
        ).all()
    return [
        WorstTicket(
            r[0],
            datetime.fromtimestamp(r[1], zone),
            None if r[2] is None else r[2] / 60.0,
            target,
            r[3] or "",
            r[4] or "",
        )
        for r in rows
    ]


@dataclass(frozen=True)
class TrackRecord:
    """A candidate's delivery under an earlier contract with the same client."""

    evaluation: str
    candidate: str
    period: PeriodCard

    def sentence(self) -> str:
        p = self.period
        breaches = f"; breached: {', '.join(p.breaches)}" if p.breaches else ""
        return (
            f"Delivered under {self.evaluation!r}, {p.label}: {p.verdict} over "
            f"{p.tickets:,} tickets{breaches}; service credit {p.credit:,.2f}"
        )


def track_record(db: Database, evaluation: EvalRef, candidate: str) -> TrackRecord | None:
    """The latest quarter with tickets of `candidate` under an earlier contract of the same
    client (another evaluation of the same organisation); None when there is none."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        client = (ev.client or "").strip()
        if not client:
            return None
        found = session.execute(
            select(EvaluationRow.id, EvaluationRow.name)
            .join(ContractRow, ContractRow.evaluation_id == EvaluationRow.id)
            .join(CandidateRow, CandidateRow.id == ContractRow.candidate_id)
            .where(
                EvaluationRow.client == client,
                EvaluationRow.id != ev.id,
                CandidateRow.name == candidate,
            )
            .order_by(ContractRow.go_live.desc())
            .limit(1)
        ).first()
    if found is None:
        return None
    every = scorecard(db, found[0])
    months = [m for m in every.months if m.tickets]
    if not months:
        return None
    last = months[-1].label
    quarter = f"{last[:4]}-Q{(int(last[5:7]) - 1) // 3 + 1}"
    card = scorecard(db, found[0], quarter=quarter)
    assert card.quarter is not None
    return TrackRecord(found[1], candidate, card.quarter)


def track_records(db: Database, evaluation: EvalRef) -> list[TrackRecord]:
    """Every candidate of `evaluation` with a delivered record under an earlier contract of the
    same client, in the candidates' order."""
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        names = session.scalars(
            select(CandidateRow.name).where(CandidateRow.evaluation_id == ev.id)
        ).all()
        ev_id = ev.id
    found = (track_record(db, ev_id, name) for name in names)
    return [record for record in found if record is not None]
