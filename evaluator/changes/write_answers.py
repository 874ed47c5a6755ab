"""Writing a candidate's questionnaire answers: one edit, or a whole file's run at once.

Each answer is validated and checked against what the user saw, answer by answer, as every
change is (evaluator.changes.write_cells); a run of them from an import (a file's 500 answers)
is then written with one statement per kind of write (insert, update, delete) and its audit
entries sealed into the chain by one insert: the same rows and entries, in the same order, as
writing them one by one, in a fraction of the round trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from evaluator.changes import normalise
from evaluator.changes.context import WriteContext, answer_ref
from evaluator.changes.model import Answer, SetAnswer
from evaluator.errors import ServiceError
from evaluator.models import QuestionRow, ResponseRow
from evaluator.records import AuditItem

_RESPONSES = ResponseRow.__table__
_INSERT = insert(_RESPONSES)
_UPDATE = update(_RESPONSES).where(_RESPONSES.c.id == bindparam("row_id"))
Rows = list[dict[str, Any]]
_ANSWER_COLUMNS = ("id", "question_id", "value", "raw", "comment", "source")


def answer_text(value: object) -> str:
    """How an answer without its own text is recorded: yes/no, 4 (not 4.0), or the text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return normalise.fmt(value)
    return str(value)


def normalised_answer(answer: Answer | None) -> Answer | None:
    """None for an empty answer (it clears), else the answer with its shown text filled in."""
    if answer is None or (answer.value is None and not answer.raw and not answer.comment):
        return None
    value = answer.value
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return Answer(value, answer.raw or answer_text(value), str(answer.comment or ""))


def write_answer(ctx: WriteContext, change: SetAnswer) -> tuple[SetAnswer, bool]:
    return write_answers(ctx, [change])[0]


def write_answers(ctx: WriteContext, changes: Sequence[SetAnswer]) -> list[tuple[SetAnswer, bool]]:
    """Write a run of answer changes; (each change as applied, whether it changed anything).
    A stale answer refuses the run before anything is written."""
    cells = [(change.candidate_id, change.key) for change in changes]
    if len(set(cells)) < len(cells):  # one answer twice in a run: each sees the one before
        return [result for change in changes for result in write_answers(ctx, [change])]
    questions = ctx.cached_rows(("questions",), lambda: _question_ids(ctx))
    results: list[tuple[SetAnswer, bool]] = []
    inserts: Rows = []
    updates: Rows = []
    deletes: list[int] = []
    entries: list[AuditItem] = []
    evaluation_id = ctx.ev.id
    for change in changes:
        cand_id, cand_name = _candidate(ctx, change.candidate_id)
        question_id = questions.get(change.key)
        if question_id is None:
            raise ServiceError(f"no question with id {change.key!r} in evaluation {ctx.ev.name!r}")
        after = normalised_answer(change.after)
        if ctx.bulk:
            rows = ctx.cached_rows(("answers", cand_id), partial(_answer_rows, ctx, cand_id))
        else:
            rows = _answer_rows(ctx, cand_id, question_id)
        row = rows.get(question_id)
        stored = None if row is None else Answer(row["value"], row["raw"], row["comment"])
        ref = answer_ref(cand_id, change.key)
        if stored != change.before:
            raise ctx.stale(f"the answer of {cand_name} to {change.key}", ref)
        applied = SetAnswer(change.candidate_id, change.key, stored, after, change.source)
        results.append((applied, stored != after))
        if stored == after:
            continue
        if after is None:
            deletes.append(row["id"])
            del rows[question_id]
        else:
            values = {
                "value": after.value,
                "raw": after.raw,
                "comment": after.comment,
                "source": change.source,
            }
            if row is None:
                owner = {"evaluation_id": evaluation_id, "candidate_id": cand_id}
                inserts.append({**owner, "question_id": question_id, **values})
            else:
                updates.append({"row_id": row["id"], **values})
                row.update(values)
        old = "" if stored is None else stored.raw
        new = "" if after is None else after.raw
        why = f"from {change.source}" if change.source else ""
        if old != new or (stored and after and stored.comment != after.comment):
            entries.append(("set answer", f"{cand_name} / {change.key}", old, new, why, ref))
    _write(ctx, inserts, updates, deletes)
    for candidate_id in {row["candidate_id"] for row in inserts}:  # ids known once inserted:
        ctx.forget_rows(("answers", candidate_id))  # a later run reads the rows again
    ctx.audit_many(entries)
    return results


def _candidate(ctx: WriteContext, candidate_id: int) -> tuple[int, str]:
    """(id, name) of a candidate row, read once per transaction (a file's 500 answers ask)."""
    found = ctx.cached_rows(("candidate names",), dict)
    if candidate_id not in found:
        cand = ctx.candidate(candidate_id)
        found[candidate_id] = (cand.id, cand.name)
    return found[candidate_id]


def _write(ctx: WriteContext, inserts: Rows, updates: Rows, deletes: list[int]) -> None:
    """One statement per kind of write (executemany for many rows)."""
    if deletes:
        ctx.session.execute(delete(_RESPONSES).where(_RESPONSES.c.id.in_(deletes)))
    if updates:
        ctx.session.execute(_UPDATE, updates if len(updates) > 1 else updates[0])
    if inserts:
        ctx.session.execute(_INSERT, inserts if len(inserts) > 1 else inserts[0])


def _question_ids(ctx: WriteContext) -> dict[str, int]:
    return dict(
        ctx.session.execute(
            select(QuestionRow.key, QuestionRow.id).where(QuestionRow.evaluation_id == ctx.ev.id)
        ).all()
    )


def _answer_rows(
    ctx: WriteContext, candidate_id: int, question_id: int | None = None
) -> dict[int, dict[str, Any]]:
    """A candidate's answer rows by question row id (each a dict of the row's columns): all,
    or the one answer."""
    query = select(*(ResponseRow.__table__.c[name] for name in _ANSWER_COLUMNS)).where(
        ResponseRow.candidate_id == candidate_id
    )
    if question_id is not None:
        query = query.where(ResponseRow.question_id == question_id)
    return {r.question_id: dict(r._mapping) for r in ctx.session.execute(query)}
