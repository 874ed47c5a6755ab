"""Where things are in an evaluator scoresheet: shared by the export and the reader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evaluator.domain import Criterion, Scale
from evaluator.kinds import members_score
from evaluator.questionnaire.fingerprint import digest, text_digest
from evaluator.xlsx_text import stored_text

SCORES_SHEET = "Scores"
INSTRUCTIONS_SHEET = "Instructions"
FORMAT_NAME = "supportscope-scoresheet"
FORMAT_VERSION = "1"

TITLE_ROW, MEMBER_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_ROW = HEADER_ROW + 1

CANDIDATE_HEADER, ID_HEADER, CATEGORY_HEADER = "Candidate", "Criterion id", "Category"
CRITERION_HEADER, RUBRIC_HEADER = "Criterion", "What each score means"
SCORE_HEADER, JUSTIFICATION_HEADER = "Score", "Justification"
HEADERS = (
    CANDIDATE_HEADER,
    ID_HEADER,
    CATEGORY_HEADER,
    CRITERION_HEADER,
    RUBRIC_HEADER,
    SCORE_HEADER,
    JUSTIFICATION_HEADER,
)
SCORE_COLUMN = HEADERS.index(SCORE_HEADER) + 1
JUSTIFICATION_COLUMN = HEADERS.index(JUSTIFICATION_HEADER) + 1
ITEM_HEADER = ("candidate_id", "candidate", "criterion_id", "value", "justification_digest")
ROW_MARGIN_MIN = 200
MAX_SHEETS_SEARCHED = 12
DROPDOWN_MAX_POINTS = 21  # larger scales get whole-number validation instead of a list


@dataclass(frozen=True)
class RatedLeaf:
    key: str
    name: str
    category: str
    rubric: dict[int, str]


def rated_leaves(roots: Sequence[Criterion]) -> list[RatedLeaf]:
    """The criteria committee members score, in tree order, with their category path."""
    found: list[RatedLeaf] = []

    def visit(node: Criterion, path: tuple[str, ...]) -> None:
        if members_score(node.kind):
            found.append(RatedLeaf(node.key, node.name, " / ".join(path), dict(node.rubric)))
        for child in node.children:
            visit(child, (*path, node.name))

    for root in roots:
        visit(root, ())
    return found


def leaf_digest(leaf: RatedLeaf) -> str:
    """Changes when what a score means changes: the criterion's name or its rubric."""
    return digest([leaf.key, leaf.name, sorted(leaf.rubric.items())])


def criteria_fingerprint(leaves: Sequence[RatedLeaf], scale: Scale) -> str:
    return digest(
        [scale.minimum, scale.maximum, sorted((leaf.key, leaf_digest(leaf)) for leaf in leaves)],
        32,
    )


def justification_digest(text: str) -> str:
    """The digest of a justification as the sheet shows it and the reader reads it back
    (control characters as symbols, cut to a cell, stripped), so an untouched row matches."""
    return text_digest(stored_text(text).strip())


def rubric_text(rubric: dict[int, str], scale: Scale) -> str:
    """One line per scale point that has a description: `4 – strong ...`."""
    lines = [f"{point} \u2013 {rubric[point]}" for point in scale.points() if rubric.get(point)]
    return "\n".join(lines)
