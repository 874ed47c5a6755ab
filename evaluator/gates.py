"""The one table of how a gate state looks: its symbol, its word and its colour.

A failed gate once showed beside a green tick because each view picked its own icon. Now the
window, the PDF, the workbook and the CLI all ask this table, so pass is a green ✓, fail a red ✗
and pending an amber ? everywhere, and the symbol and the word always travel with the colour
(colour is never the only signal). The sentences that say why a candidate is disqualified or
provisional are built here too, so they read the same in every place. Qt-free: ui/ derives its
brushes from the hex colours (lightened for dark palettes), reports/ uses them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from evaluator.domain import GateState
from evaluator.kinds import passes


@dataclass(frozen=True)
class GateLook:
    """How one gate state is shown."""

    state: GateState
    symbol: str  # ✓ ✗ ?
    plain_symbol: str  # the same idea in a character every font has (the PDF's fallback font)
    word: str  # inside a sentence or a cell: "passed"
    label: str  # as a heading or a table value: "Passed"
    colour: str  # "#RRGGBB", dark enough to read on white; ui/ lightens it on dark palettes

    @property
    def text(self) -> str:
        """Symbol and word, as a grid cell shows it: "✗ failed"."""
        return f"{self.symbol} {self.word}"

    @property
    def labelled(self) -> str:
        """Symbol and label, as a report table shows it: "✗ Failed"."""
        return f"{self.symbol} {self.label}"


GATE_LOOKS: MappingProxyType[GateState, GateLook] = MappingProxyType(
    {
        look.state: look
        for look in (
            GateLook(GateState.PASSED, "✓", "√", "passed", "Passed", "#2A752E"),
            GateLook(GateState.FAILED, "✗", "×", "failed", "Failed", "#C62828"),
            GateLook(GateState.PENDING, "?", "?", "pending", "Pending", "#A05A00"),
        )
    }
)


def gate_look(state: GateState) -> GateLook:
    return GATE_LOOKS[state]


def decision_state(outcome: float) -> GateState:
    """The state a pass/fail decision (or a rule's result) puts a gate in."""
    return GateState.PASSED if passes(outcome) else GateState.FAILED


def quoted(names: Sequence[str]) -> str:
    """“A”, “A” and “B”, “A”, “B” and “C”: gate names inside a sentence."""
    marked = [f"“{name}”" for name in names]
    if len(marked) < 2:
        return "".join(marked)
    return ", ".join(marked[:-1]) + " and " + marked[-1]


def failed_phrase(names: Sequence[str]) -> str:
    """'failed the gate “Signs a HIPAA BAA”' (or 'the gates “A” and “B”')."""
    return f"failed the gate{'s' if len(names) > 1 else ''} {quoted(names)}"


def pending_phrase(names: Sequence[str]) -> str:
    """'the gate “X” is not decided yet' (or 'the gates “A” and “B” are not decided yet')."""
    if len(names) > 1:
        return f"the gates {quoted(names)} are not decided yet"
    return f"the gate {quoted(names)} is not decided yet"


def candidate_status(failed: Sequence[str], pending: Sequence[str]) -> tuple[GateState | None, str]:
    """A candidate's standing as a sentence, with the gate state that colours it.

    Failing any gate disqualifies (whatever else is pending); an undecided gate makes the rank
    provisional; otherwise the candidate is simply ranked (no gate state to show).
    """
    if failed:
        return GateState.FAILED, f"Disqualified: {failed_phrase(failed)}"
    if pending:
        return GateState.PENDING, f"Provisional: {pending_phrase(pending)}"
    return None, "Ranked"
