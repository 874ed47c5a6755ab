"""`backup EVAL|--all -o FILE` and `restore FILE [--replace] [--only EVAL]...`.

A backup is a SQLite file whichever database it came from (evaluator/backups.py); a restore
checks the file before the database is even opened (so a wrong file never creates an empty
database), then restores all or nothing (evaluator/restore.py).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from evaluator.db import Database


def add_backup_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    text = "write a backup (a SQLite file) of one evaluation or of the whole database"
    p = sub.add_parser("backup", help=text, description=text, parents=[common])
    p.add_argument("evaluation", nargs="?", help="the evaluation to back up (or --all)")
    p.add_argument("--all", action="store_true", help="back up every evaluation")
    p.add_argument("-o", "--output", required=True, metavar="FILE")

    text = (
        "restore the evaluations of a backup file into the database (the database is backed "
        "up first; all or nothing)"
    )
    p = sub.add_parser("restore", help=text, description=text, parents=[common])
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace evaluations of the same name with the backup's version (never a final one)",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="EVAL",
        help="restore only this evaluation of the file (repeatable)",
    )


def cmd_backup(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator.backups import backup_database, backup_evaluation
    from evaluator.errors import ServiceError

    if args.all == bool(args.evaluation):
        raise ServiceError("backup: give one evaluation's name, or --all for every evaluation")
    if args.all:
        summary = backup_database(db, args.output)
    else:
        summary = backup_evaluation(db, args.evaluation, args.output)
    count = len(summary.evaluations)
    what = f"{count} evaluation{'' if count == 1 else 's'}"
    out.write(f"backed up {what} with {'its' if count == 1 else 'their'} audit trail")
    out.write(f" to {summary.path}\n")


def check_restore_file(args: argparse.Namespace) -> None:
    """Run before the database is opened: a wrong file creates nothing."""
    from evaluator.restore import check_backup_file

    check_backup_file(args.file)


def cmd_restore(args: argparse.Namespace, db: Database, out: TextIO) -> None:
    from evaluator.restore import restore_backup

    outcome = restore_backup(db, args.file, replace=args.replace, only=args.only)
    out.write(outcome.summary() + "\n")


BACKUP_HANDLERS = {"backup": cmd_backup, "restore": cmd_restore}
PRECHECKS = {"restore": check_restore_file}
