"""After the award, from the shell:

    contract create EVAL --go-live DATE --monthly-fee N [--tz ZONE] [--candidate NAME]
    contract show EVAL [--json]
    contract target EVAL METRIC [--priority P] VALUE --reason TEXT
    tickets import EVAL FILE... [--source NAME] [--preset servicenow|jira|generic]
                   [--map COL=FIELD ...] [--tz ZONE] [--dry-run]
    calls import EVAL FILE
    scorecard EVAL [--month YYYY-MM | --quarter YYYY-Qn] [--json]

`scorecard export` belongs to the quarterly report: SCORECARD_ACTIONS is its hook (an action
name -> (add its arguments, handler)); until it lands, `scorecard export` says so.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from cli.identity import acting
from cli.parser import UsageError
from evaluator.db import Database

Handler = Callable[[argparse.Namespace, Database, TextIO], None]
SCORECARD_ACTIONS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Handler]] = {}


def _actions(sub: Any, common: argparse.ArgumentParser, name: str, help_text: str) -> Any:
    """A command whose first word is an action (contract create, tickets import...)."""
    p = sub.add_parser(name, parents=[common], help=help_text)
    return p.add_subparsers(
        dest=f"{name}_action", metavar="ACTION", required=True, parser_class=type(p)
    )


def add_contract_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    actions = _actions(sub, common, "contract", "the support contract after the award")
    a = actions.add_parser(
        "create",
        parents=[common],
        help="create the contract of a final evaluation's selected candidate",
    )
    a.add_argument("evaluation")
    a.add_argument("--go-live", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--monthly-fee", required=True, type=float, metavar="AMOUNT")
    a.add_argument("--tz", default="UTC", metavar="ZONE", help="IANA time zone (months are local)")
    a.add_argument("--candidate", default=None, help="the selected candidate (default: rank 1)")
    a = actions.add_parser("show", parents=[common], help="the contract and its targets")
    a.add_argument("evaluation")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("target", parents=[common], help="set a target, with the reason")
    a.add_argument("evaluation")
    a.add_argument("metric")
    a.add_argument("value", help="15min, 4h, 7%%, 0.07, seconds for asa, or the commitment text")
    a.add_argument("--priority", default="", metavar="P1-P4")
    a.add_argument("--reason", default="", help="why it changes (required; audited)")
    actions = _actions(sub, common, "tickets", "import service-desk ticket exports")
    a = actions.add_parser("import", parents=[common], help="import CSV or XLSX ticket exports")
    a.add_argument("evaluation")
    a.add_argument("files", nargs="+", metavar="FILE")
    a.add_argument("--source", default=None, help="the export's source (its mapping is saved)")
    a.add_argument("--preset", choices=("servicenow", "jira", "generic"), default=None)
    a.add_argument("--map", action="append", default=[], metavar="COL=FIELD")
    a.add_argument("--tz", default=None, metavar="ZONE", help="zone of times without offset")
    a.add_argument("--dry-run", action="store_true", help="preview only; write nothing")
    actions = _actions(sub, common, "calls", "import monthly call statistics")
    a = actions.add_parser("import", parents=[common], help="import a call-statistics sheet")
    a.add_argument("evaluation")
    a.add_argument("file")
    p = sub.add_parser(
        "scorecard",
        parents=[common],
        help="delivery against the contract's targets, month by month",
    )
    p.add_argument("evaluation")
    p.add_argument("action", nargs="?", default=None, help=argparse.SUPPRESS)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--month", default=None, metavar="YYYY-MM")
    when.add_argument("--quarter", default=None, metavar="YYYY-Qn")
    p.add_argument("--json", action="store_true")
    for add_arguments, _handler in SCORECARD_ACTIONS.values():
        add_arguments(p)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--go-live {text!r}: write the date as YYYY-MM-DD") from None


def cmd_contract(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator import contracts

    action = args.contract_action
    if action == "create":
        contract = contracts.create_contract(
            db,
            args.evaluation,
            go_live=_date(args.go_live),
            monthly_fee=args.monthly_fee,
            time_zone=args.tz,
            candidate=args.candidate,
            actor=acting(args, db, args.evaluation),
        )
        out.write(
            f"created the support contract of {contract.evaluation!r} with "
            f"{contract.candidate}: {len(contract.targets)} targets\n"
        )
        for key in contract.missing_promises:
            out.write(f"no answer to {key}: its standard target applies\n")
        return
    if action == "target":
        applied = contracts.set_target(
            db,
            args.evaluation,
            args.metric,
            args.value,
            priority=args.priority,
            why=args.reason,
            actor=acting(args, db, args.evaluation),
        )
        word = "set" if applied.changed else "unchanged:"
        out.write(f"{word} {args.metric} {args.priority} {args.value}\n".replace("  ", " "))
        return
    contract = contracts.read_contract(db, args.evaluation)
    if args.json:
        document = {
            "evaluation": contract.evaluation,
            "candidate": contract.candidate,
            "go_live": contract.go_live.isoformat(),
            "monthly_fee": contract.monthly_fee,
            "time_zone": contract.time_zone,
            "revision": contract.revision,
            "targets": [t.to_dict() for t in contract.targets],
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    out.write(
        f"{contract.evaluation}: support contract with {contract.candidate}\n"
        f"go-live {contract.go_live}, {contract.monthly_fee:,.2f} a month, "
        f"{contract.time_zone}\n"
    )
    for t in contract.targets:
        shown = t.text if t.value is None else f"{t.value:g} {t.info.unit}".strip()
        out.write(f"  {t.label:<48} {shown:<14} {t.source}: {t.citation}\n")


def cmd_tickets(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator import contracts

    preview = contracts.import_tickets(
        db,
        args.evaluation,
        [Path(f) for f in args.files],
        source=args.source,
        preset=args.preset,
        overrides=args.map,
        time_zone=args.tz,
        dry_run=args.dry_run,
        actor=acting(args, db, args.evaluation),
    )
    for f in preview.files:
        out.write(
            f"{f.name}: {f.new} new, {f.changed} changed, {f.unchanged} unchanged, "
            f"{f.unreadable} unreadable\n"
        )
    for line in preview.problems[:20] + preview.notes[:20]:
        out.write(f"  {line}\n")
    verb = "imported" if preview.written else "preview only, nothing written"
    out.write(f"{verb}: {preview.summary()} (source {preview.source})\n")


def cmd_calls(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator import contracts

    months = contracts.import_calls(
        db, args.evaluation, Path(args.file), actor=acting(args, db, args.evaluation)
    )
    out.write(f"imported the call statistics of {months} months\n")


def cmd_scorecard(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    if args.action is not None:
        if args.action not in SCORECARD_ACTIONS:
            raise UsageError(
                f"scorecard {args.action}: not available yet (the quarterly "
                "report will add 'scorecard export')"
            )
        SCORECARD_ACTIONS[args.action][1](args, db, out)
        return
    from evaluator import contracts

    card = contracts.scorecard(db, args.evaluation, month=args.month, quarter=args.quarter)
    if args.json:
        out.write(json.dumps(card.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    from cli.scorecard_text import write_scorecard

    write_scorecard(out, card)


CONTRACT_HANDLERS: dict[str, Handler] = {
    "contract": cmd_contract,
    "tickets": cmd_tickets,
    "calls": cmd_calls,
    "scorecard": cmd_scorecard,
}
