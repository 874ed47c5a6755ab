"""Every file dialog of the app, made so that nothing it lists is ever opened by this process.

Qt's stock dialog looks up each listed file's type and icon with QMimeDatabase, which opens
files whose names are ambiguous (`*.db`) or unknown (`*-wal`, `*-shm`) to read their first
bytes. Opening and closing the live database file, or its `-wal`/`-shm`, drops all of this
process's SQLite locks on it (evaluator/live_files.py says why that loses data). Native dialogs
may do the same in-process (GIO, shell thumbnailers). So every dialog here is Qt's own widget
dialog with:

- an icon provider that decides icons and type names from the file name alone;
- a proxy that leaves out the working files (`-wal`, `-shm`, `-journal`) of a database beside;
- its file system model told not to watch the folder (each write to the database would make it
  list the folder again) and not to look for custom folder icons;
- a chosen file checked before the dialog closes: a database in use is refused everywhere but
  in the database dialogs (which open it through SQLite), its working files everywhere; the
  dialog stays open to choose another.

Each dialog starts where the user last chose a file of the same `kind` (database, backup,
workbook, report, ...; remembered in the settings), else in the user's Documents folder; a
caller's own start folder (the open database's) wins. ui/ calls QFileDialog only here
(tests/test_file_dialogs.py checks).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QFileInfo,
    QMimeDatabase,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QStandardPaths,
)
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QFileSystemModel, QWidget

from evaluator.live_files import is_working_file, live_database_problem
from ui import errors
from ui.settings import AppSettings

FOLDER, FILE = QAbstractFileIconProvider.IconType.Folder, QAbstractFileIconProvider.IconType.File
DRIVE = QAbstractFileIconProvider.IconType.Drive

__all__ = ["SafeFileDialog", "choose_open_file", "choose_open_files", "choose_save_file"]


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from the file name alone: never reads a file's contents."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._mime_types = QMimeDatabase()

    def icon(self, what):  # type: ignore[no-untyped-def, override]  # both of Qt's overloads
        if isinstance(what, QFileInfo):
            what = DRIVE if what.isRoot() else FOLDER if what.isDir() else FILE
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:  # type: ignore[override]
        if info.isRoot():
            return "Drive"
        if info.isDir():
            return "Folder"
        if is_working_file(info.absoluteFilePath()):
            return "Database working file"
        # by name only: mimeTypesForFileName matches patterns and opens nothing, unlike
        # mimeTypeForFile (what Qt's own provider calls), which reads ambiguous files
        known = self._mime_types.mimeTypesForFileName(info.fileName())
        if known and known[0].comment():
            return known[0].comment()
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


class _WithoutWorkingFiles(QSortFilterProxyModel):
    """The folder's entries but the `-wal`/`-shm`/`-journal` files of a database beside."""

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, QFileSystemModel):
            return True
        index = model.index(row, 0, parent)
        return model.isDir(index) or not is_working_file(model.filePath(index))


def documents_folder() -> str:
    """The user's Documents folder (their home when the platform has none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found if found and Path(found).is_dir() else str(Path.home())


def start_path(start: str, kind: str, settings: AppSettings | None) -> str:
    """Where a dialog opens: the caller's folder when it names one; else the folder last used
    for this kind of file (keeping a suggested file name), else Documents."""
    begin = Path(start).expanduser() if start else None
    if begin is not None and (begin.is_absolute() or begin.parent != Path(".")):
        return str(begin)
    remembered = settings.last_folder(kind) if settings is not None and kind else ""
    folder = remembered if remembered and Path(remembered).is_dir() else documents_folder()
    return str(Path(folder) / begin) if begin is not None else folder


class SafeFileDialog(QFileDialog):
    """Qt's own file dialog that opens no listed file (see the module's docstring)."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        start: str,
        filters: str,
        database: bool,
        kind: str = "",
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database  # the file chosen is a database, opened with SQLite
        self.kind = kind
        self.settings = settings if settings is not None or not kind else AppSettings()
        start = start_path(start, kind, self.settings)
        # before anything is listed: the widgets (and their model), then our icon provider
        self.setOption(QFileDialog.Option.DontUseNativeDialog)
        self.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons)
        self._icons = NameOnlyIconProvider()  # the dialog does not own it: keep it alive
        self.setIconProvider(self._icons)
        model = self.findChild(QFileSystemModel)
        if model is not None:
            model.setOption(QFileSystemModel.Option.DontWatchForChanges)
        self.setProxyModel(_WithoutWorkingFiles(self))
        self.setWindowTitle(title)
        if filters:
            self.setNameFilters(filters.split(";;"))
        if start:
            begin = Path(start).expanduser()
            if begin.is_dir():
                self.setDirectory(str(begin))
            else:
                self.setDirectory(str(begin.parent))
                self.selectFile(begin.name)

    def accept(self) -> None:
        """Close with the chosen files, unless one belongs to a database in use."""
        for path in self.selectedFiles():
            if self.database and not is_working_file(path):
                continue
            problem = live_database_problem(path)
            if problem:
                errors.show_error(self, f"{problem}: choose another file", "Cannot use this file")
                return
        super().accept()

    def chosen(self) -> list[str]:
        """Run the dialog, then let it go; the chosen paths, or [] when cancelled."""
        try:
            accepted = self.exec() == QFileDialog.DialogCode.Accepted
            chosen = self.selectedFiles() if accepted else []
            if chosen and self.kind and self.settings is not None:
                self.settings.set_last_folder(self.kind, str(Path(chosen[0]).parent))
            return chosen
        finally:
            self.deleteLater()  # with its file system model and that model's thread


def choose_open_file(
    parent: QWidget | None,
    title: str,
    start: str = "",
    filters: str = "",
    *,
    database: bool = False,
    kind: str = "",
    settings: AppSettings | None = None,
) -> str:
    """One existing file, or "" when cancelled. `database`: the file is opened with SQLite;
    `kind`: the kind of file, whose last folder the dialog starts in (see the docstring)."""
    dialog = SafeFileDialog(parent, title, start, filters, database, kind, settings)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return next(iter(dialog.chosen()), "")


def choose_open_files(
    parent: QWidget | None,
    title: str,
    start: str = "",
    filters: str = "",
    *,
    kind: str = "",
    settings: AppSettings | None = None,
) -> list[str]:
    """Existing files, or [] when cancelled."""
    dialog = SafeFileDialog(parent, title, start, filters, False, kind, settings)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return dialog.chosen()


def choose_save_file(
    parent: QWidget | None,
    title: str,
    suggested: str = "",
    filters: str = "",
    *,
    confirm_overwrite: bool = True,
    database: bool = False,
    kind: str = "",
    settings: AppSettings | None = None,
) -> str:
    """Where to write a file, or "" when cancelled. `database`: New database (never replaced:
    an existing one is opened). A bare suggested name goes in the kind's last folder."""
    dialog = SafeFileDialog(parent, title, suggested, filters, database, kind, settings)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not confirm_overwrite)
    return next(iter(dialog.chosen()), "")
