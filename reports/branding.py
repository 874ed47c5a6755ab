"""Consultant branding for the reports: firm name, logo, accent colour and the prepared-by line.

Plain data, no Qt: the window keeps it in its settings (as the mapping `to_mapping` returns)
and hands it to the export; the renderers only read it. A stale or mistyped setting must not
break an export, so reading is forgiving: a bad colour falls back to the default and a missing
logo is reported as a warning by the renderer instead of an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from evaluator.live_files import live_database_problem

DEFAULT_ACCENT = "#1F4E79"  # a deep navy that prints well in colour and in grey
_HEX_COLOUR = re.compile(r"^#?([0-9A-Fa-f]{6})$")


def normalise_hex(colour: str, default: str = DEFAULT_ACCENT) -> str:
    """`#RRGGBB` in upper case, or `default` when `colour` is not a six-digit hex colour."""
    match = _HEX_COLOUR.match(colour.strip()) if isinstance(colour, str) else None
    return f"#{match.group(1).upper()}" if match else default


def is_hex_colour(colour: str) -> bool:
    return isinstance(colour, str) and bool(_HEX_COLOUR.match(colour.strip()))


@dataclass(frozen=True)
class Branding:
    """Who the report is from. Every field is optional; empty means "not shown"."""

    firm_name: str = ""
    logo_path: str = ""  # a PNG or JPEG file; empty for none
    accent_colour: str = DEFAULT_ACCENT  # "#RRGGBB"
    prepared_by: str = ""  # e.g. "Jane Doe, Senior Consultant"

    @property
    def accent(self) -> str:
        """The accent colour to use: the setting when valid, else the default."""
        return normalise_hex(self.accent_colour)

    @property
    def logo(self) -> Path | None:
        return Path(self.logo_path).expanduser() if self.logo_path.strip() else None

    def problems(self, *, check_logo: bool = True) -> list[str]:
        """What is wrong with the settings, worded for the user (empty when all is well)."""
        found = []
        if self.accent_colour.strip() and not is_hex_colour(self.accent_colour):
            found.append(
                f"The accent colour {self.accent_colour!r} is not a colour like #1F4E79; "
                f"the default {DEFAULT_ACCENT} is used."
            )
        logo = self.logo
        if check_logo and logo is not None and not logo.is_file():
            found.append(f"The logo file {logo} cannot be found; the report is made without it.")
        elif check_logo and logo is not None and live_database_problem(logo):
            found.append(f"The logo file {logo} belongs to a database in use, not an image.")
        return found

    def to_mapping(self) -> dict[str, str]:
        """Plain strings, ready for a settings store."""
        return {
            "firm_name": self.firm_name,
            "logo_path": self.logo_path,
            "accent_colour": self.accent_colour,
            "prepared_by": self.prepared_by,
        }

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Branding:
        """Build from a settings store; unknown keys are ignored, non-strings become empty."""

        def text(name: str, default: str = "") -> str:
            value = values.get(name, default)
            return value if isinstance(value, str) else default

        return cls(
            firm_name=text("firm_name"),
            logo_path=text("logo_path"),
            accent_colour=text("accent_colour", DEFAULT_ACCENT) or DEFAULT_ACCENT,
            prepared_by=text("prepared_by"),
        )


def branding_file() -> Path:
    """Where the branding is kept, shared by the window and the command line.

    SUPPORTSCOPE_CONFIG names another folder (tests use it to stay away from real settings).
    """
    import os

    folder = os.environ.get("SUPPORTSCOPE_CONFIG")
    if folder:
        return Path(folder) / "branding.json"
    from platformdirs import user_config_path

    return user_config_path("SupportScope", appauthor=False) / "branding.json"


def load_branding(path: Path | None = None) -> Branding:
    """The saved branding, or the defaults when there is none or the file is unreadable."""
    import json

    path = path or branding_file()
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Branding()
    return Branding.from_mapping(values if isinstance(values, dict) else {})


def save_branding(branding: Branding, path: Path | None = None) -> None:
    import json

    from evaluator.atomic import write_text_atomic

    path = path or branding_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(branding.to_mapping(), indent=2, ensure_ascii=False))
