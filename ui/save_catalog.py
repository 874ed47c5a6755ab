"""File ▸ Save criteria as catalog…: the open evaluation's criteria tree, weights, rubrics,
questions and rules as a catalog file that a later evaluation can start from.

The file dialog starts in the user's catalog folder, where File ▸ New evaluation lists it; the
status bar says where it went. The file itself is written by `criteria.save_evaluation_criteria`
(the CLI's `catalog save` too).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from criteria import CatalogError, save_evaluation_criteria
from ui import errors
from ui.file_dialogs import choose_save_file

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FILTER = "Criteria catalogs (*.toml)"


def save_criteria_as_catalog(window: MainWindow) -> Path | None:
    """Ask where, save the criteria as a catalog and say so; None when cancelled or refused."""
    data = window.session.data
    if data is None:
        return None
    folders = window.start_page.catalog_dirs
    folder = folders[0] if folders else Path.home()
    stem = re.sub(r'[\\/:*?"<>|]+', "-", data.name).strip() or "criteria"
    if folders:
        folder.mkdir(parents=True, exist_ok=True)  # so the dialog opens where New lists them
    chosen = choose_save_file(
        window, "Save the criteria as a catalog", str(folder / f"{stem}.toml"), FILTER
    )
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != ".toml":
        target = target.with_name(target.name + ".toml")
    try:
        catalog = save_evaluation_criteria(data, target)
    except (CatalogError, *errors.USER_ERRORS) as exc:
        errors.show_error(window, errors.user_message(exc), "Cannot save the catalog")
        return None
    listed = " (listed under New evaluation)" if target.parent in folders else ""
    window.statusBar().showMessage(
        f"Saved the criteria as the catalog “{catalog.name}” to {target}{listed}", 30_000
    )
    return target
