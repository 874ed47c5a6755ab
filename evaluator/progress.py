"""The small protocol long-running, Qt-free work uses to report progress and to be cancelled.

`ui/` runs such work on a thread pool and passes in callables that post to the GUI; tests pass
plain functions. Keeping it to two callables and one exception means the core never imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` every so often while work runs."""

CancelCheck = Callable[[], bool]
"""Called between steps; returning True asks the work to stop (it raises `Cancelled`)."""


class Cancelled(Exception):
    """Raised by long-running work when its cancel check returned True."""


def raise_if_cancelled(cancel: CancelCheck | None) -> None:
    """Stop the work here if the caller asked for it; a None check never cancels."""
    if cancel is not None and cancel():
        raise Cancelled
