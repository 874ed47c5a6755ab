"""Run `main.py` in a subprocess and SIGKILL it at a chosen moment (the crash-safety tests).

The command runs under a small wrapper that can slow one kind of step down (`slow_renames`,
`slow_statements`), standing for a slow disk: the moments that matter (between two renames,
inside a write transaction) last microseconds to milliseconds, so without it 30 random kills
would hardly ever land in them. Kill moments are spread over the measured run and a little
beyond it (runs vary with the machine's load), one per equal slice at a random point inside the
slice, in random order.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def slow_renames(seconds: float) -> str:
    """Wrapper code: every os.replace takes `seconds` longer (after the rename)."""
    return (
        "import os, time\n"
        "_replace = os.replace\n"
        "def _slow(*args, **kwargs):\n"
        "    _replace(*args, **kwargs)\n"
        f"    time.sleep({seconds!r})\n"
        "os.replace = _slow\n"
    )


def slow_statements(seconds: float) -> str:
    """Wrapper code: every SQL statement sent to the database takes `seconds` longer."""
    return (
        "import time\n"
        "from sqlalchemy import event\n"
        "from sqlalchemy.engine import Engine\n"
        "event.listen(Engine, 'before_cursor_execute', "
        f"lambda *args, **kwargs: time.sleep({seconds!r}))\n"
    )


def command(wrapper: str, argv: list[str]) -> list[str]:
    code = wrapper + "import sys, main\nsys.exit(main.main(sys.argv[1:]))\n"
    return [sys.executable, "-c", code, *argv]


def run_to_end(wrapper: str, argv: list[str]) -> float:
    """Run the command to completion (it must succeed); returns how long it took."""
    start = time.perf_counter()
    done = subprocess.run(
        command(wrapper, argv), cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - start


def run_killed(wrapper: str, argv: list[str], delay: float) -> int | None:
    """Start the command and SIGKILL it after `delay` seconds; returns its exit status when it
    finished first, else None. The process is reaped, so its pid is free afterwards."""
    process = subprocess.Popen(
        command(wrapper, argv), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.kill()  # SIGKILL on POSIX: no handler, no finally, no atexit
        process.communicate()
        return None
    _, err = process.communicate()
    assert process.returncode == 0, err.decode(errors="replace")
    return process.returncode


def kill_delays(runs: int, span: float, seed: int) -> list[float]:
    """`runs` moments spread over [0, 1.2 × span]: one at random in each equal slice, shuffled."""
    rng = random.Random(seed)
    delays = [(i + rng.random()) * 1.2 * span / runs for i in range(runs)]
    rng.shuffle(delays)
    return delays
