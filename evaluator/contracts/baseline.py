"""The contract baseline: a final evaluation's selected candidate, what it promised (its
questionnaire answers, confirmed or not by the committee's consensus) and the standard
service-desk targets for what it did not promise.

`baseline_targets` is pure (evaluation data in, targets out); `create_contract` writes the
contract with its targets and one audit entry in one transaction; `read_contract` reads it back.
"""

from __future__ import annotations

import math
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from evaluator.contracts.metrics import METRICS, PROMISES, STANDARDS, Direction, Source
from evaluator.contracts.model import Contract, Target
from evaluator.db import Database
from evaluator.domain import EvaluationData, Status, find_criterion
from evaluator.errors import NotFound, ServiceError
from evaluator.identity import Identity
from evaluator.models import CandidateRow, ContractRow, EvaluationRow, TargetRow
from evaluator.records import EvalRef, audit, get_evaluation
from evaluator.scoring import score_evaluation

Actor = Identity | str | None
CONTRACT_REF = "contract"


def baseline_targets(data: EvaluationData, candidate_id: int) -> tuple[list[Target], list[str]]:
    """(targets, the promise criteria in the tree left unanswered): each answered promise as a
    target (source consensus when the committee agreed a value for it), then a standard target
    for every metric and priority no promise set."""
    answers = {r.criterion_key: r for r in data.responses if r.candidate_id == candidate_id}
    agreed = {c.criterion_key: c for c in data.consensus if c.candidate_id == candidate_id}
    targets: dict[tuple[str, str], Target] = {}
    missing: list[str] = []
    for promise in PROMISES:
        leaf = find_criterion(data.criteria, promise.criterion)
        if leaf is None or (promise.metric, promise.priority) in targets:
            continue
        answer = answers.get(promise.criterion)
        if answer is None or answer.value is None or isinstance(answer.value, bool):
            missing.append(promise.criterion)
            continue
        shown = answer.raw or str(answer.value)
        citation = f"{leaf.name} ({leaf.key}): answered “{shown}” in the questionnaire"
        source = Source.QUESTIONNAIRE
        if promise.criterion in agreed:
            cell = agreed[promise.criterion]
            citation += f"; consensus {cell.value:g}/{data.scale.maximum:g}: {cell.note}"
            source = Source.CONSENSUS
        text = str(answer.value) if METRICS[promise.metric].direction is Direction.TEXT else ""
        value = None if text else float(answer.value) * promise.scale  # type: ignore[arg-type]
        targets[(promise.metric, promise.priority)] = Target(
            promise.metric, promise.priority, value, text, source.value, citation
        )
    for standard in STANDARDS:
        key = (standard.metric, standard.priority)
        if key not in targets:
            targets[key] = Target(
                *key, standard.value, "", Source.STANDARD.value, standard.citation
            )
    return list(targets.values()), missing


def selected_candidate(data: EvaluationData, name: str | None) -> int:
    """The candidate named, or the one ranked first; refused when disqualified or tied."""
    results = score_evaluation(data)
    by_name = {c.name: c.id for c in data.candidates}
    if name is not None:
        if name not in by_name:
            raise NotFound(f"no candidate named {name!r} in evaluation {data.name!r}")
        if results.for_candidate(by_name[name]).disqualified:
            raise ServiceError(f"{name} is disqualified in {data.name!r}: it cannot be awarded")
        return by_name[name]
    first = [r.candidate_id for r in results.candidates if r.rank == 1]
    if len(first) != 1:
        raise ServiceError(
            f"{data.name!r} has {'no ranked candidate' if not first else 'a tie for first'}: "
            "name the selected candidate (--candidate NAME)"
        )
    return first[0]


def check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(
            f"{name!r} is not a time zone: use an IANA name such as America/Chicago or UTC"
        ) from None
    return name


