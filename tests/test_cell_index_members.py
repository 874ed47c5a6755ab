"""The cell index answers the sheet an evaluation opens on from that member's cells alone, and
everyone's index, made when first needed, answers the same; an edit or another member's score
makes it, and no answer ever comes from the list as read once a cell was edited."""

from __future__ import annotations

import itertools

from evaluator.domain import EvaluationData, Score
from ui.cell_index import CellIndex

KEYS = ("tiers.l1", "tiers.l4", "cost.fee")
SCORES = [
    Score(member, candidate, key, float((member + candidate) % 6), f"Note {member}-{candidate}")
    for member, candidate, key in itertools.product((1, 2, 3), (10, 11), KEYS)
    if (member, candidate, key) != (2, 11, "cost.fee")  # one cell never scored
]


def index() -> CellIndex:
    return CellIndex(EvaluationData(id=1, name="Fictitious RFP", criteria=[], scores=SCORES))


def every_cell() -> list[tuple[int, int, str]]:
    return list(itertools.product((1, 2, 3, 4), (10, 11, 12), KEYS))


def expected(cell: tuple[int, int, str]) -> Score | None:
    return next(
        (s for s in SCORES if (s.evaluator_id, s.candidate_id, s.criterion_key) == cell), None
    )


def test_one_members_sheet_is_answered_without_indexing_everyone() -> None:
    cells = index()
    for candidate, key in itertools.product((10, 11, 12), KEYS):
        assert cells.score(2, candidate, key) == expected((2, candidate, key))
    assert cells._scores is None  # only member 2's cells were indexed
    assert len(cells) == len(SCORES) == 17
    assert cells.by_key["cost.fee"] == 5 and cells.by_evaluator[2] == 5  # counted from the list
    assert cells._scores is None

    assert cells.score(3, 11, "tiers.l4") == expected((3, 11, "tiers.l4"))  # another member
    assert cells._scores is not None
    assert all(cells.score(*cell) == expected(cell) for cell in every_cell())
    assert cells.scores.keys() == {s[:3] for s in SCORES}


def test_an_edit_before_everyone_is_indexed_is_never_lost() -> None:
    cells = index()
    assert cells.score(1, 10, "tiers.l1") == expected((1, 10, "tiers.l1"))
    changed = Score(1, 10, "tiers.l1", 5.0, "Second look")
    cells.score_cell((1, 10, "tiers.l1"), changed)
    cells.score_cell((1, 11, "cost.fee"), None)  # cleared
    added = Score(2, 11, "cost.fee", 1.0, "First score")
    cells.score_cell((2, 11, "cost.fee"), added)

    assert cells.score(1, 10, "tiers.l1") == changed
    assert cells.score(1, 11, "cost.fee") is None
    assert cells.score(2, 11, "cost.fee") == added
    assert len(cells) == 17 and cells.by_evaluator[1] == 5 and cells.by_evaluator[2] == 6
    assert cells.by_key["cost.fee"] == 5


def test_counts_agree_whichever_index_they_were_counted_from() -> None:
    from_list, from_index = index(), index()
    from_index.score(3, 10, "tiers.l1")
    from_index.score(1, 10, "tiers.l1")  # a second member: everyone's index
    assert from_index._scores is not None and from_list._scores is None
    for by in ("by_candidate", "by_evaluator", "by_evaluator_key", "by_key"):
        assert getattr(from_list, by) == getattr(from_index, by)


def test_an_empty_snapshot_and_no_member() -> None:
    empty = CellIndex(None)
    assert empty.score(1, 10, "tiers.l1") is None and len(empty) == 0
    cells = index()
    assert cells.score(None, 10, "tiers.l1") is None  # type: ignore[arg-type]
    assert cells.score(1, 10, "tiers.l1") == expected((1, 10, "tiers.l1"))
