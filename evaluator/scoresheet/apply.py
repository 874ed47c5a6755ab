"""Apply a scoresheet preview: one transaction, all or nothing, every score audited.

This is the bulk counterpart of `services.set_score` (which opens its own transaction per
score): the same checks (evaluation not final, rated criteria only, whole numbers on the
scale, a justification) and the same audit entries, plus one entry naming the file and its
SHA-256. Conflicts must be decided before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from evaluator.db import Database
from evaluator.domain import CriterionKind
from evaluator.models import CandidateRow, CriterionRow, EvaluatorRow, ScoreRow
from evaluator.questionnaire.problems import plural
from evaluator.scoresheet.merge import Resolution, ScoreChange, ScoreChangeKind, ScoresheetPreview
from evaluator.services.common import ServiceError, audit, editable_evaluation

Decisions = Mapping[tuple[int, str], Resolution]


@dataclass(frozen=True)
class ScoresheetOutcome:
    file_name: str
    evaluator: str
    written: int
    kept_database: int  # conflicts decided for the database
    skipped: int  # rows with errors left out (valid scores only)


def chosen_changes(
    preview: ScoresheetPreview,
    resolution: Resolution | None = None,
    decisions: Decisions | None = None,
) -> tuple[list[ScoreChange], int]:
    """(changes to write, conflicts kept as in the database); refuses undecided conflicts."""
    decisions = decisions or {}
    undecided = [c for c in preview.conflicts if decisions.get(c.cell_key, resolution) is None]
    if undecided:
        first = undecided[0]
        raise ServiceError(
            f"{preview.file_name}: {plural(len(undecided), 'score')} changed in the database "
            f"after the scoresheet was exported (first: {first.candidate} / "
            f"{first.criterion_key}); decide for each whether to keep the database's score or "
            "take the sheet's"
        )
    chosen: list[ScoreChange] = []
    kept = 0
    for change in preview.changes:
        if change.kind is ScoreChangeKind.UNCHANGED:
            continue
        keep = decisions.get(change.cell_key, resolution) is Resolution.KEEP_DATABASE
        if change.kind is ScoreChangeKind.CONFLICT and keep:
            kept += 1
            continue
        chosen.append(change)
    return chosen, kept


def apply_scoresheet(
    db: Database,
    preview: ScoresheetPreview,
    *,
    resolution: Resolution | None = None,
    decisions: Decisions | None = None,
    valid_only: bool = False,
    actor: str | None = None,
) -> ScoresheetOutcome:
    """Write the chosen scores in one transaction; `decisions` per cell override `resolution`."""
    errors = preview.errors
    if errors and not valid_only:
        raise ServiceError(
            f"{preview.file_name} has {plural(len(errors), 'problem')} that stop the import "
            f"(first: {errors[0].text}); nothing was imported: fix the file, or import the "
            "valid scores only"
        )
    chosen, kept = chosen_changes(preview, resolution, decisions)
    with db.transaction() as session:
        ev = editable_evaluation(session, preview.evaluation_id)
        member = session.get(EvaluatorRow, preview.evaluator_id)
        if member is None or member.evaluation_id != ev.id:
            raise ServiceError(
                f"the committee member {preview.evaluator!r} was removed after the preview of "
                f"{preview.file_name}: nothing was imported"
            )
        criteria = {
            row.key: row
            for row in session.scalars(
                select(CriterionRow).where(CriterionRow.evaluation_id == ev.id)
            )
        }
        candidates = {
            row.id: row
            for row in session.scalars(
                select(CandidateRow).where(CandidateRow.evaluation_id == ev.id)
            )
        }
        existing = {
            (row.candidate_id, row.criterion_id): row
            for row in session.scalars(select(ScoreRow).where(ScoreRow.evaluator_id == member.id))
        }
        for change in chosen:
            crit, cand = criteria.get(change.criterion_key), candidates.get(change.candidate_id)
            if crit is None or cand is None or crit.kind != CriterionKind.RATED.value:
                raise ServiceError(
                    f"{change.candidate} / {change.criterion_key} is no longer a rated cell of "
                    f"{ev.name!r}: preview {preview.file_name} again"
                )
            if not (ev.scale_min <= change.value <= ev.scale_max):
                raise ServiceError(f"{change.cell}: the scale changed; preview the file again")
            row = existing.get((cand.id, crit.id))
            now = None if row is None else (row.value, row.justification)
            was = (
                None
                if change.current is None
                else (change.current.value, change.current.justification)
            )
            if now != was:
                raise ServiceError(
                    f"the scores of {member.name} changed after the preview of "
                    f"{preview.file_name} (first: {change.candidate} / {change.criterion_key}); "
                    "nothing was imported: preview the file again"
                )
            if row is None:
                session.add(
                    ScoreRow(
                        evaluation_id=ev.id,
                        evaluator_id=member.id,
                        candidate_id=cand.id,
                        criterion_id=crit.id,
                        value=change.value,
                        justification=change.justification,
                    )
                )
            else:
                row.value, row.justification = change.value, change.justification
            audit(
                session,
                ev.id,
                actor,
                "set score",
                f"{member.name}: {cand.name} / {crit.name} [{crit.key}]",
                "" if now is None else now[0],
                change.value,
                change.justification,
            )
        skipped = len({p.cell or p.text for p in errors})
        audit(
            session,
            ev.id,
            actor,
            "import scoresheet",
            f"{member.name} / {preview.file_name}",
            "",
            plural(len(chosen), "score"),
            f"file {preview.file_name}, SHA-256 {preview.sha256}: {len(chosen)} written, "
            f"{kept} conflicts kept as in the database, {skipped} rows with errors left out",
        )
    return ScoresheetOutcome(preview.file_name, member.name, len(chosen), kept, skipped)
