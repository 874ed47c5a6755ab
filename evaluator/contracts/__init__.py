"""After the award: the support contract of a final evaluation, its targets, the tickets and
call statistics delivered, and the scorecard that measures one against the other. Qt-free.

    create_contract(db, EVAL, go_live=, monthly_fee=, time_zone=)  ->  Contract   (baseline)
    read_contract(db, EVAL)                                        ->  Contract
    set_target(db, EVAL, METRIC, "4h", priority="P1", why=...)      ->  TargetApplied (targets)
    apply_target(db, EVAL, SetTarget(...))                         the change path the window uses
    import_tickets(db, EVAL, [files], preset=, dry_run=)           ->  TicketPreview (tickets)
    import_calls(db, EVAL, file)                                   ->  months written (calls)
    scorecard(db, EVAL, month= | quarter=)                         ->  Scorecard (scorecard)
    Scorecard.to_dict()                                            the plain data reports render

The arithmetic is in sla_math (pure NumPy), the metric catalogue and standards in metrics.
"""

from evaluator.contracts.baseline import baseline_targets, create_contract, read_contract
from evaluator.contracts.calls import import_calls
from evaluator.contracts.metrics import METRICS, PRIORITIES, STANDARDS, Direction, Source
from evaluator.contracts.model import Contract, SetTarget, Target, TargetApplied, TargetValue
from evaluator.contracts.scorecard import MetricLine, PeriodCard, PriorityLine, Scorecard, scorecard
from evaluator.contracts.targets import apply_target, parse_target, set_target
from evaluator.contracts.ticket_files import FileRefused
from evaluator.contracts.tickets import TicketPreview, import_tickets

__all__ = [
    "METRICS",
    "PRIORITIES",
    "STANDARDS",
    "Contract",
    "Direction",
    "FileRefused",
    "MetricLine",
    "PeriodCard",
    "PriorityLine",
    "Scorecard",
    "SetTarget",
    "Source",
    "Target",
    "TargetApplied",
    "TargetValue",
    "TicketPreview",
    "apply_target",
    "baseline_targets",
    "create_contract",
    "import_calls",
    "import_tickets",
    "parse_target",
    "read_contract",
    "scorecard",
    "set_target",
]
