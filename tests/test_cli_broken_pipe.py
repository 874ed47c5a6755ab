"""`supportscope rank … | head`: the reader stops early and the pipe closes under the command.
That is not an error: the command stops quietly with 0, nothing on stderr (a tester once read
"error: [Errno 32] Broken pipe")."""

from __future__ import annotations

import io
from pathlib import Path

from cli import run


class ClosedPipe(io.StringIO):
    """Standard output whose reader has gone: the first write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    path = str(tmp_path / "demo.db")
    assert run(["demo", "--db", path], io.StringIO(), io.StringIO()) == 0
    err = io.StringIO()
    assert run(["list", "--db", path], ClosedPipe(), err) == 0
    assert err.getvalue() == ""
