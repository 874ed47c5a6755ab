"""What a questionnaire import would do: per-answer changes, problems, and the outcome.

Plain data shared by the importer, the command line and the import dialog.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from evaluator.domain import AnswerType, Response
from evaluator.questionnaire.problems import FileFindings
from evaluator.wording import plural, with_unit


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class AnswerChange:
    """One readable answer in the file against the answer on record."""

    key: str
    question: str
    cell: str
    answer_type: AnswerType
    unit: str
    old: Response | None
    value: bool | float | str | None
    raw: str
    comment: str
    kind: ChangeKind

    @property
    def old_text(self) -> str:
        if self.old is None:
            return ""
        return answer_text(self.old.value, self.answer_type, self.unit) or self.old.raw

    @property
    def new_text(self) -> str:
        return answer_text(self.value, self.answer_type, self.unit)

    @property
    def replaces(self) -> bool:
        """It overwrites an answer (or comment) already on record."""
        return self.kind is ChangeKind.CHANGED and self.old is not None


@dataclass
class QuestionnairePreview(FileFindings):
    """What importing one file would do; nothing has been written."""

    candidate_id: int
    candidate: str
    changes: list[AnswerChange] = field(default_factory=list)

    @property
    def to_write(self) -> list[AnswerChange]:
        return [c for c in self.changes if c.kind is not ChangeKind.UNCHANGED]

    @property
    def replaced(self) -> list[AnswerChange]:
        return [c for c in self.changes if c.replaces]

    @property
    def needs_confirmation(self) -> bool:
        """Ask before applying: answers on record would be replaced, or the file is outdated."""
        return bool(self.replaced) or self.outdated

    def blocked(self, valid_only: bool) -> bool:
        return bool(self.errors) and not valid_only

    def summary(self) -> str:
        counts = {kind: sum(c.kind is kind for c in self.changes) for kind in ChangeKind}
        return (
            f"{self.file_name} -> {self.candidate}: {plural(counts[ChangeKind.NEW], 'new answer')}"
            f", {counts[ChangeKind.CHANGED]} changed, {counts[ChangeKind.UNCHANGED]} unchanged, "
            f"{plural(len(self.errors), 'error')}, {plural(len(self.warnings), 'warning')}"
        )


@dataclass(frozen=True)
class ApplyOutcome:
    file_name: str
    candidate: str
    written: int
    new: int
    replaced: int
    skipped: int  # answers left out because they had errors (valid answers only)
    backup: Path | None = None  # the evaluation as it was before the import


def answer_text(value: object, answer_type: AnswerType, unit: str = "") -> str:
    """An answer as people read it: Yes, 35%, 24 hours, 1,250,000 USD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        number = (
            f"{value:,.2f}".rstrip("0").rstrip(".")
            if answer_type is AnswerType.CURRENCY
            else f"{value:.10g}"
        )
        if answer_type is AnswerType.PERCENT:
            return f"{number}%"
        return with_unit(number, unit)
    return str(value)


def same_value(old: object, new: object) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new or (isinstance(old, bool) and isinstance(new, bool) and old == new)
    if isinstance(old, int | float) and isinstance(new, int | float):
        return math.isclose(float(old), float(new), rel_tol=1e-12, abs_tol=1e-12)
    return old == new
