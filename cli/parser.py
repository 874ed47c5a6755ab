"""The command-line grammar: every job the window does, runnable from a shell.

Names are kept stable once landed (see DESIGN.md, "Headless interface").
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn


class UsageError(ValueError):
    """Bad command-line words; reported on one line with exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports errors as one line (no usage dump) and never exits by itself."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db` on the top level and on every (nested) command, so it may stand anywhere.

    Its default is SUPPRESS so that a nested parser that does not see it leaves a value given
    earlier alone; the last one given wins.
    """
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: the file in your data folder)",
    )
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="act as this committee member or the chair (passphrase from a prompt or "
        "$SUPPORTSCOPE_PASSPHRASE)",
    )


def action_commands(sub: Any, name: str, help_text: str, common: argparse.ArgumentParser) -> Any:
    """A command whose next word is an ACTION (`candidate add`, `questionnaire import`): the
    subparsers to add the actions to."""
    p = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
    return p.add_subparsers(
        dest="action", metavar="ACTION", parser_class=OneLineParser, required=True
    )


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="supportscope",
        description="Score EHR vendors and support outsourcers against weighted support criteria. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    _add_db_option(parser)
    common = OneLineParser(add_help=False)
    _add_db_option(common)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    def command(name: str, help_text: str) -> OneLineParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    p = command("catalogs", "list the criteria catalogs (built-in and saved)")
    p.add_argument(
        "--dir",
        action="append",
        default=[],
        metavar="FOLDER",
        help="also load catalogs from this folder (repeatable)",
    )

    p = command("new", "create an evaluation from a criteria catalog")
    p.add_argument("name")
    p.add_argument("--catalog", required=True, metavar="ID_OR_FILE")
    p.add_argument("--client", default="", help="the client organisation")
    p.add_argument("--dir", action="append", default=[], metavar="FOLDER")

    p = command("demo", "create the demo evaluation (fictitious vendors and committee)")
    p.add_argument("--name", default=None, help="name for the demo evaluation")

    command("list", "list the evaluations in the database")

    p = command("show", "show an evaluation: status, criteria, candidates, committee")
    p.add_argument("evaluation")

    for who in ("candidate", "evaluator"):
        article = "an" if who == "evaluator" else "a"
        actions = action_commands(sub, who, f"add, rename or remove {article} {who}", common)
        a = actions.add_parser("add", help=f"add a {who}", parents=[common])
        a.add_argument("evaluation")
        a.add_argument("name")
        if who == "candidate":
            a.add_argument("--kind", default="vendor", choices=["vendor", "outsourcer"])
            a.add_argument("--notes", default="")
        else:
            a.add_argument("--role", default="")
            a.add_argument(
                "--coi",
                default="",
                metavar="TEXT",
                help="conflict-of-interest declaration (empty: none declared)",
            )
        a = actions.add_parser("rename", help=f"rename a {who}", parents=[common])
        a.add_argument("evaluation")
        a.add_argument("name")
        a.add_argument("new_name")
        a = actions.add_parser("remove", help=f"remove a {who} and their scores", parents=[common])
        a.add_argument("evaluation")
        a.add_argument("name")
        a.add_argument("--why", default="")

    actions = action_commands(sub, "criterion", "edit a criterion of an evaluation", common)
    a = actions.add_parser("set", help="change a criterion's name or weight", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("criterion", metavar="ID")
    a.add_argument("--weight", type=float)
    a.add_argument("--name")
    a.add_argument("--why", default="")

    p = command("score", "record (or clear) a committee member's score")
    p.add_argument("evaluation")
    p.add_argument("--evaluator", required=True)
    p.add_argument("--candidate", required=True)
    p.add_argument("--criterion", required=True, metavar="ID")
    p.add_argument("value", help="a whole point on the scale, 'abstain' or 'clear'")
    p.add_argument(
        "--why", default="", help="the justification (required; for 'abstain', the reason)"
    )

    p = command("consensus", "record (or clear) the committee's consensus score")
    p.add_argument("evaluation")
    p.add_argument("--candidate", required=True)
    p.add_argument("--criterion", required=True, metavar="ID")
    p.add_argument("value", help="a value on the scale, pass/fail for a gate, or 'clear'")
    p.add_argument("--why", default="", help="the consensus note (required)")

    p = command("status", "move an evaluation to draft, scoring, consensus or final")
    p.add_argument("evaluation")
    p.add_argument("status", choices=["draft", "scoring", "consensus", "final"])
    p.add_argument("--why", default="")

    p = command("aggregation", "combine members' scores by their mean or median")
    p.add_argument("evaluation")
    p.add_argument("method", choices=["mean", "median"])

    p = command("rank", "print the ranking")
    p.add_argument("evaluation")
    p.add_argument(
        "--live",
        action="store_true",
        help="the chair looks at live results during blind scoring (recorded in the audit)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = command("dump", "write an evaluation to one JSON file")
    p.add_argument("evaluation")
    p.add_argument("-o", "--output", required=True, metavar="FILE.json")

    p = command("load", "create an evaluation from a JSON file written by dump")
    p.add_argument("file")
    p.add_argument("--name", default=None, metavar="NAME", help="load under another name")

    p = command(
        "verify", "check an evaluation's audit trail (its hash chain) and its stored values"
    )
    p.add_argument("evaluation")

    text = "save an evaluation's criteria as a reusable catalog file"
    actions = action_commands(sub, "catalog", text, common)
    a = actions.add_parser("save", help="save the criteria as a catalog (TOML)", parents=[common])
    a.add_argument("evaluation")
    a.add_argument("-o", "--output", required=True, metavar="FILE.toml")
    a.add_argument("--id", dest="catalog_id", default=None)
    a.add_argument("--name", dest="catalog_name", default=None)

    from cli.backup_cmd import add_backup_commands
    from cli.excel import add_excel_commands
    from cli.export_cmd import add_export_command
    from cli.process_cmd import add_process_commands
    from cli.sensitivity_cmd import add_sensitivity_commands

    add_process_commands(command)
    add_sensitivity_commands(sub, common)

    from cli.ahp_cmd import add_ahp_command

    add_ahp_command(sub, common)

    from cli.agreement_cmd import add_agreement_command

    add_agreement_command(sub, common)

    add_export_command(sub, common)
    add_backup_commands(sub, common)

    add_excel_commands(sub, common)

    from cli.contract_cmd import add_contract_commands

    add_contract_commands(sub, common)
    return parser


def parse(argv: list[str]) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None and not args.version:
        parser.print_help(sys.stdout)
    return args
