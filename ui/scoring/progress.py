"""How far one committee member has got with their sheet: the one reading the Scoring tab's
progress bar, the status line and the submit confirmation all show, so they never disagree.

A cell counts as done when it holds a score or an abstention (an abstention is reviewed, not
a number); the cells are the rated criteria times the candidates the member did not declare a
conflict with (those are left out of their sheet). Qt-free reads of the session's snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluator.kinds import members_score
from ui.numbers import progress_percent

if TYPE_CHECKING:
    from ui.session import EvaluationSession


@dataclass(frozen=True)
class Progress:
    scored: int  # cells with a number
    abstained: int
    total: int

    @property
    def done(self) -> int:
        return self.scored + self.abstained

    @property
    def empty(self) -> int:
        return self.total - self.done

    def text(self) -> str:
        """'2 of 51 scored (4 %)', '50 of 51 scored, 1 abstained (100 %)'."""
        also = f", {self.abstained} abstained" if self.abstained else ""
        share = progress_percent(self.done, self.total)
        return f"{self.scored} of {self.total} scored{also} ({share})"


def member_progress(session: EvaluationSession, evaluator_id: int | None) -> Progress:
    """The member's scored and abstained cells of their sheet (see the module docstring)."""
    data = session.data
    member = next((e for e in data.evaluators if e.id == evaluator_id), None) if data else None
    if data is None or member is None:
        return Progress(0, 0, 0)
    hidden = member.declaration.conflicted if member.declaration else ()
    candidates = [c.id for c in data.candidates if c.id not in hidden]
    rated = [leaf.key for leaf in session.leaves() if members_score(leaf.kind)]
    cells = ((member.id, c, key) for c in candidates for key in rated)
    found = [s for cell in cells if (s := session.score(*cell)) is not None]
    abstained = sum(1 for s in found if s.abstained)
    return Progress(len(found) - abstained, abstained, len(candidates) * len(rated))
