"""Importing ticket exports: the column mapping (a preset, the source's saved mapping, the
user's --map), every row parsed, a preview by file and line (new, changed, unchanged,
unreadable), then one all-or-nothing write: a Core bulk insert of the new tickets and a bulk
update of the changed ones, with the source's mapping saved and one audit entry, in one
transaction. A ticket id is unique per contract: importing a period again updates, never doubles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from evaluator.contracts import fields as F
from evaluator.contracts.baseline import CONTRACT_REF, Actor, check_time_zone, contract_row
from evaluator.contracts.ticket_files import FileRefused, Table, cell_name, read_table
from evaluator.db import Database
from evaluator.identity import Identity
from evaluator.models import ContractRow, TicketRow, TicketSourceRow
from evaluator.records import EvalRef, audit, get_evaluation
from evaluator.wording import plural

TIMES = ("opened_utc", "responded_utc", "resolved_utc", "opened_month")
FLAGS = ("reopened", "fcr", "offshore", "clinical", "satisfaction")
COLUMNS = ("ticket_id", *TIMES, "priority", "category", "assignment_group", *FLAGS)
Record = tuple  # values in COLUMNS order
SHOWN_PROBLEMS = 10


@dataclass
class FileCounts:
    name: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unreadable: int = 0


@dataclass
class TicketPreview:
    """What an import would do (or did, when `written`), file by file."""

    source: str
    preset: str
    mapping: dict[str, str]
    files: list[FileCounts] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file line 12: what is wrong"
    notes: list[str] = field(default_factory=list)  # duplicates across files, DST guesses
    new: list[Record] = field(default_factory=list)
    changed: list[Record] = field(default_factory=list)
    written: bool = False

    @property
    def unreadable(self) -> int:
        return sum(f.unreadable for f in self.files)

    def summary(self) -> str:
        total = FileCounts("")
        for f in self.files:
            total.new += f.new
            total.changed += f.changed
            total.unchanged += f.unchanged
            total.unreadable += f.unreadable
        return (
            f"{total.new} new, {total.changed} changed, {total.unchanged} unchanged, "
            f"{total.unreadable} unreadable"
        )


@dataclass(frozen=True)
class SourceSettings:
    name: str
    preset: str
    mapping: dict[str, str]  # header (casefolded) -> field
    time_zone: str
    priorities: dict[str, int]


def settings_for(
    session: Session,
    contract: ContractRow,
    source: str | None,
    preset: str | None,
    overrides: Sequence[str] = (),
    time_zone: str | None = None,
) -> SourceSettings:
    """The mapping to use: the preset's (or the source's saved one), with --map COL=FIELD on top
    (COL= leaves that column out)."""
    name = (source or preset or "generic").strip()
    saved = session.scalar(
        select(TicketSourceRow).where(
            TicketSourceRow.contract_id == contract.id, TicketSourceRow.name == name
        )
    )
    if preset is not None and preset not in F.PRESETS:
        raise FileRefused(f"no preset {preset!r}: one of {', '.join(F.PRESETS)}")
    if saved is not None and preset is None:
        mapping, chosen = dict(saved.mapping), saved.preset
    else:
        chosen = preset or "generic"
        mapping = {k.casefold(): v for k, v in F.PRESETS[chosen].items()}
    for item in overrides:
        column, sep, target = item.rpartition("=")
        target = target.strip()
        if not sep or not column.strip() or (target and target not in F.FIELDS):
            raise FileRefused(
                f"--map {item!r}: write COLUMN=FIELD, FIELD one of {', '.join(F.FIELDS)} "
                "(or COLUMN= to leave the column out)"
            )
        mapping.pop(column.strip().casefold(), None)
        if target:  # COLUMN= leaves a column the preset or saved mapping reads out
            mapping = {k: v for k, v in mapping.items() if v != target}
            mapping[column.strip().casefold()] = target
    zone = time_zone or (saved.time_zone if saved is not None else contract.time_zone)
    priorities = dict(saved.priorities) if saved is not None else {}
    return SourceSettings(name, chosen, mapping, check_time_zone(zone), priorities)


def _columns(table: Table, settings: SourceSettings) -> dict[str, int]:
    found = {
        settings.mapping[h.casefold()]: i
        for i, h in enumerate(table.header)
        if h.casefold() in settings.mapping
    }
    missing = [f for f in F.REQUIRED if f not in found]
    if missing:
        raise FileRefused(
            f"{table.name}: no column for {', '.join(missing)} (its columns: "
            f"{', '.join(h for h in table.header if h)[:300]}): map one with --map "
            f"'COLUMN={missing[0]}' or choose the right --preset"
        )
    return found


def parse_rows(
    table: Table, settings: SourceSettings, zone: ZoneInfo, problems: list[str]
) -> list[tuple[int, Record]]:
    """(line, record) for each readable row; a problem line for each other row."""
    where = _columns(table, settings)
    source_zone = ZoneInfo(settings.time_zone)
    words = {k.casefold(): int(v) for k, v in settings.priorities.items()}
    out: list[tuple[int, Record]] = []

    def cell(cells: list[object], name: str) -> object:
        i = where.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    for line, cells in table.rows:
        current = "ticket_id"
        try:
            ticket = str(cell(cells, "ticket_id") or "").strip()
            if not ticket or len(ticket) > 100:
                raise ValueError("no ticket id" if not ticket else "the ticket id is too long")
            current = "opened"
            opened, _ = F.parse_time(cell(cells, "opened"), source_zone)
            if opened is None:
                raise ValueError("no opening time")
            current = "first_response"
            responded = F.later_time(opened, cell(cells, current), source_zone, "first response")
            current = "resolved"
            resolved = F.later_time(opened, cell(cells, current), source_zone, "resolution")
            current = "priority"
            priority = F.parse_priority(cell(cells, current), words)
            flags = []
            for current in ("reopened", "fcr", "offshore", "clinical"):
                flags.append(F.parse_flag(cell(cells, current)))
            current = "satisfaction"
            rating = F.parse_rating(cell(cells, current))
        except ValueError as error:
            column = where.get(current, 0)
            problems.append(f"{cell_name(table, line, column)}: {error}")
            continue
        texts = [str(cell(cells, n) or "").strip()[:200] for n in ("category", "assignment_group")]
        out.append(
            (
                line,
                (
                    ticket,
                    opened,
                    responded,
                    resolved,
                    F.local_month(opened, zone),
                    priority,
                    *texts,
                    bool(flags[0]),
                    *flags[1:],
                    rating,
                ),
            )
        )
    return out


def plan(
    session: Session, contract: ContractRow, paths: Sequence[Path], settings: SourceSettings
) -> TicketPreview:
    """Read, parse and compare every file with what is stored (one bulk read)."""
    preview = TicketPreview(settings.name, settings.preset, settings.mapping)
    zone = ZoneInfo(contract.time_zone)
    stored = {
        r[0]: tuple(r)
        for r in session.execute(
            select(*(getattr(TicketRow, c) for c in COLUMNS)).where(
                TicketRow.contract_id == contract.id
            )
        )
    }
    seen: dict[str, tuple[str, int, Record]] = {}
    for path in paths:
        counts = FileCounts(Path(path).name)
        preview.files.append(counts)
        table = read_table(Path(path), set(settings.mapping))
        before = len(preview.problems)
        rows = parse_rows(table, settings, zone, preview.problems)
        counts.unreadable = len(preview.problems) - before
        for line, record in rows:
            earlier = seen.get(record[0])
            if earlier is not None:
                preview.notes.append(
                    f"{counts.name} line {line}: ticket {record[0]} is also in "
                    f"{earlier[0]} line {earlier[1]}; the later row is kept"
                )
            seen[record[0]] = (counts.name, line, record)
    for name, _line, record in seen.values():
        counts = next(f for f in preview.files if f.name == name)
        old = stored.get(record[0])
        if old is None:
            counts.new += 1
            preview.new.append(record)
        elif old != record:
            counts.changed += 1
            preview.changed.append(record)
        else:
            counts.unchanged += 1
    return preview


def import_tickets(
    db: Database,
    evaluation: EvalRef,
    paths: Sequence[Path],
    *,
    source: str | None = None,
    preset: str | None = None,
    overrides: Sequence[str] = (),
    time_zone: str | None = None,
    dry_run: bool = False,
    actor: Actor = None,
) -> TicketPreview:
    """Preview (dry_run) or import ticket files; refused, nothing written, when any row is
    unreadable."""
    with db.reading() if dry_run else db.transaction() as session:
        ev = get_evaluation(session, evaluation, lock=not dry_run)
        contract = contract_row(session, ev, lock=not dry_run)
        settings = settings_for(session, contract, source, preset, overrides, time_zone)
        preview = plan(session, contract, paths, settings)
        if dry_run:
            return preview
        if preview.problems:
            shown = "; ".join(preview.problems[:SHOWN_PROBLEMS])
            more = len(preview.problems) - SHOWN_PROBLEMS
            raise FileRefused(
                f"{plural(len(preview.problems), 'unreadable row')}, nothing was imported: {shown}"
                + (f"; and {more} more" if more > 0 else "")
                + ". Correct them (or the mapping) and import again"
            )
        source_id = _save_source(session, contract, settings)
        _write(session, contract.id, source_id, preview)
        who = actor.name if isinstance(actor, Identity) else actor
        audit(
            session,
            ev.id,
            who,
            "import tickets",
            ", ".join(f.name for f in preview.files),
            new=preview.summary(),
            why=f"source {settings.name}",
            ref=CONTRACT_REF,
            context=actor.context if isinstance(actor, Identity) else "",
        )
        preview.written = True
        return preview


def _save_source(session: Session, contract: ContractRow, settings: SourceSettings) -> int:
    row = session.scalar(
        select(TicketSourceRow).where(
            TicketSourceRow.contract_id == contract.id, TicketSourceRow.name == settings.name
        )
    )
    if row is None:
        row = TicketSourceRow(contract_id=contract.id, name=settings.name)
        session.add(row)
    row.preset, row.mapping, row.time_zone = settings.preset, settings.mapping, settings.time_zone
    row.priorities = settings.priorities
    session.flush()
    return row.id


def _write(session: Session, contract_id: int, source_id: int, preview: TicketPreview) -> None:
    """One bulk insert and one bulk update (executemany), inside the caller's transaction."""
    if preview.new:
        session.execute(
            insert(TicketRow),
            [
                {
                    "contract_id": contract_id,
                    "source_id": source_id,
                    **dict(zip(COLUMNS, r, strict=True)),
                }
                for r in preview.new
            ],
        )
    if preview.changed:
        table = TicketRow.__table__
        statement = (
            update(table)
            .where(table.c.contract_id == contract_id, table.c.ticket_id == bindparam("key"))
            .values({**{c: bindparam(f"v_{c}") for c in COLUMNS[1:]}, "source_id": source_id})
        )
        session.connection().execute(
            statement,
            [
                {"key": r[0], **{f"v_{c}": v for c, v in zip(COLUMNS[1:], r[1:], strict=True)}}
                for r in preview.changed
            ],
        )


def saved_sources(db: Database, evaluation: EvalRef) -> list[SourceSettings]:
    """The contract's ticket sources with their saved mappings (the import dialog offers them)."""
    with db.reading() as session:
        contract = contract_row(session, get_evaluation(session, evaluation))
        rows = session.scalars(
            select(TicketSourceRow)
            .where(TicketSourceRow.contract_id == contract.id)
            .order_by(TicketSourceRow.name)
        ).all()
        return [
            SourceSettings(r.name, r.preset, dict(r.mapping), r.time_zone, dict(r.priorities))
            for r in rows
        ]


def file_columns(path: Path) -> list[str]:
    """A ticket export's column headers, so the user can map them (the header is the first row
    naming a column any preset knows)."""
    known = {h.casefold() for preset in F.PRESETS.values() for h in preset}
    return [h for h in read_table(Path(path), known).header if h]
