"""The audit trail's hash chain: every entry sealed together with the hash of the one before.

An entry's `hash` is sha256(prev_hash + canonical content), the content being what the entry
says (time, who, from where, what, old -> new, why, ref, imported) and never a database id, so a
chain survives a move to another database (dump and load keep times and hashes). Each
evaluation has its own chain, in id order; the entries without an evaluation form one more.
Writes to one evaluation are serialised (BEGIN IMMEDIATE on SQLite; on PostgreSQL a
transaction-scoped advisory lock per chain, taken before the head is read), so a chain is a line.

The database guards the time (migration 0005): an entry whose `at` is more than
`TIME_TOLERANCE` from the database's clock is refused unless it is `imported`, and imported
entries may only begin a chain. `check_entries` finds the first broken link of a sequence of
entries; evaluator.audit_verify reads an evaluation's chain and checks stored values against it.

About `imported`: it is sealed as it was when the entry was sealed (false for an entry written
live, true for the rows from before the chain, sealed by migration 0005). An entry carried over
from a dump keeps the hash it was sealed with where it was written, but is marked imported in its
new database; so an imported entry may carry either seal, and its flag is checked by its place
(imported entries only at the start of a chain) rather than by its hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring  # the one canonical JSON encodes strings with
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from evaluator.errors import ServiceError
from evaluator.models import AuditRow

TIME_TOLERANCE = timedelta(seconds=5)  # the triggers of migration 0005 use the same figure
CONTENT_FIELDS = ("actor", "context", "action", "target", "old", "new", "why", "ref")
_INSERT = insert(AuditRow.__table__)  # plain Core: built once, compiled once (bulk imports)
_LOCK_CLASS = 0x55A0  # PostgreSQL advisory lock namespace for audit chains
_STATE_KEY = "supportscope.audit_chain"


def at_text(at: datetime) -> str:
    """An entry's time as sealed: naive UTC, ISO 8601 with microseconds."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(sep="T", timespec="microseconds")


