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
