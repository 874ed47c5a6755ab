"""The plain objects of the catalog layer: a catalog, its listing entry and its errors.

A catalog is a reusable criteria template (tree, weights, rubrics, questions, rules) that a
committee starts an evaluation from. It is kept apart from `evaluator.domain` because only this
layer knows about files; the criteria inside are the shared domain objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.domain import Criterion, Scale


class CatalogError(ValueError):
    """A catalog that cannot be used; the message names the file and the offending key.

    `problems` holds each problem on its own (without the file name) so that a dialog can list
    them; `path` is the file concerned, when there is one.
    """

    def __init__(self, problems: Sequence[str] | str, path: Path | None = None) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: tuple[str, ...] = tuple(problems)
        self.path = path
        prefix = f"{path.name}: " if path is not None else ""
        super().__init__("\n".join(prefix + problem for problem in self.problems))


@dataclass
class Catalog:
    """A criteria template: metadata, scale and the top-level criteria nodes."""

    id: str
    name: str
    description: str = ""
    version: str = "1"
    scale: Scale = field(default_factory=Scale)
    criteria: list[Criterion] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogInfo:
    """One entry of the catalog list shown when a new evaluation is set up."""

    id: str
    name: str
    description: str
    path: Path
    built_in: bool


@dataclass(frozen=True)
class CatalogProblem:
    """A catalog file that was skipped while listing, and why."""

    path: Path
    message: str  # already names the file

    def __str__(self) -> str:
        return self.message


class CatalogListing(list[CatalogInfo]):
    """The usable catalogs, in order, plus the files that were skipped (`problems`).

    A plain list to callers that only want the catalogs; the problems ride along so that the
    user can be told about a broken saved catalog instead of the app crashing on it.
    """

    def __init__(
        self, infos: Iterable[CatalogInfo] = (), problems: Iterable[CatalogProblem] = ()
    ) -> None:
        super().__init__(infos)
        self.problems: list[CatalogProblem] = list(problems)