def create_contract(
    db: Database,
    evaluation: EvalRef,
    *,
    go_live: date,
    monthly_fee: float,
    time_zone: str = "UTC",
    candidate: str | None = None,
    actor: Actor = None,
) -> Contract:
    """Create the support contract of a final evaluation for its selected candidate."""
    from evaluator.services.reading import read_evaluation

    if not math.isfinite(monthly_fee) or monthly_fee <= 0:
        raise ServiceError("the monthly fee must be a positive amount")
    check_time_zone(time_zone)
    with db.transaction() as session:
        ev = get_evaluation(session, evaluation, lock=True)
        if ev.status != Status.FINAL.value:
            raise ServiceError(
                f"evaluation {ev.name!r} is {ev.status}, not final: a contract is made for the "
                "selected candidate once the result is locked (finalise it first)"
            )
        require_chair(ev, actor)
        if session.scalar(select(ContractRow.id).where(ContractRow.evaluation_id == ev.id)):
            raise ServiceError(
                f"evaluation {ev.name!r} already has a support contract: see 'contract show'"
            )
        data = read_evaluation(session, ev.id)
        chosen = selected_candidate(data, candidate)
        targets, missing = baseline_targets(data, chosen)
        contract_id = session.execute(
            insert(ContractRow).values(
                evaluation_id=ev.id,
                candidate_id=chosen,
                go_live=go_live,
                monthly_fee=float(monthly_fee),
                time_zone=time_zone,
                revision=0,
            )
        ).inserted_primary_key[0]
        session.execute(
            insert(TargetRow),
            [{"contract_id": contract_id, **t.to_dict()} for t in targets],
        )
        name = next(c.name for c in data.candidates if c.id == chosen)
        promised = sum(t.source != Source.STANDARD.value for t in targets)
        who = actor.name if isinstance(actor, Identity) else actor
        audit(
            session,
            ev.id,
            who,
            "create contract",
            name,
            new=f"go-live {go_live.isoformat()}, {monthly_fee:,.2f} a month, {time_zone}; "
            f"{promised} promised and {len(targets) - promised} standard targets",
            ref=CONTRACT_REF,
            context=actor.context if isinstance(actor, Identity) else "",
        )
        return read_contract_in(session, ev, tuple(missing))


def require_chair(ev: EvaluationRow, actor: Actor) -> None:
    """Once an evaluation has a chair, contract changes are the chair's."""
    if ev.chair and not (isinstance(actor, Identity) and actor.chair):
        raise ServiceError(
            f"{ev.name!r} has a chair ({ev.chair}): the chair makes the contract (--as)"
        )


def contract_row(session: Session, ev: EvaluationRow, *, lock: bool = False) -> ContractRow:
    query = select(ContractRow).where(ContractRow.evaluation_id == ev.id)
    row = session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound(
            f"evaluation {ev.name!r} has no support contract: create one with 'contract create'"
        )
    return row


def read_contract_in(
    session: Session, ev: EvaluationRow, missing: tuple[str, ...] = ()
) -> Contract:
    row = contract_row(session, ev)
    name = session.scalar(select(CandidateRow.name).where(CandidateRow.id == row.candidate_id))
    targets = session.execute(
        select(
            TargetRow.metric,
            TargetRow.priority,
            TargetRow.value,
            TargetRow.text,
            TargetRow.source,
            TargetRow.citation,
        ).where(TargetRow.contract_id == row.id)
    ).all()
    order = {key: i for i, key in enumerate(METRICS)}
    ordered = sorted(
        (Target(*t) for t in targets if t.metric in METRICS),
        key=lambda t: (order[t.metric], t.priority),
    )
    return Contract(
        row.id,
        ev.id,
        ev.name,
        row.candidate_id,
        name or "",
        row.go_live,
        row.monthly_fee,
        row.time_zone,
        row.revision,
        tuple(ordered),
        missing,
    )


def read_contract(db: Database, evaluation: EvalRef) -> Contract:
    """The evaluation's support contract with its targets; NotFound when it has none."""
    with db.reading() as session:
        return read_contract_in(session, get_evaluation(session, evaluation))
