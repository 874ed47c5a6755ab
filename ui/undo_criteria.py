"""Undoable edits of the criteria tree: details, adding, removing, moving (see ui/undo.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from evaluator import services
from evaluator.domain import Criterion
from ui import snapshot
from ui.session import EvaluationSession
from ui.undo_base import ServiceCommand, fmt

_MERGE_WEIGHT = 1001
FIELD_LABELS = {
    "name": "name",
    "weight": "weight",
    "kind": "kind",
    "description": "description",
    "rubric": "rubric",
    "rule": "auto-score rule",
    "question": "question",
}


class EditCriterion(ServiceCommand):
    """Change any of a criterion's fields: name, weight, kind, description, rubric, rule,
    question. Consecutive weight edits of the same criterion merge into one undo step."""

    def __init__(self, session: EvaluationSession, key: str, **fields: Any) -> None:
        unknown = set(fields) - set(snapshot.CRITERION_FIELDS)
        if unknown or not fields:
            raise ValueError(f"EditCriterion needs criterion fields, got {sorted(fields)}")
        node = session.criterion(key)
        super().__init__(session, _edit_text(node, fields))
        self.key, self.fields = key, fields
        self.before: Criterion | None = None

    def try_first(self) -> None:
        node = self.session.criterion(self.key)
        wanted = snapshot.normalised_fields(self.fields)
        if all(getattr(node, name) == value for name, value in wanted.items()):
            self.noop = True  # nothing changes: no service call, no undo step
            return
        super().try_first()

    def forward(self) -> None:
        before = services.update_criterion(self.db, self.ref, self.key, **self.fields)
        if self.before is None:
            self.before = before
        self.session.apply_criterion_fields(self.key, self.fields)

    def backward(self) -> None:
        assert self.before is not None
        old = {name: getattr(self.before, name) for name in self.fields}
        services.update_criterion(self.db, self.ref, self.key, **old)
        self.session.apply_criterion_fields(self.key, old)

    def id(self) -> int:
        return _MERGE_WEIGHT if set(self.fields) == {"weight"} else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCriterion) or other.key != self.key:
            return False
        if set(other.fields) != {"weight"}:
            return False
        self.fields = dict(other.fields)
        self.setText(other.text())
        return True


def _edit_text(node: Criterion, fields: dict[str, Any]) -> str:
    if set(fields) == {"name"}:
        return f"Rename criterion {node.name} to {snapshot.clean_name(fields['name'])}"
    if set(fields) == {"weight"}:
        return f"Set weight of {node.name} to {fmt(fields['weight'])}"
    if set(fields) == {"kind"}:
        return f"Make {node.name} a {getattr(fields['kind'], 'value', fields['kind'])} criterion"
    names = " and ".join(FIELD_LABELS[name] for name in fields)
    return f"Edit {names} of {node.name}"


class AddCriterion(ServiceCommand):
    """A new criterion (or subtree) under `parent` (None: the top level) at `position`."""

    def __init__(
        self,
        session: EvaluationSession,
        criterion: Criterion,
        parent: str | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(session, f"Add criterion {criterion.name}")
        self.criterion, self.parent, self.position = criterion, parent, position
        self.removed: services.RemovedCriterion | None = None

    def forward(self) -> None:
        if self.removed is None:
            services.add_criterion(
                self.db, self.ref, self.criterion, parent=self.parent, position=self.position
            )
            self.session.apply_criterion_added(self.criterion, self.parent, self.position)
            return
        services.restore_criterion(self.db, self.ref, self.removed)
        removed, self.removed = self.removed, None
        if removed.scores or removed.consensus or removed.responses:
            self.session.reload()  # rows the snapshot cannot rebuild came back
        else:
            self.session.apply_criterion_added(self.criterion, self.parent, self.position)

    def backward(self) -> None:
        self.removed = services.remove_criterion(self.db, self.ref, self.criterion.key)
        self.session.apply_criterion_removed(self.criterion.key)


class RemoveCriterion(ServiceCommand):
    """Remove a criterion with its sub-criteria, scores and answers (undo puts all back)."""

    def __init__(self, session: EvaluationSession, key: str, why: str = "") -> None:
        node = session.criterion(key)
        super().__init__(session, f"Remove criterion {node.name}")
        self.key, self.why = key, why
        self.removed: services.RemovedCriterion | None = None

    def forward(self) -> None:
        self.removed = services.remove_criterion(self.db, self.ref, self.key, why=self.why)
        self.session.apply_criterion_removed(self.key)

    def backward(self) -> None:
        assert self.removed is not None
        services.restore_criterion(self.db, self.ref, self.removed)
        self.session.reload()


class MoveCriterion(ServiceCommand):
    """Move a criterion to `position` among the children of `parent` (None: the top level)."""

    def __init__(
        self, session: EvaluationSession, key: str, parent: str | None, position: int
    ) -> None:
        node = session.criterion(key)
        assert session.data is not None
        old_parent = snapshot.parent_of(session.data.criteria, key)
        old_key = old_parent.key if old_parent else None
        siblings = old_parent.children if old_parent else session.data.criteria
        old_index = next(i for i, n in enumerate(siblings) if n.key == key)
        if parent == old_key:
            direction = "up" if position < old_index else "down"
            text = f"Move criterion {node.name} {direction}"
        else:
            where = session.criterion(parent).name if parent else "the top level"
            text = f"Move criterion {node.name} to {where}"
        super().__init__(session, text)
        self.key, self.parent, self.position = key, parent, position
        self.noop = parent == old_key and position == old_index
        self.origin: tuple[str | None, int] = (old_key, old_index)

    def try_first(self) -> None:
        if not self.noop:
            super().try_first()

    def forward(self) -> None:
        self.origin = services.move_criterion(
            self.db, self.ref, self.key, parent=self.parent, position=self.position
        )
        self.session.apply_criterion_moved(self.key, self.parent, self.position)

    def backward(self) -> None:
        parent, position = self.origin
        services.move_criterion(self.db, self.ref, self.key, parent=parent, position=position)
        self.session.apply_criterion_moved(self.key, parent, position)
