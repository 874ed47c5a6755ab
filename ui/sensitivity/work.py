"""The Sensitivity tab's background work, as job work for ui/jobs.py, and its undo commands.

The core behind the analysis uses numpy, which is imported here, in the GUI thread, when the
work is first made: importing it on a worker thread while the GUI thread runs events crashed
PySide6 (see ui/results/model.py). The window itself starts without numpy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from evaluator import changes as c
from evaluator.domain import EvaluationData, WeightSet
from evaluator.progress import CancelCheck, Progress
from evaluator.simulation_settings import Settings
from ui.session import EvaluationSession
from ui.undo_base import ChangeCommand

if TYPE_CHECKING:
    from evaluator.flip_table import FlipRow
    from evaluator.set_rankings import SetComparison

Work = Callable[[Progress, CancelCheck], Any]


def analysis_work(data: EvaluationData) -> Callable[[Progress, CancelCheck], tuple]:  # type: ignore[type-arg]
    """The flip table and the rankings under every weighting set (quick: no progress)."""
    from evaluator.flip_table import flip_table
    from evaluator.set_rankings import compare_sets

    def work(_progress: Progress, _cancel: CancelCheck) -> tuple[list[FlipRow], SetComparison]:
        return flip_table(data), compare_sets(data)

    return work


def simulation_work(data: EvaluationData, settings: Settings) -> Work:
    """The chances of winning and rank ranges, with progress, cancellable."""
    from evaluator.robustness import simulate

    def work(progress: Progress, cancel: CancelCheck) -> object:
        return simulate(data, settings, progress, cancel)

    return work


# ---- undoable weighting-set edits (through the one change path) -------------------------------


def AddWeightSet(session: EvaluationSession, weight_set: WeightSet) -> ChangeCommand:
    change = c.AddWeightSet(weight_set)
    return ChangeCommand(session, change, f"Add weighting set “{weight_set.name.strip()}”")


def EditWeightSet(session: EvaluationSession, before: WeightSet, after: WeightSet) -> ChangeCommand:
    return ChangeCommand(
        session, c.EditWeightSet(before, after), f"Edit weighting set “{before.name}”"
    )


def RemoveWeightSet(session: EvaluationSession, weight_set: WeightSet) -> ChangeCommand:
    change = c.RemoveWeightSet(weight_set)
    return ChangeCommand(session, change, f"Remove weighting set “{weight_set.name}”")
