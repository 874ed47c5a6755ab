"""The cyclic garbage collector kept out of the way of building a committee-scale snapshot.

Python runs a collection pass every few hundred new container objects, and the older
generations' passes walk every live object: building 100,000 scores (and the indexes over
them) set off dozens of passes, about half the time of opening a large evaluation. The
snapshots hold no reference cycles, so nothing is lost by pausing the collector meanwhile
(ui/cell_index.settle then keeps the finished snapshot out of its full passes).

Turned back on, the collector's first pass would walk everything built meanwhile (a third of a
committee-scale snapshot's reading time again): when the pause made `KEEP` or more container
objects, they are moved out of its sight first (gc.freeze; reference counting still frees
them), as `settle` does for a finished snapshot.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

KEEP = 20_000  # new container objects from which a pause's work is kept out of the passes


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a snapshot is built: 100,000 new score objects
    would set off dozens of its passes, each walking every object made so far (half the time
    of reading a committee-scale evaluation). Only whoever turned it off turns it back on, and
    keeps a large batch of new objects out of the passes first (see the module docstring)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] >= KEEP:
                gc.freeze()
            gc.enable()
