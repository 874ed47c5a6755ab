"""Finding a candidate or member the user named: exactly, else ignoring case and spacing.

Never a guess: two loose matches, or none, are refused with the names there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from evaluator.errors import ServiceError


class Named(Protocol):
    @property
    def name(self) -> str: ...


NamedT = TypeVar("NamedT", bound=Named)


def find_named(
    items: Sequence[NamedT], name: str, evaluation: str, what: str, listed: str
) -> NamedT:
    """The one item called `name`; refused as "no `what` named … (`listed`: …)" otherwise."""
    wanted = " ".join(name.split()).casefold()
    exact = [item for item in items if item.name == name]
    loose = [item for item in items if " ".join(item.name.split()).casefold() == wanted]
    found = exact or loose
    if len(found) == 1:
        return found[0]
    names = ", ".join(item.name for item in items) or "none yet"
    raise ServiceError(f"no {what} named {name!r} in evaluation {evaluation!r} ({listed}: {names})")
