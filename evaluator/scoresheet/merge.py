"""Scoresheet import preview: a three-way comparison of export, sheet and database.

For every scored row the metadata gives the score as it was at export (the common ancestor).
A row the member did not touch changes nothing, even if the database moved on. A row the member
changed is applied when the database still holds the export-time score; when the database
changed too (another laptop, the chair) and disagrees with the sheet, it is a *conflict* that
the chair decides: keep the database's score or take the sheet's. Nothing is written here.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from evaluator.db import Database
from evaluator.domain import EvaluationData, Evaluator, Score
from evaluator.questionnaire.fingerprint import Metadata
from evaluator.questionnaire.problems import FileFindings, ImportRefused, warning
from evaluator.records import EvalRef, ServiceError
from evaluator.scoresheet import layout as L
from evaluator.scoresheet.export import find_evaluator
from evaluator.scoresheet.reader import read_scoresheet
from evaluator.wording import plural
from evaluator.xlsx_text import stored_text


class ScoreChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


class Resolution(StrEnum):
    KEEP_DATABASE = "keep-database"
    TAKE_SHEET = "take-sheet"


@dataclass(frozen=True)
class Base:
    """A cell as exported: the score (None when empty) and its justification's digest."""

    value: float | None
    digest: str


@dataclass(frozen=True)
class ScoreChange:
    candidate_id: int
    candidate: str
    criterion_key: str
    criterion: str
    cell: str
    base: Base | None  # None when the file has no export record for this row
    current: Score | None  # in the database now
    value: float
    justification: str
    kind: ScoreChangeKind

    @property
    def cell_key(self) -> tuple[int, str]:
        return (self.candidate_id, self.criterion_key)

    @property
    def replaces(self) -> bool:
        return self.kind is not ScoreChangeKind.NEW and self.current is not None


@dataclass
class ScoresheetPreview(FileFindings):
    evaluator_id: int
    evaluator: str
    changes: list[ScoreChange] = field(default_factory=list)

    @property
    def conflicts(self) -> list[ScoreChange]:
        return [c for c in self.changes if c.kind is ScoreChangeKind.CONFLICT]

    @property
    def replaced(self) -> list[ScoreChange]:
        return [c for c in self.changes if c.kind is ScoreChangeKind.CHANGED and c.replaces]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.replaced) or bool(self.conflicts) or self.outdated

    def blocked(self, valid_only: bool) -> bool:
        return bool(self.errors) and not valid_only

    def summary(self) -> str:
        count = {kind: sum(c.kind is kind for c in self.changes) for kind in ScoreChangeKind}
        new, conflicts = count[ScoreChangeKind.NEW], count[ScoreChangeKind.CONFLICT]
        return (
            f"{self.file_name} -> {self.evaluator}: {plural(new, 'new score')}, "
            f"{count[ScoreChangeKind.CHANGED]} changed, {count[ScoreChangeKind.UNCHANGED]} "
            f"unchanged, {plural(conflicts, 'conflict')}, "
            f"{plural(len(self.errors), 'error')}, {plural(len(self.warnings), 'warning')}"
        )


def preview_scoresheet(db: Database, evaluation: EvalRef, path: str | Path) -> ScoresheetPreview:
    """Read a scoresheet and compare it with the database (reads only)."""
    from evaluator.services import load_evaluation

    return preview_scoresheet_file(load_evaluation(db, evaluation), Path(path))


