"""Everything the CLI prints goes through here, so user text never reaches a terminal raw.

Candidate names, justifications, answers and file contents are quoted in messages and listings.
A control character among them would ring the bell, move the cursor, rewrite the screen (an
ESC sequence) or garble a log, so every write is cleaned on its way out: C0 controls and DEL
become their visible Unicode "control pictures" (BEL -> U+2407, as in the workbooks), C1
controls an escape such as `\\x9b`. Line feeds and tabs stay: they are how output is laid out.
The code's own terminal control (a progress line rewritten in place with CR) goes through
`write_control`, which is for the code's own text only.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def printable(text: str) -> str:
    """`text` with every control character but line feed and tab shown visibly."""
    return _CONTROL_RE.sub(_visible, text)


class SafeStream:
    """A text stream that cleans what is written to it; everything else is the wrapped one's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._write(printable(text))

    def write_control(self, text: str) -> int:
        """The code's own terminal control (e.g. a leading CR), written as it is."""
        return self._write(text)

    def _write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:  # a console that cannot show the symbols: escape them
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            safe = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
            return self._stream.write(safe)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return bool(getattr(self._stream, "isatty", lambda: False)())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def safe(stream: TextIO) -> SafeStream:
    """`stream` wrapped once (wrapping a SafeStream again changes nothing)."""
    return stream if isinstance(stream, SafeStream) else SafeStream(stream)
