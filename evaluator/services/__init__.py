"""One function per user action: validate, write in one transaction, record an audit entry.

The UI and the command line call these and nothing below them.
"""

from evaluator.services.common import NotFound, ServiceError, current_actor
from evaluator.services.criteria_edit import (
    RemovedCriterion,
    add_criterion,
    move_criterion,
    remove_criterion,
    restore_criterion,
    update_criterion,
)
from evaluator.services.evaluations import (
    EvaluationSummary,
    change_status,
    create_evaluation,
    evaluation_id,
    list_evaluations,
    update_evaluation,
)
from evaluator.services.people import (
    Removed,
    add_candidate,
    add_evaluator,
    remove_candidate,
    remove_evaluator,
    restore,
    update_candidate,
    update_evaluator,
)
from evaluator.services.reading import AuditEntry, audit_trail, load_evaluation
from evaluator.services.scores import (
    Previous,
    clear_consensus,
    clear_score,
    parse_gate_decision,
    set_consensus,
    set_response,
    set_score,
)

__all__ = [
    "AuditEntry",
    "EvaluationSummary",
    "NotFound",
    "Previous",
    "Removed",
    "RemovedCriterion",
    "ServiceError",
    "add_candidate",
    "add_criterion",
    "add_evaluator",
    "audit_trail",
    "change_status",
    "clear_consensus",
    "clear_score",
    "create_evaluation",
    "current_actor",
    "evaluation_id",
    "list_evaluations",
    "load_evaluation",
    "move_criterion",
    "parse_gate_decision",
    "remove_candidate",
    "remove_criterion",
    "remove_evaluator",
    "restore",
    "restore_criterion",
    "set_consensus",
    "set_response",
    "set_score",
    "update_candidate",
    "update_criterion",
    "update_evaluation",
    "update_evaluator",
]
