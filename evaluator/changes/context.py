"""What every change writer shares inside one transaction: the evaluation row (locked), the
acting person, lookups cached for bulk writes, audit entries with their references, and the
refusal of stale edits naming who changed the thing last and when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.domain import Scale
from evaluator.errors import NotFound, StaleChange
from evaluator.identity import Identity
from evaluator.models import AuditRow, CandidateRow, CriterionRow, EvaluationRow, EvaluatorRow
from evaluator.records import AuditItem, audit, audit_entries


@dataclass
class WriteContext:
    """One transaction's state while changes are written (see evaluator.changes.write)."""

    session: Session
    ev: EvaluationRow
    actor: str | None  # the name the audit records (the identity's, or a script's)
    identity: Identity | None = None  # None: no chair named yet, one person sets up
    _criteria: dict[str, CriterionRow] | None = field(default=None, repr=False)
    _candidates: dict[int, CandidateRow] | None = field(default=None, repr=False)
    _evaluators: dict[int, EvaluatorRow] | None = field(default=None, repr=False)
    new_status: str | None = None  # set last, with the revision (see write_changes)
    bulk: bool = False  # many changes: preload rows per member/candidate instead of per cell
    _cache: dict[tuple[object, ...], dict] = field(default_factory=dict, repr=False)
    _single: dict[tuple[type, object], Any] = field(default_factory=dict, repr=False)

    @property
    def scale(self) -> Scale:
        return Scale(self.ev.scale_min, self.ev.scale_max)

    # ---- lookups (cached: a bulk import asks thousands of times) -------------------------------

    def criteria(self) -> dict[str, CriterionRow]:
        if self._criteria is None:
            rows = self.session.scalars(
                select(CriterionRow)
                .where(CriterionRow.evaluation_id == self.ev.id)
                .execution_options(populate_existing=True)
            )
            self._criteria = {row.key: row for row in rows}
        return self._criteria

    def _one(self, model: type, column: Any, value: object) -> Any:
        """One row by its key, for a single change: an edit of one cell must not load the
        whole tree or candidate list (a bulk write loads them all once instead)."""
        row = self._single.get((model, value))
        if row is None:
            row = self.session.scalar(
                select(model)
                .where(model.evaluation_id == self.ev.id, column == value)  # type: ignore[attr-defined]
                .execution_options(populate_existing=True)
            )
            if row is not None:  # a missing row is looked up again: a writer may add it
                self._single[model, value] = row
        return row

    def criterion(self, key: str) -> CriterionRow:
        if self._criteria is None and not self.bulk:
            row = self._one(CriterionRow, CriterionRow.key, key)
        else:
            row = self.criteria().get(key)
        if row is None:
            raise NotFound(f"no criterion with id {key!r} in evaluation {self.ev.name!r}")
        return row

    def forget_criteria(self) -> None:
        """The tree changed (rows added or deleted): look it up again next time."""
        self._criteria = None
        self._cache.clear()
        self._single.clear()

    def candidate(self, candidate_id: int) -> CandidateRow:
        if self._candidates is None and not self.bulk:
            row = self._one(CandidateRow, CandidateRow.id, candidate_id)
        else:
            row = self._all_candidates().get(candidate_id)
        if row is None:
            raise NotFound(
                f"the candidate (id {candidate_id}) is no longer in {self.ev.name!r}: "
                "it was removed meanwhile; reload"
            )
        return row

    def _all_candidates(self) -> dict[int, CandidateRow]:
        if self._candidates is None:
            self._candidates = self._all_rows(CandidateRow)
        return self._candidates

    def evaluator(self, evaluator_id: int) -> EvaluatorRow:
        if self._evaluators is None and not self.bulk:
            row = self._one(EvaluatorRow, EvaluatorRow.id, evaluator_id)
        else:
            row = self._all_evaluators().get(evaluator_id)
        if row is None:
            raise NotFound(
                f"the committee member (id {evaluator_id}) is no longer in {self.ev.name!r}: "
                "they were removed meanwhile; reload"
            )
        return row

    def _all_evaluators(self) -> dict[int, EvaluatorRow]:
        if self._evaluators is None:
            self._evaluators = self._all_rows(EvaluatorRow)
        return self._evaluators

    def _all_rows(self, model: Any) -> dict[int, Any]:
        """Every candidate or member row of the evaluation by id (re-read from the database)."""
        rows = self.session.scalars(
            select(model)
            .where(model.evaluation_id == self.ev.id)
            .execution_options(populate_existing=True)
        )
        return {row.id: row for row in rows}

    def forget_people(self) -> None:
        self._candidates = None
        self._evaluators = None
        self._cache.clear()
        self._single.clear()

    def cached_rows(self, key: tuple[object, ...], load: Callable[[], dict]) -> dict:
        """Rows loaded once per transaction (and kept current by the writers that change them)."""
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def forget_rows(self, key: tuple[object, ...]) -> None:
        """Rows cached under `key` changed in ways the writer does not track: read them again."""
        self._cache.pop(key, None)

    # ---- audit and staleness ----------------------------------------------------------------

    def audit(
        self,
        action: str,
        target: str,
        old: object = "",
        new: object = "",
        why: str = "",
        *,
        ref: str = "",
    ) -> None:
        context = self.identity.context if self.identity else ""
        audit(self.session, self.ev.id, self.actor, action, target, old, new, why, ref, context)

    def audit_many(self, items: Sequence[AuditItem]) -> None:
        """Entries (action, target, old, new, why, ref) in order, sealed and inserted at once."""
        context = self.identity.context if self.identity else ""
        audit_entries(self.session, self.ev.id, self.actor, items, context)

    def stale(self, what: str, *refs: str) -> StaleChange:
        """The refusal of an edit whose `before` no longer matches: who last changed it (or any
        of `refs`, e.g. a subtree's criteria), and when."""
        last = self.session.execute(
            select(AuditRow.actor, AuditRow.at)
            .where(AuditRow.evaluation_id == self.ev.id, AuditRow.ref.in_(refs))
            .order_by(AuditRow.id.desc())
            .limit(1)
        ).first()
        if last is None:
            return StaleChange(f"{what} was changed meanwhile")
        return StaleChange(f"{what} was changed by {last.actor} at {_when(last.at)}")


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


