"""Services by name, for the command line and scripts: each resolves names, builds one change
object (evaluator.changes) and writes it through the one path; plus creating, listing and
reading evaluations.

The window builds change objects itself and calls `apply_change` (evaluator.changes.write).
"""

from evaluator.changes.model import Applied
from evaluator.changes.write import apply_change, apply_changes
from evaluator.errors import NotFound, ServiceError, StaleChange
from evaluator.records import current_actor
from evaluator.services.criteria_edit import (
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
    add_candidate,
    add_evaluator,
    remove_candidate,
    remove_evaluator,
    restore,
    update_candidate,
    update_evaluator,
)
from evaluator.services.reading import AuditEntry, audit_trail, current_revision, load_evaluation
from evaluator.services.scores import (
    clear_consensus,
    clear_score,
    parse_gate_decision,
    set_consensus,
    set_response,
    set_score,
)

__all__ = [
    "Applied",
    "AuditEntry",
    "EvaluationSummary",
    "NotFound",
    "ServiceError",
    "StaleChange",
    "add_candidate",
    "add_criterion",
    "add_evaluator",
    "apply_change",
    "apply_changes",
    "audit_trail",
    "change_status",
    "clear_consensus",
    "clear_score",
    "create_evaluation",
    "current_actor",
    "current_revision",
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