def preview_scoresheet_file(data: EvaluationData, path: Path) -> ScoresheetPreview:
    read = read_scoresheet(path, data)
    meta = read.metadata
    if meta is None:
        raise ImportRefused(
            path.name,
            "has no SupportScope metadata, so its committee member and export-time scores are "
            "unknown",
            "export a scoresheet from SupportScope and fill that one in",
        )
    _check_evaluation(data, meta, path.name)
    member = _member(data, meta, path.name)
    leaves = {leaf.key: leaf for leaf in L.rated_leaves(data.criteria)}
    outdated, notes = _check_version(data, meta, leaves)
    bases = _bases(meta)
    current = {
        (s.candidate_id, s.criterion_key): s for s in data.scores if s.evaluator_id == member.id
    }
    names = {c.id: c.name for c in data.candidates}
    problems = [warning(f"{path.name}: {n}") for n in notes] + read.problems
    changes: list[ScoreChange] = []
    for row in read.rows:
        key = (row.candidate_id, row.criterion_key)
        base, now = bases.get(key), current.get(key)
        if row.value is None:
            if now is not None:
                kept = (
                    "abstention on record" if now.abstained else f"score on record ({now.value:g})"
                )
                problems.append(warning(f"{row.cell}: left blank; the {kept} is kept"))
            continue
        kind = _classify(base, now, row.value, row.justification)
        if kind is None:
            continue
        changes.append(
            ScoreChange(
                row.candidate_id,
                names[row.candidate_id],
                row.criterion_key,
                leaves[row.criterion_key].name,
                row.cell,
                base,
                now,
                row.value,
                row.justification,
                kind,
            )
        )
    return ScoresheetPreview(
        path,
        read.sha256,
        data.id,
        data.name,
        member.id,
        member.name,
        changes,
        problems=problems,
        notices=read.notices,
        outdated=outdated,
    )


def _same(score: Score | None, value: float | None, digest: str) -> bool:
    if score is None:
        return value is None
    if score.abstained:  # exported as a blank score beside the reason
        return value is None and L.justification_digest(score.justification) == digest
    return (
        value is not None
        and score.value == value
        and L.justification_digest(score.justification) == digest
    )


def _classify(
    base: Base | None, now: Score | None, value: float, justification: str
) -> ScoreChangeKind | None:
    """None when the member did not change the row (nothing to do)."""
    digest = L.justification_digest(justification)
    if base is not None and base.value == value and base.digest == digest:
        return None
    if (
        now is not None
        and not now.abstained
        and now.value == value
        and now.justification == justification
    ):
        return ScoreChangeKind.UNCHANGED
    database_unchanged = base is None and now is None
    if base is not None:
        database_unchanged = _same(now, base.value, base.digest)
    if not database_unchanged:
        return ScoreChangeKind.CONFLICT
    return ScoreChangeKind.NEW if now is None else ScoreChangeKind.CHANGED


def _bases(meta: Metadata) -> dict[tuple[int, str], Base]:
    bases: dict[tuple[int, str], Base] = {}
    for item in meta.items:
        if len(item) < 5 or not item[0].isdigit() or not item[2]:
            continue
        try:
            value = float(item[3]) if item[3] else None
        except ValueError:
            continue
        bases[(int(item[0]), item[2])] = Base(value, item[4])
    return bases


def _check_evaluation(data: EvaluationData, meta: Metadata, name: str) -> None:
    made_for = meta.text("evaluation_name")
    if made_for and made_for != data.name and meta.integer("evaluation_id") != data.id:
        raise ImportRefused(
            name,
            f"was exported from the evaluation {made_for!r}, not {data.name!r}",
            "import it into that evaluation",
        )
    scale = (meta.integer("scale_min"), meta.integer("scale_max"))
    if scale != (data.scale.minimum, data.scale.maximum) and None not in scale:
        raise ImportRefused(
            name,
            f"was scored on the scale {scale[0]}..{scale[1]}, but the evaluation now uses "
            f"{data.scale.minimum}..{data.scale.maximum}",
            "export a new scoresheet and score again",
        )


def _member(data: EvaluationData, meta: Metadata, name: str) -> Evaluator:
    member_id, member = meta.integer("evaluator_id"), meta.text("evaluator")
    by_id = [e for e in data.evaluators if e.id == member_id and member_id is not None]
    if by_id and (stored_text(by_id[0].name) == member or not member):
        return by_id[0]
    if member:
        with contextlib.suppress(ServiceError):
            return find_evaluator(data, member)
    raise ImportRefused(
        name,
        f"belongs to the committee member {member or '(unnamed)'!r}, who is not in {data.name!r}",
        "add the member back, or export a new scoresheet for a current member",
    )


def _check_version(
    data: EvaluationData, meta: Metadata, leaves: dict[str, L.RatedLeaf]
) -> tuple[bool, list[str]]:
    if meta.text("fingerprint") == L.criteria_fingerprint(list(leaves.values()), data.scale):
        return False, []
    return True, [
        "was exported before the criteria or their rubrics were changed; check the scores "
        "against the current rubric"
    ]
