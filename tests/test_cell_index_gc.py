"""A committee-scale snapshot is kept out of the garbage collector's full passes (a pass over
100,000 score objects took ~100 ms and landed on score edits); a small one is left alone."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from ui.cell_index import LARGE, settle


def test_a_large_snapshot_is_frozen_and_a_small_one_is_not() -> None:
    gc.unfreeze()
    try:
        small = SimpleNamespace(scores=[object()] * (LARGE - 1))
        settle(small)  # type: ignore[arg-type]
        assert gc.get_freeze_count() == 0
        large = SimpleNamespace(scores=[[n] for n in range(LARGE)])
        settle(large)  # type: ignore[arg-type]
        assert gc.get_freeze_count() >= LARGE  # the score objects are among the frozen
        settle(None)
    finally:
        gc.unfreeze()


def test_a_large_pause_hands_its_objects_over_frozen_and_a_small_one_does_not() -> None:
    """Turned back on after building 20,000+ containers, the collector's next pass would walk
    them all: they are frozen first; a pause that made a few is left to the usual passes."""
    from evaluator.collector import KEEP, collector_paused

    gc.collect()
    gc.unfreeze()
    try:
        with collector_paused():
            few = [[n] for n in range(100)]
        assert gc.get_freeze_count() == 0 and gc.isenabled()
        with collector_paused():
            many = [[n] for n in range(KEEP)]
        assert gc.get_freeze_count() >= KEEP  # the new lists are among the frozen
        assert gc.get_count()[0] < KEEP  # the next pass has nothing of them to walk
        assert gc.isenabled()
        del few, many  # reference counting still frees frozen objects
    finally:
        gc.unfreeze()
