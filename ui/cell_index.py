"""O(1) lookups over the session's snapshot: scores, consensus values and answers by cell, and
the score counts the progress bars show. An index, kept current per changed cell; the snapshot
itself is only ever changed by the core's `apply_applied`."""

from __future__ import annotations

import gc
from collections import Counter
from operator import itemgetter

from evaluator.domain import ConsensusScore, EvaluationData, Response, Score

_CELL = itemgetter(0, 1, 2)  # a score's (evaluator_id, candidate_id, criterion_key)
LARGE = 20_000  # scores from which a snapshot is kept out of the collector's sight


def settle(data: EvaluationData | None) -> None:
    """Keep a large snapshot (and its index) out of the cyclic garbage collector's full
    passes: at committee scale a full pass walks 100,000 score objects, about 100 ms, and
    would land on a score edit now and then. The snapshot holds no reference cycles, so
    reference counting still frees it when it is replaced (gc.freeze)."""
    if data is not None and len(data.scores) >= LARGE:
        gc.freeze()


class CellIndex:
    def __init__(self, data: EvaluationData | None = None) -> None:
        self.rebuild(data)

    def rebuild(self, data: EvaluationData | None) -> None:
        scores = data.scores if data else []
        # (member, candidate, key) -> score, made at C speed; the snapshot's own place index,
        # which the first score edit needs, is built by the scoring thread meanwhile
        self.scores = dict(zip(map(_CELL, scores), scores, strict=True))
        consensus = data.consensus if data else []
        self.consensus = {(c.candidate_id, c.criterion_key): c for c in consensus}
        responses = data.responses if data else []
        self.responses = {(r.candidate_id, r.criterion_key): r for r in responses}
        # counted from the current cells when first asked for (the People tabs may never be
        # shown), then kept current by score_cell
        self._by_candidate: Counter[int] | None = None
        self._by_evaluator: Counter[int] | None = None
        self._by_evaluator_key: Counter[tuple[int, str]] | None = None
        self._by_key: Counter[str] | None = None

    @property
    def by_candidate(self) -> Counter[int]:
        if self._by_candidate is None:
            self._by_candidate = Counter(map(itemgetter(1), self.scores))  # cells' candidates
        return self._by_candidate

    @property
    def by_evaluator(self) -> Counter[int]:
        if self._by_evaluator is None:
            self._by_evaluator = Counter(map(itemgetter(0), self.scores))  # cells' members
        return self._by_evaluator

    @property
    def by_evaluator_key(self) -> Counter[tuple[int, str]]:
        if self._by_evaluator_key is None:  # (member, key) of the (member, candidate, key) cells
            self._by_evaluator_key = Counter(map(itemgetter(0, 2), self.scores))
        return self._by_evaluator_key

    @property
    def by_key(self) -> Counter[str]:
        """Scores per criterion key, everyone's (the status line's progress: counting keys
        makes no new tuples, a third of the time of counting (member, key) pairs)."""
        if self._by_key is None:
            self._by_key = Counter(map(itemgetter(2), self.scores))
        return self._by_key

    def score_cell(self, cell: tuple[int, int, str], score: Score | None) -> None:
        """Record a set (or, with None, cleared) score."""
        existed = cell in self.scores
        if score is None:
            self.scores.pop(cell, None)
        else:
            self.scores[cell] = score
        step = (score is not None) - existed
        evaluator_id, candidate_id, key = cell
        if self._by_candidate is not None:  # else counted from the scores when asked for
            self._by_candidate[candidate_id] += step
        if self._by_evaluator is not None:
            self._by_evaluator[evaluator_id] += step
        if self._by_evaluator_key is not None:
            self._by_evaluator_key[evaluator_id, key] += step
        if self._by_key is not None:
            self._by_key[key] += step

    def consensus_cell(self, cell: tuple[int, str], value: ConsensusScore | None) -> None:
        if value is None:
            self.consensus.pop(cell, None)
        else:
            self.consensus[cell] = value

    def answer_cell(self, cell: tuple[int, str], value: Response | None) -> None:
        if value is None:
            self.responses.pop(cell, None)
        else:
            self.responses[cell] = value
