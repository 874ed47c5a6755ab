"""The application's version, read from one place: the installed package's metadata.

pyproject.toml is the only file that states the version; every place that shows it (`--version`,
the report's methodology page, the workbook's notes, the About box) calls `app_version()`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import tomllib
from pathlib import Path

DISTRIBUTION = "supportscope"
UNKNOWN = "unknown"


@functools.cache
def app_version() -> str:
    """The installed version; from a bare checkout (never installed), its pyproject's version."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return checkout_version(Path(__file__).resolve().parent.parent / "pyproject.toml")


def checkout_version(pyproject: Path) -> str:
    """The `[project] version` of a pyproject.toml, or "unknown" when there is none to read."""
    try:
        version = tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"]
    except (OSError, UnicodeDecodeError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return UNKNOWN
    return version if isinstance(version, str) and version.strip() else UNKNOWN
