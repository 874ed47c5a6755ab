"""Table models over the candidates and the committee members of the open evaluation.

Rows are the snapshot's plain `Candidate` / `Evaluator` objects in a `RowsModel`
(ui/tables/rows_model.py, which knows no session); these subclasses follow the session's
signals and turn edits into undoable commands.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from evaluator.domain import Candidate, Evaluator
from evaluator.kinds import CANDIDATE_KINDS, candidate_kind_label, members_score
from ui.committee_facts import CommitteeFacts, local_day
from ui.session import EvaluationSession
from ui.tables.rows_model import Column, RowsModel
from ui.undo import ChangeCommand, EditCandidate, EditEvaluator


class PeopleModel(RowsModel):
    """The candidates or the committee of the open evaluation, following the session; edits
    become undoable commands. Subclasses say which list, which columns and which command."""

    def __init__(
        self, session: EvaluationSession, columns: tuple[Column, ...], parent: QObject | None = None
    ) -> None:
        self.session = session
        super().__init__(columns, (), self._execute, lambda: session.editable, parent)
        self.set_rows(self._current())
        self._rated: tuple[object, int] | None = None
        session.evaluationChanged.connect(self._evaluation_changed)
        session.readOnlyChanged.connect(self.refresh_all)
        session.scoresReset.connect(self.refresh_all)
        session.scoreChanged.connect(self._score_changed)
        session.criteriaChanged.connect(self.refresh_all)  # expected counts depend on leaves

    def _evaluation_changed(self) -> None:
        """A method, not a lambda: Qt disconnects it when the model is deleted with its tab."""
        self.reset_rows(self._current())

    # ---- subclass hooks ----------------------------------------------------------------------

    def _current(self) -> list[Any]:
        raise NotImplementedError

    def _command(self, item: Any, **change: Any) -> ChangeCommand:
        raise NotImplementedError

    def _score_row(self, evaluator_id: int, candidate_id: int) -> int | None:
        raise NotImplementedError

    def _execute(self, item: Any, keyword: str, value: str) -> bool:
        return self.session.execute(self._command(item, **{keyword: value}))

    def _sync(self) -> None:
        self.set_rows(self._current())

    def rated_count(self) -> int:
        """Rated leaves in the current tree, cached per tree object (data() runs per paint)."""
        roots = self.session.data.criteria if self.session.data else None
        if self._rated is None or self._rated[0] is not roots:
            leaves = self.session.leaves()
            self._rated = (roots, sum(1 for n in leaves if members_score(n.kind)))
        return self._rated[1]

    def _score_changed(self, evaluator_id: int, candidate_id: int, _key: str) -> None:
        row = self._score_row(evaluator_id, candidate_id)
        if row is not None:
            self.refresh_cell(row, len(self.columns) - 1)


class CandidatesModel(PeopleModel):
    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        columns = (
            Column("Name", "The candidate's name, as in reports", lambda c: c.name, "new_name"),
            Column(
                "Kind",
                "\n".join(f"{row.label}: {row.description}" for row in CANDIDATE_KINDS.values()),
                lambda c: candidate_kind_label(c.kind),
                "kind",
                edit_value=lambda c: c.kind.value,
            ),
            Column("Notes", "Anything the committee should know", lambda c: c.notes, "notes", "—"),
            Column("Scores received", "Scores the committee has entered", self._progress),
        )  # fmt: skip
        super().__init__(session, columns, parent)
        session.candidatesChanged.connect(self._sync)
        session.evaluatorsChanged.connect(self.refresh_all)

    def _current(self) -> list[Candidate]:
        return list(self.session.data.candidates) if self.session.data else []

    def _command(self, item: Candidate, **change: Any) -> ChangeCommand:
        return EditCandidate(self.session, item.id, **change)

    def _score_row(self, evaluator_id: int, candidate_id: int) -> int | None:
        return self.row_of(candidate_id)

    def _progress(self, candidate: Candidate) -> str:
        data = self.session.data
        members = data.evaluators if data else []
        scoring = [e for e in members if not e.conflicted_with(candidate.id)]
        expected = self.rated_count() * len(scoring)  # less those with a declared conflict
        return f"{self.session.score_count(candidate_id=candidate.id)} of {expected}"


class CommitteeModel(PeopleModel):
    """The committee with where each member stands in the process: their conflict-of-interest
    declaration (as people read it, dated), when they submitted, and the chair's excuse."""

    def __init__(self, session: EvaluationSession, parent: QObject | None = None) -> None:
        self.facts = CommitteeFacts(session)
        columns = (
            Column("Name", "The committee member's name", lambda e: e.name, "new_name"),
            Column("Role", "e.g. CMO, CNO, CIO, informaticist", lambda e: e.role, "role", "—"),
            Column(
                "Declaration",
                "The member's latest conflict-of-interest declaration and its date (members "
                "declare in the Scoring tab; earlier ones are kept in the audit trail)",
                self._declaration,
                placeholder="Not declared yet",
            ),
            Column("Submitted", "When the member submitted their scores", self._submitted, None,
                   "Not yet"),
            Column("Excused", "Why the chair does not wait for this member's scores",
                   lambda e: e.excused, None, "—"),
            Column("Scores given", "Scores this member has entered", self._progress),
        )  # fmt: skip
        super().__init__(session, columns, parent)
        session.evaluatorsChanged.connect(self._sync)
        session.dataChanged.connect(self._sync)  # declarations, submissions, excuses
        session.candidatesChanged.connect(self.refresh_all)

    def _current(self) -> list[Evaluator]:
        return list(self.session.data.evaluators) if self.session.data else []

    def _command(self, item: Evaluator, **change: Any) -> ChangeCommand:
        return EditEvaluator(self.session, item.id, **change)

    def _score_row(self, evaluator_id: int, candidate_id: int) -> int | None:
        return self.row_of(evaluator_id)

    def _progress(self, evaluator: Evaluator) -> str:
        data = self.session.data
        if self.session.blind and evaluator.id != self.session.member_id:
            return "hidden until all submit"
        scored = [c for c in data.candidates if not evaluator.conflicted_with(c.id)] if data else []
        expected = self.rated_count() * len(scored)  # a declared conflict is not theirs to score
        return f"{self.session.score_count(evaluator_id=evaluator.id)} of {expected}"

    def _declaration(self, member: Evaluator) -> str:
        declaration = member.declaration
        if declaration is None:
            return ""
        text = declaration.describe(self.facts.candidate_names(declaration.conflicted))
        day = local_day(declaration.at)
        return f"{day} · {text}" if day else text  # the date first: a long note is elided

    def _submitted(self, member: Evaluator) -> str:
        if not member.submitted:
            return ""
        return self.facts.submitted_on(member.id) or "Submitted"
