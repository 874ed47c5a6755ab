"""Change objects: every user action as one small typed value, written through one path.

See model.py for the changes, write.py for the path to the database and snapshot.py for the
pure function that applies an applied change to an in-memory evaluation.
"""

from evaluator.changes.model import (
    CRITERION_FIELDS,
    AddCandidate,
    AddCriterion,
    AddEvaluator,
    Answer,
    Applied,
    Change,
    ConsensusCell,
    Dependents,
    EditCandidate,
    EditCriterion,
    EditEvaluation,
    EditEvaluator,
    EvaluationFields,
    MoveCriterion,
    Place,
    RemoveCandidate,
    RemoveCriterion,
    RemoveEvaluator,
    ScoreCell,
    SetAnswer,
    SetConsensus,
    SetScore,
    SetStatus,
)
from evaluator.changes.snapshot import applied_to, apply_applied, canonical

__all__ = [
    "CRITERION_FIELDS",
    "AddCandidate",
    "AddCriterion",
    "AddEvaluator",
    "Answer",
    "Applied",
    "Change",
    "ConsensusCell",
    "Dependents",
    "EditCandidate",
    "EditCriterion",
    "EditEvaluation",
    "EditEvaluator",
    "EvaluationFields",
    "MoveCriterion",
    "Place",
    "RemoveCandidate",
    "RemoveCriterion",
    "RemoveEvaluator",
    "ScoreCell",
    "SetAnswer",
    "SetConsensus",
    "SetScore",
    "SetStatus",
    "applied_to",
    "apply_applied",
    "canonical",
]
