"""`--as NAME` on the command line: who is acting, checked against their passphrase.

The passphrase comes from $SUPPORTSCOPE_PASSPHRASE (for scripts) or a prompt that does not echo;
never from an argument, where it would end up in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from evaluator.db import Database
from evaluator.identity import PASSPHRASE_ENV, Identity, identify
from evaluator.records import EvalRef


def acting(args: argparse.Namespace, db: Database, evaluation: EvalRef) -> Identity | None:
    """The identity `--as` names (None without `--as`: one person setting up, or a read)."""
    name = getattr(args, "as_name", None)
    if not name:
        return None
    try:
        return identify(db, evaluation, name)
    except Exception as first:
        if "passphrase" not in str(first):
            raise
    return identify(db, evaluation, name, _passphrase(name))


def _passphrase(name: str) -> str:
    given = os.environ.get(PASSPHRASE_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        return ""  # identify() then says how to give it
    return getpass.getpass(f"Passphrase for {name}: ")


def new_passphrase() -> str | None:
    """A new passphrase from $SUPPORTSCOPE_NEW_PASSPHRASE, or asked twice at a prompt."""
    given = os.environ.get("SUPPORTSCOPE_NEW_PASSPHRASE")
    if given is not None:
        return given or None
    if not sys.stdin.isatty():
        from evaluator.errors import ServiceError

        raise ServiceError(
            "type the new passphrase at the prompt (run in a terminal), or set "
            "SUPPORTSCOPE_NEW_PASSPHRASE for scripts"
        )
    first = getpass.getpass("New passphrase (at least 8 characters): ")
    if getpass.getpass("Again: ") != first:
        from evaluator.errors import ServiceError

        raise ServiceError("the two passphrases differ: nothing was changed")
    return first
