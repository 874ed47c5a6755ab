"""After the award: the support contract of a final evaluation, its targets, the tickets and
call statistics delivered, and the scorecard that measures one against the other. Qt-free.

    create_contract(db, EVAL, go_live=, monthly_fee=, time_zone=)  ->  Contract   (baseline)
    read_contract(db, EVAL)                                        ->  Contract
    set_target(db, EVAL, METRIC, "4h", priority="P1", why=...)      ->  TargetApplied (targets)
    apply_target(db, EVAL, SetTarget(...))                         the change path the window uses
    import_tickets(db, EVAL, [files], preset=, dry_run=)           ->  TicketPreview (tickets)
    saved_sources(db, EVAL), file_columns(path)                     the mapping step's inputs
    import_calls(db, EVAL, file)                                   ->  months written (calls)
    scorecard(db, EVAL, month= | quarter=)                         ->  Scorecard (scorecard)
    track_records(db, EVAL)                                         a client's earlier contracts
    Scorecard.to_dict()                                            the plain data reports render

The arithmetic is in sla_math (pure NumPy), the metric catalogue and standards in metrics.
"""

from evaluator.contracts.baseline import baseline_targets, create_contract, read_contract
from evaluator.contracts.calls import import_calls
from evaluator.contracts.metrics import METRICS, PRIORITIES, STANDARDS, Direction, Source
from evaluator.contracts.model import Contract, SetTarget, Target, TargetApplied, TargetValue
from evaluator.contracts.targets import apply_target, parse_target, set_target
from evaluator.contracts.ticket_files import FileRefused
from evaluator.contracts.tickets import (
    SourceSettings,
    TicketPreview,
    file_columns,
    import_tickets,
    saved_sources,
)

# The scorecard and the track record need NumPy: loaded when first asked for, so that a window
# that only shows the Contract tab's list does not pay for NumPy at start (test_startup_imports).
_LATER = {
    "MetricLine": "card",
    "PeriodCard": "card",
    "PriorityLine": "card",
    "Scorecard": "card",
    "scorecard": "card",
    "TrackRecord": "review",
    "track_records": "review",
}


def __getattr__(name: str) -> object:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"evaluator.contracts.{_LATER[name]}"), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


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
    "SourceSettings",
    "Target",
    "TargetApplied",
    "TargetValue",
    "TicketPreview",
    "TrackRecord",
    "apply_target",
    "baseline_targets",
    "create_contract",
    "file_columns",
    "import_calls",
    "import_tickets",
    "parse_target",
    "read_contract",
    "saved_sources",
    "scorecard",
    "set_target",
    "track_records",
]
