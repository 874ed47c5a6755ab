"""Two facts about the committee that the session's snapshot does not carry, read from the
database only when they can have changed: the day each member submitted (the snapshot says only
whether they have), and the names of candidates a member's blind view hides (the ones they
declared a conflict with, which their declaration still names). Shared by the Scoring and
Committee tabs.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime

from evaluator.services import process
from ui.errors import USER_ERRORS
from ui.session import EvaluationSession


def local_day(at: datetime | None) -> str:
    """A stored UTC time as the user's local date, e.g. 2024-06-11."""
    if at is None:
        return ""
    return at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d")


class CommitteeFacts:
    """Submission times and hidden candidates' names, cached per evaluation and re-read when
    the set of submitted members (or of names wanted) changes. A busy database leaves them
    out (the date or name is not shown) rather than interrupting with a dialog."""

    def __init__(self, session: EvaluationSession) -> None:
        self.session = session
        self._submitted: tuple[object, dict[int, datetime]] = (None, {})
        self._names: tuple[object, dict[int, str]] = (None, {})

    def submitted_at(self, member_id: int) -> datetime | None:
        data, db = self.session.data, self.session.db
        if data is None or db is None:
            return None
        done = frozenset(e.id for e in data.evaluators if e.submitted)
        key = (data.id, done)
        if key != self._submitted[0]:
            times: dict[int, datetime] = {}
            if done:
                with suppress(*USER_ERRORS):
                    times = process.submission_times(db, data.id)
            self._submitted = (key, times)
        return self._submitted[1].get(member_id)

    def submitted_on(self, member_id: int) -> str:
        return local_day(self.submitted_at(member_id))

    def candidate_names(self, wanted: tuple[int, ...] = ()) -> dict[int, str]:
        """The snapshot's candidates by id, in order, then any of `wanted` it hides."""
        data, db = self.session.data, self.session.db
        names = {c.id: c.name for c in data.candidates} if data else {}
        missing = tuple(c for c in wanted if c not in names)
        if not missing or data is None or db is None:
            return names
        key = (data.id, missing)
        if key != self._names[0] and any(c not in self._names[1] for c in missing):
            found: dict[int, str] = {}
            with suppress(*USER_ERRORS):
                found = process.candidate_names(db, data.id)
            self._names = (key, found)
        return names | {c: self._names[1][c] for c in missing if c in self._names[1]}
