"""The cell index's score counts (progress bars, People tabs) are counted when first asked for
and kept current by each edit, in either order: counted before an edit, or after several."""

from __future__ import annotations

from evaluator.domain import EvaluationData, Score
from ui.cell_index import CellIndex


def snapshot(scores: list[Score]) -> EvaluationData:
    return EvaluationData(id=1, name="Fictitious RFP", criteria=[], candidates=[], scores=scores)


SCORES = [
    Score(1, 10, "tiers.l1", 3.0, "Named engineer"),
    Score(1, 11, "tiers.l1", 2.0, "Shared queue"),
    Score(2, 10, "tiers.l1", 4.0, "On site"),
    Score(2, 10, "cost.total", 1.0, "Dear"),
]


def counts(index: CellIndex) -> tuple[dict, ...]:
    """The non-zero counts (an edit leaves a cleared member's 0 behind)."""
    return (
        dict(+index.by_candidate),
        dict(+index.by_evaluator),
        dict(+index.by_evaluator_key),
        dict(+index.by_key),
    )


def test_counts_read_before_and_after_edits_agree() -> None:
    eager, lazy = CellIndex(snapshot(SCORES)), CellIndex(snapshot(SCORES))
    assert counts(eager) == (
        {10: 3, 11: 1},
        {1: 2, 2: 2},
        {(1, "tiers.l1"): 2, (2, "tiers.l1"): 1, (2, "cost.total"): 1},
        {"tiers.l1": 3, "cost.total": 1},
    )
    for index in (eager, lazy):  # eager was counted before the edits, lazy only after them
        index.score_cell((1, 11, "tiers.l1"), None)  # cleared
        index.score_cell((3, 11, "cost.total"), Score(3, 11, "cost.total", 2.0, "Fair"))
        index.score_cell((2, 10, "tiers.l1"), Score(2, 10, "tiers.l1", 5.0, "Changed"))
    expected = (
        {10: 3, 11: 1},
        {1: 1, 2: 2, 3: 1},
        {(1, "tiers.l1"): 1, (2, "tiers.l1"): 1, (2, "cost.total"): 1, (3, "cost.total"): 1},
        {"tiers.l1": 2, "cost.total": 2},
    )
    assert counts(lazy) == expected
    assert counts(eager) == expected
