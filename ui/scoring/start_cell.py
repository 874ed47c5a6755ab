"""Which cell of a member's sheet is current after the sheet was reset: the same one when it
is the same evaluation's sheet (a submission that opened everyone's scores, a candidate added
elsewhere), else where work remains (the first empty rated cell, else the first rated one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex

if TYPE_CHECKING:
    from ui.scoring.model import ScoringModel

Place = tuple[int, int | None, int, str]  # evaluation, member, candidate, criterion key


def place_of(model: ScoringModel, index: QModelIndex, evaluation_id: int | None) -> Place | None:
    """Where `index` is, in terms that outlive a reset of the model."""
    if not index.isValid() or evaluation_id is None:
        return None
    candidate = model.candidate_at(index.column()).id
    return (evaluation_id, model.evaluator_id, candidate, model.row(index.row()).key)


def start_cell(model: ScoringModel, kept: Place | None, evaluation_id: int | None) -> QModelIndex:
    """The kept place when it is on this evaluation's same sheet, else where work remains."""
    if kept is not None and kept[:2] == (evaluation_id, model.evaluator_id):
        index = model.index_of(kept[2], kept[3])
        if index.isValid():
            return index
    cells = (
        model.index(r, c)
        for r in range(model.rowCount())
        if model.is_score_cell(model.index(r, 0))
        for c in range(model.columnCount())
    )
    first = next(cells, None)
    if first is None:
        return QModelIndex()
    if not model.progress().empty:  # a full sheet: no scan
        return first
    if model.saved(first) is None and model.value(first) is None:
        return first
    empty = (i for i in cells if model.saved(i) is None and model.value(i) is None)
    return next(empty, first)
