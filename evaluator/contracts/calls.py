"""Monthly call statistics from a sheet (CSV or XLSX): month, calls offered, answered,
abandoned and the average speed of answer in seconds. A month imported again is replaced; the
whole file is refused, nothing written, when any row is wrong.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, insert

from evaluator.contracts.baseline import CONTRACT_REF, Actor, contract_row
from evaluator.contracts.ticket_files import FileRefused, cell_name, read_table
from evaluator.db import Database
from evaluator.identity import Identity
from evaluator.models import CallMonthRow
from evaluator.records import EvalRef, audit, get_evaluation

HEADERS = {
    "month": "month",
    "offered": "offered",
    "calls offered": "offered",
    "answered": "answered",
    "calls answered": "answered",
    "abandoned": "abandoned",
    "calls abandoned": "abandoned",
    "asa": "asa",
    "asa (s)": "asa",
    "asa seconds": "asa",
    "average speed of answer": "asa",
    "average speed of answer (s)": "asa",
}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")


def parse_month(value: object) -> int:
    if isinstance(value, datetime | date):
        return value.year * 100 + value.month
    text = str(value or "").strip()
    found = _MONTH.match(text)
    if not found:
        try:
            moment = datetime.strptime(text, "%b %Y")
        except ValueError:
            raise ValueError(f"month {text!r} is not YYYY-MM") from None
        return moment.year * 100 + moment.month
    if not 1 <= int(found.group(2)) <= 12:
        raise ValueError(f"month {text!r} is not YYYY-MM")
    return int(found.group(1)) * 100 + int(found.group(2))


def _count(value: object, what: str) -> int:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(f"{what} {value!s} is not a number") from None
    if number < 0 or number != int(number):
        raise ValueError(f"{what} {value!s} is not a whole number of calls")
    return int(number)


def read_calls(path: Path) -> dict[int, tuple[int, int, int, float]]:
    """month -> (offered, answered, abandoned, ASA seconds), checked row by row."""
    table = read_table(Path(path), set(HEADERS))
    where = {
        HEADERS[h.casefold()]: i for i, h in enumerate(table.header) if h.casefold() in HEADERS
    }
    missing = [n for n in ("month", "offered", "answered", "abandoned", "asa") if n not in where]
    if missing:
        raise FileRefused(
            f"{table.name}: no column for {', '.join(missing)}: the sheet needs "
            "Month, Offered, Answered, Abandoned and ASA (s) columns"
        )
    months: dict[int, tuple[int, int, int, float]] = {}
    for line, cells in table.rows:
        current = "month"
        try:
            month = parse_month(cells[where["month"]])
            counts = []
            for current in ("offered", "answered", "abandoned"):
                counts.append(_count(cells[where[current]], current))
            current = "asa"
            asa = float(str(cells[where["asa"]]).strip())
            if not 0 <= asa < 86400:
                raise ValueError(f"ASA {asa:g} s is out of range")
            if counts[1] + counts[2] > counts[0]:
                raise ValueError("answered plus abandoned is more than offered")
        except (ValueError, IndexError) as error:
            raise FileRefused(
                f"{cell_name(table, line, where.get(current, 0))}: {error}: "
                "correct it and import the file again; nothing was imported"
            ) from None
        months[month] = (counts[0], counts[1], counts[2], asa)
    return months


def import_calls(db: Database, evaluation: EvalRef, path: Path, *, actor: Actor = None) -> int:
    """Import a call-statistics sheet; returns the number of months written."""
    months = read_calls(path)
    with db.transaction() as session:
        ev = get_evaluation(session, evaluation, lock=True)
        contract = contract_row(session, ev, lock=True)
        if months:
            session.execute(
                delete(CallMonthRow).where(
                    CallMonthRow.contract_id == contract.id, CallMonthRow.month.in_(months)
                )
            )
            session.execute(
                insert(CallMonthRow),
                [
                    {
                        "contract_id": contract.id,
                        "month": m,
                        "offered": v[0],
                        "answered": v[1],
                        "abandoned": v[2],
                        "asa_seconds": v[3],
                    }
                    for m, v in months.items()
                ],
            )
        who = actor.name if isinstance(actor, Identity) else actor
        audit(
            session,
            ev.id,
            who,
            "import calls",
            Path(path).name,
            new=f"{len(months)} months",
            ref=CONTRACT_REF,
            context=actor.context if isinstance(actor, Identity) else "",
        )
    return len(months)
