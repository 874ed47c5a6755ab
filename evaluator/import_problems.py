"""The problems an import preview found, as a list to send back to the vendor or the member.

A procurement manager who imports fifty questionnaires does not fix the answers herself: she
sends each vendor the list of what is wrong in their file. `problem_lines` turns the previews
into one line per problem (file, sheet, cell, question id, problem, what to do) and
`write_problem_workbook` writes them as a workbook through xlsx_text.write_table: every cell
through the safe writer (a vendor's file or sheet called `=HYPERLINK(...)` stays text), the
file through evaluator/atomic.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.questionnaire.problems import Problem
from evaluator.xlsx_text import write_table

if TYPE_CHECKING:
    from evaluator.questionnaire.importer import FilePreview
    from evaluator.scoresheet.merge import ScoresheetPreview

HEADERS = ("File", "Sheet", "Cell", "Question id", "Severity", "Problem", "What to do")  # = fields
WIDTHS = (28, 16, 8, 16, 10, 70, 60)
# "Questionnaire!E14: ..." or "'Vendor answers'!E14: ..." at the start of a problem's text
_PLACE = re.compile(r"^(?P<sheet>'(?:[^']|'')+'|[^!:\s]+)!(?P<cell>\$?[A-Z]{1,3}\$?\d+):?\s*")
# the advice for a kind of problem, by words its text contains (first match wins)
REMEDIES = (
    ("formula", "Type the answer itself into the cell instead of a formula."),
    ("unanswered", "Answer the question in this cell."),
    ("appears again", "Keep one row per question and delete the copy."),
    ("not in this evaluation", "Use the question ids of the template we sent; do not edit them."),
    ("not in the file", "Add the question's row back from the template we sent."),
    ("justification is required", "Write why beside the score."),
    ("left blank", "Fill in the cell if a value was meant."),
    ("made from an older", "Copy the answers into the current template we sent."),
    ("made when this evaluation", "Check that the file is for this evaluation."),
)
ERROR_REMEDY = "Correct the cell as the problem says, then send the file back."
WARNING_REMEDY = "Check it; the rest of the file can be imported without it."
REFUSED_REMEDY = "Send the filled questionnaire again as the Excel workbook (.xlsx) we sent."


@dataclass(frozen=True)
class ProblemLine:
    """One problem, placed and worded for the person who has to fix the file."""

    file: str
    sheet: str
    cell: str
    question: str
    severity: str  # error, warning, refused
    problem: str
    remedy: str

    @property
    def is_error(self) -> bool:
        return self.severity != "warning"


def remedy_for(text: str, severity: str) -> str:
    """What the sender should do about a problem, from the words of its text."""
    folded = text.casefold()
    for words, remedy in REMEDIES:
        if words in folded:
            return remedy
    return WARNING_REMEDY if severity == "warning" else ERROR_REMEDY


def line_of(file: str, problem: Problem) -> ProblemLine:
    """A problem as a line: its place split into sheet and cell, its text without the place."""
    text = problem.text.removeprefix(f"{file}: ")
    place = _PLACE.match(problem.cell + ": ") if problem.cell else None
    found = _PLACE.match(text)
    if found:
        text = text[found.end() :]
    place = place or found
    sheet = place["sheet"].strip("'").replace("''", "'") if place else ""
    severity = problem.severity.value
    return ProblemLine(
        file,
        sheet,
        place["cell"] if place else "",
        problem.key,
        severity,
        text,
        remedy_for(text, severity),
    )


def questionnaire_lines(previews: Iterable[FilePreview]) -> list[ProblemLine]:
    """Every problem of every questionnaire file, a refused file as one line."""
    lines: list[ProblemLine] = []
    for item in previews:
        name = item.path.name
        if item.preview is None:
            refusal = item.refused.removeprefix(f"{name}: ")
            lines.append(ProblemLine(name, "", "", "", "refused", refusal, REFUSED_REMEDY))
            continue
        lines.extend(line_of(name, p) for p in item.preview.problems)
    return lines


def scoresheet_lines(preview: ScoresheetPreview) -> list[ProblemLine]:
    """Every problem of a member's scoresheet."""
    return [line_of(preview.file_name, p) for p in preview.problems]


def write_problem_workbook(path: str | Path, lines: Sequence[ProblemLine], title: str = "") -> Path:
    """The lines as a one-sheet workbook, errors first (in file order); returns where it went."""
    ordered = sorted(lines, key=lambda line: not line.is_error)  # a stable sort
    named = f"Problems found: {title}" if title else "Problems found"
    cells = (astuple(line) for line in ordered)
    write_table(path, HEADERS, WIDTHS, cells, sheet_name="Problems", title=named)
    return Path(path)
