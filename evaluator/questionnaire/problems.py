"""What an import found wrong, worded for the person who has to fix it.

A *problem* is about one cell or one question and does not stop the rest of the file: errors
block an all-or-nothing import (unless the user chooses "valid answers only"), warnings are
shown and never block. A file that cannot be imported at all raises `ImportRefused`, a
`ServiceError` with a one-line message, exactly like a file the workbook guard rejects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from evaluator.questionnaire.fingerprint import Metadata
from evaluator.records import ServiceError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """`text` is complete and starts with the place, e.g. `Questionnaire!E14: "x" is not ...`."""

    severity: Severity
    text: str
    key: str = ""  # the question id / criterion key it concerns, when there is one
    cell: str = ""  # "Questionnaire!E14", when there is one

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return self.text


@dataclass
class ReadFile:
    """What a reader found in one workbook (the questionnaire's and the scoresheet's extend it)."""

    file_name: str
    sha256: str
    sheet: str
    metadata: Metadata | None
    problems: list[Problem] = field(default_factory=list, kw_only=True)
    notices: tuple[str, ...] = field(default=(), kw_only=True)  # from the guard: "macros ignored"


@dataclass
class FileFindings:
    """What a file preview says about its file and the evaluation it is for: the base of the
    questionnaire and scoresheet previews."""

    path: Path
    sha256: str
    evaluation_id: int
    evaluation_name: str
    problems: list[Problem] = field(default_factory=list, kw_only=True)
    notices: tuple[str, ...] = field(default=(), kw_only=True)  # from the guard
    outdated: bool = field(default=False, kw_only=True)  # made from an older question set

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def error(text: str, key: str = "", cell: str = "") -> Problem:
    return Problem(Severity.ERROR, text, key, cell)


def warning(text: str, key: str = "", cell: str = "") -> Problem:
    return Problem(Severity.WARNING, text, key, cell)


class ImportRefused(ServiceError):
    """The whole file cannot be imported (wrong evaluation, no table, unknown candidate)."""

    def __init__(self, file_name: str, problem: str, remedy: str) -> None:
        super().__init__(f"{file_name} {problem}: {remedy}.")
        self.file_name = file_name


FORMAT_NAMES = {
    "supportscope-questionnaire": ("a vendor questionnaire", "questionnaire"),
    "supportscope-scoresheet": ("an evaluator scoresheet", "scoresheet"),
}


def refuse_other_format(metadata: object, expected: str, file_name: str) -> None:
    """Refuse a SupportScope file of the other kind (a scoresheet given as a questionnaire)."""
    kind = getattr(metadata, "text", lambda _name: "")("format")
    if not kind or kind == expected:
        return
    what, _ = FORMAT_NAMES.get(kind, (f"a {kind!r} file", ""))
    _, wanted = FORMAT_NAMES.get(expected, ("", expected))
    other = FORMAT_NAMES.get(kind, ("", "the right kind of file"))[1]
    raise ImportRefused(
        file_name,
        f"is {what}, not {('a ' if wanted[0] not in 'aeiou' else 'an ') + wanted}",
        f"import it as a {other}"
        if other != "the right kind of file"
        else f"import a {wanted} made by SupportScope",
    )
