"""Finding, reading and saving catalog files (TOML).

Built-in catalogs ship in `criteria/catalogs/`; a user's saved catalogs live in folders the
caller passes as `extra_dirs`. A broken saved catalog must never stop the app from starting,
so listing reports it instead of raising; loading one on purpose raises `CatalogError`.
"""

from __future__ import annotations

import os
import re
import tempfile
import textwrap
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import tomli_w

from criteria.convert import catalog_from_dict, catalog_to_dict, validate_catalog
from criteria.model import Catalog, CatalogError, CatalogInfo, CatalogListing, CatalogProblem
from evaluator.domain import EvaluationData
from evaluator.kinds import CRITERION_KINDS
from evaluator.live_files import live_database_problem, refuse_live_database

BUILT_IN_DIR = Path(__file__).resolve().parent / "catalogs"
CATALOG_SUFFIX = ".toml"
_SAVED_HEADER = "# SupportScope criteria catalog. Scores refer to keys: do not rename them.\n#\n"


def kinds_comment(width: int = 96) -> str:
    """What each `kind` means, as the comment block every catalog file carries.

    Written from the one table of kinds, so saved catalogs document the same wording the window
    and the reports use; the built-in catalogs carry the same block (a test keeps them in step).
    """
    lines = ["kind: what a criterion is and how it is scored (a node with children is a category)"]
    for row in CRITERION_KINDS.values():
        lines += textwrap.wrap(
            f"{row.label} — {row.description}",
            width - 2,
            initial_indent=f"  {row.kind.value:<9} ",
            subsequent_indent=" " * 12,
        )
    return "".join(f"# {line}\n" for line in lines)


def user_catalog_dir() -> Path:
    """Where saved catalogs live by default (SUPPORTSCOPE_CATALOGS overrides it)."""
    override = os.environ.get("SUPPORTSCOPE_CATALOGS")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path("SupportScope", appauthor=False) / "catalogs"


def list_catalogs(extra_dirs: Sequence[Path] = ()) -> CatalogListing:
    """Built-in catalogs first, then those in `extra_dirs`; broken files go to `.problems`.

    A catalog whose id is already taken by an earlier one (a built-in, or an earlier folder)
    is skipped and reported, so that an id always means one catalog.
    """
    listing = CatalogListing()
    seen: dict[str, Path] = {}
    for path, built_in in _catalog_files(extra_dirs):
        try:
            catalog = read_catalog_file(path)
        except CatalogError as error:
            listing.problems.append(CatalogProblem(path, str(error)))
            continue
        if catalog.id in seen:
            listing.problems.append(
                CatalogProblem(
                    path,
                    f"{path.name}: catalog id {catalog.id!r} is already used by "
                    f"{seen[catalog.id]}: give this catalog another id",
                )
            )
            continue
        seen[catalog.id] = path
        listing.append(CatalogInfo(catalog.id, catalog.name, catalog.description, path, built_in))
    return listing


def load_catalog(ref: str | Path, extra_dirs: Sequence[Path] = ()) -> Catalog:
    """A catalog by id (built-ins first, then `extra_dirs`) or by file path."""
    if isinstance(ref, Path) or _looks_like_path(ref):
        return read_catalog_file(Path(ref))
    for path, _ in _catalog_files(extra_dirs):
        if _peek_id(path) == ref:
            return read_catalog_file(path)
    known = ", ".join(info.id for info in list_catalogs(extra_dirs)) or "none"
    raise CatalogError(f"there is no catalog with id {ref!r} (available: {known})")


def read_catalog_file(path: Path) -> Catalog:
    """Read and validate one catalog file; every error names the file."""
    if live_database_problem(path):  # reading it would drop SQLite's locks on it
        raise CatalogError("belongs to a database in use, not a catalog", path)
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except OSError as error:
        raise CatalogError(f"cannot be read: {error.strerror or error}", path) from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"is not valid TOML: {error}", path) from error
    except UnicodeDecodeError as error:
        raise CatalogError("is not UTF-8 text", path) from error
    try:
        return catalog_from_dict(data)
    except CatalogError as error:
        raise CatalogError(error.problems, path) from error


def save_catalog(catalog: Catalog, path: Path) -> None:
    """Write the catalog as TOML, atomically: a temporary file beside it, then `os.replace`.

    The catalog is validated first, so a saved file always loads again.
    """
    problems = validate_catalog(catalog)
    if problems:
        raise CatalogError(problems, path)
    body = tomli_w.dumps(catalog_to_dict(catalog), multiline_strings=False)
    text = f"{_SAVED_HEADER}{kinds_comment()}\n{body}"
    refuse_live_database(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def save_evaluation_criteria(
    data: EvaluationData, path: Path, catalog_id: str | None = None, name: str | None = None
) -> Catalog:
    """Save an evaluation's criteria tree and scale as a reusable catalog (the CLI's `catalog
    save` and the window's File menu); the id defaults to the file name, the name to the
    evaluation's."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    catalog = Catalog(
        id=catalog_id or stem or "saved",
        name=name or data.name,
        description=f"Saved from evaluation {data.name}",
        version="1",
        scale=data.scale,
        criteria=data.criteria,
    )
    save_catalog(catalog, path)
    return catalog


def _catalog_files(extra_dirs: Sequence[Path]) -> Iterator[tuple[Path, bool]]:
    """(path, built_in) for each catalog file: built-ins, then each extra folder, by name."""
    folders = [(BUILT_IN_DIR, True), *((Path(folder), False) for folder in extra_dirs)]
    for folder, built_in in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{CATALOG_SUFFIX}")):
            if path.is_file():
                yield path, built_in


def _peek_id(path: Path) -> str | None:
    """The id a catalog file declares, without validating it (None when unreadable)."""
    try:
        with path.open("rb") as stream:
            data: dict[str, Any] = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    catalog_id = data.get("id")
    return catalog_id if isinstance(catalog_id, str) else None


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(CATALOG_SUFFIX) or "/" in ref or os.sep in ref
