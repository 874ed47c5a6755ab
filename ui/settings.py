"""What the window remembers between runs: geometry, splitters, last tab, recent databases,
who last worked on each evaluation (a name only), the last folder of each kind of file.

A thin typed wrapper over QSettings. With SUPPORTSCOPE_NO_SETTINGS=1 (set by the test suite)
it writes to a throw-away INI file instead, so tests never read or change the user's settings.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from evaluator.db_url import APP_NAME, saved_location

ORGANISATION = "SupportScope"
MAX_RECENT = 8


class AppSettings:
    """Typed access to the app's settings; pass one instance around (no global state)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else _default_store()

    @property
    def store(self) -> QSettings:
        return self._store

    # ---- window ------------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)

    def splitter_sizes(self, name: str) -> list[int] | None:
        value = self._store.value(f"splitters/{name}")
        if value is None:
            return None
        items = value if isinstance(value, list) else [value]
        try:
            sizes = [int(size) for size in items]
        except (TypeError, ValueError):
            return None
        return sizes if sizes and all(size >= 0 for size in sizes) else None

    def set_splitter_sizes(self, name: str, sizes: list[int]) -> None:
        self._store.setValue(f"splitters/{name}", [int(size) for size in sizes])

    def last_tab(self) -> str:
        return str(self._store.value("window/last_tab", "") or "")

    def set_last_tab(self, title: str) -> None:
        self._store.setValue("window/last_tab", title)

    # ---- databases ---------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self._store.value("files/recent", [])
        items = value if isinstance(value, list) else [value] if value else []
        found = (saved_location(str(item)) for item in items)  # older versions kept passwords
        return list(dict.fromkeys(item for item in found if item))

    def add_recent_file(self, location: str) -> None:
        """Remember a database; a URL is kept without its password (never stored)."""
        location = saved_location(location)
        recent = [location, *(item for item in self.recent_files() if item != location)]
        self._store.setValue("files/recent", recent[:MAX_RECENT])

    def remove_recent_file(self, location: str) -> None:
        location = saved_location(location)
        self._store.setValue(
            "files/recent", [item for item in self.recent_files() if item != location]
        )

    def last_database(self) -> str:
        return saved_location(str(self._store.value("files/last_database", "") or ""))

    def set_last_database(self, location: str) -> None:
        self._store.setValue("files/last_database", saved_location(location))

    def last_evaluation(self, location: str) -> int | None:
        value = self._store.value(f"evaluations/{_key(location)}")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def set_last_evaluation(self, location: str, evaluation_id: int | None) -> None:
        if evaluation_id is None:
            self._store.remove(f"evaluations/{_key(location)}")
        else:
            self._store.setValue(f"evaluations/{_key(location)}", evaluation_id)

    def last_identity(self, location: str, evaluation_id: int) -> str:
        """Who last worked on this evaluation in this database here (a name, never a
        passphrase): the "Who are you?" prompt starts on them."""
        return str(self._store.value(f"identities/{_key(location)}-{evaluation_id}", "") or "")

    def set_last_identity(self, location: str, evaluation_id: int, name: str) -> None:
        self._store.setValue(f"identities/{_key(location)}-{evaluation_id}", name)

    def last_folder(self, kind: str) -> str:
        """The folder a file of this kind (database, backup, workbook, ...) was last chosen in."""
        return str(self._store.value(f"folders/{kind}", "") or "")

    def set_last_folder(self, kind: str, folder: str) -> None:
        self._store.setValue(f"folders/{kind}", folder)

    def catalog_dirs(self) -> list[Path]:
        """Folders of the user's saved catalogs (listed after the built-in ones)."""
        from platformdirs import user_data_path

        if os.environ.get("SUPPORTSCOPE_NO_SETTINGS") == "1":
            return []
        return [user_data_path(APP_NAME, appauthor=False) / "catalogs"]

    def sync(self) -> None:
        self._store.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _key(location: str) -> str:
    """QSettings keys treat slashes as groups: a stable stand-in for a path or URL."""
    return hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]


def _default_store() -> QSettings:
    if os.environ.get("SUPPORTSCOPE_NO_SETTINGS") == "1":
        folder = tempfile.mkdtemp(prefix="supportscope-settings-")
        return QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APP_NAME)
