"""The committee process from the shell: chair, passphrase, declare, submit, reopen-sheet,
excuse, checklist, finalise and reopen. Each acts as `--as NAME` (see cli/identity.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from cli.identity import acting, new_passphrase
from evaluator.db import Database
from evaluator.services import process


def add_process_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command("chair", "name the evaluation's chair (or hand the role over)")
    p.add_argument("evaluation")
    p.add_argument("name")

    p = command(
        "passphrase",
        "protect your identity (--as NAME) with a passphrase, asked at a prompt "
        "(or $SUPPORTSCOPE_NEW_PASSPHRASE); --remove takes it off",
    )
    p.add_argument("evaluation")
    p.add_argument("--remove", action="store_true")

    p = command("declare", "declare conflicts of interest (--as MEMBER): none, or candidates")
    p.add_argument("evaluation")
    p.add_argument("--conflict", action="append", default=[], metavar="CANDIDATE",
                   help="a candidate you have a conflict with (repeatable)")  # fmt: skip
    p.add_argument("--none", action="store_true", help="declare no conflict of interest")
    p.add_argument("--note", default="", help="what the conflict is, or any remark")

    p = command("submit", "submit your scores (--as MEMBER); read-only afterwards")
    p.add_argument("evaluation")

    p = command("reopen-sheet", "the chair reopens a member's submitted scoresheet")
    p.add_argument("evaluation")
    p.add_argument("member")
    p.add_argument("--why", required=True)

    p = command("excuse", "the chair records why the committee does not wait for a member")
    p.add_argument("evaluation")
    p.add_argument("member")
    p.add_argument("--why", required=True)

    p = command("checklist", "what is still open before the evaluation can be finalised")
    p.add_argument("evaluation")

    p = command("finalise", "make the evaluation final (a reason is needed if items are open)")
    p.add_argument("evaluation")
    p.add_argument("--why", default="")

    p = command("reopen", "the chair reopens a final evaluation, with a reason")
    p.add_argument("evaluation")
    p.add_argument("--why", required=True)


def cmd_chair(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    process.name_chair(db, args.evaluation, args.name, actor=acting(args, db, args.evaluation))
    out.write(f"{args.name} chairs {args.evaluation!r}\n")


def cmd_passphrase(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    if me is None:
        from evaluator.errors import ServiceError

        raise ServiceError("say whose passphrase it is with --as NAME")
    secret = None if args.remove else new_passphrase()
    process.set_passphrase(db, args.evaluation, me.name, secret, actor=me)
    out.write(f"{me.name}: passphrase {'removed' if secret is None else 'set'}\n")


def cmd_declare(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    if me is None or me.evaluator_id is None:
        from evaluator.errors import ServiceError

        raise ServiceError("declare as yourself: --as YOUR NAME (a committee member)")
    if not args.none and not args.conflict:
        from evaluator.errors import ServiceError

        raise ServiceError("say --none, or name each candidate with --conflict CANDIDATE")
    process.declare(db, args.evaluation, me.name, args.conflict, args.note, actor=me)
    shown = ", ".join(args.conflict) if args.conflict else "no conflict"
    out.write(f"{me.name} declared: {shown}\n")


def cmd_submit(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    if me is None or me.evaluator_id is None:
        from evaluator.errors import ServiceError

        raise ServiceError("submit as yourself: --as YOUR NAME (a committee member)")
    process.submit(db, args.evaluation, me.name, actor=me)
    out.write(f"{me.name} submitted their scores\n")


def cmd_reopen_sheet(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    process.reopen_sheet(db, args.evaluation, args.member, args.why, actor=me)
    out.write(f"reopened the scoresheet of {args.member}\n")


def cmd_excuse(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    process.excuse(db, args.evaluation, args.member, args.why, actor=me)
    out.write(f"excused {args.member}\n")


def cmd_checklist(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator.checklist import open_items
    from evaluator.scoring import score_evaluation
    from evaluator.services import load_evaluation

    data = load_evaluation(db, args.evaluation)
    items = open_items(data, score_evaluation(data))
    if not items:
        out.write("nothing is open: the evaluation can be finalised\n")
    for item in items:
        out.write(f"open: {item.text}\n")


def cmd_finalise(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    process.finalise(db, args.evaluation, args.why, actor=me)
    out.write(f"{args.evaluation!r} is final\n")


def cmd_reopen(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    me = acting(args, db, args.evaluation)
    process.reopen_evaluation(db, args.evaluation, args.why, actor=me)
    out.write(f"reopened {args.evaluation!r}: it is in consensus again\n")


PROCESS_HANDLERS = {
    "chair": cmd_chair,
    "passphrase": cmd_passphrase,
    "declare": cmd_declare,
    "submit": cmd_submit,
    "reopen-sheet": cmd_reopen_sheet,
    "excuse": cmd_excuse,
    "checklist": cmd_checklist,
    "finalise": cmd_finalise,
    "reopen": cmd_reopen,
}