# ---- references: what an audit entry is about, in machine form ---------------------------------


def score_ref(evaluator_id: int, candidate_id: int, key: str) -> str:
    return f"score:{evaluator_id}:{candidate_id}:{key}"


def consensus_ref(candidate_id: int, key: str) -> str:
    return f"consensus:{candidate_id}:{key}"


def answer_ref(candidate_id: int, key: str) -> str:
    return f"answer:{candidate_id}:{key}"


def candidate_ref(candidate_id: int) -> str:
    return f"candidate:{candidate_id}"


def evaluator_ref(evaluator_id: int) -> str:
    return f"evaluator:{evaluator_id}"


def criterion_ref(key: str) -> str:
    return f"criterion:{key}"


EVALUATION_REF = "evaluation"

REFS_SURVIVE_A_MOVE = False
"""Whether the refs above name the same rows in another database (true once they use the stable
uids). Only then do entries carried over by a load speak about this database's rows, so the audit
check (evaluator.audit_verify) compares stored values with them too; until then it trusts only
the entries this database wrote itself."""


def stored_cell_ref(row: Any) -> str:
    """The ref the writers give a stored score or consensus row: the one mapping the audit check
    uses. `row` has evaluator_id / evaluator_uid (None for a consensus row), candidate_id /
    candidate_uid and key (the criterion's)."""
    if row.evaluator_id is None:
        return consensus_ref(row.candidate_id, row.key)
    return score_ref(row.evaluator_id, row.candidate_id, row.key)


def stored_person_ref(row: Any, noun: str) -> str:
    """The ref the writers give a stored candidate ("candidate") or member ("evaluator") row."""
    return candidate_ref(row.id) if noun == "candidate" else evaluator_ref(row.id)


def ref_subjects(ref: str) -> tuple[str, str, str]:
    """(member ref, candidate ref, criterion key) that an entry's ref speaks about, "" where
    none: `score:3:7:tiers.l4` -> ("evaluator:3", "candidate:7", "tiers.l4")."""
    kind, _, rest = ref.partition(":")
    parts = rest.split(":") if rest else []
    if kind == "score" and len(parts) == 3:
        return f"evaluator:{parts[0]}", f"candidate:{parts[1]}", parts[2]
    if kind in ("consensus", "answer") and len(parts) == 2:
        return "", f"candidate:{parts[0]}", parts[1]
    if kind in ("candidate", "evaluator") and len(parts) == 1:
        return (ref, "", "") if kind == "evaluator" else ("", ref, "")
    if kind == "criterion" and parts:
        return "", "", rest
    if kind == "judgment" and parts:  # a member's AHP comparison (evaluator.changes.write_ahp)
        return f"evaluator:{parts[0]}", "", ""
    return "", "", ""


def in_order(ctx: WriteContext, model: Any) -> list[Any]:
    """The evaluation's rows of a listed `model` (candidates, members, weighting sets) in their
    list order, as the database has them now."""
    return list(
        ctx.session.scalars(
            select(model)
            .where(model.evaluation_id == ctx.ev.id)
            .order_by(model.position, model.id)
            .execution_options(populate_existing=True)
        )
    )
