"""The one-cell results update after an edit gives exactly what a full scoring gives."""

from __future__ import annotations

import random

import pytest

from evaluator import domain as d
from evaluator.changes import ConsensusCell, ScoreCell, SetConsensus, SetScore, applied_to
from evaluator.changes.model import AddCandidate
from evaluator.live_scoring import ScoreBook
from evaluator.scoring import score_evaluation

RATED = ["a.r1", "a.r2", "b.r3"]


def _data(aggregation: d.Aggregation) -> d.EvaluationData:
    """Fictitious candidates, members with one declared conflict, every kind of leaf."""
    criteria = [
        d.Criterion("a", "Service", weight=3, children=[
            d.Criterion("a.r1", "Coverage", d.CriterionKind.RATED, 2),
            d.Criterion("a.r2", "Clinical staff", d.CriterionKind.RATED, 1),
            d.Criterion("a.g", "Onshore", d.CriterionKind.GATE, 0, rule=d.AutoRule(yes=1, no=0)),
        ]),
        d.Criterion("b", "Fit", weight=2, children=[
            d.Criterion("b.r3", "Tailoring", d.CriterionKind.RATED, 1),
            d.Criterion("b.auto", "Hours", d.CriterionKind.AUTO, 1,
                      rule=d.AutoRule(bands=(d.Band(5, high=4), d.Band(1)))),
            d.Criterion("b.price", "Price", d.CriterionKind.PRICE, 1),
        ]),
    ]  # fmt: skip
    candidates = [d.Candidate(i, f"Example Support {i}") for i in range(1, 6)]
    everyone = tuple(c.id for c in candidates)
    members = [
        d.Evaluator(i, f"Member {i}", declaration=d.Declaration((2,) if i == 3 else (), everyone))
        for i in range(1, 5)
    ]
    responses = [
        r
        for c in candidates
        for r in (
            d.Response(c.id, "a.g", c.id != 4),
            d.Response(c.id, "b.auto", float(c.id)),
            d.Response(c.id, "b.price", 1000.0 * c.id),
        )
    ]
    return d.EvaluationData(
        1, "Example RFP", aggregation=aggregation, criteria=criteria, candidates=candidates,
        evaluators=members, responses=responses,
    )  # fmt: skip


def _random_change(rng: random.Random, data: d.EvaluationData) -> SetScore | SetConsensus:
    candidate = rng.randint(1, 5)
    if rng.random() < 0.2:
        key = rng.choice([*RATED, "b.auto"])
        now = next(
            (c for c in data.consensus if (c.candidate_id, c.criterion_key) == (candidate, key)),
            None,
        )
        before = None if now is None else ConsensusCell(now.value, now.note)
        after = None if rng.random() < 0.4 else ConsensusCell(float(rng.randint(0, 5)), "agreed")
        return SetConsensus(candidate, key, before, after)
    member, key = rng.randint(1, 4), rng.choice(RATED)
    cell = (member, candidate, key)
    now_score = next(
        (s for s in data.scores if (s.evaluator_id, s.candidate_id, s.criterion_key) == cell),
        None,
    )
    before_cell = (
        None if now_score is None
        else ScoreCell(now_score.value, now_score.justification, now_score.abstained)
    )  # fmt: skip
    roll = rng.random()
    if roll < 0.2:
        after_cell = None
    elif roll < 0.35:
        after_cell = ScoreCell(0.0, "not my field", abstained=True)
    else:
        after_cell = ScoreCell(float(rng.randint(0, 5)), "seen in the demo")
    return SetScore(member, candidate, key, before_cell, after_cell)


@pytest.mark.parametrize("aggregation", [d.Aggregation.MEAN, d.Aggregation.MEDIAN])
def test_every_edit_gives_the_full_scoring(aggregation: d.Aggregation) -> None:
    rng = random.Random(7)
    data = _data(aggregation)
    data.scores = [d.Score(1, 1, "a.r1", 4.0, "first")]
    book = ScoreBook.build(data)
    updated = 0
    for _ in range(300):
        change = _random_change(rng, data)
        data = applied_to(data, change)
        following = book.after(data, change)
        assert following is not None
        updated += 1
        assert following.results == score_evaluation(data)
        book = following
    assert updated == 300
    assert any(x.flagged for x in book.results.disagreements)  # the run reached disagreements


def test_a_gate_decision_or_a_new_candidate_needs_a_full_scoring() -> None:
    data = _data(d.Aggregation.MEAN)
    book = ScoreBook.build(data)
    gate = SetConsensus(4, "a.g", None, ConsensusCell(1.0, "waived"))
    assert book.after(applied_to(data, gate), gate) is None
    added = AddCandidate(d.Candidate(6, "Example Support 6"))
    assert ScoreBook.build(data).after(applied_to(data, added), added) is None


def test_a_book_hands_its_cells_on() -> None:
    data = _data(d.Aggregation.MEAN)
    book = ScoreBook.build(data)
    change = SetScore(1, 1, "a.r1", None, ScoreCell(3.0, "why"))
    assert book.after(applied_to(data, change), change) is not None
    assert book.after(applied_to(data, change), change) is None  # spent: only the newest one
