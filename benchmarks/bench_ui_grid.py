"""Benchmark of the Scoring and Consensus grids at committee scale (a script, not a test).

50 candidates x 200 leaves (170 rated) x 10 evaluators (85,000 scores), loaded into a
temporary SQLite database through the JSON loader and opened in an `EvaluationSession` the way
the window does.
Prints the time to build each model, a full `data()` sweep over every cell and the roles a
paint asks for, painting every page of the grid while scrolling, and one edit. Run from the
repository root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui_grid.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAINT_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.CheckStateRole,
)


def timed(label: str, work: Callable[[], object], repeats: int = 3) -> object:
    best, value = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<52} best of {repeats}: {best * 1000:9.1f} ms")
    return value


def sweep(model) -> int:
    """Every cell, every role a paint asks for: the worst case of a full repaint."""
    calls = 0
    data, index = model.data, model.index
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            cell = index(row, column)
            for role in PAINT_ROLES:
                data(cell, role)
                calls += 1
    return calls


def build_database(folder: Path) -> str:
    from benchmarks.bench_scoring import build_data
    from evaluator.db import open_database
    from evaluator.domain import AnswerType, CriterionKind, Question, leaves
    from evaluator.jsonio import load_document, to_document

    data = build_data()
    for leaf in leaves(data.criteria):  # answers need their questions in a stored evaluation
        if leaf.kind is not CriterionKind.RATED:
            answer = AnswerType.YES_NO if leaf.kind is CriterionKind.GATE else AnswerType.NUMBER
            leaf.question = Question(f"Question for {leaf.name}", answer)
    rated = {leaf.key for leaf in leaves(data.criteria) if leaf.kind is CriterionKind.RATED}
    data.scores = [s for s in data.scores if s.criterion_key in rated]  # members score these
    path = folder / "bench.db"
    db = open_database(path)
    start = time.perf_counter()
    load_document(db, to_document(data))
    db.close()
    elapsed = 1000 * (time.perf_counter() - start)
    print(f"{'write the evaluation (JSON loader, Core inserts)':<52} {elapsed:9.1f} ms")
    return str(path)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from ui.consensus.model import ConsensusModel
    from ui.scoring.model import ScoringModel
    from ui.scoring.view import ScoringView
    from ui.session import EvaluationSession
    from ui.undo import SetScore

    with tempfile.TemporaryDirectory() as folder:
        target = build_database(Path(folder))
        session = EvaluationSession()
        session.errorRaised.connect(lambda message: print("error:", message))
        timed("open database + load snapshot", lambda: session.open_database(target), 1)
        session.wait_for_results()
        data = session.data
        assert data is not None
        print(f"{len(data.candidates)} candidates, {len(session.leaves())} leaves, "
              f"{len(data.scores)} scores")  # fmt: skip

        scoring = timed("ScoringModel: build", lambda: ScoringModel(session))
        calls = sweep(scoring)
        timed("ScoringModel: data() sweep of every cell", lambda: sweep(scoring))
        start = time.perf_counter()
        sweep(scoring)
        per_call = (time.perf_counter() - start) / calls * 1e6
        print(f"{'':<52} {calls} calls, {per_call:.2f} us per call")
        consensus = timed(
            "ConsensusModel: build (groups every score)", lambda: ConsensusModel(session)
        )
        timed("ConsensusModel: data() sweep of every cell", lambda: sweep(consensus))

        view = ScoringView(session)
        view.resize(1400, 850)
        view.show()
        app.processEvents()
        grid = view.grid
        bar = grid.verticalScrollBar()

        def scroll_through() -> int:
            pages = 0
            for value in range(0, bar.maximum() + 1, max(1, bar.pageStep())):
                bar.setValue(value)
                grid.viewport().repaint()
                pages += 1
            return pages

        pages = scroll_through()
        start = time.perf_counter()
        scroll_through()
        elapsed = time.perf_counter() - start
        print(f"{'scroll the grid, painting each page':<52} {pages} pages, "
              f"{1000 * elapsed / pages:.1f} ms per page")  # fmt: skip

        evaluator = data.evaluators[0].id
        rated = next(leaf.key for leaf in session.leaves() if leaf.kind.value == "rated")
        candidate = data.candidates[0].id

        def edit() -> None:
            value = 0 if session.score(evaluator, candidate, rated).value else 5  # type: ignore[union-attr]
            session.execute(SetScore(session, evaluator, candidate, rated, value, "bench"))

        timed("one SetScore (database write + grid update)", edit, 5)
        start = time.perf_counter()
        edit()
        session.wait_for_results()
        print(f"{'one edit until fresh results (scored off-thread)':<52} "
              f"{1000 * (time.perf_counter() - start):9.1f} ms")  # fmt: skip
        view.close()
        session.close_database()


if __name__ == "__main__":
    main()
