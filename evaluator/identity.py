"""Who is acting: a committee member or the evaluation's chair, optionally behind a passphrase.

Passphrases are stored only as a salted scrypt hash (hashlib's standard key-derivation function),
never in clear and never logged; the domain objects only say whether one is set. The audit
records the identity's name with the OS user and machine as context.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field

from sqlalchemy import select

from evaluator.db import Database
from evaluator.errors import ServiceError
from evaluator.models import EvaluatorRow
from evaluator.records import EvalRef, get_evaluation, machine_context

_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~50 ms, 16 MB
PASSPHRASE_ENV = "SUPPORTSCOPE_PASSPHRASE"


@dataclass(frozen=True)
class Identity:
    """The person acting in the window or the shell for one evaluation."""

    name: str
    evaluator_id: int | None = None  # the committee member's id; None for the chair
    chair: bool = False
    context: str = field(default_factory=machine_context)

    @property
    def role(self) -> str:
        return "chair" if self.chair else "committee member"


def hash_passphrase(passphrase: str) -> str:
    """A salted scrypt hash in one string: scrypt$n$r$p$salt$hash."""
    if len(passphrase) < 8:
        raise ServiceError("a passphrase needs at least 8 characters")
    salt = os.urandom(16)
    digest = hashlib.scrypt(passphrase.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def passphrase_matches(passphrase: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(
            passphrase.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(digest) // 2, maxmem=64 * 1024 * 1024,
        )  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def identify(
    db: Database, evaluation: EvalRef, name: str, passphrase: str | None = None
) -> Identity:
    """The identity named `name` in an evaluation (the chair or a member, case-insensitive),
    checked against its passphrase when it has one."""
    wanted = " ".join(str(name).split()).casefold()
    with db.reading() as session:
        ev = get_evaluation(session, evaluation)
        if ev.chair and ev.chair.casefold() == wanted:
            _check(passphrase, ev.chair_secret, f"the chair {ev.chair}")
            return Identity(ev.chair, chair=True)
        member = session.execute(
            select(EvaluatorRow.id, EvaluatorRow.name, EvaluatorRow.secret).where(
                EvaluatorRow.evaluation_id == ev.id
            )
        ).all()
        found = [m for m in member if m.name.casefold() == wanted]
        if not found:
            chair = f"the chair {ev.chair!r} or " if ev.chair else ""
            raise ServiceError(
                f"{name!r} is neither {chair}a committee member of {ev.name!r}: "
                "say who you are with the name the committee list shows"
            )
        _check(passphrase, found[0].secret, found[0].name)
        return Identity(found[0].name, evaluator_id=found[0].id)


def _check(passphrase: str | None, stored: str | None, who: str) -> None:
    if stored is None:
        return
    if not passphrase:
        raise ServiceError(
            f"{who} is protected by a passphrase: type it when asked (or set {PASSPHRASE_ENV} "
            "for scripts)"
        )
    if not passphrase_matches(passphrase, stored):
        raise ServiceError(f"the passphrase for {who} is not right: try again")
