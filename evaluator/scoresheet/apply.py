"""Apply a scoresheet preview: one transaction, all or nothing, every score audited.

The chosen rows become a list of the same `SetScore` changes a member makes in the window, with
the database's score at preview time as what was seen; they are written through the one change
path (same checks, same audit entries, a score changed since the preview refuses the lot), plus
one entry naming the file and its SHA-256. Conflicts must be decided before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from evaluator.changes.model import ScoreCell, SetScore
from evaluator.changes.write import Actor
from evaluator.db import Database
from evaluator.errors import NotFound
from evaluator.file_import import refuse_problems, write_file
from evaluator.identity import Identity
from evaluator.models import EvaluatorRow
from evaluator.records import ServiceError, audit, editable_evaluation
from evaluator.scoresheet.merge import Resolution, ScoreChange, ScoreChangeKind, ScoresheetPreview
from evaluator.wording import plural

Decisions = Mapping[tuple[int, str], Resolution]


@dataclass(frozen=True)
class ScoresheetOutcome:
    file_name: str
    evaluator: str
    written: int
    kept_database: int  # conflicts decided for the database
    skipped: int  # rows with errors left out (valid scores only)
    backup: Path | None = None  # the evaluation as it was before the import


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
    actor: Actor = None,
    backup: Path | None = None,
) -> ScoresheetOutcome:
    """Write the chosen scores in one transaction; `decisions` per cell override `resolution`.

    The evaluation is backed up first, in that transaction (evaluator.backups.before_import),
    unless `backup` names one already taken for the same import."""
    errors = preview.errors
    refuse_problems(preview.file_name, errors, valid_only, "scores")
    chosen, kept = chosen_changes(preview, resolution, decisions)
    changes = [
        SetScore(
            preview.evaluator_id,
            change.candidate_id,
            change.criterion_key,
            None
            if change.current is None
            else ScoreCell(
                change.current.value, change.current.justification, change.current.abstained
            ),
            ScoreCell(change.value, change.justification),
        )
        for change in chosen
    ]
    with db.transaction() as session:
        ev = editable_evaluation(session, preview.evaluation_id)
        about = (EvaluatorRow, preview.evaluator_id, f"the committee member {preview.evaluator!r}")
        member, backup = write_file(
            db, session, ev, changes, actor, backup, preview.file_name, about, "scores", NotFound
        )
        skipped = len({p.cell or p.text for p in errors})
        who = actor if isinstance(actor, Identity) else None
        audit(
            session,
            ev.id,
            who.name if who else actor,  # type: ignore[arg-type]  # str or None here
            "import scoresheet",
            f"{member.name} / {preview.file_name}",
            "",
            plural(len(chosen), "score"),
            f"file {preview.file_name}, SHA-256 {preview.sha256}: {len(chosen)} written, "
            f"{kept} conflicts kept as in the database, {skipped} rows with errors left out",
            context=who.context if who else "",
        )
    return ScoresheetOutcome(preview.file_name, member.name, len(chosen), kept, skipped, backup)