def parse_at(value: str) -> datetime:
    """The time of an entry as written in a file (ISO 8601, UTC, 'Z' optional)."""
    moment = datetime.fromisoformat(value.removesuffix("Z"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical(at: datetime, fields: Mapping[str, Any], imported: bool) -> str:
    """The sealed content of an entry: one JSON array, no database ids, in this order:
    [at, actor, context, action, target, old, new, why, ref, imported]."""
    return _ENCODER.encode(
        [at_text(at), *(str(fields.get(name) or "") for name in CONTENT_FIELDS), bool(imported)]
    )


def seal(prev_hash: str, at: datetime, fields: Mapping[str, Any], imported: bool) -> str:
    """sha256(prev_hash + canonical content), hex."""
    data = (prev_hash + canonical(at, fields, imported)).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def seal_run(prev_hash: str, at: datetime, entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """The hashes `seal` gives a run of live entries at one time, each linked to the one before:
    the time is encoded once and each field by the very function the canonical JSON uses (a
    file's import seals 500 entries)."""
    head, tail = "[" + encode_basestring(at_text(at)) + ",", ",false]"
    hashes = []
    for fields in entries:
        content = ",".join(
            [encode_basestring(str(fields.get(name) or "")) for name in CONTENT_FIELDS]
        )
        prev_hash = hashlib.sha256((prev_hash + head + content + tail).encode("utf-8")).hexdigest()
        hashes.append(prev_hash)
    return hashes


# ---- appending ---------------------------------------------------------------------------------


@dataclass
class _Head:
    hash: str
    at: datetime | None


@dataclass
class _TransactionState:
    """What appending needs once per transaction: the database's clock offset and chain heads."""

    transaction: object
    offset: timedelta
    heads: dict[int | None, _Head]


def _state(session: Session) -> _TransactionState:
    transaction = session.get_transaction()
    state = session.info.get(_STATE_KEY)
    if state is None or state.transaction is not transaction:
        state = _TransactionState(transaction, _clock_offset(session), {})
        session.info[_STATE_KEY] = state
    return state


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _clock_offset(session: Session) -> timedelta:
    """How far the database's clock is from ours: zero for SQLite (its clock is this machine's);
    measured once per transaction on a server, whose clock the triggers compare with."""
    if not _is_postgresql(session):
        return timedelta(0)
    before = _utcnow()
    server = session.execute(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'")).scalar_one()
    after = _utcnow()
    return server - (before + (after - before) / 2)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _head(session: Session, evaluation_id: int | None) -> _Head:
    """The newest entry of the chain, read once per transaction (the writer keeps it current)."""
    state = _state(session)
    head = state.heads.get(evaluation_id)
    if head is None:
        if _is_postgresql(session):  # serialise the chain even for writers without a row lock
            session.execute(
                text("SELECT pg_advisory_xact_lock(:space, :chain)"),
                {"space": _LOCK_CLASS, "chain": -1 if evaluation_id is None else evaluation_id},
            )
        chain = (
            AuditRow.evaluation_id.is_(None)
            if evaluation_id is None
            else AuditRow.evaluation_id == evaluation_id
        )
        row = session.execute(
            select(AuditRow.hash, AuditRow.at).where(chain).order_by(AuditRow.id.desc()).limit(1)
        ).first()
        head = _Head(row.hash, row.at) if row is not None else _Head("", None)
        state.heads[evaluation_id] = head
    return head


def append_entries(
    session: Session, evaluation_id: int | None, entries: Sequence[Mapping[str, str]]
) -> str:
    """Seal live entries in order at one database time and insert them at once (a bulk import
    writes hundreds); returns the newest hash. `entries` hold the content fields (actor, context,
    action, target, old, new, why, ref) as the rows store them; each links to the one before.
    The insert is immediate, so the database checks the time now."""
    head = _head(session, evaluation_id)
    if not entries:
        return head.hash
    at = _utcnow() + _state(session).offset
    if head.at is not None and head.at > at:  # a clock stepped back a little: keep the order
        at = head.at
    rows, prev = [], head.hash
    for fields, digest in zip(entries, seal_run(prev, at, entries), strict=True):
        values = {name: fields.get(name, "") for name in CONTENT_FIELDS}
        rows.append({"evaluation_id": evaluation_id, "at": at, "imported": False, **values,
                     "prev_hash": prev, "hash": digest})  # fmt: skip
        prev = digest
    session.execute(_INSERT, rows if len(rows) > 1 else rows[0])
    head.hash, head.at = prev, at
    return prev


@dataclass(frozen=True)
class ChainEntry:
    """One entry as the chain sees it; `label` names it in messages ("entry 17", "audit[3]")."""

    label: str
    at: datetime
    actor: str
    context: str
    action: str
    target: str
    old: str
    new: str
    why: str
    ref: str
    imported: bool
    prev_hash: str
    hash: str
    row_id: int = 0  # the database id, where it came from one

    @property
    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


def insert_imported(
    session: Session, evaluation_id: int | None, entries: Sequence[ChainEntry]
) -> None:
    """Insert a verified chain carried over from a file as the start of an evaluation's chain:
    original times and hashes, marked imported (the database lets only those keep their time)."""
    if not entries:
        return
    head = _head(session, evaluation_id)
    if head.hash:
        raise ServiceError(
            f"the database already holds audit entries for evaluation id {evaluation_id} (a "
            "removed evaluation's record): entries from a file can only begin a record"
        )
    session.execute(
        _INSERT,
        [
            {
                "evaluation_id": evaluation_id,
                "at": e.at,
                "imported": True,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                **e.fields,
            }
            for e in entries
        ],
    )
    head.hash, head.at = entries[-1].hash, entries[-1].at


# ---- checking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first place where the record does not hold, in words a committee can act on."""

    label: str  # "entry 17", "audit[3]", or the stored value named
    at: datetime | None
    action: str
    target: str
    problem: str

    def sentence(self) -> str:
        when = f"{at_text(self.at)[:19].replace('T', ' ')} UTC, " if self.at else ""
        what = " ".join(part for part in (self.action, self.target) if part)
        return f"{self.label} ({when}{what}): {self.problem}"


def check_entries(entries: Iterable[ChainEntry]) -> tuple[int, str, Break | None]:
    """(count, head hash, first break or None) of a chain given oldest first."""
    count, prev_hash, prev_at, seen_live = 0, "", None, False
    for entry in entries:
        count += 1
        problem = _problem(entry, prev_hash, prev_at, seen_live)
        if problem:
            return (
                count,
                entry.hash,
                Break(entry.label, entry.at, entry.action, entry.target, problem),
            )
        prev_hash, prev_at = entry.hash, entry.at
        seen_live = seen_live or not entry.imported
    return count, prev_hash, None


def _problem(entry: ChainEntry, prev_hash: str, prev_at: datetime | None, seen_live: bool) -> str:
    fields = entry.fields
    if entry.hash != seal(entry.prev_hash, entry.at, fields, entry.imported) and not (
        entry.imported and entry.hash == seal(entry.prev_hash, entry.at, fields, False)
    ):
        return "content changed (its hash no longer matches what it says)"
    if entry.prev_hash != prev_hash:
        if prev_hash == "":
            return "link broken (it follows an entry that is not there: the start was removed)"
        return "link broken (the entry before it was removed, added or changed)"
    if entry.imported and seen_live:
        return "imported entry after live entries (its time was not set by the database)"
    if prev_at is not None and entry.at < prev_at - TIME_TOLERANCE:
        return f"time goes back (earlier than the entry before it, {at_text(prev_at)[:19]})"
    return ""


# ---- in a file -----------------------------------------------------------------------------------


def entry_to_dict(entry: ChainEntry) -> dict[str, Any]:
    """An entry as a dump file carries it (time in UTC with a 'Z'; no database id)."""
    return {
        "at": at_text(entry.at) + "Z",
        **entry.fields,
        "imported": entry.imported,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def entry_from_dict(item: Mapping[str, Any], label: str) -> ChainEntry:
    """An entry read back from a (schema-valid) dump file."""
    return ChainEntry(
        label,
        parse_at(item["at"]),
        *(str(item.get(name, "")) for name in CONTENT_FIELDS),
        bool(item.get("imported", False)),
        str(item.get("prev_hash", "")),
        str(item["hash"]),
    )
