"""O(1) lookups over the session's snapshot: scores, consensus values and answers by cell, and
the score counts the progress bars show. An index, kept current per changed cell; the snapshot
itself is only ever changed by the core's `apply_applied`."""

from __future__ import annotations

import gc
from collections import Counter
from itertools import compress
from operator import itemgetter

from evaluator.collector import collector_paused
from evaluator.domain import ConsensusScore, EvaluationData, Response, Score

_CELL = itemgetter(0, 1, 2)  # a score's (evaluator_id, candidate_id, criterion_key)
_MEMBER = itemgetter(0)
_PLACE = itemgetter(1, 2)  # (candidate_id, criterion_key): a cell of one member's sheet
_COUNTED_BY = {  # what each count reads from a (member, candidate, key) cell
    "candidate": itemgetter(1),
    "evaluator": itemgetter(0),
    "evaluator_key": itemgetter(0, 2),
    "key": itemgetter(2),
}
LARGE = 20_000  # scores from which a snapshot is kept out of the collector's sight


def settle(data: EvaluationData | None) -> None:
    """Keep a large snapshot (and its index) out of the cyclic garbage collector's full
    passes: at committee scale a full pass walks 100,000 score objects, about 100 ms, and
    would land on a score edit now and then. The snapshot holds no reference cycles, so
    reference counting still frees it when it is replaced (gc.freeze)."""
    if data is not None and len(data.scores) >= LARGE:
        gc.freeze()


class CellIndex:
    """Scores by cell. An evaluation opens on one member's sheet: until another member's
    score, a count or an edit is asked for, only that member's cells are indexed (a tenth of
    a committee's), and the index of everyone's is made when first needed."""

    def __init__(self, data: EvaluationData | None = None) -> None:
        self.rebuild(data)

    def rebuild(self, data: EvaluationData | None) -> None:
        self._read: list[Score] = data.scores if data else []  # as read; never changed
        self._scores: dict[tuple[int, int, str], Score] | None = None
        self._member: tuple[int, dict[tuple[int, str], Score]] | None = None
        consensus = data.consensus if data else []
        self.consensus = {(c.candidate_id, c.criterion_key): c for c in consensus}
        responses = data.responses if data else []
        self.responses = {(r.candidate_id, r.criterion_key): r for r in responses}
        # counted from the current cells when first asked for (the People tabs may never be
        # shown), then kept current by score_cell
        self._counts: dict[str, Counter] = {}

    @property
    def scores(self) -> dict[tuple[int, int, str], Score]:
        """(member, candidate, key) -> score for everyone, made at C speed when first needed
        (the snapshot's own place index, which the first score edit needs, is made by the
        scoring thread)."""
        if self._scores is None:
            with collector_paused():
                self._scores = dict(zip(map(_CELL, self._read), self._read, strict=True))
            self._member = None
        return self._scores

    def score(self, evaluator_id: int, candidate_id: int, key: str) -> Score | None:
        if self._scores is not None:
            return self._scores.get((evaluator_id, candidate_id, key))
        if self._member is None and type(evaluator_id) is int:  # the sheet the window opens on
            read = self._read
            mine = list(compress(read, map(evaluator_id.__eq__, map(_MEMBER, read))))
            self._member = (evaluator_id, dict(zip(map(_PLACE, mine), mine, strict=True)))
        member, cells = self._member or (None, {})
        if member != evaluator_id:
            return self.scores.get((evaluator_id, candidate_id, key))
        return cells.get((candidate_id, key))

    def count_on(self, places: set[tuple[int, int]], keys: set[str]) -> int:
        """How many scores lie on these (member, candidate) places, on these keys."""
        members = {member for member, _candidate in places}
        cells = self._read if self._scores is None else self._scores
        return sum(1 for c in cells if c[0] in members and c[2] in keys and c[:2] in places)

    def __len__(self) -> int:
        return len(self._read) if self._scores is None else len(self._scores)

    def _count(self, by: str) -> Counter:
        counts = self._counts.get(by)
        if counts is None:  # a score's first three fields are its cell: the list counts alike
            cells = self._read if self._scores is None else self._scores
            counts = self._counts[by] = Counter(map(_COUNTED_BY[by], cells))
        return counts

    @property
    def by_candidate(self) -> Counter[int]:
        return self._count("candidate")

    @property
    def by_evaluator(self) -> Counter[int]:
        return self._count("evaluator")

    @property
    def by_evaluator_key(self) -> Counter[tuple[int, str]]:
        return self._count("evaluator_key")

    @property
    def by_key(self) -> Counter[str]:
        """Scores per criterion key, everyone's (the status line's progress: counting keys
        makes no new tuples, a third of the time of counting (member, key) pairs)."""
        return self._count("key")

    def score_cell(self, cell: tuple[int, int, str], score: Score | None) -> None:
        """Record a set (or, with None, cleared) score."""
        scores = self.scores  # everyone's from now on: the list as read is out of date
        existed = cell in scores
        if score is None:
            scores.pop(cell, None)
        else:
            scores[cell] = score
        step = (score is not None) - existed
        for by, counts in self._counts.items():  # the ones not counted yet will count it
            counts[_COUNTED_BY[by](cell)] += step

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
