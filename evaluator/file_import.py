"""Applying a previewed file (a questionnaire or a scoresheet): the steps both imports share.

Both refuse a file with problems unless the user chose its valid rows only, check that the
candidate or member the file is about still exists, back the evaluation up once per batch, and
write through the one change path, where a refusal says that nothing was imported and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from evaluator.changes.model import Change
from evaluator.changes.write import Actor, write_changes
from evaluator.db import Database
from evaluator.errors import ServiceError, StaleChange
from evaluator.models import EvaluationRow
from evaluator.questionnaire.problems import Problem
from evaluator.wording import plural

RowT = TypeVar("RowT")


def refuse_problems(file_name: str, errors: Sequence[Problem], valid_only: bool, rows: str) -> None:
    """Refuse a file with problems unless the user chose to import its valid `rows` only."""
    if errors and not valid_only:
        raise ServiceError(
            f"{file_name} has {plural(len(errors), 'problem')} that stop the import "
            f"(first: {errors[0].text}); nothing was imported: fix the file, or import the "
            f"valid {rows} only"
        )


def write_file(
    db: Database,
    session: Session,
    ev: EvaluationRow,
    changes: Sequence[Change],
    actor: Actor,
    backup: Path | None,
    file: str,
    about: tuple[type[RowT], int, str],
    rows: str,
    refused: type[ServiceError] = ServiceError,
) -> tuple[RowT, Path]:
    """Write a file's changes; returns (the row `about` names, the backup).

    `about` is the candidate or member the file is about (class, id, "the candidate 'X'"),
    refused once removed. The evaluation is backed up first unless `backup` is this batch's,
    taken for an earlier file. `rows` changed since the preview, or a `refused` write, say that
    nothing was imported."""
    row_type, row_id, label = about
    row = session.get(row_type, row_id)
    if row is None or getattr(row, "evaluation_id", None) != ev.id:
        raise ServiceError(f"{label} was removed after the preview of {file}: nothing was imported")
    if backup is None:
        from evaluator.backups import before_import

        backup = before_import(db, session, ev.id)
    try:
        write_changes(session, ev, changes, actor)
    except StaleChange as exc:
        raise StaleChange(
            f"the {rows} of {getattr(row, 'name', '')} changed after the preview of {file} "
            f"({exc}); nothing was imported: preview the file again",
            remedy="",
        ) from exc
    except refused as exc:
        raise ServiceError(f"{exc}; nothing was imported from {file}: preview it again") from exc
    return row, backup
